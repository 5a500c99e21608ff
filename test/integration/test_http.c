/* Integration tests for the outbound HTTP client against a local libmicrohttpd server: 200, 404,
 * 429 with Retry-After (seconds and HTTP-date), GitHub's exhausted-quota 403, 503, a response slower
 * than the timeout, a dropped connection, refused and unresolvable hosts, TLS to a plain-HTTP port,
 * the body cap, keep-alive, and credentials kept out of messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/stores/http.h"
#include "http_test_server.h"
#include "it_env.h"

static struct http_test_server *server;
static struct argus_http client;

static enum argus_outcome get(const char *path, struct argus_http_response *resp, struct argus_result *res)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s?token=query-secret", http_test_server_port(server), path);
    struct argus_http_request req = {.url = url, .label = "test"};
    enum argus_outcome o = argus_http_request(&client, &req, resp, res);
    assert_null(strstr(res->message, "query-secret"));
    return o;
}

static void ok_and_keep_alive(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    unsigned before = http_test_server_connections(server);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(get("/ok", &resp, &res), ARGUS_OK);
        assert_int_equal(resp.status, 200);
        assert_string_equal(argus_buf_str(&resp.body), "hello");
        assert_false(resp.truncated);
        argus_http_response_free(&resp);
    }
    assert_int_equal(http_test_server_connections(server) - before, 1);   /* one socket, reused */
}

static void post_with_headers(void **state)
{
    (void)state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", http_test_server_port(server));
    const char *headers[] = {"X-Test: yes", "Content-Type: application/json", NULL};
    const char body[] = "{\"text\":\"hi\"}";
    struct argus_http_request req = {.url = url, .headers = headers, .body = body, .body_len = strlen(body)};
    struct argus_http_response resp;
    struct argus_result res;
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_OK);
    assert_string_equal(argus_buf_str(&resp.body), "POST yes|{\"text\":\"hi\"}");
    argus_http_response_free(&resp);
    req.method = "PUT";
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_OK);
    assert_string_equal(argus_buf_str(&resp.body), "PUT yes|{\"text\":\"hi\"}");
    argus_http_response_free(&resp);
    req.method = "DELETE";
    req.body = NULL;
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_OK);
    assert_string_equal(argus_buf_str(&resp.body), "DELETE yes|");
    argus_http_response_free(&resp);
}

static void not_found_rejects(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    assert_int_equal(get("/missing", &resp, &res), ARGUS_REJECT);
    assert_string_equal(res.error_class, ARGUS_ERR_HTTP);
    assert_non_null(strstr(res.message, "HTTP 404"));
    assert_non_null(strstr(res.message, "channel_not_found"));
    assert_non_null(strstr(res.message, "test: GET http://127.0.0.1:"));
    assert_string_equal(resp.content_type, "application/json");
    argus_http_response_free(&resp);
    assert_int_equal(get("/forbidden", &resp, &res), ARGUS_REJECT);
    assert_non_null(strstr(res.message, "HTTP 403"));
    argus_http_response_free(&resp);
}

static void rate_limits_retry_with_the_servers_wait(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    assert_int_equal(get("/ratelimited", &resp, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_RATE_LIMITED);
    assert_int_equal(res.retry_after_ms, 7000);
    assert_string_equal(resp.retry_after, "7");
    argus_http_response_free(&resp);

    assert_int_equal(get("/ratelimited-date", &resp, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_RATE_LIMITED);
    assert_true(res.retry_after_ms >= 3000 && res.retry_after_ms <= 6000);
    argus_http_response_free(&resp);

    assert_int_equal(get("/quota", &resp, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_RATE_LIMITED);
    assert_true(res.retry_after_ms >= 28000 && res.retry_after_ms <= 31000);
    argus_http_response_free(&resp);
}

static void server_errors_retry(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    assert_int_equal(get("/unavailable", &resp, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_HTTP);
    assert_non_null(strstr(res.message, "HTTP 503"));
    argus_http_response_free(&resp);
}

static void slow_response_times_out(void **state)
{
    (void)state;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/slow", http_test_server_port(server));
    struct argus_http_request req = {.url = url, .timeout_ms = 300};
    struct argus_http_response resp;
    struct argus_result res;
    double t0 = it_now_ms();
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_RETRY);
    assert_true(it_now_ms() - t0 < 1500);
    assert_string_equal(res.error_class, ARGUS_ERR_TIMEOUT);
    argus_http_response_free(&resp);
    /* the client is fine afterwards */
    assert_int_equal(get("/ok", &resp, &res), ARGUS_OK);
    argus_http_response_free(&resp);
}

static void dropped_connection_retries(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    assert_int_equal(get("/close", &resp, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    assert_int_equal(resp.status, 0);
    argus_http_response_free(&resp);
}

static void network_failures_retry(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    struct argus_http_request req = {.url = "http://127.0.0.1:1/refused", .connect_timeout_ms = 2000};
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    argus_http_response_free(&resp);

    req.url = "http://argus-no-such-host.invalid/x";
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    argus_http_response_free(&resp);

    /* TLS spoken to a plain-HTTP port */
    char url[128];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/ok", http_test_server_port(server));
    req.url = url;
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    argus_http_response_free(&resp);

    /* a URL curl cannot use is permanent */
    req.url = "ftp://example.com/file";
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_REJECT);
    argus_http_response_free(&resp);
}

static void body_is_capped(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    client.max_body = 1000;
    assert_int_equal(get("/big", &resp, &res), ARGUS_OK);
    assert_int_equal(resp.body.len, 1000);
    assert_true(resp.truncated);
    argus_http_response_free(&resp);
    client.max_body = ARGUS_HTTP_DEFAULT_MAX_BODY;
    unsigned before = http_test_server_connections(server);
    assert_int_equal(get("/ok", &resp, &res), ARGUS_OK);   /* same connection after a long body */
    assert_int_equal(http_test_server_connections(server), before);
    argus_http_response_free(&resp);
}

static void credentials_stay_out_of_messages(void **state)
{
    (void)state;
    char url[160];
    snprintf(url, sizeof url, "http://user:url-password@127.0.0.1:%d/echo-auth?api_key=k123456",
             http_test_server_port(server));
    const char *headers[] = {"Authorization: Bearer xoxb-123-secret-token", "X-Slack-Signature: v0=abcdef12", NULL};
    struct argus_http_request req = {.url = url, .headers = headers};
    struct argus_http_response resp;
    struct argus_result res;
    assert_int_equal(argus_http_request(&client, &req, &resp, &res), ARGUS_REJECT);
    assert_non_null(strstr(argus_buf_str(&resp.body), "xoxb-123-secret-token"));   /* the server echoed it */
    assert_non_null(strstr(res.message, "HTTP 401"));
    assert_null(strstr(res.message, "xoxb-123-secret-token"));
    assert_null(strstr(res.message, "url-password"));
    assert_null(strstr(res.message, "k123456"));
    argus_http_response_free(&resp);
}

int main(void)
{
    server = http_test_server_start();
    if (!server || argus_http_init(&client, "argus-test", 2000, 10000) != 0) {
        fprintf(stderr, "cannot start the HTTP test server or client\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ok_and_keep_alive),
        cmocka_unit_test(post_with_headers),
        cmocka_unit_test(not_found_rejects),
        cmocka_unit_test(rate_limits_retry_with_the_servers_wait),
        cmocka_unit_test(server_errors_retry),
        cmocka_unit_test(slow_response_times_out),
        cmocka_unit_test(dropped_connection_retries),
        cmocka_unit_test(network_failures_retry),
        cmocka_unit_test(body_is_capped),
        cmocka_unit_test(credentials_stay_out_of_messages),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    argus_http_close(&client);
    http_test_server_stop(server);
    curl_global_cleanup();
    return failed;
}
