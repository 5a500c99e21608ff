/* What the selector fuzz targets of the healing engine share (fuzz_heal_css, fuzz_heal_xpath,
 * fuzz_heal_playwright): the bytes are a selector; it is checked, evaluated on a small page with forms,
 * labels, tables, SVG and a <style> rule, used to heal against that page (hints from the selector,
 * scoring, generation), and its text extracted. */
#ifndef ARGUS_FUZZ_HEAL_SELECTOR_H
#define ARGUS_FUZZ_HEAL_SELECTOR_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "heal.h"

static const char FUZZ_HEAL_PAGE[] =
    "<!DOCTYPE html><style>.gone{display:none}</style><form id=f aria-label=Login>"
    "<label for=e>Email</label><input id=e name=email placeholder=you><label>Pass <input type=password></label>"
    "<button class='btn gone' data-testid=go>Sign <b>in</b></button><input type=submit value=Send></form>"
    "<table><caption>T</caption><tr><th>h</th><td>1</td></tr></table><svg><title>s</title></svg>"
    "<a href=/x title=X>link</a><template><p>t</p></template>";

static inline int fuzz_heal_selector(enum heal_syntax syntax, const uint8_t *data, size_t size)
{
    static heal_doc *page;
    char err[256];
    if (!page && !(page = heal_doc_parse(FUZZ_HEAL_PAGE, sizeof FUZZ_HEAL_PAGE - 1, err, sizeof err)))
        abort();
    if (size > 4096)
        return 0;
    /* the whole input is the selector: fuzz_text_after_selector drops the first byte, so prepend one */
    uint8_t *buf = malloc(size + 1);
    if (!buf)
        return 0;
    buf[0] = 0;
    memcpy(buf + 1, data, size);
    char *sel = fuzz_text_after_selector(buf, size + 1);
    free(buf);
    if (!sel)
        return 0;
    if (heal_selector_check(syntax, sel, err, sizeof err) == 0) {
        struct heal_matches m;
        if (heal_select(page, syntax, sel, NULL, &m, err, sizeof err) == 0) {
            for (size_t i = 0; i < m.count; i++)
                if (m.items[i] >= heal_doc_element_count(page))
                    abort();
            heal_matches_free(&m);
        }
        struct heal_options o = HEAL_OPTIONS_INIT;
        o.syntax = syntax;
        struct heal_result r;
        if (heal_selector(sel, &o, page, NULL, &r, err, sizeof err) == 0)
            heal_result_free(&r);
        char text[128];
        heal_selector_text(sel, syntax, text, sizeof text);
    }
    free(sel);
    return 0;
}

#endif
