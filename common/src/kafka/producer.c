/* Idempotent murmur2 producer with delivery tracking, and the gateway envelope for output events. */
#include "argus/kafka/producer.h"
#include "argus/kafka/kafka_conf.h"
#include "argus/base/log.h"
#include "argus/base/timeutil.h"
#include "argus/base/uuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct argus_producer {
    rd_kafka_t *rk;
    int close_timeout_ms;
};

static void delivery_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    (void)opaque;
    struct argus_delivery *d = m->_private;
    if (m->err)
        argus_warn("producer.delivery_failed", "%s [%d]: %s", rd_kafka_topic_name(m->rkt), (int)m->partition,
                   rd_kafka_err2str(m->err));
    if (!d)
        return;
    d->pending--;
    if (m->err) {
        d->failed++;
        snprintf(d->error, sizeof d->error, "%s: %s", rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
    }
}

struct argus_producer *argus_producer_new(const struct argus_config *cfg, const char *worker, char *err,
                                          size_t errlen)
{
    char suffix[96];
    snprintf(suffix, sizeof suffix, "%s-producer", worker ? worker : "client");
    rd_kafka_conf_t *conf = argus_kafka_conf_new(cfg, suffix, err, errlen);
    if (!conf)
        return NULL;
    if (argus_kafka_set(conf, "enable.idempotence", "true", err, errlen) ||
        argus_kafka_set(conf, "acks", "all", err, errlen) ||
        argus_kafka_set(conf, "partitioner", "murmur2_random", err, errlen) ||
        argus_kafka_set(conf, "linger.ms", "5", err, errlen) ||
        argus_kafka_set(conf, "compression.codec", cfg->compression, err, errlen) ||
        argus_kafka_set(conf, "message.timeout.ms", "30000", err, errlen)) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_conf_set_dr_msg_cb(conf, delivery_cb);
    struct argus_producer *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    char why[512];
    p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why);
    if (!p->rk) {
        snprintf(err, errlen, "producer: %s", why);
        rd_kafka_conf_destroy(conf);
        free(p);
        return NULL;
    }
    p->close_timeout_ms = cfg->shutdown_timeout_ms;
    return p;
}

void argus_producer_free(struct argus_producer *p)
{
    if (!p)
        return;
    if (rd_kafka_flush(p->rk, p->close_timeout_ms) != RD_KAFKA_RESP_ERR_NO_ERROR)
        argus_warn("producer.close", "%d record(s) not delivered at close", rd_kafka_outq_len(p->rk));
    rd_kafka_destroy(p->rk);
    free(p);
}

rd_kafka_t *argus_producer_handle(struct argus_producer *p)
{
    return p->rk;
}

int argus_produce(struct argus_producer *p, const char *topic, const void *key, size_t key_len,
                  const void *value, size_t value_len, rd_kafka_headers_t *headers, struct argus_delivery *d,
                  char *err, size_t errlen)
{
    return argus_produce_at(p, topic, key, key_len, value, value_len, 0, headers, d, err, errlen);
}

int argus_produce_at(struct argus_producer *p, const char *topic, const void *key, size_t key_len,
                     const void *value, size_t value_len, int64_t timestamp_ms, rd_kafka_headers_t *headers,
                     struct argus_delivery *d, char *err, size_t errlen)
{
    rd_kafka_resp_err_t e = rd_kafka_producev(
        p->rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key, key ? key_len : 0), RD_KAFKA_V_VALUE((void *)value, value_len),
        RD_KAFKA_V_TIMESTAMP(timestamp_ms > 0 ? timestamp_ms : 0), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(d), RD_KAFKA_V_END);
    if (e) {
        /* On failure the headers were not taken over by librdkafka. */
        if (headers)
            rd_kafka_headers_destroy(headers);
        snprintf(err, errlen, "produce to %s: %s", topic, rd_kafka_err2str(e));
        return -1;
    }
    if (d)
        d->pending++;
    return 0;
}

int argus_producer_flush(struct argus_producer *p, int timeout_ms)
{
    return rd_kafka_flush(p->rk, timeout_ms) == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

void argus_producer_poll(struct argus_producer *p)
{
    rd_kafka_poll(p->rk, 0);
}

static void add_string_or_null(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *argus_envelope_new(const char *type, const struct argus_event *cause, const char *source, cJSON *data)
{
    cJSON *o = cJSON_CreateObject();
    char id[37], when[40];
    if (!o || argus_uuid4(id) != 0) {
        cJSON_Delete(o);
        cJSON_Delete(data);
        return NULL;
    }
    argus_format_iso8601(argus_now_us(), when, sizeof when);
    cJSON_AddStringToObject(o, "event_id", id);
    cJSON_AddStringToObject(o, "event_type", type);
    cJSON_AddStringToObject(o, "timestamp", when);
    add_string_or_null(o, "org_id", cause ? cause->org_id : NULL);
    add_string_or_null(o, "project_id", cause ? cause->project_id : NULL);
    add_string_or_null(o, "user_id", cause ? cause->user_id : NULL);
    cJSON_AddItemToObject(o, "data", data ? data : cJSON_CreateObject());
    add_string_or_null(o, "correlation_id", cause ? cause->correlation_id : NULL);
    add_string_or_null(o, "causation_id", cause ? cause->event_id : NULL);
    cJSON_AddStringToObject(o, "source", source ? source : "argus-data-layer");
    cJSON_AddStringToObject(o, "version", "1.0");
    return o;
}
