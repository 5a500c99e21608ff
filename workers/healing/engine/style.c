/* Rendering facts from the page itself (see style.h): a small cascade of display and visibility
 * over the user agent's defaults, the page's <style> rules and style="" attributes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "css.h"
#include "style.h"
#include "textutil.h"

enum disp { DISP_UNSET = -1, DISP_NONE, DISP_INLINE, DISP_CONTENTS, DISP_OTHER };
enum vis { VIS_UNSET = -1, VIS_VISIBLE, VIS_HIDDEN };

struct dom_style_rule {
    struct css_list *sel;
    int display, visibility;
    int display_important, visibility_important;
    unsigned specificity;
    size_t order;
};

struct decls {
    int display, visibility, display_important, visibility_important;
};

static const char *const ua_hidden[] = { "head", "script", "style", "title", "meta", "link", "base", "template",
                                         "datalist", "param", "source", "track", "area", "noembed", "noframes",
                                         "rp", NULL };
static const char *const ua_block[] = {
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
    "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "td",
    "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col", "ul", "optgroup", "option", "center", "search",
    "button", "input", "select", "textarea", "meter", "progress", "listing", "xmp", "plaintext", "frameset",
    "address", "ruby", "rt", NULL
};

static int in_list(const char *tag, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(tag, list[i]) == 0)
            return 1;
    return 0;
}

static void parse_value(const char *prop, const char *val, int important, struct decls *d)
{
    if (strcasecmp(prop, "display") == 0) {
        if (d->display_important && !important)
            return;
        d->display = !strcasecmp(val, "none") ? DISP_NONE
                     : !strcasecmp(val, "inline") ? DISP_INLINE
                     : !strcasecmp(val, "contents") ? DISP_CONTENTS
                                                    : DISP_OTHER;
        d->display_important = important;
    } else if (strcasecmp(prop, "visibility") == 0) {
        if (d->visibility_important && !important)
            return;
        if (!strcasecmp(val, "hidden") || !strcasecmp(val, "collapse"))
            d->visibility = VIS_HIDDEN;
        else if (!strcasecmp(val, "visible"))
            d->visibility = VIS_VISIBLE;
        else
            return;
        d->visibility_important = important;
    }
}

/* "display: none !important; color: red" -> decls; only display and visibility are kept. */
static struct decls parse_decls(const char *s, size_t n)
{
    struct decls d = { DISP_UNSET, VIS_UNSET, 0, 0 };
    char *copy = strndup(s, n);
    if (!copy)
        abort();
    char *save = NULL;
    for (char *decl = strtok_r(copy, ";", &save); decl; decl = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(decl, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *prop = decl, *val = colon + 1;
        while (isspace((unsigned char)*prop))
            prop++;
        for (char *e = prop + strlen(prop); e > prop && isspace((unsigned char)e[-1]);)
            *--e = '\0';
        int important = 0;
        char *bang = strchr(val, '!');
        if (bang) {
            important = strncasecmp(bang + 1, "important", 9) == 0 || strstr(bang, "important") != NULL;
            *bang = '\0';
        }
        while (isspace((unsigned char)*val))
            val++;
        for (char *e = val + strlen(val); e > val && isspace((unsigned char)e[-1]);)
            *--e = '\0';
        parse_value(prop, val, important, &d);
    }
    free(copy);
    return d;
}

static unsigned list_specificity(const struct css_list *l)
{
    unsigned best = 0;
    for (size_t i = 0; i < l->n; i++) {
        unsigned a = 0, b = 0, c = 0;
        for (size_t k = 0; k < l->items[i].n; k++)
            for (size_t j = 0; j < l->items[i].parts[k].n; j++) {
                const struct css_simple *s = &l->items[i].parts[k].simples[j];
                if (s->kind == CSS_ID)
                    a++;
                else if (s->kind == CSS_CLASS || s->kind == CSS_ATTR || s->kind == CSS_PSEUDO)
                    b++;
                else if (s->kind == CSS_TYPE)
                    c++;
            }
        unsigned v = a * 10000 + b * 100 + c;
        if (v > best)
            best = v;
    }
    return best;
}

static void skip_comment_and_ws(const char **p)
{
    for (;;) {
        while (isspace((unsigned char)**p))
            (*p)++;
        if ((*p)[0] == '/' && (*p)[1] == '*') {
            const char *end = strstr(*p + 2, "*/");
            *p = end ? end + 2 : *p + strlen(*p);
            continue;
        }
        return;
    }
}

static const char *skip_block(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '{')
            depth++;
        else if (*p == '}' && --depth <= 0)
            return p + 1;
    }
    return p;
}

static void add_rules_from(heal_doc *doc, const char *css)
{
    const char *p = css;
    for (;;) {
        skip_comment_and_ws(&p);
        if (!*p)
            return;
        if (*p == '@') {   /* @media, @supports, @font-face ...: not evaluated */
            const char *brace = strpbrk(p, "{;");
            if (!brace)
                return;
            p = *brace == ';' ? brace + 1 : skip_block(brace);
            continue;
        }
        const char *open = strchr(p, '{');
        if (!open)
            return;
        const char *close = strchr(open, '}');
        if (!close)
            close = open + strlen(open);
        struct decls d = parse_decls(open + 1, (size_t)(close - open - 1));
        if (d.display != DISP_UNSET || d.visibility != VIS_UNSET) {
            char *sel = strndup(p, (size_t)(open - p));
            char err[128];
            struct css_list *l = sel ? css_parse(sel, err, sizeof err) : NULL;
            free(sel);
            if (l) {
                doc->rules = realloc(doc->rules, (doc->n_rules + 1) * sizeof *doc->rules);
                if (!doc->rules)
                    abort();
                doc->rules[doc->n_rules] = (struct dom_style_rule){ l, d.display, d.visibility, d.display_important,
                                                                    d.visibility_important, list_specificity(l),
                                                                    doc->n_rules };
                doc->n_rules++;
            }
        }
        p = *close ? close + 1 : close;
    }
}

void dom_style_free(heal_doc *doc)
{
    for (size_t i = 0; i < doc->n_rules; i++)
        css_free(doc->rules[i].sel);
    free(doc->rules);
    doc->rules = NULL;
    doc->n_rules = 0;
}

static int ua_display(const struct dom_node *e)
{
    if (e->ns != DOM_NS_HTML)
        return DISP_INLINE;
    if (in_list(e->tag, ua_hidden) || dom_has_attr(e, "hidden"))
        return DISP_NONE;
    const char *type = dom_attr(e, "type");
    if (dom_is(e, "input") && type && strcasecmp(type, "hidden") == 0)
        return DISP_NONE;
    if (dom_is(e, "dialog") && !dom_has_attr(e, "open"))
        return DISP_NONE;
    return in_list(e->tag, ua_block) ? DISP_OTHER : DISP_INLINE;
}

/* Highest priority first: inline !important, sheet !important, inline, sheet (specificity, order). */
static int cascade(heal_doc *doc, const struct dom_node *e, int want_display)
{
    const char *style = dom_attr(e, "style");
    struct decls inl = style ? parse_decls(style, strlen(style)) : (struct decls){ -1, -1, 0, 0 };
    int inl_val = want_display ? inl.display : inl.visibility;
    int inl_imp = want_display ? inl.display_important : inl.visibility_important;
    if (inl_val != -1 && inl_imp)
        return inl_val;
    struct css_ctx ctx = { doc, NULL, NULL, 0 };
    int best = -1, best_imp = 0;
    unsigned best_spec = 0;
    for (size_t i = 0; i < doc->n_rules; i++) {
        const struct dom_style_rule *r = &doc->rules[i];
        int val = want_display ? r->display : r->visibility;
        int imp = want_display ? r->display_important : r->visibility_important;
        if (val == -1 || !css_matches(&ctx, r->sel, e))
            continue;
        if (best == -1 || imp > best_imp || (imp == best_imp && r->specificity >= best_spec)) {
            best = val, best_imp = imp, best_spec = r->specificity;
        }
    }
    if (best != -1 && best_imp)
        return best;
    if (inl_val != -1)
        return inl_val;
    return best;
}

static void compute_all(heal_doc *doc)
{
    if (doc->styles_known)
        return;
    doc->styles_known = 1;
    for (size_t i = 0; i < doc->n_elements; i++) {
        struct dom_node *e = doc->elements[i];
        if (dom_is(e, "style")) {
            char *css = dom_text_content(doc, e);
            add_rules_from(doc, css);
        }
    }
    for (size_t i = 0; i < doc->n_elements; i++) {   /* document order: parents first */
        struct dom_node *e = doc->elements[i];
        struct dom_node *parent = e->parent;
        int d = cascade(doc, e, 1);
        if (d == -1)
            d = ua_display(e);
        int v = cascade(doc, e, 0);
        int closed_details = parent && dom_is(parent, "details") && !dom_has_attr(parent, "open") &&
                             !(dom_is(e, "summary") && !dom_prev_element(e));
        e->display_none = (parent && parent->display_none) || d == DISP_NONE || closed_details;
        e->vis_hidden = v == -1 ? (parent ? parent->vis_hidden : 0) : v == VIS_HIDDEN;
        e->known_hidden = 1;
        e->inline_display = d == DISP_INLINE;
        e->contents_display = d == DISP_CONTENTS;
    }
}

int style_not_rendered(heal_doc *doc, struct dom_node *e)
{
    compute_all(doc);
    return e->display_none;
}

int style_is_inline(heal_doc *doc, struct dom_node *e)
{
    compute_all(doc);
    return e->inline_display;
}

static int has_box(heal_doc *doc, struct dom_node *e, unsigned depth);

static int is_replaced_with_box(const struct dom_node *e)
{
    static const char *const boxed[] = { "input", "button", "select", "textarea", "svg", "video", "canvas",
                                         "iframe", "object", "embed", "hr", "meter", "progress", NULL };
    if (e->ns == DOM_NS_SVG && strcmp(e->tag, "svg") == 0)
        return 1;
    if (e->ns != DOM_NS_HTML)
        return 0;
    if (in_list(e->tag, boxed))
        return 1;
    if (dom_is(e, "img"))
        return dom_has_attr(e, "width") || dom_has_attr(e, "height") || !text_is_blank(dom_attr(e, "alt")) ||
               dom_has_attr(e, "src");
    return 0;
}

static int has_box(heal_doc *doc, struct dom_node *e, unsigned depth)
{
    if (e->display_none || depth > 256)
        return 0;
    if (dom_is(e, "option") || dom_is(e, "optgroup") || dom_is(e, "br"))
        return 0;
    if (is_replaced_with_box(e))
        return 1;
    for (struct dom_node *c = e->first; c; c = c->next) {
        if (c->type == DOM_TEXT && !text_is_blank(c->text))
            return 1;
        if (c->type == DOM_ELEMENT && has_box(doc, c, depth + 1))
            return 1;
    }
    return 0;
}

int style_visible(heal_doc *doc, struct dom_node *e)
{
    compute_all(doc);
    if (e->display_none)
        return 0;
    if (e->contents_display) {
        for (struct dom_node *c = e->first; c; c = c->next) {
            if (c->type == DOM_ELEMENT && style_visible(doc, c))
                return 1;
            if (c->type == DOM_TEXT && !text_is_blank(c->text) && !e->vis_hidden)
                return 1;
        }
        return 0;
    }
    if (e->vis_hidden)
        return 0;
    return has_box(doc, e, 0);
}

static int aria_hidden_attr(const struct dom_node *e)
{
    const char *v = dom_attr(e, "aria-hidden");
    return v && strcasecmp(v, "true") == 0;
}

int style_aria_hidden(heal_doc *doc, struct dom_node *e)
{
    compute_all(doc);
    if (dom_is(e, "style") || dom_is(e, "script") || dom_is(e, "noscript") || dom_is(e, "template"))
        return 1;
    int option_in_select = dom_is(e, "option");
    if (option_in_select) {
        option_in_select = 0;
        for (const struct dom_node *a = e->parent; a; a = a->parent)
            if (dom_is(a, "select"))
                option_in_select = 1;
    }
    if (!option_in_select && (e->vis_hidden || e->display_none))
        return 1;
    for (const struct dom_node *a = e; a; a = a->parent)
        if (a->display_none || aria_hidden_attr(a))
            return 1;
    return 0;
}
