/* Kafka fixtures for the integration tests: private topics, producing test events, reading a
 * topic's records back, committed offsets of a group. All against the real broker of the test stack. */
#ifndef ARGUS_IT_KAFKA_H
#define ARGUS_IT_KAFKA_H

#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>

#include "argus/base/config.h"

/* Creates a topic with n partitions (fails the test on error); max_bytes 0 = broker default. */
void it_topic_create(const struct argus_config *cfg, const char *topic, int partitions);
void it_topic_create_sized(const struct argus_config *cfg, const char *topic, int partitions, long long max_bytes);

/* A producer for test input (murmur2, acks=all); it_produce_* queue, it_producer_close flushes. */
rd_kafka_t *it_producer_new(const struct argus_config *cfg);
void it_produce(rd_kafka_t *p, const char *topic, const char *key, const char *value, size_t len,
                rd_kafka_headers_t *headers);
/* A gateway-envelope test.record event with event_id "<prefix>-<seq>" and extra JSON members for
 * data (e.g. "\"poison\":true" or NULL). */
void it_produce_record(rd_kafka_t *p, const char *topic, const char *prefix, int seq, const char *key,
                       const char *extra_data);
/* Flushes; fails the test if any record was not delivered. */
void it_producer_flush(rd_kafka_t *p);
void it_producer_close(rd_kafka_t *p);

/* Every record of a topic (at the time of the call). */
struct it_record {
    int32_t partition;
    int64_t offset;
    char *key;            /* NUL-terminated copy or NULL */
    char *value;          /* NUL-terminated copy */
    size_t value_len;
    int64_t timestamp_ms;  /* the record's timestamp, -1 if none */
    rd_kafka_headers_t *headers; /* copy or NULL */
};
struct it_records {
    struct it_record *r;
    size_t n;
};
void it_read_topic(const struct argus_config *cfg, const char *topic, struct it_records *out);
void it_records_free(struct it_records *rs);
/* Number of distinct data.input_event_id values among the records (output of argus-test-worker). */
size_t it_distinct_inputs(const struct it_records *rs);
/* Waits until topic holds at least n records (or timeout); returns the count seen last. */
size_t it_wait_records(const struct argus_config *cfg, const char *topic, size_t n, int timeout_ms);

/* Sum over partitions of (high watermark - committed offset of group); -1 on error. */
long long it_group_lag(const struct argus_config *cfg, const char *group, const char *topic);

#endif
