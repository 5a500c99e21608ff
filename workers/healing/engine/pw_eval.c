/* Evaluation of Playwright locators (see pw.h), following its injected script: each step is
 * queried from every element the previous step produced (the document first), results deduplicated
 * in the order found; nth= picks from the whole list. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aria.h"
#include "pw_internal.h"
#include "style.h"
#include "textutil.h"
#include "xpath.h"

struct node_list {
    struct dom_node **items;
    size_t n, cap;
};

static void list_add(struct node_list *l, struct dom_node *e)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items)
            abort();
    }
    l->items[l->n++] = e;
}

/* Playwright's createTextMatcher applied to an element text. */
static int text_match(const struct pw_text *t, const struct dom_text *et)
{
    if (t->kind == PW_REGEX)
        return text_regex_test(t->re, et->full);
    if (t->kind == PW_LAX)
        return text_icontains(et->norm, t->value);
    if (t->internal)
        return strcmp(et->norm, t->value) == 0;
    if (!t->value[0] && !et->n_immediate)
        return 1;
    for (size_t i = 0; i < et->n_immediate; i++) {
        char *n = text_normalize(et->immediate[i]);
        int eq = strcmp(n, t->value) == 0;
        free(n);
        if (eq)
            return 1;
    }
    return 0;
}

static int skipped_for_text(const struct dom_node *e)
{
    return e->in_head || dom_is(e, "script") || dom_is(e, "noscript") || dom_is(e, "style");
}

/* 0 none, 1 self, 2 self and children */
static int matches_text(heal_doc *doc, struct dom_node *e, const struct pw_text *t)
{
    if (skipped_for_text(e) || !text_match(t, dom_text_of(doc, e)))
        return 0;
    for (struct dom_node *c = e->first; c; c = c->next)
        if (c->type == DOM_ELEMENT && text_match(t, dom_text_of(doc, c)))
            return 2;
    return 1;
}

static void text_engine(heal_doc *doc, struct dom_node *root, const struct pw_step *s, struct node_list *out)
{
    const struct dom_node *first = root ? root : doc->root;
    for (struct dom_node *e = (struct dom_node *)first; e; e = dom_next_in_order(e, root)) {
        if (e->type != DOM_ELEMENT)
            continue;
        int m = matches_text(doc, e, &s->text);
        if (m == 1 || (m == 2 && s->text.kind == PW_STRICT && !s->text.internal))
            list_add(out, e);
    }
}

/* Playwright's getElementLabels(): aria-labelledby texts, else aria-label, else <label> texts. */
static int label_matches(heal_doc *doc, struct dom_node *e, const struct pw_text *t)
{
    const char *refs = dom_attr(e, "aria-labelledby");
    if (refs) {
        char *copy = text_xstrdup(refs), *save = NULL;
        int any = 0, hit = 0;
        for (char *id = strtok_r(copy, " \t\n\r\f", &save); id; id = strtok_r(NULL, " \t\n\r\f", &save)) {
            struct dom_node *r = dom_by_id(doc, id);
            if (!r)
                continue;
            any = 1;
            hit |= text_match(t, dom_text_of(doc, r));
        }
        free(copy);
        if (any)
            return hit;
    }
    const char *al = dom_attr(e, "aria-label");
    if (al && !text_is_blank(al)) {
        struct dom_text et = { (char *)al, text_normalize(al), NULL, 0 };
        char *imm[1] = { (char *)al };
        et.immediate = imm;
        et.n_immediate = 1;
        int r = text_match(t, &et);
        free(et.norm);
        return r;
    }
    const char *type = dom_attr(e, "type");
    int labelable = dom_is(e, "button") || dom_is(e, "meter") || dom_is(e, "output") || dom_is(e, "progress") ||
                    dom_is(e, "select") || dom_is(e, "textarea") ||
                    (dom_is(e, "input") && !(type && !strcasecmp(type, "hidden")));
    if (!labelable)
        return 0;
    size_t n;
    struct dom_node **labels = aria_labels(doc, e, &n);
    for (size_t i = 0; i < n; i++)
        if (text_match(t, dom_text_of(doc, labels[i])))
            return 1;
    return 0;
}

static int attr_value_matches(const struct pw_text *t, const char *v)
{
    if (t->kind == PW_REGEX)
        return text_regex_test(t->re, v);
    if (t->kind == PW_STRICT)
        return strcmp(v, t->value) == 0;
    return text_icontains(v, t->value);
}

static int role_name_matches(const struct pw_text *t, const char *name)
{
    if (t->kind == PW_REGEX)
        return text_regex_test(t->re, name);
    if (t->internal)
        return t->kind == PW_STRICT ? strcmp(name, t->value) == 0 : text_icontains(name, t->value);
    return t->kind == PW_STRICT ? strcmp(name, t->value) == 0 : text_iequal(name, t->value);
}

static int role_matches(heal_doc *doc, struct dom_node *e, const struct pw_step *s)
{
    const char *role = aria_role(doc, e);
    if (!role || strcmp(role, s->role) != 0)
        return 0;
    if (s->selected != -1 && aria_selected(doc, e) != s->selected)
        return 0;
    if (s->checked != -1 && aria_checked(doc, e) != s->checked)
        return 0;
    if (s->pressed != -1 && aria_pressed(doc, e) != s->pressed)
        return 0;
    if (s->expanded != -1 && aria_expanded(doc, e) != s->expanded)
        return 0;
    if (s->level != -1 && aria_level(doc, e) != s->level)
        return 0;
    if (s->disabled != -1 && aria_disabled(doc, e) != s->disabled)
        return 0;
    if (s->include_hidden != 1 && style_aria_hidden(doc, e))
        return 0;
    if (s->has_name) {
        if (s->include_hidden != 1)
            return role_name_matches(&s->text, aria_name(doc, e));
        char *name = aria_name_including_hidden(doc, e);
        int ok = role_name_matches(&s->text, name);
        free(name);
        return ok;
    }
    return 1;
}

static int step_matches_element(heal_doc *doc, struct dom_node *e, const struct pw_step *s, const char *testid)
{
    switch (s->kind) {
    case PW_ROLE: return role_matches(doc, e, s);
    case PW_LABEL: return label_matches(doc, e, &s->text);
    case PW_ATTR: {
        const char *v = dom_attr(e, s->source);
        return v && attr_value_matches(&s->text, v);
    }
    case PW_TESTID: {
        const char *v = dom_attr(e, testid);
        return v && attr_value_matches(&s->text, v);
    }
    default: return 0;
    }
}

static int query_step(heal_doc *doc, struct dom_node *root, const struct pw_step *s, const char *testid,
                      struct node_list *out, char *err, size_t errlen)
{
    switch (s->kind) {
    case PW_CSS: {
        struct dom_node **items;
        size_t n = css_query(doc, root, s->css, &items);
        for (size_t i = 0; i < n; i++)
            list_add(out, items[i]);
        free(items);
        return 0;
    }
    case PW_XPATH: {
        struct dom_node **items;
        long n = xpath_query(doc, root, s->source, &items, err, errlen);
        if (n < 0)
            return -1;
        for (long i = 0; i < n; i++)
            list_add(out, items[i]);
        free(items);
        return 0;
    }
    case PW_TEXT:
        text_engine(doc, root, s, out);
        return 0;
    case PW_HAS_TEXT:
    case PW_HAS_NOT_TEXT:
        if (root) {
            int m = text_match(&s->text, dom_text_of(doc, root));
            if (m == (s->kind == PW_HAS_TEXT))
                list_add(out, root);
        }
        return 0;
    case PW_VISIBLE:
        if (root && style_visible(doc, root) == (int)s->nth)
            list_add(out, root);
        return 0;
    default:
        break;
    }
    const struct dom_node *first = root ? root->first : doc->root;
    for (struct dom_node *e = (struct dom_node *)first; e; e = dom_next_in_order(e, root))
        if (e->type == DOM_ELEMENT && step_matches_element(doc, e, s, testid))
            list_add(out, e);
    return 0;
}

static void dedupe(heal_doc *doc, struct node_list *l)
{
    unsigned char *seen = calloc(doc->n_elements + 1, 1);
    if (!seen)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        long ix = l->items[i]->index;
        if (ix < 0 || seen[ix])
            continue;
        seen[ix] = 1;
        l->items[k++] = l->items[i];
    }
    l->n = k;
    free(seen);
}

long pw_query(heal_doc *doc, const struct pw_locator *l, const char *test_id_attribute, struct dom_node ***out,
              char *err, size_t errlen)
{
    const char *testid = test_id_attribute && test_id_attribute[0] ? test_id_attribute : "data-testid";
    struct node_list roots = { 0 };
    int at_document = 1;
    for (size_t i = 0; i < l->n; i++) {
        const struct pw_step *s = &l->steps[i];
        if (s->kind == PW_NTH) {
            long idx = s->nth < 0 ? (long)roots.n + s->nth : s->nth;
            if (at_document || idx < 0 || (size_t)idx >= roots.n) {
                roots.n = 0;
            } else {
                roots.items[0] = roots.items[idx];
                roots.n = 1;
            }
            at_document = 0;
            continue;
        }
        struct node_list next = { 0 };
        if (at_document) {
            if (query_step(doc, NULL, s, testid, &next, err, errlen) < 0)
                goto fail;
        } else {
            for (size_t k = 0; k < roots.n; k++)
                if (query_step(doc, roots.items[k], s, testid, &next, err, errlen) < 0) {
                    free(next.items);
                    goto fail;
                }
        }
        dedupe(doc, &next);
        free(roots.items);
        roots = next;
        at_document = 0;
    }
    *out = roots.items;
    return (long)roots.n;
fail:
    free(roots.items);
    *out = NULL;
    return -1;
}
