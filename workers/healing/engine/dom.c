/* Tree navigation and the element text that Playwright's text matching reads (elementText in its
 * injected script: text nodes of the subtree, script/style/noscript and <head> skipped, the value of
 * input buttons), cached per element. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dom.h"
#include "textutil.h"

const char *dom_attr(const struct dom_node *e, const char *name)
{
    if (!e || e->type != DOM_ELEMENT)
        return NULL;
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcasecmp(e->attrs[i].name, name) == 0)
            return e->attrs[i].value;
    return NULL;
}

int dom_has_attr(const struct dom_node *e, const char *name)
{
    return dom_attr(e, name) != NULL;
}

int dom_is(const struct dom_node *e, const char *tag)
{
    return e && e->type == DOM_ELEMENT && e->ns == DOM_NS_HTML && strcmp(e->tag, tag) == 0;
}

struct dom_node *dom_first_element_child(const struct dom_node *e)
{
    for (struct dom_node *c = e ? e->first : NULL; c; c = c->next)
        if (c->type == DOM_ELEMENT)
            return c;
    return NULL;
}

struct dom_node *dom_next_element(const struct dom_node *e)
{
    for (struct dom_node *c = e->next; c; c = c->next)
        if (c->type == DOM_ELEMENT)
            return c;
    return NULL;
}

struct dom_node *dom_prev_element(const struct dom_node *e)
{
    for (struct dom_node *c = e->prev; c; c = c->prev)
        if (c->type == DOM_ELEMENT)
            return c;
    return NULL;
}

struct dom_node *dom_parent_element(const struct dom_node *e)
{
    return e->parent;
}

int dom_contains(const struct dom_node *ancestor, const struct dom_node *e)
{
    for (; e; e = e->parent)
        if (e == ancestor)
            return 1;
    return 0;
}

struct dom_node *dom_by_id(heal_doc *doc, const char *id)
{
    for (size_t i = 0; i < doc->n_elements; i++) {
        const char *v = dom_attr(doc->elements[i], "id");
        if (v && strcmp(v, id) == 0)
            return doc->elements[i];
    }
    return NULL;
}

int dom_class_has(const struct dom_node *e, const char *cls, int icase)
{
    const char *v = dom_attr(e, "class");
    size_t n = strlen(cls);
    if (!v || !n)
        return 0;
    const char *p = v;
    while (*p) {
        while (*p && text_is_ascii_space(*p))
            p++;
        const char *s = p;
        while (*p && !text_is_ascii_space(*p))
            p++;
        if ((size_t)(p - s) == n && (icase ? strncasecmp(s, cls, n) : strncmp(s, cls, n)) == 0)
            return 1;
    }
    return 0;
}

struct dom_node *dom_next_in_order(const struct dom_node *e, const struct dom_node *scope)
{
    const struct dom_node *n = e;
    if (n->first)
        return n->first;
    while (n && n != scope) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

static int skipped_for_text(const struct dom_node *e)
{
    return e->in_head || dom_is(e, "script") || dom_is(e, "noscript") || dom_is(e, "style");
}

static void immediate_push(struct dom_text *t, struct text_buf *cur)
{
    if (!cur->len)
        return;
    t->immediate = realloc(t->immediate, (t->n_immediate + 1) * sizeof *t->immediate);
    if (!t->immediate)
        abort();
    t->immediate[t->n_immediate++] = text_buf_steal(cur);
}

const struct dom_text *dom_text_of(heal_doc *doc, struct dom_node *e)
{
    if (e->etext)
        return e->etext;
    struct dom_text *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    struct text_buf full = TEXT_BUF_INIT, cur = TEXT_BUF_INIT;
    const char *type = dom_attr(e, "type");
    if (skipped_for_text(e)) {
        /* empty */
    } else if (dom_is(e, "input") && type &&
               (!strcasecmp(type, "submit") || !strcasecmp(type, "button") || !strcasecmp(type, "reset"))) {
        const char *v = dom_attr(e, "value");
        text_buf_puts(&full, v ? v : "");
        text_buf_puts(&cur, v ? v : "");
        immediate_push(t, &cur);
    } else {
        for (struct dom_node *c = e->first; c; c = c->next) {
            if (c->type == DOM_TEXT) {
                text_buf_puts(&full, c->text);
                text_buf_puts(&cur, c->text);
            } else if (c->type == DOM_ELEMENT) {
                immediate_push(t, &cur);
                text_buf_puts(&full, dom_text_of(doc, c)->full);
            }
        }
        immediate_push(t, &cur);
    }
    text_buf_free(&cur);
    t->full = text_buf_steal(&full);
    t->norm = text_normalize(t->full);
    e->etext = t;
    return t;
}

char *dom_text_content(heal_doc *doc, const struct dom_node *e)
{
    struct text_buf b = TEXT_BUF_INIT;
    for (const struct dom_node *n = e->first; n; n = dom_next_in_order(n, e))
        if (n->type == DOM_TEXT)
            text_buf_puts(&b, n->text);
    char *s = dom_strdup(doc->arena, b.data ? b.data : "");
    text_buf_free(&b);
    return s;
}
