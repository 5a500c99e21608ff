/* XPath 1.0 with libxml2's evaluator on a libxml2 mirror of the engine's tree (built on first use
 * and kept with the document). HTML elements are in no namespace, SVG and MathML elements in theirs,
 * so a path to svg by name finds nothing and one by local-name() finds it, as in a browser. */
#ifndef HEAL_XPATH_H
#define HEAL_XPATH_H

#include <stddef.h>

#include "dom.h"

/* Elements selected by expr with scope as context node (NULL: the document), in document order.
 * Returns the count (*out malloc'd), or -1 with err when the expression does not compile or does
 * not select nodes. */
long xpath_query(heal_doc *doc, const struct dom_node *scope, const char *expr, struct dom_node ***out, char *err,
                 size_t errlen);
/* Only compiles expr (input validation, fuzzing). */
int xpath_check(const char *expr, char *err, size_t errlen);

#endif
