/* DLQ provenance headers (ours + Spring + Kafka Connect mirrors), their reader, and the headers of a
 * record replayed from the DLQ to its original topic. */
#include "argus/kafka/dlq.h"
#include "argus/base/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_str(rd_kafka_headers_t *h, const char *name, const char *v)
{
    rd_kafka_header_add(h, name, -1, v ? v : "", v ? (ssize_t)strlen(v) : 0);
}

static void add_num(rd_kafka_headers_t *h, const char *name, long long v)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", v);
    add_str(h, name, num);
}

/* Spring writes partition as a 4-byte and offsets/timestamps as 8-byte big-endian integers. */
static void add_be(rd_kafka_headers_t *h, const char *name, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    rd_kafka_header_add(h, name, -1, b, bytes);
}

int argus_dlq_is_provenance_header(const char *name)
{
    return !strncmp(name, "argus.dlq.", 10) || !strncmp(name, "kafka_dlt-", 10) ||
           !strncmp(name, "__connect.errors.", 17);
}

rd_kafka_headers_t *argus_dlq_headers(const rd_kafka_headers_t *original, const struct argus_dlq_info *in)
{
    rd_kafka_headers_t *h = rd_kafka_headers_new(24);
    const char *name;
    const void *val;
    size_t size;
    for (size_t i = 0; original && rd_kafka_header_get_all(original, i, &name, &val, &size) == 0; i++)
        if (!argus_dlq_is_provenance_header(name))
            rd_kafka_header_add(h, name, -1, val, (ssize_t)size);

    char first[40], failed[40];
    argus_format_iso8601(in->first_failure_us, first, sizeof first);
    argus_format_iso8601(in->failed_at_us, failed, sizeof failed);

    add_str(h, ARGUS_DLQ_ORIGINAL_TOPIC, in->topic);
    add_num(h, ARGUS_DLQ_ORIGINAL_PARTITION, in->partition);
    add_num(h, ARGUS_DLQ_ORIGINAL_OFFSET, in->offset);
    add_num(h, ARGUS_DLQ_ORIGINAL_TIMESTAMP, in->timestamp_ms);
    add_str(h, ARGUS_DLQ_CONSUMER_GROUP, in->group);
    add_str(h, ARGUS_DLQ_WORKER, in->worker);
    add_str(h, ARGUS_DLQ_ERROR_CLASS, in->error_class);
    add_str(h, ARGUS_DLQ_ERROR_MESSAGE, in->error_message);
    add_num(h, ARGUS_DLQ_ATTEMPTS, in->attempts);
    add_str(h, ARGUS_DLQ_FIRST_FAILURE, first);
    add_str(h, ARGUS_DLQ_FAILED_AT, failed);

    add_str(h, "kafka_dlt-original-topic", in->topic);
    add_be(h, "kafka_dlt-original-partition", (uint32_t)in->partition, 4);
    add_be(h, "kafka_dlt-original-offset", (uint64_t)in->offset, 8);
    add_be(h, "kafka_dlt-original-timestamp", (uint64_t)in->timestamp_ms, 8);
    add_str(h, "kafka_dlt-original-timestamp-type", "CreateTime");
    add_str(h, "kafka_dlt-original-consumer-group", in->group);
    add_str(h, "kafka_dlt-exception-fqcn", in->error_class);
    add_str(h, "kafka_dlt-exception-message", in->error_message);

    add_str(h, "__connect.errors.topic", in->topic);
    add_num(h, "__connect.errors.partition", in->partition);
    add_num(h, "__connect.errors.offset", in->offset);
    add_str(h, "__connect.errors.connector.name", in->worker);
    add_str(h, "__connect.errors.task.id", "0");
    add_str(h, "__connect.errors.stage",
            in->error_class && !strcmp(in->error_class, "deserialization_error") ? "VALUE_CONVERTER" : "TASK_PUT");
    add_str(h, "__connect.errors.class.name", in->worker);
    add_str(h, "__connect.errors.exception.class.name", in->error_class);
    add_str(h, "__connect.errors.exception.message", in->error_message);
    return h;
}

int argus_header_string(const rd_kafka_headers_t *h, const char *name, char *out, size_t n)
{
    const void *val;
    size_t size;
    out[0] = '\0';
    if (!h || rd_kafka_header_get_last(h, name, &val, &size) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return -1;
    size_t len = size < n - 1 ? size : n - 1;
    if (val)
        memcpy(out, val, len);
    out[len] = '\0';
    return 0;
}

static long long header_num(const rd_kafka_headers_t *h, const char *name, long long dflt)
{
    char s[32];
    if (argus_header_string(h, name, s, sizeof s) != 0 || !*s)
        return dflt;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end ? dflt : v;
}

rd_kafka_headers_t *argus_dlq_replay_headers(const rd_kafka_headers_t *dlq, int32_t partition, int64_t offset)
{
    rd_kafka_headers_t *h = rd_kafka_headers_new(8);
    const char *name;
    const void *val;
    size_t size;
    for (size_t i = 0; dlq && rd_kafka_header_get_all(dlq, i, &name, &val, &size) == 0; i++)
        if (!argus_dlq_is_provenance_header(name) && strcmp(name, ARGUS_REPLAY_COUNT))
            rd_kafka_header_add(h, name, -1, val, (ssize_t)size);
    add_num(h, ARGUS_REPLAY_COUNT, header_num(dlq, ARGUS_REPLAY_COUNT, 0) + 1);
    char from[48];
    snprintf(from, sizeof from, "%d:%lld", (int)partition, (long long)offset);
    add_str(h, ARGUS_REPLAYED_FROM, from);
    return h;
}

int argus_dlq_record_read(const rd_kafka_message_t *rec, struct argus_dlq_record *out)
{
    memset(out, 0, sizeof *out);
    rd_kafka_headers_t *h = NULL;
    if (rd_kafka_message_headers(rec, &h) != RD_KAFKA_RESP_ERR_NO_ERROR || !h)
        return -1;
    if (argus_header_string(h, ARGUS_DLQ_ORIGINAL_TOPIC, out->topic, sizeof out->topic) != 0)
        return -1;
    out->partition = (int32_t)header_num(h, ARGUS_DLQ_ORIGINAL_PARTITION, -1);
    out->offset = header_num(h, ARGUS_DLQ_ORIGINAL_OFFSET, -1);
    out->timestamp_ms = header_num(h, ARGUS_DLQ_ORIGINAL_TIMESTAMP, -1);
    argus_header_string(h, ARGUS_DLQ_CONSUMER_GROUP, out->group, sizeof out->group);
    argus_header_string(h, ARGUS_DLQ_WORKER, out->worker, sizeof out->worker);
    argus_header_string(h, ARGUS_DLQ_ERROR_CLASS, out->error_class, sizeof out->error_class);
    argus_header_string(h, ARGUS_DLQ_ERROR_MESSAGE, out->error_message, sizeof out->error_message);
    out->attempts = (int)header_num(h, ARGUS_DLQ_ATTEMPTS, 0);
    out->replay_count = (int)header_num(h, ARGUS_REPLAY_COUNT, 0);
    char when[64];
    if (argus_header_string(h, ARGUS_DLQ_FIRST_FAILURE, when, sizeof when) == 0)
        argus_parse_iso8601(when, &out->first_failure_us);
    if (argus_header_string(h, ARGUS_DLQ_FAILED_AT, when, sizeof when) == 0)
        argus_parse_iso8601(when, &out->failed_at_us);
    return 0;
}
