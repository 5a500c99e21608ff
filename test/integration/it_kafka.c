/* Kafka fixtures for the integration tests; see it_kafka.h. */
#include "it_kafka.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argus/kafka/kafka_admin.h"
#include "argus/kafka/kafka_conf.h"
#include "argus/kafka/topic_scan.h"

void it_topic_create(const struct argus_config *cfg, const char *topic, int partitions)
{
    it_topic_create_sized(cfg, topic, partitions, 0);
}

void it_topic_create_sized(const struct argus_config *cfg, const char *topic, int partitions, long long max_bytes)
{
    char err[512];
    rd_kafka_t *rk = argus_admin_new(cfg, err, sizeof err);
    if (!rk)
        fail_msg("admin client: %s", err);
    struct argus_topic_spec spec;
    memset(&spec, 0, sizeof spec);
    snprintf(spec.name, sizeof spec.name, "%s", topic);
    spec.partitions = partitions;
    spec.max_message_bytes = max_bytes;
    struct argus_topic_table t = {&spec, 1};
    int failed = argus_admin_ensure_topics(rk, &t, 1, 15000, NULL, NULL);
    rd_kafka_destroy(rk);
    if (failed)
        fail_msg("could not create topic %s", topic);
}

/* Delivery failures of the test producers: a record the broker refused must fail the test. */
static int delivery_failures;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    (void)opaque;
    if (m->err) {
        fprintf(stderr, "test producer: %s: %s\n", rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
        delivery_failures++;
    }
}

void it_producer_flush(rd_kafka_t *p)
{
    if (rd_kafka_flush(p, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        fail_msg("test producer: %d record(s) not delivered", rd_kafka_outq_len(p));
    if (delivery_failures) {
        delivery_failures = 0;
        fail_msg("test producer: a record was refused by the broker");
    }
}

rd_kafka_t *it_producer_new(const struct argus_config *cfg)
{
    char err[512];
    rd_kafka_conf_t *conf = argus_kafka_conf_new(cfg, "it-producer", err, sizeof err);
    if (!conf || argus_kafka_set(conf, "partitioner", "murmur2_random", err, sizeof err) ||
        argus_kafka_set(conf, "acks", "all", err, sizeof err) ||
        argus_kafka_set(conf, "linger.ms", "5", err, sizeof err))
        fail_msg("producer conf: %s", err);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!p)
        fail_msg("producer: %s", err);
    return p;
}

void it_produce(rd_kafka_t *p, const char *topic, const char *key, const char *value, size_t len,
                rd_kafka_headers_t *headers)
{
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(
            p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_KEY(key, key ? strlen(key) : 0), RD_KAFKA_V_VALUE((void *)value, len),
            RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
        if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(p, 50);
            continue;
        }
        if (e)
            fail_msg("produce to %s: %s", topic, rd_kafka_err2str(e));
        return;
    }
}

void it_produce_record(rd_kafka_t *p, const char *topic, const char *prefix, int seq, const char *key,
                       const char *extra_data)
{
    char value[2048];
    int n = snprintf(value, sizeof value,
                     "{\"event_id\":\"%s-%d\",\"event_type\":\"test.record\",\"timestamp\":\"2026-01-25T12:34:56."
                     "123456+00:00\",\"org_id\":\"org-it\",\"project_id\":null,\"user_id\":null,\"data\":{\"seq\":%d%s%s},"
                     "\"correlation_id\":null,\"causation_id\":null,\"source\":\"it\",\"version\":\"1.0\"}",
                     prefix, seq, seq, extra_data ? "," : "", extra_data ? extra_data : "");
    it_produce(p, topic, key, value, (size_t)n, NULL);
}

void it_producer_close(rd_kafka_t *p)
{
    it_producer_flush(p);
    rd_kafka_destroy(p);
}

static int collect(void *arg, const rd_kafka_message_t *m)
{
    struct it_records *rs = arg;
    struct it_record *grown = realloc(rs->r, (rs->n + 1) * sizeof *grown);
    assert_non_null(grown);
    rs->r = grown;
    struct it_record *r = &rs->r[rs->n++];
    memset(r, 0, sizeof *r);
    r->partition = m->partition;
    r->offset = m->offset;
    if (m->key)
        r->key = strndup(m->key, m->key_len);
    r->value = strndup(m->payload ? m->payload : "", m->len);
    r->value_len = m->len;
    r->timestamp_ms = rd_kafka_message_timestamp(m, NULL);
    rd_kafka_headers_t *h = NULL;
    if (rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR && h)
        r->headers = rd_kafka_headers_copy(h);
    return 0;
}

void it_read_topic(const struct argus_config *cfg, const char *topic, struct it_records *out)
{
    char err[512];
    out->r = NULL;
    out->n = 0;
    if (argus_topic_scan(cfg, topic, -1, -1, 15000, collect, out, err, sizeof err) < 0)
        fail_msg("reading %s: %s", topic, err);
}

void it_records_free(struct it_records *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->r[i].key);
        free(rs->r[i].value);
        if (rs->r[i].headers)
            rd_kafka_headers_destroy(rs->r[i].headers);
    }
    free(rs->r);
    rs->r = NULL;
    rs->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t it_distinct_inputs(const struct it_records *rs)
{
    char **ids = calloc(rs->n + 1, sizeof *ids);
    size_t n = 0;
    for (size_t i = 0; i < rs->n; i++) {
        cJSON *o = cJSON_Parse(rs->r[i].value);
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(o, "data");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(data, "input_event_id");
        if (cJSON_IsString(id))
            ids[n++] = strdup(id->valuestring);
        cJSON_Delete(o);
    }
    qsort(ids, n, sizeof *ids, cmp_str);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(ids[i], ids[i - 1]))
            distinct++;
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return distinct;
}

static int count_only(void *arg, const rd_kafka_message_t *m)
{
    (void)arg;
    (void)m;
    return 0;
}

size_t it_wait_records(const struct argus_config *cfg, const char *topic, size_t n, int timeout_ms)
{
    long seen = 0;
    for (int waited = 0; waited <= timeout_ms; waited += 250) {
        char err[512];
        seen = argus_topic_scan(cfg, topic, -1, -1, 10000, count_only, NULL, err, sizeof err);
        if (seen >= (long)n)
            break;
        usleep(250 * 1000);
    }
    return seen < 0 ? 0 : (size_t)seen;
}

long long it_group_lag(const struct argus_config *cfg, const char *group, const char *topic)
{
    char err[512];
    struct argus_config c = *cfg;
    c.group_id = (char *)group;
    rd_kafka_conf_t *conf = argus_kafka_conf_new(&c, "it-lag", err, sizeof err);
    if (!conf || argus_kafka_set(conf, "group.id", group, err, sizeof err))
        fail_msg("lag conf: %s", err);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk)
        fail_msg("lag consumer: %s", err);
    int parts = argus_admin_partition_count(rk, topic, 10000, err, sizeof err);
    long long lag = -1;
    if (parts > 0) {
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(parts);
        for (int i = 0; i < parts; i++)
            rd_kafka_topic_partition_list_add(l, topic, i);
        if (rd_kafka_committed(rk, l, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            lag = 0;
            for (int i = 0; i < l->cnt; i++) {
                int64_t lo, hi;
                if (rd_kafka_query_watermark_offsets(rk, topic, i, &lo, &hi, 10000)) {
                    lag = -1;
                    break;
                }
                int64_t committed = l->elems[i].offset >= 0 ? l->elems[i].offset : lo;
                lag += hi - committed;
            }
        }
        rd_kafka_topic_partition_list_destroy(l);
    }
    rd_kafka_destroy(rk);
    return lag;
}
