/* Idempotent topic creation from the topic table through librdkafka's Admin API. */
#include "argus/kafka/kafka_admin.h"
#include "argus/kafka/kafka_conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rd_kafka_t *argus_admin_new(const struct argus_config *cfg, char *err, size_t errlen)
{
    rd_kafka_conf_t *conf = argus_kafka_conf_new(cfg, "admin", err, errlen);
    if (!conf)
        return NULL;
    /* A metadata request must never create the topic it asks about. */
    if (argus_kafka_set(conf, "allow.auto.create.topics", "false", err, errlen)) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    char why[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why);
    if (!rk) {
        snprintf(err, errlen, "kafka client: %s", why);
        rd_kafka_conf_destroy(conf);
    }
    return rk;
}

int argus_admin_partition_count(rd_kafka_t *rk, const char *topic, int timeout_ms, char *err, size_t errlen)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    if (!rkt) {
        snprintf(err, errlen, "%s: %s", topic, rd_kafka_err2str(rd_kafka_last_error()));
        return -1;
    }
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
    rd_kafka_topic_destroy(rkt);
    if (e) {
        snprintf(err, errlen, "metadata for %s: %s", topic, rd_kafka_err2str(e));
        return -1;
    }
    int count = 0;
    if (md->topic_cnt == 1) {
        rd_kafka_resp_err_t te = md->topics[0].err;
        if (te == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || te == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
            count = 0;
        else if (te) {
            snprintf(err, errlen, "metadata for %s: %s", topic, rd_kafka_err2str(te));
            count = -1;
        } else
            count = md->topics[0].partition_cnt;
    }
    rd_kafka_metadata_destroy(md);
    return count;
}

int argus_admin_topic_config(rd_kafka_t *rk, const char *topic, const char *name, char *out, size_t outlen,
                             int timeout_ms, char *err, size_t errlen)
{
    rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
    char why[256];
    rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, why, sizeof why);
    rd_kafka_DescribeConfigs(rk, &res, 1, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 2000);
    int rc = -1;
    snprintf(err, errlen, "%s: no answer describing configs", topic);
    const rd_kafka_DescribeConfigs_result_t *r = ev ? rd_kafka_event_DescribeConfigs_result(ev) : NULL;
    if (ev && rd_kafka_event_error(ev)) {
        snprintf(err, errlen, "%s: %s", topic, rd_kafka_event_error_string(ev));
    } else if (r) {
        size_t nres = 0, nconf = 0;
        const rd_kafka_ConfigResource_t **rs = rd_kafka_DescribeConfigs_result_resources(r, &nres);
        const rd_kafka_ConfigEntry_t **entries = nres == 1 ? rd_kafka_ConfigResource_configs(rs[0], &nconf) : NULL;
        snprintf(err, errlen, "%s: no config %s", topic, name);
        for (size_t i = 0; i < nconf; i++) {
            if (strcmp(rd_kafka_ConfigEntry_name(entries[i]), name))
                continue;
            const char *v = rd_kafka_ConfigEntry_value(entries[i]);
            snprintf(out, outlen, "%s", v ? v : "");
            rc = 0;
        }
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    rd_kafka_ConfigResource_destroy(res);
    return rc;
}

/* The outcome of a CreateTopics or CreatePartitions request for one topic, read from q. */
static rd_kafka_resp_err_t topic_request_result(rd_kafka_queue_t *q, int timeout_ms, char *detail, size_t n)
{
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 2000);
    if (!ev) {
        snprintf(detail, n, "no answer from the broker");
        return RD_KAFKA_RESP_ERR__TIMED_OUT;
    }
    rd_kafka_resp_err_t e = rd_kafka_event_error(ev);
    snprintf(detail, n, "%s", rd_kafka_event_error_string(ev));
    size_t cnt = 0;
    const rd_kafka_topic_result_t **tr = NULL;
    if (rd_kafka_event_CreateTopics_result(ev))
        tr = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &cnt);
    else if (rd_kafka_event_CreatePartitions_result(ev))
        tr = rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(ev), &cnt);
    if (!e && cnt == 1) {
        e = rd_kafka_topic_result_error(tr[0]);
        const char *msg = rd_kafka_topic_result_error_string(tr[0]);
        snprintf(detail, n, "%s", msg ? msg : rd_kafka_err2str(e));
    }
    rd_kafka_event_destroy(ev);
    return e;
}

static int set_topic_configs(rd_kafka_NewTopic_t *nt, const struct argus_topic_spec *s, char *err, size_t n)
{
    char num[32];
    if (rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "delete")) {
        snprintf(err, n, "cleanup.policy rejected");
        return -1;
    }
    if (s->retention_ms != 0) {
        snprintf(num, sizeof num, "%lld", s->retention_ms);
        if (rd_kafka_NewTopic_set_config(nt, "retention.ms", num)) {
            snprintf(err, n, "retention.ms rejected");
            return -1;
        }
    }
    if (s->max_message_bytes != 0) {
        snprintf(num, sizeof num, "%lld", s->max_message_bytes);
        if (rd_kafka_NewTopic_set_config(nt, "max.message.bytes", num)) {
            snprintf(err, n, "max.message.bytes rejected");
            return -1;
        }
    }
    return 0;
}

static rd_kafka_resp_err_t create_topic(rd_kafka_t *rk, rd_kafka_queue_t *q, const struct argus_topic_spec *s,
                                        int rf, int timeout_ms, char *detail, size_t n)
{
    char why[256];
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(s->name, s->partitions, rf, why, sizeof why);
    if (!nt) {
        snprintf(detail, n, "%s", why);
        return RD_KAFKA_RESP_ERR__INVALID_ARG;
    }
    if (set_topic_configs(nt, s, detail, n) != 0) {
        rd_kafka_NewTopic_destroy(nt);
        return RD_KAFKA_RESP_ERR__INVALID_ARG;
    }
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_operation_timeout(opts, timeout_ms, why, sizeof why);
    rd_kafka_CreateTopics(rk, &nt, 1, opts, q);
    rd_kafka_resp_err_t e = topic_request_result(q, timeout_ms, detail, n);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_NewTopic_destroy(nt);
    return e;
}

static rd_kafka_resp_err_t raise_partitions(rd_kafka_t *rk, rd_kafka_queue_t *q,
                                            const struct argus_topic_spec *s, int timeout_ms, char *detail,
                                            size_t n)
{
    char why[256];
    rd_kafka_NewPartitions_t *np = rd_kafka_NewPartitions_new(s->name, (size_t)s->partitions, why, sizeof why);
    if (!np) {
        snprintf(detail, n, "%s", why);
        return RD_KAFKA_RESP_ERR__INVALID_ARG;
    }
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATEPARTITIONS);
    rd_kafka_AdminOptions_set_operation_timeout(opts, timeout_ms, why, sizeof why);
    rd_kafka_CreatePartitions(rk, &np, 1, opts, q);
    rd_kafka_resp_err_t e = topic_request_result(q, timeout_ms, detail, n);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_NewPartitions_destroy(np);
    return e;
}

/* 1 when the broker's value of name differs from want (or cannot be read). */
static int config_differs(rd_kafka_t *rk, const char *topic, const char *name, const char *want, int timeout_ms)
{
    char have[64], err[256];
    if (argus_admin_topic_config(rk, topic, name, have, sizeof have, timeout_ms, err, sizeof err) != 0)
        return 1;
    return strcmp(have, want) != 0;
}

/* Sets the table's configs of an existing topic when one differs: 0 unchanged, 1 updated, -1 failed. */
static int sync_configs(rd_kafka_t *rk, rd_kafka_queue_t *q, const struct argus_topic_spec *s, int timeout_ms,
                        char *detail, size_t n)
{
    char retention[32], max_bytes[32];
    snprintf(retention, sizeof retention, "%lld", s->retention_ms);
    snprintf(max_bytes, sizeof max_bytes, "%lld", s->max_message_bytes);
    if (!config_differs(rk, s->name, "cleanup.policy", "delete", timeout_ms) &&
        (s->retention_ms == 0 || !config_differs(rk, s->name, "retention.ms", retention, timeout_ms)) &&
        (s->max_message_bytes == 0 || !config_differs(rk, s->name, "max.message.bytes", max_bytes, timeout_ms)))
        return 0;
    rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, s->name);
    rd_kafka_ConfigResource_set_config(res, "cleanup.policy", "delete");
    if (s->retention_ms != 0)
        rd_kafka_ConfigResource_set_config(res, "retention.ms", retention);
    if (s->max_message_bytes != 0)
        rd_kafka_ConfigResource_set_config(res, "max.message.bytes", max_bytes);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ALTERCONFIGS);
    char why[256];
    rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, why, sizeof why);
    rd_kafka_AlterConfigs(rk, &res, 1, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 2000);
    int rc = -1;
    snprintf(detail, n, "no answer altering configs");
    const rd_kafka_AlterConfigs_result_t *r = ev ? rd_kafka_event_AlterConfigs_result(ev) : NULL;
    if (ev && rd_kafka_event_error(ev)) {
        snprintf(detail, n, "configs: %s", rd_kafka_event_error_string(ev));
    } else if (r) {
        size_t cnt = 0;
        const rd_kafka_ConfigResource_t **rs = rd_kafka_AlterConfigs_result_resources(r, &cnt);
        rd_kafka_resp_err_t e = cnt == 1 ? rd_kafka_ConfigResource_error(rs[0]) : RD_KAFKA_RESP_ERR__FAIL;
        if (e) {
            const char *msg = cnt == 1 ? rd_kafka_ConfigResource_error_string(rs[0]) : NULL;
            snprintf(detail, n, "configs: %s", msg ? msg : rd_kafka_err2str(e));
        } else {
            rc = 1;
        }
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_ConfigResource_destroy(res);
    return rc;
}

int argus_admin_ensure_topics(rd_kafka_t *rk, const struct argus_topic_table *t, int replication_factor,
                              int timeout_ms, argus_topic_report_fn report, void *arg)
{
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    int failures = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct argus_topic_spec *s = &t->topics[i];
        char detail[512] = "";
        int have = argus_admin_partition_count(rk, s->name, timeout_ms, detail, sizeof detail);
        enum argus_topic_action action = ARGUS_TOPIC_FAILED;
        if (have == 0) {
            rd_kafka_resp_err_t e = create_topic(rk, q, s, replication_factor, timeout_ms, detail, sizeof detail);
            if (!e) {
                action = ARGUS_TOPIC_CREATED;
                snprintf(detail, sizeof detail, "%d partitions", s->partitions);
            } else if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                action = ARGUS_TOPIC_UNCHANGED; /* created concurrently by someone else */
                snprintf(detail, sizeof detail, "created concurrently");
            }
        } else if (have > 0 && have < s->partitions) {
            if (!raise_partitions(rk, q, s, timeout_ms, detail, sizeof detail)) {
                action = ARGUS_TOPIC_PARTITIONS_RAISED;
                snprintf(detail, sizeof detail, "%d -> %d partitions", have, s->partitions);
            }
        } else if (have > 0) {
            action = ARGUS_TOPIC_UNCHANGED;
            snprintf(detail, sizeof detail, "%d partitions", have);
        }
        if (have > 0 && action != ARGUS_TOPIC_FAILED) {
            char why[256];
            int synced = sync_configs(rk, q, s, timeout_ms, why, sizeof why);
            if (synced < 0) {
                action = ARGUS_TOPIC_FAILED;
                snprintf(detail, sizeof detail, "%s", why);
            } else if (synced > 0) {
                if (action == ARGUS_TOPIC_UNCHANGED)
                    action = ARGUS_TOPIC_CONFIGS_UPDATED;
                strncat(detail, ", configs set from the table", sizeof detail - strlen(detail) - 1);
            }
        }
        if (action == ARGUS_TOPIC_FAILED)
            failures++;
        if (report)
            report(arg, s, action, detail);
    }
    rd_kafka_queue_destroy(q);
    return failures;
}
