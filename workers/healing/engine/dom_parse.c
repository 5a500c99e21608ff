/* HTML to the engine's tree with libgumbo, which implements the HTML5 tree construction algorithm
 * (implied and auto-closed elements, foster parenting out of tables, <template> contents, foreign
 * SVG and MathML content, character references) and so builds the tree a browser builds; see
 * docs/healing.md for the comparison with libxml2's HTML parser. The gumbo tree is copied into the
 * arena (gumbo's own output is freed at once) with the indexes the evaluators need. */
#include <ctype.h>
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dom.h"

struct builder {
    heal_doc *doc;
    size_t cap;
};

static void push_element(struct builder *b, struct dom_node *e)
{
    if (b->doc->n_elements == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->doc->elements = realloc(b->doc->elements, b->cap * sizeof *b->doc->elements);
        if (!b->doc->elements) {
            fputs("heal: out of memory\n", stderr);
            abort();
        }
    }
    e->index = (long)b->doc->n_elements;
    b->doc->elements[b->doc->n_elements++] = e;
}

static char *lower_piece(struct dom_arena *a, const char *s, size_t n)
{
    char *p = dom_strndup(a, s, n);
    for (char *c = p; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return p;
}

/* The local name as a browser reports it: lower case for HTML, camelCase adjustments for SVG. */
static const char *element_name(struct dom_arena *a, const GumboElement *g)
{
    GumboStringPiece piece = g->original_tag;
    if (g->tag != GUMBO_TAG_UNKNOWN && g->tag_namespace != GUMBO_NAMESPACE_SVG)
        return gumbo_normalized_tagname(g->tag);
    if (piece.data && piece.length) {
        gumbo_tag_from_original_text(&piece);
        if (g->tag_namespace == GUMBO_NAMESPACE_SVG) {
            const char *svg = gumbo_normalize_svg_tagname(&piece);
            if (svg)
                return svg;
        }
        return lower_piece(a, piece.data, piece.length);
    }
    return gumbo_normalized_tagname(g->tag);
}

static void link_child(struct dom_node *parent, struct dom_node *child)
{
    child->parent = parent;
    child->depth = parent->depth + 1;
    child->prev = parent->last;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

static struct dom_node *copy_node(struct builder *b, const GumboNode *g, struct dom_node *parent, int in_head);

static void copy_children(struct builder *b, const GumboVector *children, struct dom_node *parent, int in_head)
{
    for (unsigned i = 0; i < children->length; i++) {
        struct dom_node *c = copy_node(b, children->data[i], parent, in_head);
        if (c)
            link_child(parent, c);
    }
}

static struct dom_node *copy_node(struct builder *b, const GumboNode *g, struct dom_node *parent, int in_head)
{
    struct dom_arena *a = b->doc->arena;
    struct dom_node *n = dom_alloc(a, sizeof *n);
    n->index = -1;
    n->in_head = (unsigned)in_head;
    n->depth = parent ? parent->depth + 1 : 0;
    switch (g->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
    case GUMBO_NODE_CDATA:
        n->type = DOM_TEXT;
        n->text = dom_strdup(a, g->v.text.text);
        return n;
    case GUMBO_NODE_COMMENT:
        n->type = DOM_COMMENT;
        n->text = dom_strdup(a, g->v.text.text);
        return n;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
        break;
    default:
        return NULL;
    }
    const GumboElement *ge = &g->v.element;
    n->type = DOM_ELEMENT;
    n->ns = ge->tag_namespace == GUMBO_NAMESPACE_SVG      ? DOM_NS_SVG
            : ge->tag_namespace == GUMBO_NAMESPACE_MATHML ? DOM_NS_MATHML
                                                          : DOM_NS_HTML;
    n->tag = element_name(a, ge);
    n->n_attrs = ge->attributes.length;
    n->attrs = dom_alloc(a, (n->n_attrs ? n->n_attrs : 1) * sizeof *n->attrs);
    for (unsigned i = 0; i < ge->attributes.length; i++) {
        const GumboAttribute *at = ge->attributes.data[i];
        n->attrs[i].name = dom_strdup(a, at->name);
        n->attrs[i].value = dom_strdup(a, at->value ? at->value : "");
    }
    push_element(b, n);
    if (n->ns == DOM_NS_HTML && strcmp(n->tag, "head") == 0)
        in_head = 1;
    n->in_head = (unsigned)in_head;
    /* A browser keeps <template> contents in a separate fragment: the element has no children. */
    if (g->type != GUMBO_NODE_TEMPLATE)
        copy_children(b, &ge->children, n, in_head);
    return n;
}

heal_doc *heal_doc_parse(const char *html, size_t len, char *err, size_t errlen)
{
    if (!html || len == 0) {
        snprintf(err, errlen, "the page is empty");
        return NULL;
    }
    if (len > HEAL_PAGE_MAX) {
        snprintf(err, errlen, "the page has %zu bytes, more than the %u accepted", len, HEAL_PAGE_MAX);
        return NULL;
    }
    GumboOptions opts = kGumboDefaultOptions;
    opts.max_errors = 0;   /* parse errors are not collected: only the tree is needed */
    GumboOutput *out = gumbo_parse_with_options(&opts, html, len);
    if (!out || !out->root || out->root->type != GUMBO_NODE_ELEMENT) {
        if (out)
            gumbo_destroy_output(&opts, out);
        snprintf(err, errlen, "the HTML parser built no document");
        return NULL;
    }
    heal_doc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        gumbo_destroy_output(&opts, out);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    doc->arena = dom_arena_new();
    doc->quirks = out->document->v.document.doc_type_quirks_mode == GUMBO_DOCTYPE_QUIRKS;
    struct builder b = { doc, 0 };
    doc->root = copy_node(&b, out->root, NULL, 0);
    gumbo_destroy_output(&opts, out);
    return doc;
}


void heal_doc_free(heal_doc *doc)
{
    if (!doc)
        return;
    dom_xml_free(doc);
    dom_style_free(doc);
    for (size_t i = 0; i < doc->n_elements; i++) {
        struct dom_node *e = doc->elements[i];
        if (e->etext) {
            free(e->etext->full);
            free(e->etext->norm);
            for (size_t k = 0; k < e->etext->n_immediate; k++)
                free(e->etext->immediate[k]);
            free(e->etext->immediate);
            free(e->etext);
        }
        free(e->name);
        free(e->labels);
    }
    free(doc->elements);
    dom_arena_free(doc->arena);
    free(doc);
}

size_t heal_doc_element_count(const heal_doc *doc)
{
    return doc ? doc->n_elements : 0;
}

const char *heal_doc_tag(const heal_doc *doc, size_t element)
{
    return doc && element < doc->n_elements ? doc->elements[element]->tag : NULL;
}
