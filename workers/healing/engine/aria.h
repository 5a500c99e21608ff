/* ARIA roles and accessible names as Playwright computes them (its roleUtils: implicit roles by
 * tag, presentational inheritance, the accname algorithm with aria-labelledby, aria-label, label
 * for/wrapping, alt, title, placeholder, legend/caption/figcaption and name from content), without
 * shadow DOM and CSS generated content. Cached per element. */
#ifndef HEAL_ARIA_H
#define HEAL_ARIA_H

#include "dom.h"

const char *aria_role(heal_doc *doc, struct dom_node *e);          /* NULL: no role */
const char *aria_name(heal_doc *doc, struct dom_node *e);          /* normalised, never NULL */
char *aria_name_including_hidden(heal_doc *doc, struct dom_node *e); /* malloc'd, not cached */
/* The <label> elements whose labelled control is e (HTMLElement.labels), in document order. */
struct dom_node **aria_labels(heal_doc *doc, struct dom_node *e, size_t *n);
int aria_level(heal_doc *doc, struct dom_node *e);                 /* 0: none */
int aria_disabled(heal_doc *doc, struct dom_node *e);
int aria_checked(heal_doc *doc, struct dom_node *e);               /* 0 false, 1 true, 2 mixed */
int aria_pressed(heal_doc *doc, struct dom_node *e);               /* 0 false, 1 true, 2 mixed */
int aria_expanded(heal_doc *doc, struct dom_node *e);              /* -1 undefined, 0, 1 */
int aria_selected(heal_doc *doc, struct dom_node *e);
int aria_is_valid_role(const char *role);

#endif
