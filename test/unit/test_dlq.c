/* Unit tests for DLQ records: original headers kept, earlier provenance replaced, our headers and the
 * Spring/Connect mirrors present with their encodings, and the reader getting everything back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "argus/kafka/dlq.h"
#include "argus/base/timeutil.h"

static const void *header(const rd_kafka_headers_t *h, const char *name, size_t *size)
{
    const void *v = NULL;
    if (rd_kafka_header_get_last(h, name, &v, size) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return NULL;
    return v;
}

static void assert_header(const rd_kafka_headers_t *h, const char *name, const char *want)
{
    char got[512];
    if (argus_header_string(h, name, got, sizeof got) != 0)
        fail_msg("header %s missing", name);
    if (strcmp(got, want))
        fail_msg("header %s = '%s', want '%s'", name, got, want);
}

static struct argus_dlq_info sample(void)
{
    int64_t first = 0, failed = 0;
    argus_parse_iso8601("2026-01-25T12:00:00Z", &first);
    argus_parse_iso8601("2026-01-25T12:05:00.5Z", &failed);
    struct argus_dlq_info info = {
        .topic = "argus.test.failed", .partition = 5, .offset = 1234567890123LL, .timestamp_ms = 1769342400000LL,
        .group = "argus-cognee-workers", .worker = "argus-cognee-worker", .error_class = "validation_error",
        .error_message = "test.failed: data.test_id missing", .attempts = 4, .first_failure_us = first,
        .failed_at_us = failed,
    };
    return info;
}

static void headers_carry_provenance_and_mirrors(void **state)
{
    (void)state;
    rd_kafka_headers_t *orig = rd_kafka_headers_new(4);
    rd_kafka_header_add(orig, "traceparent", -1, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", -1);
    rd_kafka_header_add(orig, "event_id", -1, "e-1", -1);
    rd_kafka_header_add(orig, "argus.dlq.error-class", -1, "stale", -1); /* from an earlier trip */
    rd_kafka_header_add(orig, "kafka_dlt-original-topic", -1, "stale", -1);
    struct argus_dlq_info info = sample();
    rd_kafka_headers_t *h = argus_dlq_headers(orig, &info);

    assert_header(h, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assert_header(h, "event_id", "e-1");
    assert_header(h, ARGUS_DLQ_ORIGINAL_TOPIC, "argus.test.failed");
    assert_header(h, ARGUS_DLQ_ORIGINAL_PARTITION, "5");
    assert_header(h, ARGUS_DLQ_ORIGINAL_OFFSET, "1234567890123");
    assert_header(h, ARGUS_DLQ_ORIGINAL_TIMESTAMP, "1769342400000");
    assert_header(h, ARGUS_DLQ_CONSUMER_GROUP, "argus-cognee-workers");
    assert_header(h, ARGUS_DLQ_WORKER, "argus-cognee-worker");
    assert_header(h, ARGUS_DLQ_ERROR_CLASS, "validation_error");
    assert_header(h, ARGUS_DLQ_ERROR_MESSAGE, "test.failed: data.test_id missing");
    assert_header(h, ARGUS_DLQ_ATTEMPTS, "4");
    assert_header(h, ARGUS_DLQ_FIRST_FAILURE, "2026-01-25T12:00:00.000000+00:00");
    assert_header(h, ARGUS_DLQ_FAILED_AT, "2026-01-25T12:05:00.500000+00:00");
    assert_header(h, "__connect.errors.topic", "argus.test.failed");
    assert_header(h, "__connect.errors.partition", "5");
    assert_header(h, "__connect.errors.offset", "1234567890123");
    assert_header(h, "__connect.errors.exception.class.name", "validation_error");
    assert_header(h, "__connect.errors.stage", "TASK_PUT");
    assert_header(h, "kafka_dlt-original-topic", "argus.test.failed");
    assert_header(h, "kafka_dlt-exception-message", "test.failed: data.test_id missing");

    /* Only one copy of a provenance header: the stale one is gone. */
    const char *name;
    const void *val;
    size_t size;
    int classes = 0, topics = 0;
    for (size_t i = 0; rd_kafka_header_get_all(h, i, &name, &val, &size) == 0; i++) {
        classes += !strcmp(name, ARGUS_DLQ_ERROR_CLASS);
        topics += !strcmp(name, "kafka_dlt-original-topic");
    }
    assert_int_equal(classes, 1);
    assert_int_equal(topics, 1);

    /* Spring's binary encodings: big-endian int32 partition and int64 offset. */
    const unsigned char *p = header(h, "kafka_dlt-original-partition", &size);
    assert_non_null(p);
    assert_int_equal(size, 4);
    assert_memory_equal(p, "\x00\x00\x00\x05", 4);
    p = header(h, "kafka_dlt-original-offset", &size);
    assert_int_equal(size, 8);
    uint64_t off = 0;
    for (int i = 0; i < 8; i++)
        off = off << 8 | p[i];
    assert_int_equal(off, 1234567890123ULL);

    rd_kafka_headers_destroy(h);
    rd_kafka_headers_destroy(orig);
}

static void deserialization_stage_for_connect(void **state)
{
    (void)state;
    struct argus_dlq_info info = sample();
    info.error_class = "deserialization_error";
    rd_kafka_headers_t *h = argus_dlq_headers(NULL, &info);
    assert_header(h, "__connect.errors.stage", "VALUE_CONVERTER");
    rd_kafka_headers_destroy(h);
}

/* A replay carries the original's headers, none of the DLQ's, and a replay count one above the record's. */
static void replay_headers_strip_provenance_and_count(void **state)
{
    (void)state;
    struct argus_dlq_info info = sample();
    rd_kafka_headers_t *orig = rd_kafka_headers_new(4);
    rd_kafka_header_add(orig, "event_id", -1, "e-1", -1);
    rd_kafka_header_add(orig, ARGUS_REPLAY_COUNT, -1, "2", -1);
    rd_kafka_headers_t *dlq = argus_dlq_headers(orig, &info);
    rd_kafka_headers_t *h = argus_dlq_replay_headers(dlq, 3, 77);

    assert_header(h, "event_id", "e-1");
    assert_header(h, ARGUS_REPLAY_COUNT, "3");
    assert_header(h, ARGUS_REPLAYED_FROM, "3:77");
    const char *name;
    const void *val;
    size_t size, counts = 0;
    for (size_t i = 0; rd_kafka_header_get_all(h, i, &name, &val, &size) == 0; i++) {
        if (argus_dlq_is_provenance_header(name))
            fail_msg("provenance header %s replayed", name);
        counts += !strcmp(name, ARGUS_REPLAY_COUNT);
    }
    assert_int_equal(counts, 1);
    rd_kafka_headers_destroy(h);

    /* A record with no headers at all (written by another tool) replays as its first trip. */
    h = argus_dlq_replay_headers(NULL, 0, 5);
    assert_header(h, ARGUS_REPLAY_COUNT, "1");
    assert_header(h, ARGUS_REPLAYED_FROM, "0:5");
    rd_kafka_headers_destroy(h);
    rd_kafka_headers_destroy(dlq);
    rd_kafka_headers_destroy(orig);
}

static void provenance_names(void **state)
{
    (void)state;
    assert_true(argus_dlq_is_provenance_header("argus.dlq.worker"));
    assert_true(argus_dlq_is_provenance_header("kafka_dlt-exception-fqcn"));
    assert_true(argus_dlq_is_provenance_header("__connect.errors.offset"));
    assert_false(argus_dlq_is_provenance_header("traceparent"));
    assert_false(argus_dlq_is_provenance_header(ARGUS_REPLAY_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headers_carry_provenance_and_mirrors),
        cmocka_unit_test(deserialization_stage_for_connect),
        cmocka_unit_test(replay_headers_strip_provenance_and_count),
        cmocka_unit_test(provenance_names),
    };
    return cmocka_run_group_tests_name("dlq", tests, NULL, NULL);
}
