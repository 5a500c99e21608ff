/* CSS selectors as UI tests use them: Selectors level 4 (type, universal, #id, .class, attribute
 * operators with the i/s flags, the four combinators, :nth-*() with "of S", :first/:last/:only-*,
 * :not(), :is(), :where(), :has(), :empty, :root, :scope, :checked, :disabled, :enabled) plus
 * Playwright's extensions (:has-text(), :text(), :text-is(), :text-matches(), :visible), parsed into
 * a small tree and matched right to left on the engine's document. */
#ifndef HEAL_CSS_H
#define HEAL_CSS_H

#include <regex.h>
#include <stddef.h>

#include "dom.h"

enum css_combinator { CSS_COMB_NONE, CSS_COMB_DESCENDANT, CSS_COMB_CHILD, CSS_COMB_NEXT, CSS_COMB_SUBSEQUENT };

enum css_simple_kind { CSS_TYPE, CSS_UNIVERSAL, CSS_ID, CSS_CLASS, CSS_ATTR, CSS_PSEUDO, CSS_ANCHOR };

enum css_attr_op { CSS_ATTR_EXISTS, CSS_ATTR_EQ, CSS_ATTR_INCLUDES, CSS_ATTR_DASH, CSS_ATTR_PREFIX,
                   CSS_ATTR_SUFFIX, CSS_ATTR_SUBSTR };

enum css_pseudo {
    CSS_P_FIRST_CHILD, CSS_P_LAST_CHILD, CSS_P_ONLY_CHILD, CSS_P_FIRST_OF_TYPE, CSS_P_LAST_OF_TYPE,
    CSS_P_ONLY_OF_TYPE, CSS_P_NTH_CHILD, CSS_P_NTH_LAST_CHILD, CSS_P_NTH_OF_TYPE, CSS_P_NTH_LAST_OF_TYPE,
    CSS_P_NOT, CSS_P_IS, CSS_P_WHERE, CSS_P_HAS, CSS_P_EMPTY, CSS_P_ROOT, CSS_P_SCOPE, CSS_P_CHECKED,
    CSS_P_DISABLED, CSS_P_ENABLED, CSS_P_REQUIRED, CSS_P_OPTIONAL,
    CSS_P_HAS_TEXT, CSS_P_TEXT, CSS_P_TEXT_IS, CSS_P_TEXT_MATCHES, CSS_P_VISIBLE
};

struct css_list;
struct text_regex;

struct css_simple {
    enum css_simple_kind kind;
    char *name;                 /* type, id, class, attribute name */
    char *value;                /* attribute value; text argument of the Playwright pseudo-classes */
    enum css_attr_op op;
    int icase;                  /* [a=b i] */
    enum css_pseudo pseudo;
    long a, b;                  /* An+B */
    struct css_list *sub;       /* :not/:is/:where/:has arguments, "of S" */
    struct text_regex *re;      /* :text-matches */
};

struct css_compound {
    enum css_combinator comb;   /* between the previous compound and this one (NONE for the first) */
    struct css_simple *simples;
    size_t n;
};

struct css_complex {
    struct css_compound *parts; /* left to right */
    size_t n;
};

struct css_list {
    struct css_complex *items;
    size_t n;
};

/* Parses a selector list. NULL with err ("<reason> at <offset>") when it does not parse. */
struct css_list *css_parse(const char *sel, char *err, size_t errlen);
void css_free(struct css_list *l);
int css_uses_playwright(const struct css_list *l);   /* any Playwright-only pseudo-class */

struct css_ctx {
    heal_doc *doc;
    const struct dom_node *scope;   /* :scope, and the root of a query (NULL: document) */
    const struct dom_node *anchor;  /* the subject of an enclosing :has() */
    unsigned depth;                 /* nesting of :not/:is/:has, bounded */
};

int css_matches(struct css_ctx *ctx, const struct css_list *l, const struct dom_node *e);
/* Elements under scope (NULL: whole document; the scope itself excluded, as querySelectorAll does)
 * matching l, in document order. Returns the count; *out malloc'd. */
size_t css_query(heal_doc *doc, const struct dom_node *scope, const struct css_list *l, struct dom_node ***out);

/* Writes s as a CSS identifier / string (quoted with "). */
struct text_buf;
void css_put_ident(struct text_buf *b, const char *s);
void css_put_string(struct text_buf *b, const char *s);

#endif
