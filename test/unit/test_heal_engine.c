/* Unit tests of healing decisions on small page pairs: a renamed id healed to the new stable
 * selector, a decoy detected (the old id now on another button), a removed element refused, two
 * equally good candidates refused, generated names (CSS-module hashes, React useId, mat-input-N,
 * ember ids) never emitted, the answer in the input's syntax, an unchanged selector kept, and a
 * selector that does not parse reported as an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heal.h"

struct outcome {
    int success;
    char selector[512];
    char strategy[64];
    char reason[512];
    double confidence;
};

static heal_doc *page(const char *html)
{
    char err[256];
    heal_doc *d = heal_doc_parse(html, strlen(html), err, sizeof err);
    if (!d)
        fail_msg("parse: %s", err);
    return d;
}

static struct outcome heal(const char *sel, enum heal_syntax syntax, const char *now_html, const char *then_html)
{
    heal_doc *now = page(now_html), *then = then_html ? page(then_html) : NULL;
    struct heal_options o = HEAL_OPTIONS_INIT;
    o.syntax = syntax;
    struct heal_result r;
    char err[256];
    struct outcome out = { 0 };
    if (heal_selector(sel, &o, now, then, &r, err, sizeof err) < 0)
        fail_msg("heal_selector: %s", err);
    out.success = r.success;
    out.confidence = r.confidence;
    snprintf(out.selector, sizeof out.selector, "%s", r.selector ? r.selector : "");
    snprintf(out.strategy, sizeof out.strategy, "%s", r.strategy ? r.strategy : "");
    snprintf(out.reason, sizeof out.reason, "%s", r.reason ? r.reason : "");
    assert_true(r.n_candidates <= HEAL_CANDIDATES);
    if (r.success)
        assert_true(r.element >= 0);
    heal_result_free(&r);
    heal_doc_free(now);
    heal_doc_free(then);
    return out;
}

/* The element index the selector finds alone in html, or -1. */
static long finds(const char *html, enum heal_syntax syntax, const char *sel)
{
    heal_doc *d = page(html);
    struct heal_matches m;
    char err[256];
    long r = -1;
    if (heal_select(d, syntax, sel, NULL, &m, err, sizeof err) == 0 && m.count == 1)
        r = (long)m.items[0];
    heal_matches_free(&m);
    heal_doc_free(d);
    return r;
}

#define LOGIN_OLD                                                                                              \
    "<!DOCTYPE html><body><form id=login><input name=email placeholder=Email>"                             \
    "<button id=btn-login class='Button_primary__3xK9a' type=submit>Sign in</button>"                         \
    "<a href=/reset>Forgot password?</a></form></body>"

static void renamed_id_is_healed(void **state)
{
    (void)state;
    const char *now = "<!DOCTYPE html><body><form id=login><input name=email placeholder=Email>"
                      "<button id=login-submit class='Button_primary__9Qz1x' type=submit>Sign in</button>"
                      "<a href=/reset>Forgot password?</a></form></body>";
    struct outcome o = heal("#btn-login", HEAL_SYNTAX_CSS, now, LOGIN_OLD);
    assert_true(o.success);
    assert_string_equal(o.selector, "#login-submit");
    assert_string_equal(o.strategy, "id");
    assert_true(o.confidence > 0.7 && o.confidence <= 1.0);
    /* without the old page the selector's own words lead to the same button */
    o = heal("#btn-login", HEAL_SYNTAX_CSS, now, NULL);
    assert_true(o.success);
    assert_string_equal(o.selector, "#login-submit");
}

static void decoy_is_detected(void **state)
{
    (void)state;
    const char *now = "<!DOCTYPE html><body><form id=login><input name=email placeholder=Email>"
                      "<button id=btn-password-login type=submit>Sign in</button>"
                      "<button id=btn-login type=button>Sign in with Google</button>"
                      "<a href=/reset>Forgot password?</a></form></body>";
    struct outcome o = heal("#btn-login", HEAL_SYNTAX_CSS, now, LOGIN_OLD);
    assert_true(o.success);
    assert_string_equal(o.selector, "#btn-password-login");
    assert_non_null(strstr(o.reason, "different element"));
}

static void removed_element_is_refused(void **state)
{
    (void)state;
    const char *now = "<!DOCTYPE html><body><form id=login><input name=email placeholder=Email>"
                      "<a href=/reset>Forgot password?</a></form></body>";
    struct outcome o = heal("#btn-login", HEAL_SYNTAX_CSS, now, LOGIN_OLD);
    assert_false(o.success);
    assert_string_equal(o.selector, "");
    assert_true(o.confidence == 0.0);
    assert_true(strlen(o.reason) > 10);
}

static void close_candidates_are_refused(void **state)
{
    (void)state;
    const char *old_html = "<!DOCTYPE html><body><div class=card><button id=buy>Buy</button></div></body>";
    const char *now = "<!DOCTYPE html><body><div class=card><button>Buy</button></div>"
                      "<div class=card><button>Buy</button></div></body>";
    struct outcome o = heal("#buy", HEAL_SYNTAX_CSS, now, old_html);
    assert_false(o.success);
    assert_string_equal(o.strategy, "ambiguous");
}

static void generated_names_are_never_emitted(void **state)
{
    (void)state;
    const char *old_html = "<!DOCTYPE html><body><div class=sc-bdVaJa><label for=':r1:'>Email</label>"
                           "<input id=':r1:' class='css-1x5jdmq Input_field__a8Kq2'></div>"
                           "<button id=ember16 class='kXyZab publish'>Publish</button></body>";
    const char *now = "<!DOCTYPE html><body><div class=sc-hKgILt><label for=':R2d:'>Email</label>"
                      "<input id=':R2d:' class='css-7pq1zz Input_field__Lm0c1'></div>"
                      "<button id=ember53 class='bZkfAO publish'>Publish</button></body>";
    struct outcome o = heal("[id=':r1:']", HEAL_SYNTAX_CSS, now, old_html);
    assert_true(o.success);
    assert_null(strstr(o.selector, ":R2d:"));
    assert_null(strstr(o.selector, "css-"));
    assert_null(strstr(o.selector, "__"));
    assert_int_equal(finds(now, HEAL_SYNTAX_CSS, o.selector), 5);
    o = heal("#ember16", HEAL_SYNTAX_CSS, now, old_html);
    assert_true(o.success);
    assert_string_equal(o.selector, "button.publish");
    o = heal("//button[@id='ember16']", HEAL_SYNTAX_XPATH, now, old_html);
    assert_true(o.success);
    assert_null(strstr(o.selector, "ember"));
    assert_int_equal(finds(now, HEAL_SYNTAX_XPATH, o.selector), 6);
}

static void answer_keeps_the_syntax(void **state)
{
    (void)state;
    const char *now = "<!DOCTYPE html><body><form id=login><input name=email placeholder=Email>"
                      "<button type=submit>Log in</button><a href=/reset>Forgot password?</a></form></body>";
    struct outcome o = heal("getByRole('button', { name: 'Sign in' })", HEAL_SYNTAX_PLAYWRIGHT, now, LOGIN_OLD);
    assert_true(o.success);
    assert_string_equal(o.selector, "getByRole('button', { name: 'Log in' })");
    assert_int_equal(finds(now, HEAL_SYNTAX_PLAYWRIGHT, o.selector), 5);
    o = heal("//button[text()='Sign in']", HEAL_SYNTAX_XPATH, now, LOGIN_OLD);
    assert_true(o.success);
    assert_int_equal(finds(now, HEAL_SYNTAX_XPATH, o.selector), 5);
    assert_true(o.selector[0] == '/');
}

static void valid_selector_is_kept(void **state)
{
    (void)state;
    struct heal_options opt = HEAL_OPTIONS_INIT;
    opt.error_type = HEAL_ERROR_TIMEOUT;
    heal_doc *d = page(LOGIN_OLD), *old = page(LOGIN_OLD);
    struct heal_result r;
    char err[128];
    assert_int_equal(heal_selector("#btn-login", &opt, d, old, &r, err, sizeof err), 0);
    assert_true(r.success);
    assert_false(r.changed);
    assert_string_equal(r.strategy, "unchanged");
    assert_non_null(strstr(r.reason, "timeout"));
    heal_result_free(&r);
    heal_doc_free(d);
    heal_doc_free(old);
}

static void bad_selector_is_an_error(void **state)
{
    (void)state;
    heal_doc *d = page(LOGIN_OLD);
    struct heal_options opt = HEAL_OPTIONS_INIT;
    struct heal_result r;
    char err[128] = "";
    assert_int_equal(heal_selector("button[", &opt, d, NULL, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "expected"));
    opt.syntax = HEAL_SYNTAX_XPATH;
    assert_int_equal(heal_selector("//button[", &opt, d, NULL, &r, err, sizeof err), -1);
    opt.syntax = HEAL_SYNTAX_PLAYWRIGHT;
    assert_int_equal(heal_selector("getByRole(", &opt, d, NULL, &r, err, sizeof err), -1);
    heal_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renamed_id_is_healed),
        cmocka_unit_test(decoy_is_detected),
        cmocka_unit_test(removed_element_is_refused),
        cmocka_unit_test(close_candidates_are_refused),
        cmocka_unit_test(generated_names_are_never_emitted),
        cmocka_unit_test(answer_keeps_the_syntax),
        cmocka_unit_test(valid_selector_is_kept),
        cmocka_unit_test(bad_selector_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
