/* Unit tests of the healing engine's evaluators on small pages: the HTML5 tree (implied and
 * auto-closed elements, foster parenting, template contents, SVG, entities, quirks mode), CSS
 * selectors level 4 and Playwright's CSS extensions, XPath through libxml2, and Playwright locators
 * (roles, accessible names, labels, text engines, chains, nth). The expected element indexes are what
 * Chromium returns for the same pages (test/browser checks the corpus the same way). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heal.h"

static heal_doc *page(const char *html)
{
    char err[256];
    heal_doc *d = heal_doc_parse(html, strlen(html), err, sizeof err);
    if (!d)
        fail_msg("parse: %s", err);
    return d;
}

/* "i,j,k" of the elements sel matches, or "error" */
static const char *matches(heal_doc *d, enum heal_syntax syntax, const char *sel)
{
    static char out[512];
    struct heal_matches m;
    char err[256];
    if (heal_select(d, syntax, sel, NULL, &m, err, sizeof err) < 0)
        return "error";
    out[0] = '\0';
    for (size_t i = 0; i < m.count; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%zu", i ? "," : "", m.items[i]);
    heal_matches_free(&m);
    return out;
}

static const char *tags(heal_doc *d)
{
    static char out[1024];
    out[0] = '\0';
    for (size_t i = 0; i < heal_doc_element_count(d); i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "", heal_doc_tag(d, i));
    return out;
}

static void tree_like_a_browser(void **state)
{
    (void)state;
    heal_doc *d = page("<!DOCTYPE html><p>a<p>b<ul><li>1<li>2</ul><table><tr><td>x</td></tr><b>fostered</b></table>"
                       "<template><div>inert</div></template><svg viewBox='0 0 1 1'><foreignObject/><title>t</title></svg>"
                       "<my-widget>w</my-widget>");
    /* implied html/head/body, p closed by p, li by li, tbody inserted, <b> fostered before the table,
     * template content outside the tree, SVG camelCase */
    assert_string_equal(tags(d), "html head body p p ul li li b table tbody tr td template svg foreignObject title "
                                 "my-widget");
    char text[64];
    heal_doc_free(d);
    d = page("<p id=x>caf&eacute; &amp; &#x263A;&nbsp;ok</p>");
    assert_int_equal(heal_doc_text(d, 3, text, sizeof text), 0);
    assert_string_equal(text, "caf\xc3\xa9 & \xe2\x98\xba ok");
    assert_int_equal(heal_doc_text(d, 99, text, sizeof text), -1);
    heal_doc_free(d);
}

static void page_limits(void **state)
{
    (void)state;
    char err[128];
    assert_null(heal_doc_parse("", 0, err, sizeof err));
    assert_non_null(strstr(err, "empty"));
    assert_null(heal_doc_parse("<p>", HEAL_PAGE_MAX + 1, err, sizeof err));
    assert_non_null(strstr(err, "more than"));
}

static const char *const FORM =
    "<!DOCTYPE html><html><head><title>T</title></head><body>"   /* 0 html 1 head 2 title 3 body */
    "<form id=f class='login Form'>"                             /* 4 */
    "<label for=e>Email</label><input id=e name=email type=email placeholder='you@x.io'>"  /* 5 6 */
    "<label>Password <input name=pw type=password></label>"      /* 7 8 */
    "<button type=submit class='btn btn-primary' data-testid=go>Sign <b>in</b></button>"   /* 9 10 */
    "<button type=button disabled aria-label='Close dialog'>x</button>"                    /* 11 */
    "<a href='/help' title=Help>Need help?</a><a>no href</a>"    /* 12 13 */
    "<input type=submit value='Send it'><input type=checkbox checked id=c>"               /* 14 15 */
    "</form><div hidden><button>Hidden</button></div>"           /* 16 17 */
    "<h2>Sign in</h2><p style='display:none'>gone</p></body></html>";                      /* 18 19 */

static void css_selectors(void **state)
{
    (void)state;
    heal_doc *d = page(FORM);
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "#e"), "6");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "form .btn.btn-primary"), "9");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, ".form"), "");           /* classes are case-sensitive */
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "[class~=Form]"), "4");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "[data-testid=GO i]"), "9");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "[href^='/he'][title$=lp]"), "12");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "input[type=email] + label"), "7");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "label ~ button"), "9,11");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "form > :nth-child(2n+1)"), "5,7,11,13,15");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "button:nth-of-type(2)"), "11");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "form > :nth-last-child(1 of input)"), "15");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "form > a:last-of-type"), "13");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "button:not(:disabled)"), "9,17");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, ":is(h2, p):where(h2)"), "18");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "label:has(> input[type=password])"), "7");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "label:has(+ input)"), "5");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, ":checked"), "15");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "#\\65 "), "6");          /* escaped e */
    /* Playwright's extensions */
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "button:has-text('sign in')"), "9");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, ":text('Sign in')"), "9,18");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "a:text-is('Need help?')"), "12");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "a:text-matches('need\\\\s+help', 'i')"), "12");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "button:visible"), "9,11");
    /* errors */
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "a::before"), "error");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "a[href"), "error");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, ":nth-child(x)"), "error");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, ":unknown-pseudo"), "error");
    assert_string_equal(matches(d, HEAL_SYNTAX_CSS, "a,"), "error");
    heal_doc_free(d);
}

static void xpath_expressions(void **state)
{
    (void)state;
    heal_doc *d = page(FORM);
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "//button[@data-testid='go']"), "9");
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "//button[normalize-space()='Sign in']"), "9");
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "//label[text()='Email']/following-sibling::input[1]"), "6");
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "(//a)[last()]"), "13");
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "/html/body/form/a[1]"), "12");
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "//form//text()"), "");   /* only elements count */
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "count(//a)"), "error");
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "//a[@"), "error");
    heal_doc_free(d);
    d = page("<div><svg><rect/></svg></div>");
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "//svg"), "");         /* SVG is not in no namespace */
    assert_string_equal(matches(d, HEAL_SYNTAX_XPATH, "//*[local-name()='svg']"), "4");
    heal_doc_free(d);
}

static void playwright_locators(void **state)
{
    (void)state;
    heal_doc *d = page(FORM);
    enum heal_syntax pw = HEAL_SYNTAX_PLAYWRIGHT;
    assert_string_equal(matches(d, pw, "getByRole('button', { name: 'sign in' })"), "9");
    assert_string_equal(matches(d, pw, "page.getByRole('button', { name: 'Sign', exact: true })"), "");
    assert_string_equal(matches(d, pw, "getByRole('button', { name: 'Sign in', exact: true })"), "9");
    assert_string_equal(matches(d, pw, "getByRole('button', { name: 'Close dialog', disabled: true })"), "11");
    assert_string_equal(matches(d, pw, "getByRole('button')"), "9,11,14");      /* hidden one excluded */
    assert_string_equal(matches(d, pw, "getByRole('button', { name: /^send/i })"), "14");
    assert_string_equal(matches(d, pw, "getByRole('heading', { level: 2 })"), "18");
    assert_string_equal(matches(d, pw, "getByRole('link')"), "12");            /* <a> without href: no role */
    assert_string_equal(matches(d, pw, "getByRole('checkbox', { checked: true })"), "15");
    assert_string_equal(matches(d, pw, "getByLabel('Email')"), "6");
    assert_string_equal(matches(d, pw, "getByLabel('password')"), "8");
    assert_string_equal(matches(d, pw, "getByLabel('Close dialog')"), "11");
    assert_string_equal(matches(d, pw, "getByPlaceholder('YOU@')"), "6");
    assert_string_equal(matches(d, pw, "getByTitle('Help', { exact: true })"), "12");
    assert_string_equal(matches(d, pw, "getByTestId('go')"), "9");
    assert_string_equal(matches(d, pw, "getByText('Sign in')"), "9,18");
    assert_string_equal(matches(d, pw, "getByText('in', { exact: true })"), "10");
    assert_string_equal(matches(d, pw, "getByText('Send it')"), "14");          /* input button value */
    assert_string_equal(matches(d, pw, "locator('form').getByRole('button').nth(1)"), "11");
    assert_string_equal(matches(d, pw, "locator('button').filter({ hasText: 'hidden' })"), "17");
    assert_string_equal(matches(d, pw, "locator('a').last()"), "13");
    assert_string_equal(matches(d, pw, "text=Need help"), "12");
    assert_string_equal(matches(d, pw, "text=\"Sign\""), "9");                   /* text node of the button */
    assert_string_equal(matches(d, pw, "role=button[name=\"Sign in\"]"), "9");
    assert_string_equal(matches(d, pw, "css=form >> role=link"), "12");
    assert_string_equal(matches(d, pw, "#f >> button >> nth=-1"), "11");
    assert_string_equal(matches(d, pw, "//form >> xpath=/a"), "12,13");
    assert_string_equal(matches(d, pw, "data-testid=go"), "9");
    assert_string_equal(matches(d, pw, "getByRole('button', { name: 'x' }"), "error");
    assert_string_equal(matches(d, pw, "getByNothing('x')"), "error");
    assert_string_equal(matches(d, pw, "text=/(?=x)/"), "error");
    heal_doc_free(d);
}

static void accessible_names(void **state)
{
    (void)state;
    heal_doc *d = page("<span id=l1>Billing</span><span id=l2>address</span>"
                       "<input aria-labelledby='l1 l2'>"                          /* 5 */
                       "<button><img alt='Trash'> Delete</button>"                /* 6 7 */
                       "<fieldset><legend>Shipping</legend><input type=radio></fieldset>"  /* 8 9 10 */
                       "<table><caption>Orders</caption><tr><td>1</td></tr></table>"       /* 11 12 13 14 15 */
                       "<button aria-hidden=true>Ghost</button><nav aria-label=Main></nav>"); /* 16 17 */
    enum heal_syntax pw = HEAL_SYNTAX_PLAYWRIGHT;
    assert_string_equal(matches(d, pw, "getByRole('textbox', { name: 'Billing address', exact: true })"), "5");
    assert_string_equal(matches(d, pw, "getByRole('button', { name: 'Trash Delete', exact: true })"), "6");
    assert_string_equal(matches(d, pw, "getByRole('group', { name: 'Shipping' })"), "8");
    assert_string_equal(matches(d, pw, "getByRole('table', { name: 'Orders' })"), "11");
    assert_string_equal(matches(d, pw, "getByRole('button', { name: 'Ghost' })"), "");
    assert_string_equal(matches(d, pw, "getByRole('button', { name: 'Ghost', includeHidden: true })"), "16");
    assert_string_equal(matches(d, pw, "getByRole('navigation', { name: 'Main' })"), "17");
    assert_string_equal(matches(d, pw, "getByLabel('Billing')"), "5");
    heal_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tree_like_a_browser),
        cmocka_unit_test(page_limits),
        cmocka_unit_test(css_selectors),
        cmocka_unit_test(xpath_expressions),
        cmocka_unit_test(playwright_locators),
        cmocka_unit_test(accessible_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
