/* Unit tests for outbound HTTP rules: Retry-After (seconds, the three HTTP-date forms, past dates,
 * garbage, the cap), status and curl-error classification, rate-limit headers, and URLs shown
 * without credentials or query strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "argus/stores/http.h"

/* Sun, 06 Nov 1994 08:49:37 GMT */
static const time_t T0 = 784111777;

static void retry_after_seconds(void **state)
{
    (void)state;
    assert_int_equal(argus_http_parse_retry_after("120", T0), 120000);
    assert_int_equal(argus_http_parse_retry_after(" 0 ", T0), 0);
    assert_int_equal(argus_http_parse_retry_after("1", T0), 1000);
    assert_int_equal(argus_http_parse_retry_after("86400", T0), ARGUS_HTTP_RETRY_AFTER_MAX_MS);
    assert_int_equal(argus_http_parse_retry_after("99999999999999999999", T0), ARGUS_HTTP_RETRY_AFTER_MAX_MS);
    assert_int_equal(argus_http_parse_retry_after("", T0), -1);
    assert_int_equal(argus_http_parse_retry_after(NULL, T0), -1);
    assert_int_equal(argus_http_parse_retry_after("12s", T0), -1);
    assert_int_equal(argus_http_parse_retry_after("-5", T0), -1);
    assert_int_equal(argus_http_parse_retry_after("soon", T0), -1);
}

static void retry_after_dates(void **state)
{
    (void)state;
    assert_int_equal(argus_http_parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", T0), 30000);   /* IMF-fixdate */
    assert_int_equal(argus_http_parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", T0), 60000);  /* RFC 850 */
    assert_int_equal(argus_http_parse_retry_after("Sun Nov  6 08:49:47 1994", T0), 10000);        /* asctime */
    assert_int_equal(argus_http_parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", T0), 0);        /* past */
    assert_int_equal(argus_http_parse_retry_after("Mon, 07 Nov 1994 08:49:37 GMT", T0), ARGUS_HTTP_RETRY_AFTER_MAX_MS);
    /* a date hundreds of millions of years away (found by the fuzzer: the wait overflowed) */
    assert_int_equal(argus_http_parse_retry_after("W1Oct980000002", T0), ARGUS_HTTP_RETRY_AFTER_MAX_MS);
}

static struct argus_http_response response(long status)
{
    struct argus_http_response r;
    memset(&r, 0, sizeof r);
    r.status = status;
    return r;
}

static enum argus_outcome classify(CURLcode code, struct argus_http_response *r, struct argus_result *res)
{
    res->retry_after_ms = 12345;   /* stale value from an earlier use must not survive */
    return argus_http_classify(code, r, "POST", "https://hooks.example.com/services/T0/B0/xyz?token=s3cret",
                               "slack", T0, res);
}

static void statuses(void **state)
{
    (void)state;
    struct argus_result res;
    static const long ok[] = {200, 201, 204, 299};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct argus_http_response r = response(ok[i]);
        assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_OK);
        assert_int_equal(res.retry_after_ms, 0);
    }
    static const long transient[] = {408, 425, 500, 502, 503, 504, 599};
    for (size_t i = 0; i < sizeof transient / sizeof transient[0]; i++) {
        struct argus_http_response r = response(transient[i]);
        assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_RETRY);
        assert_string_equal(res.error_class, ARGUS_ERR_HTTP);
        assert_int_equal(res.retry_after_ms, 0);
    }
    static const long permanent[] = {400, 401, 403, 404, 405, 409, 410, 413, 422, 301, 304};
    for (size_t i = 0; i < sizeof permanent / sizeof permanent[0]; i++) {
        struct argus_http_response r = response(permanent[i]);
        assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_REJECT);
        assert_string_equal(res.error_class, ARGUS_ERR_HTTP);
        char want[16];
        snprintf(want, sizeof want, "HTTP %ld", permanent[i]);
        assert_non_null(strstr(res.message, want));
        assert_int_equal(res.retry_after_ms, 0);
    }
}

static void rate_limits(void **state)
{
    (void)state;
    struct argus_result res;
    struct argus_http_response r = response(429);
    assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_RATE_LIMITED);
    assert_int_equal(res.retry_after_ms, 0);   /* no hint: the consumer's backoff decides */
    strcpy(r.retry_after, "30");
    classify(CURLE_OK, &r, &res);
    assert_int_equal(res.retry_after_ms, 30000);
    /* 503 with Retry-After: a retry that honours the hint */
    r = response(503);
    strcpy(r.retry_after, "Sun, 06 Nov 1994 08:49:42 GMT");
    assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_RETRY);
    assert_int_equal(res.retry_after_ms, 5000);
    /* GitHub: 403 with the quota used up */
    r = response(403);
    strcpy(r.ratelimit_remaining, "0");
    snprintf(r.ratelimit_reset, sizeof r.ratelimit_reset, "%lld", (long long)T0 + 90);
    assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_RATE_LIMITED);
    assert_int_equal(res.retry_after_ms, 90000);
    /* GitHub secondary limit: 403 with Retry-After */
    r = response(403);
    strcpy(r.retry_after, "60");
    assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_RETRY);
    assert_int_equal(res.retry_after_ms, 60000);
    /* quota left: a plain permission error */
    r = response(403);
    strcpy(r.ratelimit_remaining, "4999");
    strcpy(r.ratelimit_reset, "784111800");
    assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_REJECT);
    /* a reset time no clock reaches: the longest wait, not an overflow */
    r = response(429);
    strcpy(r.ratelimit_remaining, "0");
    strcpy(r.ratelimit_reset, "99999999999999999999");
    assert_int_equal(classify(CURLE_OK, &r, &res), ARGUS_RETRY);
    assert_int_equal(res.retry_after_ms, ARGUS_HTTP_RETRY_AFTER_MAX_MS);
}

static void network_errors(void **state)
{
    (void)state;
    struct argus_result res;
    struct argus_http_response r = response(0);
    static const CURLcode transient[] = {CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING,
                                         CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_SSL_CONNECT_ERROR,
                                         CURLE_PEER_FAILED_VERIFICATION, CURLE_PARTIAL_FILE, CURLE_HTTP2};
    for (size_t i = 0; i < sizeof transient / sizeof transient[0]; i++) {
        assert_int_equal(classify(transient[i], &r, &res), ARGUS_RETRY);
        assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    }
    assert_int_equal(classify(CURLE_OPERATION_TIMEDOUT, &r, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_TIMEOUT);
    /* a timeout after the status line arrived is still a timeout */
    r.status = 200;
    assert_int_equal(classify(CURLE_OPERATION_TIMEDOUT, &r, &res), ARGUS_RETRY);
    r.status = 0;
    assert_int_equal(classify(CURLE_URL_MALFORMAT, &r, &res), ARGUS_REJECT);
    assert_int_equal(classify(CURLE_UNSUPPORTED_PROTOCOL, &r, &res), ARGUS_REJECT);
}

static void messages_hide_secrets(void **state)
{
    (void)state;
    struct argus_result res;
    struct argus_http_response r = response(404);
    classify(CURLE_OK, &r, &res);
    assert_string_equal(res.message, "slack: POST https://hooks.example.com/services/T0/B0/xyz: HTTP 404");
    char safe[128];
    argus_http_safe_url("https://user:pw@api.github.com:443/repos/o/r/issues?access_token=abc#frag", safe, sizeof safe);
    assert_string_equal(safe, "https://api.github.com:443/repos/o/r/issues");
    argus_http_safe_url("http://h", safe, sizeof safe);
    assert_string_equal(safe, "http://h");
    argus_http_safe_url("http://a@b@h/p?q", safe, sizeof safe);
    assert_string_equal(safe, "http://h/p");
    argus_http_safe_url(NULL, safe, sizeof safe);
    assert_string_equal(safe, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(retry_after_seconds),
        cmocka_unit_test(retry_after_dates),
        cmocka_unit_test(statuses),
        cmocka_unit_test(rate_limits),
        cmocka_unit_test(network_errors),
        cmocka_unit_test(messages_hide_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
