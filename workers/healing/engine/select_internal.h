/* Selector evaluation on engine nodes, for the healing code (select.c). */
#ifndef HEAL_SELECT_INTERNAL_H
#define HEAL_SELECT_INTERNAL_H

#include "dom.h"

/* Matched nodes (*out malloc'd) or -1 with err. */
long select_nodes(heal_doc *doc, enum heal_syntax syntax, const char *selector, const char *testid,
                  struct dom_node ***out, char *err, size_t errlen);
/* 1 when selector matches exactly `want` and nothing else. */
int select_unique(heal_doc *doc, enum heal_syntax syntax, const char *selector, const char *testid,
                  const struct dom_node *want);

#endif
