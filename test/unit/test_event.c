/* Unit tests for the envelope reader: every producer shape from the upstream reference, field-name
 * variants, timestamps, and precise errors on broken input. Fixtures: test/fixtures/events/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/event.h"
#include "argus/base/timeutil.h"

static char *read_fixture(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "test/fixtures/events/%s", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[65536];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

static void parse_fixture(const char *topic, const char *name, struct argus_event *ev)
{
    size_t len;
    char *text = read_fixture(name, &len);
    char err[256] = "";
    int rc = argus_event_parse(topic, text, len, ev, err, sizeof err);
    if (rc != 0)
        fail_msg("%s: %s", name, err);
}

static int64_t iso(const char *s)
{
    int64_t us = 0;
    assert_int_equal(argus_parse_iso8601(s, &us), 0);
    return us;
}

static void gateway_event(void **state)
{
    (void)state;
    struct argus_event ev;
    parse_fixture("argus.test.failed", "gateway-test-failed.json", &ev);
    assert_int_equal(ev.shape, ARGUS_SHAPE_GATEWAY);
    assert_string_equal(ev.type, "test.failed");
    assert_string_equal(ev.event_id, "6f1c2d9e-8a40-4b8e-9d54-0c7a1c8e2b11");
    assert_string_equal(ev.org_id, "org-1");
    assert_string_equal(ev.project_id, "proj-1");
    assert_null(ev.user_id);
    assert_string_equal(ev.correlation_id, "run-9");
    assert_null(ev.causation_id);
    assert_string_equal(ev.source, "argus-backend");
    assert_true(ev.has_timestamp);
    assert_int_equal(ev.timestamp_us, iso("2026-01-25T12:34:56.123456Z"));
    assert_string_equal(argus_event_str(&ev, "test_id"), "t-1");
    /* variants: failure_type -> error_type, metadata.run_id -> run_id */
    assert_string_equal(argus_event_str(&ev, "error_type"), "selector");
    assert_string_equal(argus_event_str(&ev, "run_id"), "run-9");
    int64_t step = 0;
    assert_true(argus_event_int(&ev, "failed_step", &step));
    assert_int_equal(step, 3);
    /* null counts as absent */
    assert_null(argus_event_field(&ev, "stack_trace"));
    argus_event_free(&ev);
}

static void aggregate_run_event_has_no_test_id(void **state)
{
    (void)state;
    struct argus_event ev;
    parse_fixture("argus.test.executed", "gateway-run-executed.json", &ev);
    assert_string_equal(ev.type, "test.executed");
    assert_string_equal(argus_event_str(&ev, "run_id"), "run-9");
    assert_null(argus_event_str(&ev, "test_id"));
    struct argus_result res;
    argus_result_ok(&res);
    assert_null(argus_event_require_str(&ev, "test_id", &res));
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_string_equal(res.message, "test.executed: data.test_id missing");
    assert_string_equal(res.error_class, ARGUS_ERR_VALIDATION);
    int64_t total = 0;
    assert_true(argus_event_int(&ev, "total_tests", &total));
    assert_int_equal(total, 12);
    assert_string_equal(ev.user_id, "user-7");
    argus_event_free(&ev);
}

static void github_double_envelope(void **state)
{
    (void)state;
    struct argus_event ev;
    parse_fixture("argus.integration.github", "github-double-envelope.json", &ev);
    assert_int_equal(ev.shape, ARGUS_SHAPE_NESTED_GATEWAY);
    assert_string_equal(ev.type, "integration.github");
    /* the inner envelope wins: its id, its delivery id as correlation, its source and Z timestamp */
    assert_string_equal(ev.event_id, "2d4e6f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
    assert_string_equal(ev.correlation_id, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    assert_string_equal(ev.source, "github-webhook");
    assert_int_equal(ev.timestamp_us, iso("2026-01-29T08:00:00.000050+00:00"));
    /* the webhook's own event_type is payload, not the envelope type */
    assert_string_equal(argus_event_str(&ev, "event_type"), "pull_request");
    int64_t pr = 0;
    assert_true(argus_event_int(&ev, "pr_number", &pr));
    assert_int_equal(pr, 42);
    assert_string_equal(argus_event_str(&ev, "commit_sha"), "3f2a1b0c");
    struct argus_result res;
    argus_result_ok(&res);
    assert_null(argus_event_require_str(&ev, "issue_key", &res));
    assert_string_equal(res.message, "integration.github: data.data.issue_key missing");
    argus_event_free(&ev);
}

static void tenant_metadata_event(void **state)
{
    (void)state;
    struct argus_event ev;
    parse_fixture("argus.test.failed", "tenant-test-failed.json", &ev);
    assert_int_equal(ev.shape, ARGUS_SHAPE_TENANT);
    assert_string_equal(ev.type, "test.failed");
    assert_string_equal(ev.org_id, "org-2");
    assert_null(ev.project_id);
    assert_string_equal(ev.version, "1.0");
    assert_string_equal(ev.source, "api");
    /* naive timestamp = UTC */
    assert_int_equal(ev.timestamp_us, iso("2026-01-25T12:34:56.123456+00:00"));
    assert_string_equal(argus_event_str(&ev, "test_id"), "t-2");
    assert_string_equal(argus_event_str(&ev, "error_type"), "timeout");
    bool flaky = true;
    assert_true(argus_event_bool(&ev, "is_flaky", &flaky));
    assert_false(flaky);
    argus_event_free(&ev);
}

static void payload_event(void **state)
{
    (void)state;
    struct argus_event ev;
    parse_fixture("argus.test.created", "payload-test-created.json", &ev);
    assert_int_equal(ev.shape, ARGUS_SHAPE_PAYLOAD);
    assert_string_equal(ev.org_id, "org-3");
    int64_t steps = 0;
    assert_true(argus_event_int(&ev, "steps_count", &steps)); /* sent as step_count */
    assert_int_equal(steps, 4);
    argus_event_free(&ev);
}

static void flat_event_takes_type_from_topic(void **state)
{
    (void)state;
    struct argus_event ev;
    parse_fixture("argus.healing.requested", "flat-flink-healing-requested.json", &ev);
    assert_int_equal(ev.shape, ARGUS_SHAPE_FLAT);
    assert_string_equal(ev.type, "healing.requested");
    assert_string_equal(ev.org_id, "org-4");
    assert_string_equal(ev.project_id, "p-4");
    assert_null(ev.event_id);
    assert_int_equal(ev.timestamp_us, iso("2026-01-25T12:30:00Z"));
    assert_string_equal(argus_event_str(&ev, "failed_selector"), "#search"); /* last_selector */
    assert_string_equal(argus_event_str(&ev, "error_message"), "Timeout 30000ms exceeded");
    assert_string_equal(argus_event_str(&ev, "error_type"), "timeout");
    argus_event_free(&ev);
}

static void space_separated_timestamp(void **state)
{
    (void)state;
    struct argus_event ev;
    parse_fixture("argus.healing.requested", "gateway-dlq-space-timestamp.json", &ev);
    assert_int_equal(ev.timestamp_us, iso("2026-01-25T12:34:56.123456Z"));
    assert_string_equal(ev.causation_id, "f-5");
    assert_string_equal(argus_event_str(&ev, "failed_selector"), "button.buy"); /* original_selector */
    argus_event_free(&ev);
}

static void expect_error(const char *topic, const char *text, const char *want)
{
    struct argus_event ev;
    char err[256] = "";
    assert_int_equal(argus_event_parse(topic, text, strlen(text), &ev, err, sizeof err), -1);
    if (!strstr(err, want))
        fail_msg("error '%s' does not contain '%s'", err, want);
    assert_null(ev.root);
}

static void broken_input_gets_precise_errors(void **state)
{
    (void)state;
    expect_error("argus.test.failed", "", "empty message");
    expect_error("argus.test.failed", "{\"event_type\":", "invalid JSON at byte");
    expect_error("argus.test.failed", "[1,2]", "not a JSON object");
    expect_error("argus.test.failed", "{\"org_id\":\"o\",\"x\":\"\xc3\x28\"}", "invalid UTF-8 at byte 19");
    expect_error("argus.test.failed", "{\"org_id\":\"o\",\"x\":\"\xed\xa0\x80\"}", "invalid UTF-8 at byte 19");
    expect_error("argus.test.failed", "{\"org_id\":\"o\"} junk", "trailing data");
    expect_error("argus.test.failed", "{\"event_type\":\"test.failed\",\"org_id\":\"o\",\"data\":[1]}",
                 "data: expected an object");
    expect_error("argus.test.failed", "{\"event_type\":\"test.failed\",\"data\":{}}",
                 "test.failed: org_id missing");
    expect_error("argus.test.failed", "{\"event_type\":7,\"org_id\":\"o\",\"data\":{}}",
                 "event_type: expected a string");
    expect_error("argus.test.failed",
                 "{\"event_type\":\"test.failed\",\"org_id\":\"o\",\"data\":{},\"timestamp\":\"2026-02-30T00:00:00Z\"}",
                 "timestamp: not an ISO-8601");
    expect_error("other.topic", "{\"org_id\":\"o\",\"x\":1}", "event_type missing");
    expect_error(NULL, "{\"org_id\":{\"a\":1},\"event_type\":\"x\",\"data\":{}}", "org_id: expected a string");
}

static void timestamps(void **state)
{
    (void)state;
    int64_t us = 0;
    assert_int_equal(argus_parse_iso8601("1970-01-01T00:00:00Z", &us), 0);
    assert_int_equal(us, 0);
    assert_int_equal(argus_parse_iso8601("2026-01-25T12:34:56+02:00", &us), 0);
    assert_int_equal(us, iso("2026-01-25T10:34:56Z"));
    assert_int_equal(argus_parse_iso8601("2024-02-29T00:00:00.5-0130", &us), 0);
    assert_int_equal(us, iso("2024-02-29T01:30:00.500000Z"));
    assert_int_equal(argus_parse_iso8601("2026-01-25", &us), 0);
    assert_int_equal(argus_parse_iso8601("2023-02-29T00:00:00Z", &us), -1);
    assert_int_equal(argus_parse_iso8601("2026-01-25T24:00:00Z", &us), -1);
    assert_int_equal(argus_parse_iso8601("2026-01-25T12:34:56.Z", &us), -1);
    assert_int_equal(argus_parse_iso8601("2026-01-25T12:34:56Zjunk", &us), -1);
    assert_int_equal(argus_parse_iso8601("yesterday", &us), -1);
    char out[40];
    argus_format_iso8601(iso("2026-01-25T12:34:56.000007Z"), out, sizeof out);
    assert_string_equal(out, "2026-01-25T12:34:56.000007+00:00");
    argus_format_iso8601(-1, out, sizeof out);
    assert_string_equal(out, "1969-12-31T23:59:59.999999+00:00");
}

static void canonical_json_round_trip(void **state)
{
    (void)state;
    struct argus_event ev;
    parse_fixture("argus.test.failed", "tenant-test-failed.json", &ev);
    char *json = argus_event_to_json(&ev);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"type\":\"test.failed\""));
    assert_non_null(strstr(json, "\"shape\":\"tenant-metadata\""));
    assert_non_null(strstr(json, "\"timestamp\":\"2026-01-25T12:34:56.123456+00:00\""));
    assert_non_null(strstr(json, "\"project_id\":null"));
    free(json);
    argus_event_free(&ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gateway_event),
        cmocka_unit_test(aggregate_run_event_has_no_test_id),
        cmocka_unit_test(github_double_envelope),
        cmocka_unit_test(tenant_metadata_event),
        cmocka_unit_test(payload_event),
        cmocka_unit_test(flat_event_takes_type_from_topic),
        cmocka_unit_test(space_separated_timestamp),
        cmocka_unit_test(broken_input_gets_precise_errors),
        cmocka_unit_test(timestamps),
        cmocka_unit_test(canonical_json_round_trip),
    };
    return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
