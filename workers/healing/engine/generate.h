/* Selectors for a chosen element, most robust first (test id, stable id, role and name, label,
 * placeholder, alt/title, text, name and other stable attributes, stable class combinations, a short
 * path from the nearest stable ancestor, the path from <body>), in the requested syntax. The first
 * one that matches exactly that element in the page is kept. Generated names are never used. */
#ifndef HEAL_GENERATE_H
#define HEAL_GENERATE_H

#include "fingerprint.h"
#include "heal.h"

/* malloc'd selector and a static strategy name, or NULL when nothing unique was found. */
char *gen_selector(struct feat_set *fs, struct dom_node *e, enum heal_syntax syntax, const char **strategy);

#endif
