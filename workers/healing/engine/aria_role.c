/* Implicit and explicit ARIA roles (Playwright roleUtils getAriaRole) and the ARIA states that
 * getByRole filters on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aria.h"
#include "css.h"
#include "textutil.h"

static const char *const valid_roles[] = {
    "alert", "alertdialog", "application", "article", "banner", "blockquote", "button", "caption", "cell",
    "checkbox", "code", "columnheader", "combobox", "complementary", "contentinfo", "definition", "deletion",
    "dialog", "directory", "document", "emphasis", "feed", "figure", "form", "generic", "grid", "gridcell",
    "group", "heading", "img", "insertion", "link", "list", "listbox", "listitem", "log", "main", "mark",
    "marquee", "math", "meter", "menu", "menubar", "menuitem", "menuitemcheckbox", "menuitemradio", "navigation",
    "none", "note", "option", "paragraph", "presentation", "progressbar", "radio", "radiogroup", "region", "row",
    "rowgroup", "rowheader", "scrollbar", "search", "searchbox", "separator", "slider", "spinbutton", "status",
    "strong", "subscript", "superscript", "switch", "tab", "table", "tablist", "tabpanel", "term", "textbox",
    "time", "timer", "toolbar", "tooltip", "tree", "treegrid", "treeitem", NULL
};

static int in_set(const char *s, const char *const *set)
{
    for (size_t i = 0; s && set[i]; i++)
        if (strcmp(s, set[i]) == 0)
            return 1;
    return 0;
}

int aria_is_valid_role(const char *role)
{
    return in_set(role, valid_roles);
}

static const char *explicit_role(const struct dom_node *e)
{
    const char *attr = dom_attr(e, "role");
    if (!attr)
        return NULL;
    char *copy = text_lower(attr);
    const char *found = NULL;
    char *save = NULL;
    for (char *tok = strtok_r(copy, " ", &save); tok && !found; tok = strtok_r(NULL, " ", &save))
        for (size_t i = 0; valid_roles[i]; i++)
            if (strcmp(tok, valid_roles[i]) == 0)
                found = valid_roles[i];
    free(copy);
    return found;
}

static int has_explicit_name(const struct dom_node *e)
{
    return dom_has_attr(e, "aria-label") || dom_has_attr(e, "aria-labelledby");
}

static const char *const global_aria[] = { "aria-atomic", "aria-busy", "aria-controls", "aria-current",
                                           "aria-describedby", "aria-details", "aria-dropeffect", "aria-flowto",
                                           "aria-grabbed", "aria-hidden", "aria-keyshortcuts", "aria-label",
                                           "aria-labelledby", "aria-live", "aria-owns", "aria-relevant",
                                           "aria-roledescription", NULL };
static const char *const label_prohibited[] = { "caption", "code", "deletion", "emphasis", "generic", "insertion",
                                                "paragraph", "presentation", "strong", "subscript", "superscript",
                                                NULL };

static int has_global_aria(const struct dom_node *e, const char *for_role)
{
    for (size_t i = 0; global_aria[i]; i++) {
        if (!dom_has_attr(e, global_aria[i]))
            continue;
        int prohibited = 0;
        if (!strcmp(global_aria[i], "aria-label") || !strcmp(global_aria[i], "aria-labelledby"))
            prohibited = in_set(for_role ? for_role : "", label_prohibited);
        else if (!strcmp(global_aria[i], "aria-roledescription"))
            prohibited = for_role && !strcmp(for_role, "generic");
        if (!prohibited)
            return 1;
    }
    return 0;
}

static int has_tabindex(const struct dom_node *e)
{
    const char *v = dom_attr(e, "tabindex");
    if (!v)
        return 0;   /* Number("null") is NaN */
    char *end;
    char *t = text_normalize(v);
    int ok = 1;
    if (t[0]) {
        strtod(t, &end);
        ok = *end == '\0';
    }
    free(t);
    return ok;
}

static int natively_disabled(const struct dom_node *e);

static int focusable(const struct dom_node *e)
{
    if (natively_disabled(e))
        return 0;
    if (dom_is(e, "button") || dom_is(e, "details") || dom_is(e, "select") || dom_is(e, "textarea"))
        return 1;
    if (dom_is(e, "a") || dom_is(e, "area"))
        return dom_has_attr(e, "href") || has_tabindex(e);
    if (dom_is(e, "input"))
        return !dom_has_attr(e, "hidden") || has_tabindex(e);
    return has_tabindex(e);
}

/* HTMLInputElement.type: lower case, unknown values read as "text". */
static const char *input_type(const struct dom_node *e)
{
    static const char *const known[] = { "hidden", "text", "search", "tel", "url", "email", "password", "date",
                                         "month", "week", "time", "datetime-local", "number", "range", "color",
                                         "checkbox", "radio", "file", "submit", "image", "reset", "button", NULL };
    const char *t = dom_attr(e, "type");
    if (!t)
        return "text";
    for (size_t i = 0; known[i]; i++)
        if (strcasecmp(t, known[i]) == 0)
            return known[i];
    return "text";
}

static const char *landmark_blockers_sel =
    "article:not([role]), aside:not([role]), main:not([role]), nav:not([role]), section:not([role]), "
    "[role=article], [role=complementary], [role=main], [role=navigation], [role=region]";

static int inside_landmark_blocker(heal_doc *doc, const struct dom_node *e)
{
    static struct css_list *sel;
    if (!sel) {
        char err[64];
        sel = css_parse(landmark_blockers_sel, err, sizeof err);
    }
    struct css_ctx ctx = { doc, NULL, NULL, 0 };
    for (const struct dom_node *a = e->parent; a; a = a->parent)
        if (css_matches(&ctx, sel, a))
            return 1;
    return 0;
}

static int rows_in_table(const struct dom_node *table)
{
    int n = 0;
    for (const struct dom_node *c = dom_first_element_child(table); c; c = dom_next_element(c)) {
        if (dom_is(c, "tr"))
            n++;
        else if (dom_is(c, "thead") || dom_is(c, "tbody") || dom_is(c, "tfoot"))
            for (const struct dom_node *r = dom_first_element_child(c); r; r = dom_next_element(r))
                n += dom_is(r, "tr");
    }
    return n;
}

static int nonempty_data_cell(heal_doc *doc, const struct dom_node *e)
{
    if (!e || !dom_is(e, "td"))
        return 0;
    if (dom_first_element_child(e))
        return 1;
    return !text_is_blank(dom_text_content(doc, e));
}

static const char *th_role(heal_doc *doc, const struct dom_node *e)
{
    const char *scope = dom_attr(e, "scope");
    if (scope && (!strcmp(scope, "col") || !strcmp(scope, "colgroup")))
        return "columnheader";
    if (scope && (!strcmp(scope, "row") || !strcmp(scope, "rowgroup")))
        return "rowheader";
    const struct dom_node *next = dom_next_element(e), *prev = dom_prev_element(e);
    const struct dom_node *row = e->parent && dom_is(e->parent, "tr") ? e->parent : NULL;
    if (!next && !prev) {
        if (row) {
            const struct dom_node *table = row->parent;
            while (table && !dom_is(table, "table"))
                table = table->parent;
            if (table && rows_in_table(table) <= 1)
                return NULL;
        }
        return "columnheader";
    }
    if (next && dom_is(next, "th") && prev && dom_is(prev, "th"))
        return "columnheader";
    if (nonempty_data_cell(doc, next) || nonempty_data_cell(doc, prev))
        return "rowheader";
    return "columnheader";
}

static int select_is_listbox(const struct dom_node *e)
{
    const char *size = dom_attr(e, "size");
    return dom_has_attr(e, "multiple") || (size && atoi(size) > 1);
}

static const char *input_role(heal_doc *doc, const struct dom_node *e)
{
    const char *type = input_type(e);
    if (!strcmp(type, "email") || !strcmp(type, "search") || !strcmp(type, "tel") || !strcmp(type, "text") ||
        !strcmp(type, "url")) {
        const char *list = dom_attr(e, "list");
        if (list && list[0]) {
            struct dom_node *l = dom_by_id(doc, list);
            if (l && dom_is(l, "datalist"))
                return "combobox";
        }
        return !strcmp(type, "search") ? "searchbox" : "textbox";
    }
    if (!strcmp(type, "hidden"))
        return NULL;
    if (!strcmp(type, "file") || !strcmp(type, "button") || !strcmp(type, "image") || !strcmp(type, "reset") ||
        !strcmp(type, "submit"))
        return "button";
    if (!strcmp(type, "checkbox"))
        return "checkbox";
    if (!strcmp(type, "number"))
        return "spinbutton";
    if (!strcmp(type, "radio"))
        return "radio";
    if (!strcmp(type, "range"))
        return "slider";
    return "textbox";
}

static const char *implicit_role_of_tag(heal_doc *doc, const struct dom_node *e)
{
    static const struct { const char *tag, *role; } fixed[] = {
        { "article", "article" }, { "aside", "complementary" }, { "blockquote", "blockquote" },
        { "button", "button" }, { "caption", "caption" }, { "code", "code" }, { "datalist", "listbox" },
        { "dd", "definition" }, { "del", "deletion" }, { "details", "group" }, { "dfn", "term" },
        { "dialog", "dialog" }, { "dt", "term" }, { "em", "emphasis" }, { "fieldset", "group" },
        { "figure", "figure" }, { "h1", "heading" }, { "h2", "heading" }, { "h3", "heading" }, { "h4", "heading" },
        { "h5", "heading" }, { "h6", "heading" }, { "hr", "separator" }, { "html", "document" },
        { "ins", "insertion" }, { "li", "listitem" }, { "main", "main" }, { "mark", "mark" }, { "math", "math" },
        { "menu", "list" }, { "meter", "meter" }, { "nav", "navigation" }, { "ol", "list" },
        { "optgroup", "group" }, { "option", "option" }, { "output", "status" }, { "p", "paragraph" },
        { "progress", "progressbar" }, { "search", "search" }, { "strong", "strong" }, { "sub", "subscript" },
        { "sup", "superscript" }, { "table", "table" }, { "tbody", "rowgroup" }, { "textarea", "textbox" },
        { "tfoot", "rowgroup" }, { "thead", "rowgroup" }, { "time", "time" }, { "tr", "row" }, { "ul", "list" },
    };
    if (e->ns == DOM_NS_SVG)
        return strcmp(e->tag, "svg") == 0 ? "img" : NULL;
    if (e->ns == DOM_NS_MATHML)
        return strcmp(e->tag, "math") == 0 ? "math" : NULL;
    const char *t = e->tag;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(t, fixed[i].tag) == 0)
            return fixed[i].role;
    if (!strcmp(t, "a") || !strcmp(t, "area"))
        return dom_has_attr(e, "href") ? "link" : NULL;
    if (!strcmp(t, "footer"))
        return inside_landmark_blocker(doc, e) ? NULL : "contentinfo";
    if (!strcmp(t, "header"))
        return inside_landmark_blocker(doc, e) ? NULL : "banner";
    if (!strcmp(t, "form"))
        return has_explicit_name(e) ? "form" : NULL;
    if (!strcmp(t, "section"))
        return has_explicit_name(e) ? "region" : NULL;
    if (!strcmp(t, "img")) {
        const char *alt = dom_attr(e, "alt"), *title = dom_attr(e, "title");
        int empty_alt = alt && alt[0] == '\0';
        return empty_alt && !(title && title[0]) && !has_global_aria(e, NULL) && !has_tabindex(e) ? "presentation"
                                                                                                   : "img";
    }
    if (!strcmp(t, "input"))
        return input_role(doc, e);
    if (!strcmp(t, "select"))
        return select_is_listbox(e) ? "listbox" : "combobox";
    if (!strcmp(t, "td")) {
        const struct dom_node *table = e->parent;
        while (table && !dom_is(table, "table"))
            table = table->parent;
        const char *r = table ? explicit_role(table) : NULL;
        return r && (!strcmp(r, "grid") || !strcmp(r, "treegrid")) ? "gridcell" : "cell";
    }
    if (!strcmp(t, "th"))
        return th_role(doc, e);
    return NULL;
}

static int presentation_conflict(const struct dom_node *e, const char *role)
{
    return has_global_aria(e, role) || focusable(e);
}

static const char *presentation_parents(const char *tag)
{
    static const struct { const char *tag, *parents; } table[] = {
        { "dd", " dl div " }, { "div", " dl " }, { "dt", " dl div " }, { "li", " ol ul " },
        { "tbody", " table " }, { "td", " tr " }, { "tfoot", " table " }, { "th", " tr " },
        { "thead", " table " }, { "tr", " thead tbody tfoot table " },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(tag, table[i].tag))
            return table[i].parents;
    return NULL;
}

static const char *implicit_role(heal_doc *doc, const struct dom_node *e)
{
    const char *role = implicit_role_of_tag(doc, e);
    if (!role)
        return NULL;
    for (const struct dom_node *a = e; a && a->ns == DOM_NS_HTML;) {
        const struct dom_node *parent = a->parent;
        const char *parents = presentation_parents(a->tag);
        if (!parents || !parent || parent->ns != DOM_NS_HTML)
            break;
        char key[64];
        snprintf(key, sizeof key, " %.60s ", parent->tag);
        if (!strstr(parents, key))
            break;
        const char *pr = explicit_role(parent);
        if (pr && (!strcmp(pr, "none") || !strcmp(pr, "presentation")) && !presentation_conflict(parent, pr))
            return pr;
        a = parent;
    }
    return role;
}

const char *aria_role(heal_doc *doc, struct dom_node *e)
{
    if (e->known_role)
        return e->role;
    const char *role = explicit_role(e);
    if (!role) {
        role = implicit_role(doc, e);
    } else if (!strcmp(role, "none") || !strcmp(role, "presentation")) {
        const char *imp = implicit_role(doc, e);
        if (presentation_conflict(e, imp))
            role = imp;
    }
    e->role = role;
    e->known_role = 1;
    return role;
}

static int natively_disabled(const struct dom_node *e)
{
    if (!(dom_is(e, "button") || dom_is(e, "input") || dom_is(e, "select") || dom_is(e, "textarea") ||
          dom_is(e, "option") || dom_is(e, "optgroup")))
        return 0;
    if (dom_has_attr(e, "disabled"))
        return 1;
    for (const struct dom_node *a = e->parent; a; a = a->parent) {
        if (dom_is(e, "option") && dom_is(a, "optgroup") && dom_has_attr(a, "disabled"))
            return 1;
        if (dom_is(a, "fieldset") && dom_has_attr(a, "disabled")) {
            struct dom_node *legend = NULL;
            for (struct dom_node *c = dom_first_element_child(a); c && !legend; c = dom_next_element(c))
                if (dom_is(c, "legend"))
                    legend = c;
            return !legend || !dom_contains(legend, e);
        }
    }
    return 0;
}

int aria_level(heal_doc *doc, struct dom_node *e)
{
    if (e->ns == DOM_NS_HTML && e->tag[0] == 'h' && e->tag[1] >= '1' && e->tag[1] <= '6' && !e->tag[2])
        return e->tag[1] - '0';
    const char *role = aria_role(doc, e);
    static const char *const level_roles[] = { "heading", "listitem", "row", "treeitem", NULL };
    if (in_set(role, level_roles)) {
        const char *v = dom_attr(e, "aria-level");
        if (v) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end == '\0' && n >= 1 && n < 1000000)
                return (int)n;
        }
    }
    return 0;
}

static const char *const disabled_roles[] = {
    "application", "button", "composite", "gridcell", "group", "input", "link", "menuitem", "scrollbar",
    "separator", "tab", "checkbox", "columnheader", "combobox", "grid", "listbox", "menu", "menubar",
    "menuitemcheckbox", "menuitemradio", "option", "radio", "radiogroup", "row", "rowheader", "searchbox",
    "select", "slider", "spinbutton", "switch", "tablist", "textbox", "toolbar", "tree", "treegrid", "treeitem",
    NULL
};

int aria_disabled(heal_doc *doc, struct dom_node *e)
{
    if (natively_disabled(e))
        return 1;
    if (!in_set(aria_role(doc, e), disabled_roles))
        return 0;
    for (const struct dom_node *a = e; a; a = a->parent) {
        const char *v = dom_attr(a, "aria-disabled");
        if (v && !strcasecmp(v, "true"))
            return 1;
        if (v && !strcasecmp(v, "false"))
            return 0;
    }
    return 0;
}

int aria_checked(heal_doc *doc, struct dom_node *e)
{
    static const char *const roles[] = { "checkbox", "menuitemcheckbox", "option", "radio", "switch",
                                         "menuitemradio", "treeitem", NULL };
    const char *type = input_type(e);
    if (dom_is(e, "input") && (!strcmp(type, "checkbox") || !strcmp(type, "radio")))
        return dom_has_attr(e, "checked");
    if (in_set(aria_role(doc, e), roles)) {
        const char *v = dom_attr(e, "aria-checked");
        if (v && !strcasecmp(v, "true"))
            return 1;
        if (v && !strcasecmp(v, "mixed"))
            return 2;
    }
    return 0;
}

int aria_pressed(heal_doc *doc, struct dom_node *e)
{
    const char *role = aria_role(doc, e);
    if (role && !strcmp(role, "button")) {
        const char *v = dom_attr(e, "aria-pressed");
        if (v && !strcasecmp(v, "true"))
            return 1;
        if (v && !strcasecmp(v, "mixed"))
            return 2;
    }
    return 0;
}

int aria_expanded(heal_doc *doc, struct dom_node *e)
{
    static const char *const roles[] = { "application", "button", "checkbox", "combobox", "gridcell", "link",
                                         "listbox", "menuitem", "row", "rowheader", "tab", "treeitem",
                                         "columnheader", "menuitemcheckbox", "menuitemradio", "switch", NULL };
    if (dom_is(e, "details"))
        return dom_has_attr(e, "open");
    if (in_set(aria_role(doc, e), roles)) {
        const char *v = dom_attr(e, "aria-expanded");
        if (!v)
            return -1;
        return !strcasecmp(v, "true");
    }
    return -1;
}

int aria_selected(heal_doc *doc, struct dom_node *e)
{
    static const char *const roles[] = { "gridcell", "option", "row", "tab", "rowheader", "columnheader",
                                         "treeitem", NULL };
    if (dom_is(e, "option"))
        return dom_has_attr(e, "selected");
    if (in_set(aria_role(doc, e), roles)) {
        const char *v = dom_attr(e, "aria-selected");
        return v && !strcasecmp(v, "true");
    }
    return 0;
}
