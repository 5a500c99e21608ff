/* libFuzzer target: the healing engine's HTML glue on hostile markup. The bytes are a page; it is
 * parsed (libgumbo into the engine's tree), its element list read, every evaluator run over it (CSS
 * with :has() and Playwright's text pseudo-classes, XPath through the libxml2 mirror, Playwright
 * roles and accessible names, labels, :visible with the page's own <style> rules) and a heal run
 * with the page as both old and new page (fingerprints, scoring, selector generation). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "heal.h"

static void select_all(heal_doc *d, enum heal_syntax syntax, const char *sel)
{
    struct heal_matches m;
    char err[256];
    if (heal_select(d, syntax, sel, NULL, &m, err, sizeof err) == 0)
        heal_matches_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    heal_doc *d = heal_doc_parse((const char *)data, size, err, sizeof err);
    if (!d)
        return 0;
    for (size_t i = 0; i < heal_doc_element_count(d); i++) {
        char text[64];
        if (!heal_doc_tag(d, i) || heal_doc_text(d, i, text, sizeof text) < 0)
            abort();
    }
    select_all(d, HEAL_SYNTAX_CSS, "*:visible:has(> *):not(:empty)");
    select_all(d, HEAL_SYNTAX_CSS, "div :text('a'), :has-text('b') ~ *");
    select_all(d, HEAL_SYNTAX_XPATH, "//*[@id or @class][normalize-space()]");
    select_all(d, HEAL_SYNTAX_PLAYWRIGHT, "getByRole('button', { name: 'a' })");
    select_all(d, HEAL_SYNTAX_PLAYWRIGHT, "getByRole('link', { name: /x/i })");
    select_all(d, HEAL_SYNTAX_PLAYWRIGHT, "getByLabel('a')");
    select_all(d, HEAL_SYNTAX_PLAYWRIGHT, "getByRole('textbox')");
    select_all(d, HEAL_SYNTAX_PLAYWRIGHT, "text=a >> nth=-1");
    struct heal_options o = HEAL_OPTIONS_INIT;
    struct heal_result r;
    const char *probes[] = { "button", "#a", "[data-testid=a]" };
    for (size_t i = 0; i < 3; i++)
        if (heal_selector(probes[i], &o, d, d, &r, err, sizeof err) == 0)
            heal_result_free(&r);
    heal_doc_free(d);
    return 0;
}
