/* Element fingerprints (see features.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aria.h"
#include "fingerprint.h"
#include "generated.h"
#include "style.h"
#include "textutil.h"

#define FEAT_TEXT_MAX 160

static const char *const testid_attrs[] = { "data-testid", "data-test-id", "data-test", "data-cy", "data-qa",
                                            "data-automation-id", "data-e2e", NULL };

const char *feat_testid_attr(const struct dom_node *e, const char *configured, const char **value)
{
    const char *v = configured ? dom_attr(e, configured) : NULL;
    if (v && v[0] && !gen_value_is_generated(v)) {
        *value = v;
        return configured;
    }
    for (size_t i = 0; testid_attrs[i]; i++) {
        v = dom_attr(e, testid_attrs[i]);
        if (v && v[0] && !gen_value_is_generated(v)) {
            *value = v;
            return testid_attrs[i];
        }
    }
    *value = NULL;
    return NULL;
}

int feat_is_candidate(const struct dom_node *e)
{
    static const char *const skip[] = { "html", "head", "body", "script", "style", "meta", "link", "title", "base",
                                        "noscript", "template", "br", "wbr", NULL };
    if (e->in_head || e->ns != DOM_NS_HTML)
        return e->ns == DOM_NS_SVG && !strcmp(e->tag, "svg");
    for (size_t i = 0; skip[i]; i++)
        if (!strcmp(e->tag, skip[i]))
            return 0;
    return 1;
}

void feat_set_init(struct feat_set *s, heal_doc *doc, const char *testid_attr)
{
    s->doc = doc;
    s->testid_attr = testid_attr && testid_attr[0] ? testid_attr : "data-testid";
    s->f = calloc(doc->n_elements + 1, sizeof *s->f);
    if (!s->f)
        abort();
}

static void free_feat(struct feat *f)
{
    char **strs[] = { &f->name, &f->text, &f->id, &f->testid, &f->form_name, &f->type, &f->placeholder,
                      &f->title, &f->alt, &f->href, &f->value, &f->label, &f->classes };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    tok_free(&f->class_tok);
    tok_free(&f->ident_tok);
    tok_free(&f->name_tok);
    tok_free(&f->ctx_tok);
    tok_free(&f->kind_tok);
}

void feat_set_free(struct feat_set *s)
{
    for (size_t i = 0; s->f && i < s->doc->n_elements; i++)
        if (s->f[i].done)
            free_feat(&s->f[i]);
    free(s->f);
    s->f = NULL;
}

static char *lower_capped(const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s), cut = len;
    if (cut > 4 * FEAT_TEXT_MAX) {   /* only the start is kept: do not normalise a whole page */
        cut = 4 * FEAT_TEXT_MAX;
        while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
    }
    char *prefix = strndup(s, cut);
    if (!prefix)
        abort();
    char *n = text_normalize(prefix);
    free(prefix);
    if (strlen(n) > FEAT_TEXT_MAX) {
        size_t end = FEAT_TEXT_MAX;
        while (end && ((unsigned char)n[end] & 0xC0) == 0x80)
            end--;
        n[end] = '\0';
    }
    char *l = text_lower(n);
    free(n);
    if (!l[0]) {
        free(l);
        return NULL;
    }
    return l;
}

static char *stable_value(const char *v)
{
    return v && v[0] && !gen_value_is_generated(v) ? text_xstrdup(v) : NULL;
}

static void add_classes(struct feat *f, const struct dom_node *e)
{
    const char *cls = dom_attr(e, "class");
    struct text_buf b = TEXT_BUF_INIT, words = TEXT_BUF_INIT;
    if (cls) {
        char *copy = text_xstrdup(cls), *save = NULL;
        for (char *c = strtok_r(copy, " \t\n\r\f", &save); c; c = strtok_r(NULL, " \t\n\r\f", &save)) {
            char stem[128];
            if (gen_class_is_state(c))
                continue;
            if (!gen_class_is_generated(c)) {
                if (b.len)
                    text_buf_putc(&b, ' ');
                text_buf_puts(&b, c);
            } else if (gen_class_stem(c, stem, sizeof stem)) {
                text_buf_putc(&words, ' ');
                text_buf_puts(&words, stem);
            }
        }
        free(copy);
    }
    /* the same class lists repeat on every row of a table: split through the cache */
    if (b.len)
        tok_split_cached(b.data, &f->class_tok);
    if (words.len)
        tok_split_cached(words.data, &f->class_tok);
    f->classes = b.len ? text_buf_steal(&b) : NULL;
    text_buf_free(&b);
    text_buf_free(&words);
}

static char *label_text(heal_doc *doc, struct dom_node *e)
{
    size_t n;
    struct dom_node **labels = aria_labels(doc, e, &n);
    struct text_buf b = TEXT_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (b.len)
            text_buf_putc(&b, ' ');
        text_buf_puts(&b, dom_text_of(doc, labels[i])->norm);
    }
    char *r = b.len ? lower_capped(b.data) : NULL;
    text_buf_free(&b);
    return r;
}

static int heading_like(const struct dom_node *e)
{
    return dom_is(e, "h1") || dom_is(e, "h2") || dom_is(e, "h3") || dom_is(e, "h4") || dom_is(e, "h5") ||
           dom_is(e, "h6") || dom_is(e, "legend") || dom_is(e, "caption") || dom_is(e, "label");
}

/* Context: the enclosing row or list item, the nearest preceding heading among the ancestors'
 * earlier siblings, the previous sibling's text, stable ids and classes of the ancestors. */
static void add_context(struct feat_set *s, struct feat *f, struct dom_node *e)
{
    heal_doc *doc = s->doc;
    int found_heading = 0, found_row = 0;
    unsigned level = 0;
    for (struct dom_node *a = e; a && a->parent && level < 6; a = a->parent, level++) {
        if (!found_row && a != e && (dom_is(a, "tr") || dom_is(a, "li"))) {
            const char *t = dom_text_of(doc, a)->norm;
            if (t[0] && strlen(t) <= 120)
                tok_split_cached(t, &f->ctx_tok);
            found_row = 1;
        }
        unsigned seen = 0;   /* a heading is near: long sibling runs (table rows) are not searched */
        for (struct dom_node *p = dom_prev_element(a); p && !found_heading && seen < 8; p = dom_prev_element(p), seen++)
            if (heading_like(p)) {
                const char *t = dom_text_of(doc, p)->norm;
                if (strlen(t) <= 200)
                    tok_split_cached(t, &f->ctx_tok);
                found_heading = 1;
            }
        if (a != e) {
            const char *id = dom_attr(a, "id");
            if (id && !gen_id_is_generated(id))
                tok_split(id, &f->ctx_tok);
        }
    }
    struct dom_node *prev = dom_prev_element(e);
    if (prev) {
        const char *t = dom_text_of(doc, prev)->norm;
        if (t[0] && strlen(t) <= 60)
            tok_split_cached(t, &f->ctx_tok);
    }
}

/* Roles whose accessible name identifies them to a person; other elements are known by their text
 * (computing names of every table cell would cost more than it tells). */
static int named_role(const char *role)
{
    static const char *const roles[] = { "button", "link", "checkbox", "radio", "switch", "tab", "menuitem",
                                         "menuitemcheckbox", "menuitemradio", "option", "textbox", "searchbox",
                                         "combobox", "listbox", "spinbutton", "slider", "heading", "img",
                                         "dialog", "alertdialog", "region", "navigation", "form", "treeitem",
                                         "progressbar", "meter", "table", "figure", "group", "search", NULL };
    for (size_t i = 0; role && roles[i]; i++)
        if (!strcmp(role, roles[i]))
            return 1;
    return 0;
}

const struct feat *feat_of(struct feat_set *s, struct dom_node *e)
{
    struct feat *f = &s->f[e->index];
    if (f->done)
        return f;
    heal_doc *doc = s->doc;
    f->done = 1;
    f->e = e;
    f->tag = e->tag;
    f->role = aria_role(doc, e);
    f->name = named_role(f->role) ? lower_capped(aria_name(doc, e)) : NULL;
    f->text = lower_capped(dom_text_of(doc, e)->norm);
    const char *id = dom_attr(e, "id");
    f->id = id && !gen_id_is_generated(id) ? text_xstrdup(id) : NULL;
    const char *tv;
    f->testid_attr = feat_testid_attr(e, s->testid_attr, &tv);
    f->testid = tv ? text_xstrdup(tv) : NULL;
    f->form_name = stable_value(dom_attr(e, "name"));
    f->type = dom_attr(e, "type") ? text_lower(dom_attr(e, "type")) : NULL;
    f->placeholder = lower_capped(dom_attr(e, "placeholder"));
    f->title = lower_capped(dom_attr(e, "title"));
    f->alt = lower_capped(dom_attr(e, "alt"));
    const char *href = dom_attr(e, "href");
    f->href = href && href[0] && strcmp(href, "#") && strncasecmp(href, "javascript:", 11) ? text_xstrdup(href) : NULL;
    f->value = dom_is(e, "input") ? lower_capped(dom_attr(e, "value")) : NULL;
    f->label = label_text(doc, e);
    add_classes(f, e);
    tok_split(f->id, &f->ident_tok);
    tok_split(f->testid, &f->ident_tok);
    tok_split(f->form_name, &f->ident_tok);
    tok_split(f->name, &f->name_tok);
    if (!f->name)
        tok_split(f->text, &f->name_tok);
    tok_split(f->placeholder, &f->name_tok);
    tok_split(f->label, &f->name_tok);
    add_context(s, f, e);
    tok_split(f->tag, &f->kind_tok);
    tok_split(f->role, &f->kind_tok);
    tok_split(f->type, &f->kind_tok);
    size_t k = 0;
    for (struct dom_node *a = e->parent; a && k < FEAT_PATH_MAX; a = a->parent)
        f->path[k++] = a->tag;
    f->path_n = k;
    f->relpos = doc->n_elements > 1 ? (double)e->index / (double)(doc->n_elements - 1) : 0;
    f->rendered = !style_not_rendered(doc, e);
    return f;
}
