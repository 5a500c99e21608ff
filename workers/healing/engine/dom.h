/* The engine's document tree: what libgumbo builds, copied into one arena with the links and
 * indexes every evaluator needs (parent, siblings, document-order element index, element position
 * among siblings), plus lazily computed facts shared by the evaluators (element text as Playwright
 * reads it, display and ARIA hiddenness, roles, accessible names, labels). Internal to the engine. */
#ifndef HEAL_DOM_H
#define HEAL_DOM_H

#include <stddef.h>
#include <stdint.h>

#include "heal.h"

enum dom_type { DOM_ELEMENT, DOM_TEXT, DOM_COMMENT };
enum dom_ns { DOM_NS_HTML, DOM_NS_SVG, DOM_NS_MATHML };

struct dom_attr {
    const char *name;   /* lower case for HTML elements, as adjusted by the parser for SVG */
    const char *value;
};

struct dom_text {       /* Playwright's elementText(): full, normalised, immediate text nodes */
    char *full;
    char *norm;
    char **immediate;
    size_t n_immediate;
};

struct dom_node {
    enum dom_type type;
    enum dom_ns ns;
    const char *tag;               /* local name (lower case for HTML); NULL for text and comments */
    const char *text;              /* text and comment nodes */
    struct dom_attr *attrs;
    size_t n_attrs;
    struct dom_node *parent, *first, *last, *next, *prev;
    long index;                    /* document-order element index, -1 for other nodes */
    unsigned depth;
    unsigned in_head : 1;
    /* lazily computed (flags say whether the value is known) */
    unsigned known_text : 1, known_hidden : 1, known_role : 1, known_name : 1, known_labels : 1;
    unsigned display_none : 1;     /* this element or an ancestor is not rendered */
    unsigned vis_hidden : 1;       /* computed visibility is not 'visible' */
    unsigned inline_display : 1;   /* computed display is 'inline' */
    unsigned contents_display : 1; /* display: contents */
    struct dom_text *etext;
    const char *role;              /* ARIA role or NULL */
    char *name;                    /* accessible name (normalised) */
    unsigned visit_gen;            /* accessible name computation in progress (aria_name.c) */
    void *xml_node;                /* its libxml2 mirror (xpath.c), once built */
    struct dom_node **labels;      /* <label> elements labelling this control */
    size_t n_labels;
};

struct dom_style_rule;              /* display:none / visibility rules from <style> (style.c) */

struct heal_doc {
    struct dom_arena *arena;
    struct dom_node *root;         /* the <html> element */
    struct dom_node **elements;    /* document order (template contents are not in the tree) */
    size_t n_elements;
    int quirks;                    /* no doctype: class and id match case-insensitively */
    int styles_known, labels_known;
    unsigned visit_gen;
    struct dom_style_rule *rules;
    size_t n_rules;
    void *xml;                     /* libxml2 mirror for XPath, built on first use (xpath.c) */
};

/* Arena: every string and node of a document; freed at once. */
struct dom_arena;
struct dom_arena *dom_arena_new(void);
void dom_arena_free(struct dom_arena *a);
void *dom_alloc(struct dom_arena *a, size_t n);            /* zeroed; aborts on out of memory */
char *dom_strdup(struct dom_arena *a, const char *s);
char *dom_strndup(struct dom_arena *a, const char *s, size_t n);

const char *dom_attr(const struct dom_node *e, const char *name);   /* NULL when absent */
int dom_has_attr(const struct dom_node *e, const char *name);
int dom_is(const struct dom_node *e, const char *tag);              /* HTML element with that tag */
struct dom_node *dom_first_element_child(const struct dom_node *e);
struct dom_node *dom_next_element(const struct dom_node *e);
struct dom_node *dom_prev_element(const struct dom_node *e);
struct dom_node *dom_parent_element(const struct dom_node *e);
int dom_contains(const struct dom_node *ancestor, const struct dom_node *e); /* inclusive */
struct dom_node *dom_by_id(heal_doc *doc, const char *id);          /* first element with that id */
int dom_class_has(const struct dom_node *e, const char *cls, int icase);
/* Next element in document order after e within the subtree of scope (NULL: whole document). */
struct dom_node *dom_next_in_order(const struct dom_node *e, const struct dom_node *scope);

/* Playwright's elementText of e (cached); skipped elements (script, style, noscript, head) give "". */
const struct dom_text *dom_text_of(heal_doc *doc, struct dom_node *e);
/* textContent (all descendant text), allocated in the arena. */
char *dom_text_content(heal_doc *doc, const struct dom_node *e);


/* Release what the evaluators cached on the document (xpath.c, style.c). */
void dom_xml_free(heal_doc *doc);
void dom_style_free(heal_doc *doc);

#endif
