/* What a selector says about its target, for healing without the old page: the subject's tag, id,
 * classes, attributes and text, and its ancestors' names as context. CSS through the CSS parser,
 * Playwright through its parser, XPath by a scan of the last step's predicates (@a='v',
 * contains(@a,'v'), text()='v', normalize-space()='v', contains(.,'v')). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "css.h"
#include "generated.h"
#include "heal.h"
#include "pw.h"
#include "score.h"
#include "textutil.h"

static const char *const testid_names[] = { "data-testid", "data-test-id", "data-test", "data-cy", "data-qa",
                                            "data-automation-id", "data-e2e", NULL };

static void set(char **slot, const char *v)
{
    if (!v || *slot)
        return;
    *slot = text_xstrdup(v);
}

static void add_ident(struct hints *h, const char *v)
{
    if (!v || gen_value_is_generated(v))
        return;
    tok_split(v, &h->ident_tok);
}

static void hint_attr(struct hints *h, const char *name, const char *value)
{
    if (!value)
        return;
    char *n = text_lower(name);
    int is_testid = 0;
    for (size_t i = 0; testid_names[i]; i++)
        is_testid |= !strcmp(n, testid_names[i]);
    if (is_testid) {
        set(&h->testid, value);
        add_ident(h, value);
        h->n_strong++;
    } else if (!strcmp(n, "id")) {
        set(&h->id, value);
        add_ident(h, value);
        h->n_strong++;
    } else if (!strcmp(n, "name")) {
        set(&h->form_name, value);
        add_ident(h, value);
        h->n_strong++;
    } else if (!strcmp(n, "type")) {
        set(&h->type, value);
    } else if (!strcmp(n, "placeholder")) {
        set(&h->placeholder, value);
        h->n_strong++;
    } else if (!strcmp(n, "aria-label")) {
        set(&h->aria_label, value);
        h->n_strong++;
    } else if (!strcmp(n, "title")) {
        set(&h->title, value);
        h->n_strong++;
    } else if (!strcmp(n, "alt")) {
        set(&h->alt, value);
        h->n_strong++;
    } else if (!strcmp(n, "href")) {
        set(&h->href, value);
        h->n_strong++;
    } else if (!strcmp(n, "role")) {
        set(&h->role, value);
    } else if (!strcmp(n, "value")) {
        set(&h->text, value);   /* an input button's value is its visible text */
        h->n_strong++;
    } else if (!strcmp(n, "class")) {
        tok_split(value, &h->class_tok);
        h->n_strong++;
    } else if (!strncmp(n, "data-", 5) && !gen_attr_is_generated(n)) {
        add_ident(h, value);
        h->n_strong++;
    }
    free(n);
}

static void hints_from_compound(struct hints *h, const struct css_compound *c, int subject)
{
    for (size_t i = 0; i < c->n; i++) {
        const struct css_simple *s = &c->simples[i];
        if (!subject) {
            if (s->kind == CSS_ID || s->kind == CSS_CLASS)
                tok_split(s->kind == CSS_ID && gen_id_is_generated(s->name) ? NULL : s->name, &h->ctx_tok);
            else if (s->kind == CSS_ATTR && s->value && !gen_value_is_generated(s->value))
                tok_split(s->value, &h->ctx_tok);
            else if (s->kind == CSS_PSEUDO && s->value && s->pseudo >= CSS_P_HAS_TEXT)
                tok_split(s->value, &h->ctx_tok);
            continue;
        }
        switch (s->kind) {
        case CSS_TYPE: set(&h->tag, s->name); break;
        case CSS_ID: hint_attr(h, "id", s->name); break;
        case CSS_CLASS:
            if (!gen_class_is_generated(s->name)) {
                tok_split(s->name, &h->class_tok);
                h->n_strong++;
            } else {
                char stem[128];
                if (gen_class_stem(s->name, stem, sizeof stem)) {
                    tok_split(stem, &h->class_tok);
                    h->n_strong++;
                }
            }
            break;
        case CSS_ATTR: hint_attr(h, s->name, s->value); break;
        case CSS_PSEUDO:
            if (s->pseudo >= CSS_P_HAS_TEXT && s->pseudo != CSS_P_VISIBLE && s->pseudo != CSS_P_TEXT_MATCHES &&
                s->value) {
                set(&h->text, s->value);
                h->n_strong++;
            }
            break;
        default: break;
        }
    }
}

static void hints_from_css(struct hints *h, const char *sel)
{
    char err[160];
    struct css_list *l = css_parse(sel, err, sizeof err);
    if (!l)
        return;
    const struct css_complex *x = &l->items[0];
    for (size_t i = 0; i < x->n; i++)
        hints_from_compound(h, &x->parts[i], i == x->n - 1);
    css_free(l);
}

/* The quoted literal starting at p ('...' or "..."), copied; *end after it. */
static char *xp_literal(const char *p, const char **end)
{
    while (isspace((unsigned char)*p))
        p++;
    char q = *p;
    if (q != '\'' && q != '"')
        return NULL;
    const char *close = strchr(p + 1, q);
    if (!close)
        return NULL;
    *end = close + 1;
    return strndup(p + 1, (size_t)(close - p - 1));
}

/* Predicates of the last location step: @attr = 'v', contains(@attr, 'v'), text-ish = / contains. */
static void hints_from_predicates(struct hints *h, const char *step)
{
    for (const char *p = step; *p; p++) {
        const char *end = NULL;
        char *lit = NULL;
        if (*p == '@') {
            size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:");
            char *name = strndup(p + 1, n);
            const char *q = p + 1 + n;
            while (isspace((unsigned char)*q))
                q++;
            if (*q == '=' || *q == ',')
                lit = xp_literal(q + 1, &end);
            else if (q[0] == '!' && q[1] == '=')
                lit = NULL;
            if (lit && strcmp(name, "class"))
                hint_attr(h, name, lit);
            else if (lit)
                hint_attr(h, "class", lit);
            free(name);
        } else if (!strncmp(p, "text()", 6) || !strncmp(p, "normalize-space(", 16) || !strncmp(p, "string()", 8) ||
                   (*p == '.' && (p[1] == ',' || p[1] == '=' || p[1] == ' ' || p[1] == ')'))) {
            const char *q = p;
            while (*q && *q != '=' && *q != ',' && *q != ']')
                q++;
            if (*q == '=' || *q == ',')
                lit = xp_literal(q + 1, &end);
            if (lit) {
                set(&h->text, lit);
                h->n_strong++;
            }
        }
        free(lit);
        if (end)
            p = end - 1;
    }
}

static void hints_from_xpath(struct hints *h, const char *xp)
{
    /* split into steps at '/' outside brackets and quotes */
    const char *steps[64];
    size_t lens[64], n = 0, depth = 0;
    char quote = 0;
    const char *st = xp;
    for (const char *p = xp;; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            else if (!*p)
                break;
            continue;
        }
        if (*p == '\'' || *p == '"')
            quote = *p;
        else if (*p == '[' || *p == '(')
            depth++;
        else if ((*p == ']' || *p == ')') && depth)
            depth--;
        if (!*p || (*p == '/' && !depth)) {
            if (p > st && n < 64) {
                steps[n] = st;
                lens[n++] = (size_t)(p - st);
            }
            if (!*p)
                break;
            st = p + 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        char *step = strndup(steps[i], lens[i]);
        if (i + 1 == n) {
            size_t tn = strcspn(step, "[(");
            char *tag = strndup(step, tn);
            char *t = tag;
            if (strstr(t, "::"))
                t = strstr(t, "::") + 2;
            if (t[0] && strcmp(t, "*") && strcmp(t, ".") && strcmp(t, "..") && isalpha((unsigned char)t[0]))
                set(&h->tag, t);
            free(tag);
            hints_from_predicates(h, step);
        } else {
            struct hints ctx = { 0 };
            hints_from_predicates(&ctx, step);
            for (size_t k = 0; k < ctx.ident_tok.n; k++)
                tok_split(ctx.ident_tok.t[k], &h->ctx_tok);
            tok_split(ctx.text, &h->ctx_tok);
            hints_free(&ctx);
        }
        free(step);
    }
}

static void hints_from_playwright(struct hints *h, const char *sel)
{
    char err[160];
    struct pw_locator *l = pw_parse(sel, err, sizeof err);
    if (!l)
        return;
    struct pw_hints p;
    pw_hints(l, &p);
    if (p.role) {
        set(&h->role, p.role);
    }
    if (p.name) {
        set(&h->text, p.name);
        h->n_strong++;
    }
    if (p.text) {
        set(&h->text, p.text);
        h->n_strong++;
    }
    if (p.label) {
        set(&h->label, p.label);
        h->n_strong++;
    }
    hint_attr(h, "placeholder", p.placeholder);
    hint_attr(h, "alt", p.alt);
    hint_attr(h, "title", p.title);
    hint_attr(h, "data-testid", p.test_id);
    hint_attr(h, "id", p.id);
    if (p.css)
        hints_from_css(h, p.css);
    if (p.xpath)
        hints_from_xpath(h, p.xpath);
    pw_free(l);
}

/* Words in names that say what kind of element it is (loginBtn, email-input): a role or tag hint
 * when the selector gives none. */
static void kind_from_words(struct hints *h)
{
    static const struct { const char *word, *role, *tag; } kinds[] = {
        { "button", "button", NULL }, { "link", "link", NULL }, { "input", "textbox", NULL },
        { "field", "textbox", NULL }, { "txt", "textbox", NULL }, { "textbox", "textbox", NULL },
        { "checkbox", "checkbox", NULL }, { "chk", "checkbox", NULL }, { "radio", "radio", NULL },
        { "dropdown", "combobox", NULL }, { "select", "combobox", NULL }, { "combo", "combobox", NULL },
        { "form", NULL, "form" }, { "heading", "heading", NULL }, { "tab", "tab", NULL },
    };
    if (h->role || h->tag)
        return;
    const struct tokens *sets[] = { &h->ident_tok, &h->class_tok };
    for (size_t j = 0; j < 2; j++)
        for (size_t i = 0; i < sets[j]->n; i++)
            for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
                if (!strcmp(sets[j]->t[i], kinds[k].word)) {
                    set(&h->role, kinds[k].role);
                    set(&h->tag, kinds[k].tag);
                    return;
                }
}

void hints_from_selector(struct hints *h, int syntax, const char *selector)
{
    memset(h, 0, sizeof *h);
    if (syntax == HEAL_SYNTAX_XPATH)
        hints_from_xpath(h, selector);
    else if (syntax == HEAL_SYNTAX_PLAYWRIGHT)
        hints_from_playwright(h, selector);
    else
        hints_from_css(h, selector);
    kind_from_words(h);
}

void hints_free(struct hints *h)
{
    char **strs[] = { &h->tag, &h->role, &h->id, &h->testid, &h->form_name, &h->type, &h->placeholder, &h->title,
                      &h->alt, &h->href, &h->aria_label, &h->text, &h->label };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
    tok_free(&h->ident_tok);
    tok_free(&h->class_tok);
    tok_free(&h->ctx_tok);
}

void heal_selector_text(const char *selector, enum heal_syntax syntax, char *buf, size_t len)
{
    struct hints h;
    if (!len)
        return;
    buf[0] = '\0';
    if (heal_selector_check(syntax, selector, buf, len) < 0) {
        buf[0] = '\0';
        return;
    }
    hints_from_selector(&h, (int)syntax, selector);
    const char *t = h.text ? h.text : h.aria_label ? h.aria_label : h.label;
    snprintf(buf, len, "%s", t ? t : "");
    hints_free(&h);
}
