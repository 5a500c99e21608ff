/* CSS selector matching (see css.h): right to left through the combinators, backtracking over
 * ancestors and earlier siblings; :has() walks the anchor's subtree or following siblings. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "css.h"
#include "jsregex.h"
#include "style.h"
#include "textutil.h"

#define CSS_MAX_DEPTH 32

static int match_complex(struct css_ctx *ctx, const struct css_complex *x, size_t idx, const struct dom_node *e);

static int attr_value_match(const struct css_simple *s, const char *v)
{
    if (s->op == CSS_ATTR_EXISTS)
        return 1;
    const char *want = s->value;
    size_t wn = strlen(want), vn = strlen(v);
    int (*ncmp)(const char *, const char *, size_t) = s->icase ? strncasecmp : strncmp;
    switch (s->op) {
    case CSS_ATTR_EQ:
        return vn == wn && ncmp(v, want, wn) == 0;
    case CSS_ATTR_PREFIX:
        return wn && vn >= wn && ncmp(v, want, wn) == 0;
    case CSS_ATTR_SUFFIX:
        return wn && vn >= wn && ncmp(v + vn - wn, want, wn) == 0;
    case CSS_ATTR_SUBSTR:
        if (!wn)
            return 0;
        for (size_t i = 0; i + wn <= vn; i++)
            if (ncmp(v + i, want, wn) == 0)
                return 1;
        return 0;
    case CSS_ATTR_DASH:
        return (vn == wn && ncmp(v, want, wn) == 0) || (vn > wn && ncmp(v, want, wn) == 0 && v[wn] == '-');
    case CSS_ATTR_INCLUDES: {
        if (!wn || strpbrk(want, " \t\n\r\f"))
            return 0;
        const char *p = v;
        while (*p) {
            while (*p && text_is_ascii_space(*p))
                p++;
            const char *st = p;
            while (*p && !text_is_ascii_space(*p))
                p++;
            if ((size_t)(p - st) == wn && ncmp(st, want, wn) == 0)
                return 1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

static int match_attr(const struct css_simple *s, const struct dom_node *e)
{
    for (size_t i = 0; i < e->n_attrs; i++) {
        int same = e->ns == DOM_NS_HTML ? strcasecmp(e->attrs[i].name, s->name) == 0
                                        : strcmp(e->attrs[i].name, s->name) == 0;
        if (same)
            return attr_value_match(s, e->attrs[i].value);
    }
    return 0;
}

static int nth_ok(long a, long b, long i)
{
    if (a == 0)
        return i == b;
    long d = i - b;
    return d % a == 0 && d / a >= 0;
}

static int same_type(const struct dom_node *x, const struct dom_node *y)
{
    return x->ns == y->ns && strcmp(x->tag, y->tag) == 0;
}

/* 1-based position of e among its element siblings that pass the filter, counted from the end when
 * last; filter: same type, or matching the "of S" list. */
static long sibling_position(struct css_ctx *ctx, const struct css_simple *s, const struct dom_node *e, int last,
                             int of_type)
{
    long pos = 1;
    for (const struct dom_node *n = last ? e->next : e->prev; n; n = last ? n->next : n->prev) {
        if (n->type != DOM_ELEMENT)
            continue;
        if (of_type && !same_type(n, e))
            continue;
        if (s && s->sub && !css_matches(ctx, s->sub, n))
            continue;
        pos++;
    }
    return pos;
}

static int is_form_control(const struct dom_node *e)
{
    return dom_is(e, "button") || dom_is(e, "input") || dom_is(e, "select") || dom_is(e, "textarea") ||
           dom_is(e, "optgroup") || dom_is(e, "option") || dom_is(e, "fieldset");
}

static int is_disabled(const struct dom_node *e)
{
    if (!is_form_control(e))
        return 0;
    if (dom_has_attr(e, "disabled"))
        return 1;
    if (dom_is(e, "option") && e->parent && dom_is(e->parent, "optgroup") && dom_has_attr(e->parent, "disabled"))
        return 1;
    for (const struct dom_node *child = e, *a = e->parent; a; child = a, a = a->parent) {
        if (dom_is(a, "fieldset") && dom_has_attr(a, "disabled")) {
            const struct dom_node *legend = dom_first_element_child(a);
            if (!(legend && dom_is(legend, "legend") && dom_contains(legend, child)))
                return 1;
        }
    }
    return 0;
}

static int is_checked(const struct dom_node *e)
{
    const char *type = dom_attr(e, "type");
    if (dom_is(e, "input") && type && (!strcasecmp(type, "checkbox") || !strcasecmp(type, "radio")))
        return dom_has_attr(e, "checked");
    if (dom_is(e, "option"))
        return dom_has_attr(e, "selected");
    return 0;
}

static int has_match(struct css_ctx *ctx, const struct css_list *rel, const struct dom_node *anchor)
{
    const struct dom_node *saved = ctx->anchor;
    ctx->anchor = anchor;
    int found = 0;
    for (size_t i = 0; i < rel->n && !found; i++) {
        const struct css_complex *x = &rel->items[i];
        enum css_combinator first = x->parts[1].comb;
        if (first == CSS_COMB_DESCENDANT || first == CSS_COMB_CHILD) {
            for (const struct dom_node *n = anchor->first; n && !found; n = dom_next_in_order(n, anchor))
                if (n->type == DOM_ELEMENT && match_complex(ctx, x, x->n - 1, n))
                    found = 1;
        } else {
            for (const struct dom_node *sib = anchor->next; sib && !found; sib = sib->next) {
                if (sib->type != DOM_ELEMENT)
                    continue;
                for (const struct dom_node *n = sib; n && !found; n = dom_next_in_order(n, sib))
                    if (n->type == DOM_ELEMENT && match_complex(ctx, x, x->n - 1, n))
                        found = 1;
            }
        }
    }
    ctx->anchor = saved;
    return found;
}

static int text_pseudo(struct css_ctx *ctx, const struct css_simple *s, struct dom_node *e);

static int match_pseudo(struct css_ctx *ctx, const struct css_simple *s, const struct dom_node *ce)
{
    struct dom_node *e = (struct dom_node *)ce;
    switch (s->pseudo) {
    case CSS_P_FIRST_CHILD: return !dom_prev_element(e);
    case CSS_P_LAST_CHILD: return !dom_next_element(e);
    case CSS_P_ONLY_CHILD: return !dom_prev_element(e) && !dom_next_element(e);
    case CSS_P_FIRST_OF_TYPE: return sibling_position(ctx, NULL, e, 0, 1) == 1;
    case CSS_P_LAST_OF_TYPE: return sibling_position(ctx, NULL, e, 1, 1) == 1;
    case CSS_P_ONLY_OF_TYPE:
        return sibling_position(ctx, NULL, e, 0, 1) == 1 && sibling_position(ctx, NULL, e, 1, 1) == 1;
    case CSS_P_NTH_CHILD:
    case CSS_P_NTH_LAST_CHILD:
        if (s->sub && !css_matches(ctx, s->sub, e))
            return 0;
        return nth_ok(s->a, s->b, sibling_position(ctx, s, e, s->pseudo == CSS_P_NTH_LAST_CHILD, 0));
    case CSS_P_NTH_OF_TYPE:
    case CSS_P_NTH_LAST_OF_TYPE:
        return nth_ok(s->a, s->b, sibling_position(ctx, NULL, e, s->pseudo == CSS_P_NTH_LAST_OF_TYPE, 1));
    case CSS_P_NOT: return !css_matches(ctx, s->sub, e);
    case CSS_P_IS:
    case CSS_P_WHERE: return css_matches(ctx, s->sub, e);
    case CSS_P_HAS: return has_match(ctx, s->sub, e);
    case CSS_P_EMPTY:
        for (const struct dom_node *c = e->first; c; c = c->next)
            if (c->type != DOM_COMMENT)
                return 0;
        return 1;
    case CSS_P_ROOT: return e->parent == NULL;
    case CSS_P_SCOPE: return ctx->scope ? e == ctx->scope : e->parent == NULL;
    case CSS_P_CHECKED: return is_checked(e);
    case CSS_P_DISABLED: return is_disabled(e);
    case CSS_P_ENABLED:
        return (dom_is(e, "button") || dom_is(e, "input") || dom_is(e, "select") || dom_is(e, "textarea") ||
                dom_is(e, "optgroup") || dom_is(e, "option") || dom_is(e, "fieldset")) && !is_disabled(e);
    case CSS_P_REQUIRED:
    case CSS_P_OPTIONAL: {
        int control = dom_is(e, "input") || dom_is(e, "select") || dom_is(e, "textarea");
        int req = control && dom_has_attr(e, "required");
        return control && (s->pseudo == CSS_P_REQUIRED ? req : !req);
    }
    case CSS_P_VISIBLE: return style_visible(ctx->doc, e);
    default: return text_pseudo(ctx, s, e);
    }
}

/* Playwright's :has-text(), :text(), :text-is(), :text-matches() (its injected script's engines). */
enum text_mode { TM_LAX, TM_IMMEDIATE, TM_REGEX };

static int text_matches(const struct dom_text *t, enum text_mode mode, const char *want, const struct text_regex *re)
{
    if (mode == TM_REGEX)
        return text_regex_test(re, t->full);
    if (mode == TM_LAX)
        return text_icontains(t->norm, want);
    if (!want[0] && !t->n_immediate)
        return 1;
    for (size_t i = 0; i < t->n_immediate; i++) {
        char *n = text_normalize(t->immediate[i]);
        int eq = strcmp(n, want) == 0;
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

/* 0 none, 1 self, 2 self and children (Playwright elementMatchesText). */
static int element_matches_text(heal_doc *doc, struct dom_node *e, enum text_mode mode, const char *want,
                                const struct text_regex *re)
{
    if (skipped_for_text(e) || !text_matches(dom_text_of(doc, e), mode, want, re))
        return 0;
    for (struct dom_node *c = e->first; c; c = c->next)
        if (c->type == DOM_ELEMENT && text_matches(dom_text_of(doc, c), mode, want, re))
            return 2;
    return 1;
}

static int text_pseudo(struct css_ctx *ctx, const struct css_simple *s, struct dom_node *e)
{
    char *want = text_normalize(s->value ? s->value : "");
    int r = 0;
    switch (s->pseudo) {
    case CSS_P_HAS_TEXT:
        r = !skipped_for_text(e) && text_icontains(dom_text_of(ctx->doc, e)->norm, want);
        break;
    case CSS_P_TEXT:
        r = element_matches_text(ctx->doc, e, TM_LAX, want, NULL) == 1;
        break;
    case CSS_P_TEXT_IS:
        r = element_matches_text(ctx->doc, e, TM_IMMEDIATE, want, NULL) != 0;
        break;
    case CSS_P_TEXT_MATCHES:
        r = element_matches_text(ctx->doc, e, TM_REGEX, want, s->re) == 1;
        break;
    default:
        break;
    }
    free(want);
    return r;
}

static int match_simple(struct css_ctx *ctx, const struct css_simple *s, const struct dom_node *e)
{
    switch (s->kind) {
    case CSS_UNIVERSAL: return 1;
    case CSS_TYPE:
        return e->ns == DOM_NS_HTML ? strcasecmp(e->tag, s->name) == 0 : strcmp(e->tag, s->name) == 0;
    case CSS_ID: {
        const char *id = dom_attr(e, "id");
        return id && (ctx->doc->quirks ? strcasecmp(id, s->name) : strcmp(id, s->name)) == 0;
    }
    case CSS_CLASS: return dom_class_has(e, s->name, ctx->doc->quirks);
    case CSS_ATTR: return match_attr(s, e);
    case CSS_ANCHOR: return e == ctx->anchor;
    case CSS_PSEUDO: {
        if (ctx->depth >= CSS_MAX_DEPTH)
            return 0;
        ctx->depth++;
        int r = match_pseudo(ctx, s, e);
        ctx->depth--;
        return r;
    }
    }
    return 0;
}

static int match_compound(struct css_ctx *ctx, const struct css_compound *c, const struct dom_node *e)
{
    for (size_t i = 0; i < c->n; i++)
        if (!match_simple(ctx, &c->simples[i], e))
            return 0;
    return 1;
}

static int match_complex(struct css_ctx *ctx, const struct css_complex *x, size_t idx, const struct dom_node *e)
{
    if (!match_compound(ctx, &x->parts[idx], e))
        return 0;
    if (idx == 0)
        return 1;
    switch (x->parts[idx].comb) {
    case CSS_COMB_CHILD:
        return e->parent && match_complex(ctx, x, idx - 1, e->parent);
    case CSS_COMB_DESCENDANT:
        for (const struct dom_node *a = e->parent; a; a = a->parent)
            if (match_complex(ctx, x, idx - 1, a))
                return 1;
        return 0;
    case CSS_COMB_NEXT: {
        const struct dom_node *s = dom_prev_element(e);
        return s && match_complex(ctx, x, idx - 1, s);
    }
    case CSS_COMB_SUBSEQUENT:
        for (const struct dom_node *s = dom_prev_element(e); s; s = dom_prev_element(s))
            if (match_complex(ctx, x, idx - 1, s))
                return 1;
        return 0;
    default:
        return 0;
    }
}

int css_matches(struct css_ctx *ctx, const struct css_list *l, const struct dom_node *e)
{
    if (!l || e->type != DOM_ELEMENT)
        return 0;
    for (size_t i = 0; i < l->n; i++)
        if (match_complex(ctx, &l->items[i], l->items[i].n - 1, e))
            return 1;
    return 0;
}

size_t css_query(heal_doc *doc, const struct dom_node *scope, const struct css_list *l, struct dom_node ***out)
{
    struct css_ctx ctx = { doc, scope, NULL, 0 };
    size_t n = 0, cap = 0;
    struct dom_node **items = NULL;
    const struct dom_node *first = scope ? scope->first : doc->root;
    for (const struct dom_node *e = first; e; e = dom_next_in_order(e, scope)) {
        if (e->type != DOM_ELEMENT || !css_matches(&ctx, l, e))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            items = realloc(items, cap * sizeof *items);
            if (!items)
                abort();
        }
        items[n++] = (struct dom_node *)e;
    }
    *out = items;
    return n;
}
