/* The dead letter queue record: the original key, value and headers unchanged, plus provenance
 * headers under our own names, mirrored under the names Spring Kafka (kafka_dlt-*) and Kafka
 * Connect (__connect.errors.*) tools already read. Also the reader the DLQ tool uses. */
#ifndef ARGUS_DLQ_H
#define ARGUS_DLQ_H

#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>

#define ARGUS_DLQ_ORIGINAL_TOPIC     "argus.dlq.original-topic"
#define ARGUS_DLQ_ORIGINAL_PARTITION "argus.dlq.original-partition"
#define ARGUS_DLQ_ORIGINAL_OFFSET    "argus.dlq.original-offset"
#define ARGUS_DLQ_ORIGINAL_TIMESTAMP "argus.dlq.original-timestamp"
#define ARGUS_DLQ_CONSUMER_GROUP     "argus.dlq.consumer-group"
#define ARGUS_DLQ_WORKER             "argus.dlq.worker"
#define ARGUS_DLQ_ERROR_CLASS        "argus.dlq.error-class"
#define ARGUS_DLQ_ERROR_MESSAGE      "argus.dlq.error-message"
#define ARGUS_DLQ_ATTEMPTS           "argus.dlq.attempts"
#define ARGUS_DLQ_FIRST_FAILURE      "argus.dlq.first-failure"
#define ARGUS_DLQ_FAILED_AT          "argus.dlq.failed-at"
#define ARGUS_DLQ_TRUNCATED          "argus.dlq.truncated"   /* original value length, when cut to fit */
/* Carried on a replayed record (and so on its DLQ copy if it fails again). */
#define ARGUS_REPLAY_COUNT           "argus.replay-count"
#define ARGUS_REPLAYED_FROM          "argus.replayed-from"   /* "P:O" of the DLQ record it came from */

struct argus_dlq_info {
    const char *topic;
    int32_t partition;
    int64_t offset;
    int64_t timestamp_ms;      /* original record's timestamp, -1 if none */
    const char *group;
    const char *worker;
    const char *error_class;
    const char *error_message;
    int attempts;
    int64_t first_failure_us;
    int64_t failed_at_us;
};

/* Copies original (may be NULL) without any earlier provenance headers, then adds ours and the mirrors. */
rd_kafka_headers_t *argus_dlq_headers(const rd_kafka_headers_t *original, const struct argus_dlq_info *info);

/* True for header names the DLQ adds (ours, Spring's, Connect's): stripped when replaying. */
int argus_dlq_is_provenance_header(const char *name);

/* The headers of a replay of the DLQ record at partition:offset whose headers are dlq (may be NULL):
 * the original record's headers without provenance or an earlier replay count, then ARGUS_REPLAY_COUNT
 * one above the record's and ARGUS_REPLAYED_FROM "partition:offset" (the last of that name is the
 * latest trip). The caller owns the result. */
rd_kafka_headers_t *argus_dlq_replay_headers(const rd_kafka_headers_t *dlq, int32_t partition, int64_t offset);

/* Provenance read back from a DLQ record. Strings point into rec (valid while it is alive). */
struct argus_dlq_record {
    char topic[256];
    int32_t partition;
    int64_t offset;
    int64_t timestamp_ms;
    char group[256];
    char worker[128];
    char error_class[64];
    char error_message[512];
    int attempts;
    int64_t first_failure_us;
    int64_t failed_at_us;
    int replay_count;
};

/* Returns 0 when rec carries our provenance headers, -1 otherwise. */
int argus_dlq_record_read(const rd_kafka_message_t *rec, struct argus_dlq_record *out);

/* Reads one header as a NUL-terminated string (truncated to n-1). Returns 0 if present. */
int argus_header_string(const rd_kafka_headers_t *h, const char *name, char *out, size_t n);

#endif
