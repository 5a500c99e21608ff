/* Unit tests for the operations surface: Prometheus rendering (labels escaped, histograms
 * cumulative) and the HTTP endpoints' status codes driven by the live/ready checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "argus/base/buf.h"
#include "argus/runtime/health.h"
#include "argus/base/metrics.h"

static void counters_gauges_and_labels(void **state)
{
    (void)state;
    argus_metrics_reset();
    argus_metric_define("t_total", ARGUS_COUNTER, "a counter", NULL);
    struct argus_buf l = ARGUS_BUF_INIT;
    argus_metric_label(&l, "topic", "a\"b\\c\nd");
    argus_counter_add("t_total", argus_buf_str(&l), 2);
    argus_counter_add("t_total", argus_buf_str(&l), 3);
    argus_gauge_set("t_gauge", NULL, 7);
    argus_gauge_set("t_gauge", NULL, 4);
    struct argus_buf out = ARGUS_BUF_INIT;
    argus_metrics_render(&out);
    const char *s = argus_buf_str(&out);
    assert_non_null(strstr(s, "# TYPE t_total counter"));
    assert_non_null(strstr(s, "t_total{topic=\"a\\\"b\\\\c\\nd\"} 5\n"));
    assert_non_null(strstr(s, "t_gauge 4\n"));
    argus_buf_free(&l);
    argus_buf_free(&out);
}

static void histogram_is_cumulative(void **state)
{
    (void)state;
    argus_metrics_reset();
    static const double bounds[] = {0.1, 1, -1};
    argus_metric_define("t_seconds", ARGUS_HISTOGRAM, "latency", bounds);
    argus_histogram_observe("t_seconds", "k=\"v\"", 0.05);
    argus_histogram_observe("t_seconds", "k=\"v\"", 0.5);
    argus_histogram_observe("t_seconds", "k=\"v\"", 5);
    struct argus_buf out = ARGUS_BUF_INIT;
    argus_metrics_render(&out);
    const char *s = argus_buf_str(&out);
    assert_non_null(strstr(s, "t_seconds_bucket{k=\"v\",le=\"0.1\"} 1\n"));
    assert_non_null(strstr(s, "t_seconds_bucket{k=\"v\",le=\"1\"} 2\n"));
    assert_non_null(strstr(s, "t_seconds_bucket{k=\"v\",le=\"+Inf\"} 3\n"));
    assert_non_null(strstr(s, "t_seconds_count{k=\"v\"} 3\n"));
    assert_non_null(strstr(s, "t_seconds_sum{k=\"v\"} 5.55"));
    argus_buf_free(&out);
    argus_metric_forget("t_seconds", "k=\"v\"");
    argus_buf_reset(&out);
    argus_metrics_render(&out);
    assert_null(strstr(argus_buf_str(&out), "t_seconds_count"));
    argus_buf_free(&out);
}

static int live_flag, ready_flag;

static int check_live(void *arg, char *why, size_t n)
{
    (void)arg;
    snprintf(why, n, "stalled");
    return live_flag;
}

static int check_ready(void *arg, char *why, size_t n)
{
    (void)arg;
    snprintf(why, n, "falkordb: \"down\"");
    return ready_flag;
}

static void endpoints_follow_checks(void **state)
{
    (void)state;
    argus_metrics_reset();
    argus_gauge_set("argus_up", NULL, 1);
    char err[256];
    struct argus_health *h = argus_health_start("127.0.0.1", 0, check_live, check_ready, NULL, err, sizeof err);
    assert_non_null(h);
    int port = argus_health_port(h);
    assert_true(port > 0);
    char body[4096];

    live_flag = 1;
    ready_flag = 0;
    assert_int_equal(argus_http_get_local(port, "/health", 2000, body, sizeof body), 200);
    assert_string_equal(body, "{\"status\":\"healthy\"}\n");
    assert_int_equal(argus_http_get_local(port, "/ready", 2000, body, sizeof body), 503);
    assert_string_equal(body, "{\"status\":\"not_ready\",\"reason\":\"falkordb: \\\"down\\\"\"}\n");
    live_flag = 0;
    ready_flag = 1;
    assert_int_equal(argus_http_get_local(port, "/livez", 2000, body, sizeof body), 503);
    assert_int_equal(argus_http_get_local(port, "/readyz", 2000, body, sizeof body), 200);
    assert_int_equal(argus_http_get_local(port, "/metrics", 2000, body, sizeof body), 200);
    assert_non_null(strstr(body, "argus_up 1"));
    assert_int_equal(argus_http_get_local(port, "/nope", 2000, body, sizeof body), 404);
    argus_health_stop(h);
    assert_int_equal(argus_http_get_local(port, "/health", 500, NULL, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counters_gauges_and_labels),
        cmocka_unit_test(histogram_is_cumulative),
        cmocka_unit_test(endpoints_follow_checks),
    };
    int rc = cmocka_run_group_tests_name("health_metrics", tests, NULL, NULL);
    argus_metrics_reset();
    return rc;
}
