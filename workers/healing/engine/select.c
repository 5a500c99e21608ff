/* heal_select and heal_selector_check: one entry point for the three selector syntaxes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "css.h"
#include "heal.h"
#include "pw.h"
#include "select_internal.h"
#include "xpath.h"

const char *heal_syntax_name(enum heal_syntax s)
{
    return s == HEAL_SYNTAX_XPATH ? "xpath" : s == HEAL_SYNTAX_PLAYWRIGHT ? "playwright" : "css";
}

int heal_syntax_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "css"))
        return HEAL_SYNTAX_CSS;
    if (!strcmp(name, "xpath"))
        return HEAL_SYNTAX_XPATH;
    if (!strcmp(name, "playwright"))
        return HEAL_SYNTAX_PLAYWRIGHT;
    return -1;
}

long select_nodes(heal_doc *doc, enum heal_syntax syntax, const char *selector, const char *testid,
                  struct dom_node ***out, char *err, size_t errlen)
{
    *out = NULL;
    if (syntax == HEAL_SYNTAX_XPATH)
        return xpath_query(doc, NULL, selector, out, err, errlen);
    if (syntax == HEAL_SYNTAX_PLAYWRIGHT) {
        struct pw_locator *l = pw_parse(selector, err, errlen);
        if (!l)
            return -1;
        long n = pw_query(doc, l, testid, out, err, errlen);
        pw_free(l);
        return n;
    }
    struct css_list *l = css_parse(selector, err, errlen);
    if (!l)
        return -1;
    size_t n = css_query(doc, NULL, l, out);
    css_free(l);
    return (long)n;
}

int select_unique(heal_doc *doc, enum heal_syntax syntax, const char *selector, const char *testid,
                  const struct dom_node *want)
{
    struct dom_node **items;
    char err[160];
    long n = select_nodes(doc, syntax, selector, testid, &items, err, sizeof err);
    int ok = n == 1 && items[0] == want;
    free(items);
    return ok;
}

int heal_select(heal_doc *doc, enum heal_syntax syntax, const char *selector, const char *test_id_attribute,
                struct heal_matches *out, char *err, size_t errlen)
{
    out->items = NULL;
    out->count = 0;
    struct dom_node **items;
    long n = select_nodes(doc, syntax, selector, test_id_attribute, &items, err, errlen);
    if (n < 0)
        return -1;
    out->items = malloc(((size_t)n + 1) * sizeof *out->items);
    if (!out->items)
        abort();
    for (long i = 0; i < n; i++)
        out->items[i] = (size_t)items[i]->index;
    out->count = (size_t)n;
    free(items);
    return 0;
}

void heal_matches_free(struct heal_matches *m)
{
    free(m->items);
    m->items = NULL;
    m->count = 0;
}

int heal_selector_check(enum heal_syntax syntax, const char *selector, char *err, size_t errlen)
{
    if (!selector || !selector[0]) {
        snprintf(err, errlen, "empty selector");
        return -1;
    }
    if (syntax == HEAL_SYNTAX_XPATH)
        return xpath_check(selector, err, errlen);
    if (syntax == HEAL_SYNTAX_PLAYWRIGHT) {
        struct pw_locator *l = pw_parse(selector, err, errlen);
        pw_free(l);
        return l ? 0 : -1;
    }
    struct css_list *l = css_parse(selector, err, errlen);
    css_free(l);
    return l ? 0 : -1;
}

int heal_doc_text(heal_doc *doc, size_t element, char *buf, size_t len)
{
    if (!doc || element >= doc->n_elements || !len)
        return -1;
    snprintf(buf, len, "%s", dom_text_of(doc, doc->elements[element])->norm);
    return 0;
}
