/* Accessible names (the accname computation as Playwright's getTextAlternativeInternal does it) and
 * the labels of form controls. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aria.h"
#include "style.h"
#include "textutil.h"

enum target { T_NONE, T_SELF, T_DESCENDANT };

struct alt_opts {
    enum target target;
    int in_labelledby, in_describedby, in_label, in_native;
    int hidden_ref;          /* the reference being followed is itself hidden */
};

struct alt_run {
    heal_doc *doc;
    unsigned gen;            /* nodes visited in this computation carry this generation */
    unsigned depth;
    int include_hidden;      /* getByRole({ includeHidden: true }) names hidden content too */
};

static int visited(struct alt_run *r, const struct dom_node *e)
{
    return e->visit_gen == r->gen;
}

static void visit(struct alt_run *r, struct dom_node *e)
{
    e->visit_gen = r->gen;
}

static int is_labelable(const struct dom_node *e)
{
    if (dom_is(e, "input")) {
        const char *t = dom_attr(e, "type");
        return !(t && !strcasecmp(t, "hidden"));
    }
    return dom_is(e, "button") || dom_is(e, "meter") || dom_is(e, "output") || dom_is(e, "progress") ||
           dom_is(e, "select") || dom_is(e, "textarea");
}

static void add_label(struct dom_node *control, struct dom_node *label)
{
    control->labels = realloc(control->labels, (control->n_labels + 1) * sizeof *control->labels);
    if (!control->labels)
        abort();
    control->labels[control->n_labels++] = label;
}

static void compute_labels(heal_doc *doc)
{
    if (doc->labels_known)
        return;
    doc->labels_known = 1;
    for (size_t i = 0; i < doc->n_elements; i++) {
        struct dom_node *label = doc->elements[i];
        if (!dom_is(label, "label"))
            continue;
        struct dom_node *control = NULL;
        const char *for_id = dom_attr(label, "for");
        if (for_id) {
            struct dom_node *t = for_id[0] ? dom_by_id(doc, for_id) : NULL;
            control = t && is_labelable(t) ? t : NULL;
        } else {
            for (struct dom_node *n = label->first; n && !control; n = dom_next_in_order(n, label))
                if (n->type == DOM_ELEMENT && is_labelable(n))
                    control = n;
        }
        if (control)
            add_label(control, label);
    }
}

struct dom_node **aria_labels(heal_doc *doc, struct dom_node *e, size_t *n)
{
    compute_labels(doc);
    *n = e->n_labels;
    return e->labels;
}

/* Elements named by an id reference list (first element per id, no duplicates). */
static size_t id_refs(heal_doc *doc, const char *list, struct dom_node **out, size_t max)
{
    size_t n = 0;
    if (!list)
        return 0;
    char *copy = text_xstrdup(list), *save = NULL;
    for (char *id = strtok_r(copy, " \t\n\f\r", &save); id && n < max; id = strtok_r(NULL, " \t\n\f\r", &save)) {
        struct dom_node *e = dom_by_id(doc, id);
        int dup = 0;
        for (size_t i = 0; i < n; i++)
            dup |= out[i] == e;
        if (e && !dup)
            out[n++] = e;
    }
    free(copy);
    return n;
}

static char *text_alt(struct alt_run *r, struct dom_node *e, struct alt_opts o);

static char *dup(const char *s)
{
    return text_xstrdup(s ? s : "");
}

static char *join_free(char **parts, size_t n, const char *sep)
{
    struct text_buf b = TEXT_BUF_INIT;
    text_buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (i)
            text_buf_puts(&b, sep);
        text_buf_puts(&b, parts[i]);
        free(parts[i]);
    }
    return text_buf_steal(&b);
}

static char *from_labels(struct alt_run *r, struct dom_node **labels, size_t n, struct alt_opts o)
{
    char **parts = calloc(n ? n : 1, sizeof *parts);
    size_t k = 0;
    if (!parts)
        abort();
    for (size_t i = 0; i < n; i++) {
        struct alt_opts lo = { T_NONE, 0, 0, 1, 0, style_aria_hidden(r->doc, labels[i]) };
        (void)o;
        char *t = text_alt(r, labels[i], lo);
        if (t[0])
            parts[k++] = t;
        else
            free(t);
    }
    char *s = join_free(parts, k, " ");
    free(parts);
    return s;
}

static int allows_name_from_content(const char *role, int descendant)
{
    static const char *const always[] = { "button", "cell", "checkbox", "columnheader", "gridcell", "heading",
                                          "link", "menuitem", "menuitemcheckbox", "menuitemradio", "option",
                                          "radio", "row", "rowheader", "switch", "tab", "tooltip", "treeitem",
                                          NULL };
    static const char *const as_descendant[] = { "", "caption", "code", "contentinfo", "definition", "deletion",
                                                 "emphasis", "insertion", "list", "listitem", "mark", "none",
                                                 "paragraph", "presentation", "region", "row", "rowgroup",
                                                 "section", "strong", "subscript", "superscript", "table", "term",
                                                 "time", NULL };
    for (size_t i = 0; always[i]; i++)
        if (!strcmp(role, always[i]))
            return 1;
    if (descendant)
        for (size_t i = 0; as_descendant[i]; i++)
            if (!strcmp(role, as_descendant[i]))
                return 1;
    return 0;
}

static int text_not_rendered(const struct dom_node *t)
{
    return t->parent && dom_is(t->parent, "details") && !dom_has_attr(t->parent, "open");
}

static char *inner_text(struct alt_run *r, struct dom_node *e, struct alt_opts child)
{
    struct text_buf b = TEXT_BUF_INIT;
    text_buf_puts(&b, "");
    int skip_not_rendered = !child.hidden_ref;
    for (struct dom_node *c = e->first; c; c = c->next) {
        if (c->type == DOM_ELEMENT) {
            char *t = text_alt(r, c, child);
            int pad = !style_is_inline(r->doc, c) || dom_is(c, "br");
            if (pad)
                text_buf_putc(&b, ' ');
            text_buf_puts(&b, t);
            if (pad)
                text_buf_putc(&b, ' ');
            free(t);
        } else if (c->type == DOM_TEXT) {
            if (!(skip_not_rendered && text_not_rendered(c)))
                text_buf_puts(&b, c->text);
        }
    }
    struct dom_node *owned[16];
    size_t n = id_refs(r->doc, dom_attr(e, "aria-owns"), owned, 16);
    for (size_t i = 0; i < n; i++) {
        char *t = text_alt(r, owned[i], child);
        text_buf_puts(&b, t);
        free(t);
    }
    return text_buf_steal(&b);
}

static const char *input_type_of(const struct dom_node *e)
{
    const char *t = dom_attr(e, "type");
    return t ? t : "text";
}

static char *value_of(heal_doc *doc, struct dom_node *e)
{
    if (dom_is(e, "textarea"))
        return dup(dom_text_content(doc, e));
    return dup(dom_attr(e, "value"));
}

/* Names an embedded control contributes (textbox value, selected option, range value). NULL: not such a control. */
static char *embedded_control(struct alt_run *r, struct dom_node *e, const char *role, struct alt_opts child)
{
    if (!strcmp(role, "textbox") || !strcmp(role, "searchbox")) {
        visit(r, e);
        if (dom_is(e, "input") || dom_is(e, "textarea"))
            return value_of(r->doc, e);
        return dup(dom_text_content(r->doc, e));
    }
    if (!strcmp(role, "combobox") || !strcmp(role, "listbox")) {
        visit(r, e);
        if (dom_is(e, "select")) {
            struct dom_node *first = NULL, *chosen[64];
            size_t n = 0;
            for (struct dom_node *c = e->first; c; c = dom_next_in_order(c, e)) {
                if (!dom_is(c, "option"))
                    continue;
                if (!first)
                    first = c;
                if (dom_has_attr(c, "selected") && n < 64)
                    chosen[n++] = c;
            }
            if (!n && first)
                chosen[n++] = first;
            char **parts = calloc(n ? n : 1, sizeof *parts);
            if (!parts)
                abort();
            for (size_t i = 0; i < n; i++)
                parts[i] = text_alt(r, chosen[i], child);
            char *s = join_free(parts, n, " ");
            free(parts);
            return s;
        }
        if (dom_is(e, "input"))
            return dup(dom_attr(e, "value"));
        return dup("");
    }
    static const char *const ranges[] = { "progressbar", "scrollbar", "slider", "spinbutton", "meter", NULL };
    for (size_t i = 0; ranges[i]; i++)
        if (!strcmp(role, ranges[i])) {
            visit(r, e);
            if (dom_has_attr(e, "aria-valuetext"))
                return dup(dom_attr(e, "aria-valuetext"));
            if (dom_has_attr(e, "aria-valuenow"))
                return dup(dom_attr(e, "aria-valuenow"));
            return dup(dom_attr(e, "value"));
        }
    if (!strcmp(role, "menu")) {
        visit(r, e);
        return dup("");
    }
    return NULL;
}

static struct dom_node *first_child_tag(struct dom_node *e, const char *tag, int svg)
{
    for (struct dom_node *c = dom_first_element_child(e); c; c = dom_next_element(c))
        if (svg ? (c->ns == DOM_NS_SVG && !strcmp(c->tag, tag)) : dom_is(c, tag))
            return c;
    return NULL;
}

/* The native text alternatives of HTML elements (step 2D of accname). NULL: none applies. */
static char *native_alternative(struct alt_run *r, struct dom_node *e, int labelled_by, struct alt_opts o,
                                struct alt_opts child)
{
    const char *type = input_type_of(e);
    size_t n_labels;
    struct dom_node **labels = aria_labels(r->doc, e, &n_labels);
    if (dom_is(e, "input") && (!strcasecmp(type, "button") || !strcasecmp(type, "submit") || !strcasecmp(type, "reset"))) {
        visit(r, e);
        const char *v = dom_attr(e, "value");
        if (!text_is_blank(v))
            return dup(v);
        if (!strcasecmp(type, "submit"))
            return dup("Submit");
        if (!strcasecmp(type, "reset"))
            return dup("Reset");
        return dup(dom_attr(e, "title"));
    }
    if (dom_is(e, "input") && !strcasecmp(type, "file")) {
        visit(r, e);
        if (n_labels && !o.in_labelledby)
            return from_labels(r, labels, n_labels, o);
        return dup("Choose File");
    }
    if (dom_is(e, "input") && !strcasecmp(type, "image")) {
        visit(r, e);
        if (n_labels && !o.in_labelledby)
            return from_labels(r, labels, n_labels, o);
        if (!text_is_blank(dom_attr(e, "alt")))
            return dup(dom_attr(e, "alt"));
        if (!text_is_blank(dom_attr(e, "title")))
            return dup(dom_attr(e, "title"));
        return dup("Submit");
    }
    if (!labelled_by && dom_is(e, "button")) {
        visit(r, e);
        if (n_labels)
            return from_labels(r, labels, n_labels, o);
        return NULL;
    }
    if (!labelled_by && dom_is(e, "output")) {
        visit(r, e);
        if (n_labels)
            return from_labels(r, labels, n_labels, o);
        return dup(dom_attr(e, "title"));
    }
    if (!labelled_by && (dom_is(e, "textarea") || dom_is(e, "select") || dom_is(e, "input") || dom_is(e, "meter") ||
                         dom_is(e, "progress"))) {
        visit(r, e);
        if (n_labels)
            return from_labels(r, labels, n_labels, o);
        static const char *const ph_types[] = { "text", "password", "number", "search", "tel", "email", "url", NULL };
        int use_placeholder = dom_is(e, "textarea");
        for (size_t i = 0; dom_is(e, "input") && ph_types[i]; i++)
            use_placeholder |= !strcasecmp(type, ph_types[i]);
        const char *title = dom_attr(e, "title");
        if (!use_placeholder || (title && title[0]))
            return dup(title);
        return dup(dom_attr(e, "placeholder"));
    }
    static const struct { const char *tag, *child; } captioned[] = { { "fieldset", "legend" },
                                                                     { "figure", "figcaption" } };
    for (size_t i = 0; i < 2; i++)
        if (!labelled_by && dom_is(e, captioned[i].tag)) {
            visit(r, e);
            struct dom_node *c = first_child_tag(e, captioned[i].child, 0);
            if (c) {
                struct alt_opts co = child;
                co.in_native = 1;
                co.hidden_ref = style_aria_hidden(r->doc, c);
                return text_alt(r, c, co);
            }
            return dup(dom_attr(e, "title"));
        }
    if (dom_is(e, "img") || dom_is(e, "area")) {
        visit(r, e);
        if (!text_is_blank(dom_attr(e, "alt")))
            return dup(dom_attr(e, "alt"));
        return dup(dom_attr(e, "title"));
    }
    if (dom_is(e, "table")) {
        visit(r, e);
        struct dom_node *c = first_child_tag(e, "caption", 0);
        if (c) {
            struct alt_opts co = child;
            co.in_native = 1;
            co.hidden_ref = style_aria_hidden(r->doc, c);
            return text_alt(r, c, co);
        }
        const char *summary = dom_attr(e, "summary");
        if (summary && summary[0])
            return dup(summary);
        return NULL;
    }
    if (e->ns == DOM_NS_SVG) {
        visit(r, e);
        struct dom_node *t = first_child_tag(e, "title", 1);
        if (t) {
            struct alt_opts co = child;
            co.in_labelledby = 1;
            co.hidden_ref = style_aria_hidden(r->doc, t);
            return text_alt(r, t, co);
        }
        if (!strcmp(e->tag, "a") && !text_is_blank(dom_attr(e, "xlink:title")))
            return dup(dom_attr(e, "xlink:title"));
    }
    return NULL;
}

static char *text_alt(struct alt_run *r, struct dom_node *e, struct alt_opts o)
{
    if (visited(r, e) || r->depth > 200)
        return dup("");
    r->depth++;
    char *result = NULL;
    struct alt_opts child = o;
    if (o.target == T_SELF)
        child.target = T_DESCENDANT;
    if (!r->include_hidden && (dom_is(e, "style") || dom_is(e, "script") || dom_is(e, "noscript") ||
                               dom_is(e, "template") || (!o.hidden_ref && style_aria_hidden(r->doc, e)))) {
        visit(r, e);
        result = dup("");
        goto out;
    }
    struct dom_node *refs[32];
    size_t n_refs = id_refs(r->doc, dom_attr(e, "aria-labelledby"), refs, 32);
    int labelled_by = dom_has_attr(e, "aria-labelledby") && n_refs > 0;
    if (!o.in_labelledby && n_refs) {
        char *parts[32];
        for (size_t i = 0; i < n_refs; i++) {
            struct alt_opts ro = { T_NONE, 1, 0, 0, 0, style_aria_hidden(r->doc, refs[i]) };
            parts[i] = text_alt(r, refs[i], ro);
        }
        char *s = join_free(parts, n_refs, " ");
        if (s[0]) {
            result = s;
            goto out;
        }
        free(s);
    }
    const char *role = aria_role(r->doc, e);
    if (!role)
        role = "";
    if (o.in_label || o.in_labelledby || o.target == T_DESCENDANT) {
        int own_labelled_by = 0;
        for (size_t i = 0; i < n_refs; i++)
            own_labelled_by |= refs[i] == e;
        if (!own_labelled_by && (result = embedded_control(r, e, role, child)) != NULL)
            goto out;
    }
    const char *aria_label = dom_attr(e, "aria-label");
    if (!text_is_blank(aria_label)) {
        visit(r, e);
        result = dup(aria_label);
        goto out;
    }
    int presentational = !strcmp(role, "presentation") || !strcmp(role, "none");
    if (!presentational && (result = native_alternative(r, e, labelled_by, o, child)) != NULL)
        goto out;
    int summary = dom_is(e, "summary") && !presentational;
    if (allows_name_from_content(role, o.target == T_DESCENDANT) || summary || o.in_labelledby ||
        o.in_describedby || o.in_label || o.in_native) {
        visit(r, e);
        char *t = inner_text(r, e, child);
        int nonblank = !text_is_blank(t);
        if (o.target == T_SELF ? nonblank : t[0] != '\0') {
            result = t;
            goto out;
        }
        free(t);
    }
    if (!presentational || dom_is(e, "iframe")) {
        visit(r, e);
        const char *title = dom_attr(e, "title");
        if (!text_is_blank(title)) {
            result = dup(title);
            goto out;
        }
    }
    visit(r, e);
    result = dup("");
out:
    r->depth--;
    return result;
}

static char *compute_name(heal_doc *doc, struct dom_node *e, int include_hidden)
{
    static const char *const prohibited[] = { "caption", "code", "definition", "deletion", "emphasis", "generic",
                                              "insertion", "mark", "paragraph", "presentation", "strong",
                                              "subscript", "suggestion", "superscript", "term", "time", NULL };
    const char *role = aria_role(doc, e);
    int prohibits = 0;
    for (size_t i = 0; role && prohibited[i]; i++)
        prohibits |= !strcmp(role, prohibited[i]);
    char *raw;
    if (prohibits) {
        raw = dup("");
    } else {
        struct alt_run r = { doc, ++doc->visit_gen, 0, include_hidden };
        struct alt_opts o = { T_SELF, 0, 0, 0, 0, 0 };
        raw = text_alt(&r, e, o);
    }
    char *name = text_normalize(raw);
    free(raw);
    return name;
}

const char *aria_name(heal_doc *doc, struct dom_node *e)
{
    if (!e->known_name) {
        e->name = compute_name(doc, e, 0);
        e->known_name = 1;
    }
    return e->name;
}

char *aria_name_including_hidden(heal_doc *doc, struct dom_node *e)
{
    return compute_name(doc, e, 1);
}
