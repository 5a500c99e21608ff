/* The fingerprint of an element: what identifies it to a person and to a test, with generated
 * names left out (tag, role, accessible name, own text, stable id, test id, form name, type,
 * placeholder, title, alt, href, label text, stable classes and their stems, ancestor path,
 * context text such as the enclosing row or the preceding heading, relative position). Computed
 * lazily per element of a document for one healing run. */
#ifndef HEAL_FINGERPRINT_H
#define HEAL_FINGERPRINT_H

#include "dom.h"
#include "tokens.h"

#define FEAT_PATH_MAX 12

struct feat {
    int done;
    struct dom_node *e;
    const char *tag, *role;
    char *name, *text;                 /* lower-cased, normalised, capped */
    char *id, *testid, *form_name, *type, *placeholder, *title, *alt, *href, *value, *label;
    const char *testid_attr;           /* which attribute holds testid */
    char *classes;                     /* stable class names, space separated (for selectors) */
    struct tokens class_tok, ident_tok, name_tok, ctx_tok;
    struct tokens kind_tok;            /* what kind of element: tag, role, input type (btn, input, submit) */
    const char *path[FEAT_PATH_MAX];   /* ancestor tags, nearest first */
    size_t path_n;
    double relpos;                     /* document position 0..1 */
    int rendered;
};

struct feat_set {
    heal_doc *doc;
    const char *testid_attr;           /* configured test id attribute */
    struct feat *f;                    /* by element index */
};

void feat_set_init(struct feat_set *s, heal_doc *doc, const char *testid_attr);
void feat_set_free(struct feat_set *s);
const struct feat *feat_of(struct feat_set *s, struct dom_node *e);
/* Elements that can be what a test meant (inside <body>, not script/style/template/...). */
int feat_is_candidate(const struct dom_node *e);
/* Test id attributes, most specific first (the configured one leads). */
const char *feat_testid_attr(const struct dom_node *e, const char *configured, const char **value);

#endif
