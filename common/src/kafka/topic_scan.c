/* Group-less reading of a whole topic up to its high watermarks; see argus/topic_scan.h. */
#include "argus/kafka/topic_scan.h"
#include "argus/kafka/kafka_conf.h"
#include "argus/base/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int partition_ids(rd_kafka_t *rk, const char *topic, int32_t **ids, int timeout_ms, char *err, size_t n)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
    rd_kafka_topic_destroy(rkt);
    if (e) {
        snprintf(err, n, "metadata for %s: %s", topic, rd_kafka_err2str(e));
        return -1;
    }
    int cnt = -1;
    if (md->topic_cnt == 1 && !md->topics[0].err) {
        cnt = md->topics[0].partition_cnt;
        *ids = calloc((size_t)cnt + 1, sizeof **ids);
        for (int i = 0; *ids && i < cnt; i++)
            (*ids)[i] = md->topics[0].partitions[i].id;
    } else {
        snprintf(err, n, "topic %s: %s", topic,
                 md->topic_cnt == 1 ? rd_kafka_err2str(md->topics[0].err) : "not found");
    }
    rd_kafka_metadata_destroy(md);
    return cnt;
}

long argus_topic_scan(const struct argus_config *cfg, const char *topic, int partition, long long start_offset,
                      int timeout_ms, argus_scan_fn fn, void *arg, char *err, size_t errlen)
{
    rd_kafka_conf_t *conf = argus_kafka_conf_new(cfg, "scan", err, errlen);
    if (!conf)
        return -1;
    if (argus_kafka_set(conf, "group.id", "argus-scan-unused", err, errlen) ||
        argus_kafka_set(conf, "enable.auto.commit", "false", err, errlen) ||
        argus_kafka_set(conf, "enable.partition.eof", "true", err, errlen) ||
        argus_kafka_set(conf, "fetch.wait.max.ms", "10", err, errlen)) {
        rd_kafka_conf_destroy(conf);
        return -1;
    }
    char why[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof why);
    if (!rk) {
        snprintf(err, errlen, "%s", why);
        rd_kafka_conf_destroy(conf);
        return -1;
    }
    int32_t *ids = NULL;
    int cnt = partition_ids(rk, topic, &ids, timeout_ms, err, errlen);
    long seen = -1;
    if (cnt < 0 || !ids)
        goto out;

    rd_kafka_topic_partition_list_t *assign = rd_kafka_topic_partition_list_new(cnt);
    int open = 0;
    for (int i = 0; i < cnt; i++) {
        if (partition >= 0 && ids[i] != partition)
            continue;
        int64_t lo = 0, hi = 0;
        rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, topic, ids[i], &lo, &hi, timeout_ms);
        if (e) {
            snprintf(err, errlen, "watermarks of %s [%d]: %s", topic, (int)ids[i], rd_kafka_err2str(e));
            rd_kafka_topic_partition_list_destroy(assign);
            goto out;
        }
        int64_t from = start_offset >= 0 && start_offset > lo ? start_offset : lo;
        if (from >= hi)
            continue;
        rd_kafka_topic_partition_list_add(assign, topic, ids[i])->offset = from;
        open++;
    }
    seen = 0;
    if (open > 0 && rd_kafka_assign(rk, assign) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        snprintf(err, errlen, "assign failed");
        seen = -1;
        open = 0;
    }
    rd_kafka_topic_partition_list_destroy(assign);
    int64_t deadline = argus_monotonic_ms() + timeout_ms;
    while (open > 0) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
        if (!m) {
            if (argus_monotonic_ms() > deadline) {
                snprintf(err, errlen, "timed out reading %s", topic);
                seen = -1;
                break;
            }
            continue;
        }
        deadline = argus_monotonic_ms() + timeout_ms;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            open--;
        } else if (m->err) {
            snprintf(err, errlen, "%s", rd_kafka_message_errstr(m));
            seen = -1;
            rd_kafka_message_destroy(m);
            break;
        } else {
            seen++;
            if (fn && fn(arg, m) != 0) {
                rd_kafka_message_destroy(m);
                break;
            }
        }
        rd_kafka_message_destroy(m);
    }
out:
    free(ids);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return seen;
}
