/* Selector generation (see generate.h). Every candidate is checked by evaluating it on the page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aria.h"
#include "css.h"
#include "generate.h"
#include "generated.h"
#include "pw.h"
#include "select_internal.h"
#include "textutil.h"

#define GEN_TEXT_MAX 80

struct gen {
    struct feat_set *fs;
    struct dom_node *e;
    enum heal_syntax syntax;
    char *found;
    const char *strategy;
};

/* Tries a candidate (takes ownership); 1 when it is unique and kept. */
static int try(struct gen *g, char *sel, const char *strategy)
{
    if (g->found || !sel) {
        free(sel);
        return g->found != NULL;
    }
    if (select_unique(g->fs->doc, g->syntax, sel, g->fs->testid_attr, g->e)) {
        g->found = sel;
        g->strategy = strategy;
        return 1;
    }
    free(sel);
    return 0;
}

/* ---------------------------------------------------------------- CSS pieces */

static char *css_attr(const char *tag, const char *attr, const char *value)
{
    struct text_buf b = TEXT_BUF_INIT;
    if (tag)
        css_put_ident(&b, tag);
    text_buf_putc(&b, '[');
    css_put_ident(&b, attr);
    text_buf_putc(&b, '=');
    css_put_string(&b, value);
    text_buf_putc(&b, ']');
    return text_buf_steal(&b);
}

static char *css_id(const char *id)
{
    struct text_buf b = TEXT_BUF_INIT;
    text_buf_putc(&b, '#');
    css_put_ident(&b, id);
    return text_buf_steal(&b);
}

static size_t nth_of_type(const struct dom_node *e, size_t *count)
{
    size_t pos = 1, total = 0;
    for (const struct dom_node *s = e->parent ? e->parent->first : e; s; s = s->next) {
        if (s->type != DOM_ELEMENT || s->ns != e->ns || strcmp(s->tag, e->tag))
            continue;
        total++;
        if (s == e)
            pos = total;
    }
    *count = total;
    return pos;
}

/* The stable anchor of e: its nearest ancestor with a stable id or test id (NULL: none). */
static struct dom_node *stable_anchor(struct feat_set *fs, struct dom_node *e, char **css)
{
    for (struct dom_node *a = e->parent; a && a->parent; a = a->parent) {
        const struct feat *f = feat_of(fs, a);
        if (f->testid) {
            *css = css_attr(NULL, f->testid_attr, f->testid);
            return a;
        }
        if (f->id) {
            *css = css_id(f->id);
            return a;
        }
    }
    return NULL;
}

/* "div > ul > li:nth-of-type(2) > a" from (not including) top down to e. */
static void css_path(struct text_buf *b, const struct dom_node *top, const struct dom_node *e)
{
    const struct dom_node *chain[64];
    size_t n = 0;
    for (const struct dom_node *a = e; a && a != top && n < 64; a = a->parent)
        chain[n++] = a;
    while (n--) {
        size_t count, pos = nth_of_type(chain[n], &count);
        if (b->len)
            text_buf_puts(b, " > ");
        css_put_ident(b, chain[n]->tag);
        if (count > 1)
            text_buf_printf(b, ":nth-of-type(%zu)", pos);
    }
}

static void class_candidates(struct gen *g, const struct feat *f, const char *prefix)
{
    if (!f->classes)
        return;
    char *copy = text_xstrdup(f->classes), *save = NULL;
    char *list[8];
    size_t n = 0;
    for (char *c = strtok_r(copy, " ", &save); c && n < 8; c = strtok_r(NULL, " ", &save))
        list[n++] = c;
    for (size_t i = 0; i < n && !g->found; i++) {
        struct text_buf b = TEXT_BUF_INIT;
        text_buf_puts(&b, prefix);
        css_put_ident(&b, f->tag);
        text_buf_putc(&b, '.');
        css_put_ident(&b, list[i]);
        try(g, text_buf_steal(&b), "class");
    }
    for (size_t i = 0; i < n && !g->found; i++)
        for (size_t k = i + 1; k < n && !g->found; k++) {
            struct text_buf b = TEXT_BUF_INIT;
            text_buf_puts(&b, prefix);
            css_put_ident(&b, f->tag);
            text_buf_putc(&b, '.');
            css_put_ident(&b, list[i]);
            text_buf_putc(&b, '.');
            css_put_ident(&b, list[k]);
            try(g, text_buf_steal(&b), "class");
        }
    free(copy);
}

static void css_ladder(struct gen *g)
{
    const struct feat *f = feat_of(g->fs, g->e);
    const char *tag = f->tag;
    if (f->testid)
        try(g, css_attr(NULL, f->testid_attr, f->testid), "test-id");
    if (f->id)
        try(g, css_id(f->id), "id");
    if (f->form_name)
        try(g, css_attr(tag, "name", dom_attr(g->e, "name")), "name-attribute");
    const char *attrs[] = { "aria-label", "placeholder", "alt", "title", "href" };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0] && !g->found; i++) {
        const char *v = dom_attr(g->e, attrs[i]);
        if (v && v[0] && strlen(v) <= 200 && !(i == 4 && !f->href))
            try(g, css_attr(tag, attrs[i], v), "attribute");
    }
    class_candidates(g, f, "");
    char *anchor_css = NULL;
    struct dom_node *anchor = stable_anchor(g->fs, g->e, &anchor_css);
    if (anchor && !g->found) {
        struct text_buf b = TEXT_BUF_INIT;
        text_buf_printf(&b, "%s ", anchor_css);
        css_put_ident(&b, tag);
        try(g, text_buf_steal(&b), "anchored-path");
        char prefix[512];
        snprintf(prefix, sizeof prefix, "%s ", anchor_css);
        class_candidates(g, f, prefix);
        struct text_buf p = TEXT_BUF_INIT;
        text_buf_printf(&p, "%s", anchor_css);
        size_t mark = p.len;
        css_path(&p, anchor, g->e);
        (void)mark;
        try(g, text_buf_steal(&p), "anchored-path");
    }
    free(anchor_css);
    if (!g->found) {
        struct text_buf p = TEXT_BUF_INIT;
        const struct dom_node *body = g->e;
        while (body && !dom_is(body, "body"))
            body = body->parent;
        text_buf_puts(&p, "body");
        if (body)
            css_path(&p, body, g->e);
        try(g, text_buf_steal(&p), "path");
    }
}

/* ---------------------------------------------------------------- XPath pieces */

static void xp_literal(struct text_buf *b, const char *v)
{
    if (!strchr(v, '\'')) {
        text_buf_printf(b, "'%s'", v);
    } else if (!strchr(v, '"')) {
        text_buf_printf(b, "\"%s\"", v);
    } else {
        text_buf_puts(b, "concat(");
        const char *p = v;
        int first = 1;
        while (*p) {
            size_t n = strcspn(p, "'");
            if (!first)
                text_buf_putc(b, ',');
            if (n) {
                text_buf_printf(b, "'%.*s',", (int)n, p);
            }
            p += n;
            if (*p == '\'') {
                text_buf_puts(b, "\"'\"");
                p++;
            } else if (b->data[b->len - 1] == ',') {
                b->data[--b->len] = '\0';
            }
            first = 0;
        }
        text_buf_putc(b, ')');
    }
}

static char *xp_attr(const char *tag, const char *attr, const char *value)
{
    struct text_buf b = TEXT_BUF_INIT;
    text_buf_printf(&b, "//%s[@%s=", tag ? tag : "*", attr);
    xp_literal(&b, value);
    text_buf_putc(&b, ']');
    return text_buf_steal(&b);
}

static int xpath_name_ok(const char *s)
{
    for (; *s; s++)
        if (!(((*s | 32) >= 'a' && (*s | 32) <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static int ascii_spaces_only(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t c;
        i += text_utf8_next(s + i, n - i, &c);
        if (c > 0x7f && text_cp_is_space(c))
            return 0;
        if (c == 0x200B || c == 0xAD)
            return 0;
    }
    return 1;
}

/* "/div[2]/button" from (not including) top down to e; positions among same-name siblings. */
static void xp_path(struct text_buf *b, const struct dom_node *top, const struct dom_node *e)
{
    const struct dom_node *chain[64];
    size_t n = 0;
    for (const struct dom_node *a = e; a && a != top && n < 64; a = a->parent)
        chain[n++] = a;
    while (n--) {
        size_t count, pos = nth_of_type(chain[n], &count);
        if (chain[n]->ns != DOM_NS_HTML)
            text_buf_printf(b, "/*[local-name()='%s']", chain[n]->tag);
        else
            text_buf_printf(b, "/%s", chain[n]->tag);
        if (count > 1)
            text_buf_printf(b, "[%zu]", pos);
    }
}

static void xpath_ladder(struct gen *g)
{
    const struct feat *f = feat_of(g->fs, g->e);
    const char *tag = g->e->ns == DOM_NS_HTML ? f->tag : NULL;
    if (f->testid && xpath_name_ok(f->testid_attr))
        try(g, xp_attr(NULL, f->testid_attr, f->testid), "test-id");
    if (f->id)
        try(g, xp_attr(tag, "id", f->id), "id");
    if (f->form_name)
        try(g, xp_attr(tag, "name", dom_attr(g->e, "name")), "name-attribute");
    const char *attrs[] = { "aria-label", "placeholder", "alt", "title", "href" };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0] && !g->found; i++) {
        const char *v = dom_attr(g->e, attrs[i]);
        if (v && v[0] && strlen(v) <= 200 && !(i == 4 && !f->href))
            try(g, xp_attr(tag, attrs[i], v), "attribute");
    }
    const char *text = dom_text_of(g->fs->doc, g->e)->norm;
    if (tag && text[0] && strlen(text) <= GEN_TEXT_MAX && ascii_spaces_only(text)) {
        struct text_buf b = TEXT_BUF_INIT;
        text_buf_printf(&b, "//%s[normalize-space()=", tag);
        xp_literal(&b, text);
        text_buf_putc(&b, ']');
        try(g, text_buf_steal(&b), "text");
    }
    if (f->classes && tag && !g->found) {
        char *copy = text_xstrdup(f->classes), *save = NULL;
        for (char *c = strtok_r(copy, " ", &save); c && !g->found; c = strtok_r(NULL, " ", &save)) {
            if (strchr(c, '\'') || strchr(c, '"'))
                continue;
            struct text_buf b = TEXT_BUF_INIT;
            text_buf_printf(&b, "//%s[contains(concat(' ',normalize-space(@class),' '),' %s ')]", tag, c);
            try(g, text_buf_steal(&b), "class");
        }
        free(copy);
    }
    if (!g->found) {
        struct dom_node *anchor = NULL;
        for (struct dom_node *a = g->e->parent; a && a->parent && !anchor; a = a->parent)
            if (feat_of(g->fs, a)->id)
                anchor = a;
        struct text_buf b = TEXT_BUF_INIT;
        if (anchor) {
            char *head = xp_attr(NULL, "id", feat_of(g->fs, anchor)->id);
            text_buf_puts(&b, head);
            free(head);
            xp_path(&b, anchor, g->e);
            try(g, text_buf_steal(&b), "anchored-path");
        }
        text_buf_free(&b);
    }
    if (!g->found) {
        struct text_buf b = TEXT_BUF_INIT;
        xp_path(&b, NULL, g->e);
        try(g, text_buf_steal(&b), "path");
    }
}

/* ---------------------------------------------------------------- Playwright pieces */

static char *pw_call(const char *fn, const char *arg, const char *options)
{
    struct text_buf b = TEXT_BUF_INIT;
    text_buf_printf(&b, "%s(", fn);
    pw_put_string(&b, arg);
    if (options)
        text_buf_printf(&b, ", %s", options);
    text_buf_putc(&b, ')');
    return text_buf_steal(&b);
}

static char *pw_role(const char *role, const char *name, int exact)
{
    struct text_buf b = TEXT_BUF_INIT;
    text_buf_puts(&b, "getByRole(");
    pw_put_string(&b, role);
    text_buf_puts(&b, ", { name: ");
    pw_put_string(&b, name);
    text_buf_puts(&b, exact ? ", exact: true })" : " })");
    return text_buf_steal(&b);
}

static void pw_text_pair(struct gen *g, const char *fn, const char *value, const char *strategy)
{
    if (!value || !value[0] || strlen(value) > GEN_TEXT_MAX || g->found)
        return;
    if (!try(g, pw_call(fn, value, NULL), strategy))
        try(g, pw_call(fn, value, "{ exact: true }"), strategy);
}

static void playwright_ladder(struct gen *g)
{
    heal_doc *doc = g->fs->doc;
    const struct feat *f = feat_of(g->fs, g->e);
    if (f->testid && !strcmp(f->testid_attr, g->fs->testid_attr))
        try(g, pw_call("getByTestId", f->testid, NULL), "test-id");
    const char *role = aria_role(doc, g->e);
    const char *name = aria_name(doc, g->e);
    if (role && name[0] && strlen(name) <= GEN_TEXT_MAX && strcmp(role, "presentation") && strcmp(role, "none") &&
        strcmp(role, "generic")) {
        if (!try(g, pw_role(role, name, 0), "role-name"))
            try(g, pw_role(role, name, 1), "role-name");
    }
    size_t n_labels;
    struct dom_node **labels = aria_labels(doc, g->e, &n_labels);
    if (n_labels)
        pw_text_pair(g, "getByLabel", dom_text_of(doc, labels[0])->norm, "label");
    const char *aria_label = dom_attr(g->e, "aria-label");
    if (aria_label && !text_is_blank(aria_label)) {
        char *norm = text_normalize(aria_label);
        pw_text_pair(g, "getByLabel", norm, "label");
        free(norm);
    }
    pw_text_pair(g, "getByPlaceholder", dom_attr(g->e, "placeholder"), "placeholder");
    pw_text_pair(g, "getByAltText", dom_attr(g->e, "alt"), "alt-text");
    pw_text_pair(g, "getByTitle", dom_attr(g->e, "title"), "title");
    pw_text_pair(g, "getByText", dom_text_of(doc, g->e)->norm, "text");
    if (g->found)
        return;
    /* CSS ladder wrapped in locator() */
    struct gen css = { g->fs, g->e, HEAL_SYNTAX_CSS, NULL, NULL };
    css_ladder(&css);
    if (css.found) {
        char *loc = pw_call("locator", css.found, NULL);
        try(g, loc, css.strategy);
        free(css.found);
    }
}

char *gen_selector(struct feat_set *fs, struct dom_node *e, enum heal_syntax syntax, const char **strategy)
{
    struct gen g = { fs, e, syntax, NULL, NULL };
    if (syntax == HEAL_SYNTAX_XPATH)
        xpath_ladder(&g);
    else if (syntax == HEAL_SYNTAX_PLAYWRIGHT)
        playwright_ladder(&g);
    else
        css_ladder(&g);
    *strategy = g.strategy;
    return g.found;
}
