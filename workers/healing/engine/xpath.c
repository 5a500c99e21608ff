/* XPath through libxml2 (see xpath.h). The mirror keeps a pointer to the engine's node in each
 * libxml2 node (_private) so results map back to element indexes. */
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpath.h"

#define NS_SVG    "http://www.w3.org/2000/svg"
#define NS_MATHML "http://www.w3.org/1998/Math/MathML"

struct xml_mirror {
    xmlDocPtr xdoc;
    xmlNsPtr svg, mathml;
};

struct xpath_error {
    char msg[200];
    int set;
};

static void quiet_generic(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

static void collect_error(void *data, xmlErrorPtr e)
{
    struct xpath_error *xe = data;
    if (!xe || xe->set || !e || !e->message)
        return;
    snprintf(xe->msg, sizeof xe->msg, "%s", e->message);
    size_t n = strlen(xe->msg);
    while (n && (xe->msg[n - 1] == '\n' || xe->msg[n - 1] == ' '))
        xe->msg[--n] = '\0';
    xe->set = 1;
}

static void xml_init_once(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet_generic);
}

static xmlNodePtr mirror_node(struct xml_mirror *m, xmlNodePtr parent, struct dom_node *n)
{
    xmlNodePtr x = NULL;
    if (n->type == DOM_TEXT) {
        x = xmlNewDocText(m->xdoc, (const xmlChar *)n->text);
    } else if (n->type == DOM_COMMENT) {
        x = xmlNewDocComment(m->xdoc, (const xmlChar *)n->text);
    } else {
        xmlNsPtr ns = n->ns == DOM_NS_SVG ? m->svg : n->ns == DOM_NS_MATHML ? m->mathml : NULL;
        x = xmlNewDocNode(m->xdoc, ns, (const xmlChar *)n->tag, NULL);
        for (size_t i = 0; x && i < n->n_attrs; i++)
            xmlNewNsProp(x, NULL, (const xmlChar *)n->attrs[i].name, (const xmlChar *)n->attrs[i].value);
    }
    if (!x)
        abort();
    x->_private = n;
    n->xml_node = x;
    if (parent) {
        /* link by hand: xmlAddChild would merge text nodes that a comment used to separate */
        x->parent = parent;
        if (!parent->children) {
            parent->children = x;
        } else {
            parent->last->next = x;
            x->prev = parent->last;
        }
        parent->last = x;
    }
    return x;
}

/* Iterative copy: pages can nest deeper than the C stack would like. */
static struct xml_mirror *build_mirror(heal_doc *doc)
{
    struct xml_mirror *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    m->xdoc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr root = mirror_node(m, NULL, doc->root);
    xmlDocSetRootElement(m->xdoc, root);
    m->svg = xmlNewNs(root, (const xmlChar *)NS_SVG, NULL);
    m->mathml = xmlNewNs(root, (const xmlChar *)NS_MATHML, (const xmlChar *)"mathml");
    xmlNodePtr xparent = root;
    struct dom_node *n = doc->root->first;
    struct dom_node *parent = doc->root;
    while (n) {
        xmlNodePtr x = mirror_node(m, xparent, n);
        if (n->type == DOM_ELEMENT && n->first) {
            parent = n;
            xparent = x;
            n = n->first;
            continue;
        }
        while (!n->next && parent != doc->root) {
            n = parent;
            parent = parent->parent;
            xparent = xparent->parent;
        }
        n = n->next;
    }
    return m;
}

void dom_xml_free(heal_doc *doc)
{
    struct xml_mirror *m = doc->xml;
    if (!m)
        return;
    xmlFreeDoc(m->xdoc);
    free(m);
    doc->xml = NULL;
}

static int by_index(const void *a, const void *b)
{
    const struct dom_node *x = *(struct dom_node *const *)a, *y = *(struct dom_node *const *)b;
    return (x->index > y->index) - (x->index < y->index);
}

long xpath_query(heal_doc *doc, const struct dom_node *scope, const char *expr, struct dom_node ***out, char *err,
                 size_t errlen)
{
    xml_init_once();
    *out = NULL;
    if (!doc->xml)
        doc->xml = build_mirror(doc);
    struct xml_mirror *m = doc->xml;
    xmlXPathContextPtr ctx = xmlXPathNewContext(m->xdoc);
    if (!ctx)
        abort();
    struct xpath_error xe = { "", 0 };
    ctx->error = collect_error;
    ctx->userData = &xe;
    char *scoped = NULL;
    if (scope) {
        ctx->node = scope->xml_node;
        if (expr[0] == '/') {   /* Playwright makes an absolute path relative to its scope */
            scoped = malloc(strlen(expr) + 2);
            if (!scoped)
                abort();
            scoped[0] = '.';
            strcpy(scoped + 1, expr);
            expr = scoped;
        }
    }
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    free(scoped);
    long count = -1;
    if (!r) {
        snprintf(err, errlen, "XPath: %s", xe.set ? xe.msg : "invalid expression");
    } else if (r->type != XPATH_NODESET) {
        snprintf(err, errlen, "XPath: the expression gives a %s, not elements",
                 r->type == XPATH_NUMBER ? "number" : r->type == XPATH_STRING ? "string" : "boolean");
    } else {
        count = 0;
        int total = r->nodesetval ? r->nodesetval->nodeNr : 0;
        struct dom_node **items = malloc(((size_t)total + 1) * sizeof *items);
        if (!items)
            abort();
        for (int i = 0; i < total; i++) {
            xmlNodePtr x = r->nodesetval->nodeTab[i];
            if (x && x->type == XML_ELEMENT_NODE && x->_private)
                items[count++] = x->_private;
        }
        qsort(items, (size_t)count, sizeof *items, by_index);
        *out = items;
    }
    if (r)
        xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
    return count;
}

int xpath_check(const char *expr, char *err, size_t errlen)
{
    xml_init_once();
    struct xpath_error xe = { "", 0 };
    xmlXPathContextPtr ctx = xmlXPathNewContext(NULL);
    if (!ctx)
        abort();
    ctx->error = collect_error;
    ctx->userData = &xe;
    xmlXPathCompExprPtr c = xmlXPathCtxtCompile(ctx, (const xmlChar *)expr);
    xmlXPathFreeContext(ctx);
    if (!c) {
        snprintf(err, errlen, "XPath: %s", xe.set ? xe.msg : "invalid expression");
        return -1;
    }
    xmlXPathFreeCompExpr(c);
    return 0;
}
