/* The consumer loop: fetches batches, hands them to the worker's handlers, retries in place, pauses
 * every partition while a dependency is down, dead-letters what cannot be handled, stores offsets
 * only for finished messages (their outputs and DLQ copies acknowledged) and commits them
 * periodically, on revoke and at shutdown. */
#include "runtime.h"
#include "loop_item.h"
#include "argus/base/buf.h"
#include "argus/kafka/dlq.h"
#include "argus/base/json_arena.h"
#include "argus/kafka/kafka_admin.h"
#include "argus/kafka/kafka_conf.h"
#include "argus/base/log.h"
#include "argus/base/metrics.h"
#include "argus/base/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_TIMEOUT_MS 30000
#define IDLE_POLL_MS 100

struct batch {
    struct loop_item *items;
    size_t n, cap;
};

/* ---- metrics ---------------------------------------------------------------------------------- */

static void define_metrics(void)
{
    argus_metric_define("argus_messages_received_total", ARGUS_COUNTER, "Records received, by topic", NULL);
    argus_metric_define("argus_messages_processed_total", ARGUS_COUNTER,
                        "Records finished, by topic and outcome (ok, dlq)", NULL);
    argus_metric_define("argus_retries_total", ARGUS_COUNTER, "Retries scheduled (a handler asked for one), by topic", NULL);
    argus_metric_define("argus_dlq_messages_total", ARGUS_COUNTER,
                        "Records dead-lettered, by original topic and error class", NULL);
    argus_metric_define("argus_handler_duration_seconds", ARGUS_HISTOGRAM,
                        "Time a handler spent on one event, by event type", NULL);
    argus_metric_define("argus_batch_duration_seconds", ARGUS_HISTOGRAM,
                        "Time to finish one batch (handlers, coalesced writes, produce acks)", NULL);
    argus_metric_define("argus_consumer_lag", ARGUS_GAUGE, "Consumer lag by partition (librdkafka statistics)",
                        NULL);
    argus_metric_define("argus_consumer_lag_total", ARGUS_GAUGE, "Sum of the consumer lag of assigned partitions",
                        NULL);
    argus_metric_define("argus_partitions_assigned", ARGUS_GAUGE, "Partitions assigned to this member", NULL);
    argus_metric_define("argus_partitions_paused", ARGUS_GAUGE, "Partitions paused (retry backoff or outage)",
                        NULL);
    argus_metric_define("argus_dependency_up", ARGUS_GAUGE, "1 when the dependency answered its last probe", NULL);
    argus_metric_define("argus_outage", ARGUS_GAUGE, "1 while a dependency is down and consumption is paused",
                        NULL);
    argus_metric_define("argus_offset_commits_total", ARGUS_COUNTER, "Offset commits by result", NULL);
}

static void count_topic(const char *name, const char *topic, const char *key2, const char *val2, double v)
{
    struct argus_buf l = ARGUS_BUF_INIT;
    argus_metric_label(&l, "topic", topic);
    if (key2)
        argus_metric_label(&l, key2, val2);
    argus_counter_add(name, argus_buf_str(&l), v);
    argus_buf_free(&l);
}

/* ---- librdkafka callbacks ------------------------------------------------------------------------ */

static void update_assignment_gauges(struct argus_runtime *rt)
{
    rd_kafka_topic_partition_list_t *a = NULL;
    if (rd_kafka_assignment(rt->consumer, &a) == RD_KAFKA_RESP_ERR_NO_ERROR && a) {
        atomic_store(&rt->nassigned, a->cnt);
        rd_kafka_topic_partition_list_destroy(a);
    }
    argus_gauge_set("argus_partitions_assigned", NULL, atomic_load(&rt->nassigned));
    argus_gauge_set("argus_partitions_paused", NULL, partitions_paused_count(rt));
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                         void *opaque)
{
    struct argus_runtime *rt = opaque;
    int cooperative = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");
    rd_kafka_error_t *error = NULL;
    rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR_NO_ERROR;

    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (cooperative)
            error = rd_kafka_incremental_assign(rk, parts);
        else
            e = rd_kafka_assign(rk, parts);
        for (int i = 0; i < parts->cnt; i++) {
            struct partition_state *p = partition_get(rt, parts->elems[i].topic, parts->elems[i].partition);
            if (p && atomic_load(&rt->outage))
                partition_set_paused(rt, p, true);
        }
        argus_info("consumer.assigned", "%d partition(s) assigned (%s)", parts->cnt,
                   cooperative ? "incremental" : "eager");
        atomic_store(&rt->assigned_once, 1);
    } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
        int lost = rd_kafka_assignment_lost(rk);
        if (!lost) {
            /* Commit what is finished before someone else takes over. */
            rd_kafka_resp_err_t ce = rd_kafka_commit(rk, NULL, 0);
            if (ce && ce != RD_KAFKA_RESP_ERR__NO_OFFSET)
                argus_warn("consumer.revoke_commit", "commit on revoke: %s", rd_kafka_err2str(ce));
        }
        for (int i = 0; i < parts->cnt; i++)
            partition_drop(rt, parts->elems[i].topic, parts->elems[i].partition);
        if (cooperative)
            error = rd_kafka_incremental_unassign(rk, parts);
        else
            e = rd_kafka_assign(rk, NULL);
        argus_info("consumer.revoked", "%d partition(s) %s", parts->cnt, lost ? "lost" : "revoked");
    } else {
        argus_error("consumer.rebalance_error", "%s", rd_kafka_err2str(err));
        e = rd_kafka_assign(rk, NULL);
    }
    if (error) {
        argus_error("consumer.assign_failed", "%s", rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
    } else if (e) {
        argus_error("consumer.assign_failed", "%s", rd_kafka_err2str(e));
    }
    update_assignment_gauges(rt);
}

/* Lag per assigned partition from librdkafka's statistics JSON. Runs on the events thread, so lag
 * stays current (and liveness can see it) while the loop is busy in a long batch; librdkafka reports a
 * consumer_lag only for partitions this member fetches. */
static int stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
    (void)rk;
    struct argus_runtime *rt = opaque;
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *topics = cJSON_GetObjectItemCaseSensitive(root, "topics");
    long long total = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, topics)
    {
        const cJSON *parts = cJSON_GetObjectItemCaseSensitive(t, "partitions");
        const cJSON *pj;
        cJSON_ArrayForEach(pj, parts)
        {
            const cJSON *pid = cJSON_GetObjectItemCaseSensitive(pj, "partition");
            const cJSON *lag = cJSON_GetObjectItemCaseSensitive(pj, "consumer_lag");
            if (!cJSON_IsNumber(pid) || pid->valueint < 0 || !cJSON_IsNumber(lag) || lag->valuedouble < 0)
                continue;
            char num[16];
            snprintf(num, sizeof num, "%d", pid->valueint);
            struct argus_buf l = ARGUS_BUF_INIT;
            argus_metric_label(&l, "topic", t->string);
            argus_metric_label(&l, "partition", num);
            argus_gauge_set("argus_consumer_lag", argus_buf_str(&l), lag->valuedouble);
            argus_buf_free(&l);
            total += (long long)lag->valuedouble;
        }
    }
    if (root) {
        atomic_store(&rt->lag_total, total);
        argus_gauge_set("argus_consumer_lag_total", NULL, (double)total);
    }
    cJSON_Delete(root);
    return 0;
}

static void commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets,
                      void *opaque)
{
    (void)rk;
    (void)offsets;
    (void)opaque;
    if (err == RD_KAFKA_RESP_ERR__NO_OFFSET)
        return;
    argus_counter_add("argus_offset_commits_total", err ? "result=\"error\"" : "result=\"ok\"", 1);
    if (err)
        argus_warn("consumer.commit_failed", "%s", rd_kafka_err2str(err));
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    struct argus_runtime *rt = opaque;
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
        char why[512];
        rd_kafka_fatal_error(rk, why, sizeof why);
        argus_error("consumer.fatal", "%s", why);
        atomic_store(&rt->stopping, 2);
        return;
    }
    if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN && !atomic_exchange(&rt->brokers_down, 1))
        argus_warn("kafka.down", "all brokers down: not ready until one answers");
    argus_warn("kafka.error", "%s: %s", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

/* librdkafka's main queue (statistics, errors) on its own thread, apart from the consumer queue. */
static void *serve_events(void *arg)
{
    struct argus_runtime *rt = arg;
    int64_t next_probe = 0;
    while (!atomic_load(&rt->events_stop)) {
        rd_kafka_poll(rt->consumer, 200);
        int64_t now = argus_monotonic_ms();
        if (atomic_load(&rt->brokers_down) && now >= next_probe) {
            /* librdkafka says when brokers go away, not when they come back: ask. */
            const struct rd_kafka_metadata *md = NULL;
            if (rd_kafka_metadata(rt->consumer, 0, NULL, &md, 1000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                rd_kafka_metadata_destroy(md);
                atomic_store(&rt->brokers_down, 0);
                argus_info("kafka.up", "a broker answers again");
            }
            next_probe = now + 1000;
        }
    }
    return NULL;
}

static int kafka_probe(void *arg, char *err, size_t errlen)
{
    struct argus_runtime *rt = arg;
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(argus_producer_handle(rt->producer), 0, NULL, &md, 2000);
    if (e) {
        snprintf(err, errlen, "%s", rd_kafka_err2str(e));
        return -1;
    }
    rd_kafka_metadata_destroy(md);
    return 0;
}

/* ---- open / close --------------------------------------------------------------------------------- */

static rd_kafka_conf_t *consumer_conf(struct argus_runtime *rt, char *err, size_t errlen)
{
    const struct argus_config *c = &rt->cfg;
    rd_kafka_conf_t *conf = argus_kafka_conf_new(c, rt->spec->name, err, errlen);
    if (!conf)
        return NULL;
    char max_bytes[32];
    snprintf(max_bytes, sizeof max_bytes, "%d", argus_kafka_client_max_bytes(c));
    /* queued.min.messages: with librdkafka 2.0.2 the fetcher backs off ~1 s each time the local queue
     * passes this threshold (measured 185k vs 700k+ msg/s); memory stays bounded by
     * queued.max.messages.kbytes. */
    if (argus_kafka_set(conf, "group.id", c->group_id, err, errlen) ||
        argus_kafka_set(conf, "partition.assignment.strategy", "cooperative-sticky", err, errlen) ||
        argus_kafka_set(conf, "enable.auto.commit", "false", err, errlen) ||
        argus_kafka_set(conf, "enable.auto.offset.store", "false", err, errlen) ||
        argus_kafka_set(conf, "auto.offset.reset", c->auto_offset_reset, err, errlen) ||
        argus_kafka_set(conf, "enable.partition.eof", "false", err, errlen) ||
        argus_kafka_set(conf, "queued.min.messages", "1000000", err, errlen) ||
        argus_kafka_set(conf, "queued.max.messages.kbytes", "131072", err, errlen) ||
        argus_kafka_set(conf, "max.partition.fetch.bytes", max_bytes, err, errlen) ||
        argus_kafka_set(conf, "fetch.wait.max.ms", "100", err, errlen) ||
        argus_kafka_set(conf, "statistics.interval.ms", "5000", err, errlen)) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
    rd_kafka_conf_set_stats_cb(conf, stats_cb);
    rd_kafka_conf_set_error_cb(conf, error_cb);
    rd_kafka_conf_set_offset_commit_cb(conf, commit_cb);
    rd_kafka_conf_set_opaque(conf, rt);
    return conf;
}

int loop_open(struct argus_runtime *rt, char *err, size_t errlen)
{
    define_metrics();
    argus_json_arena_install();
    atomic_store(&rt->lag_total, -1);
    rt->producer = argus_producer_new(&rt->cfg, rt->spec->name, err, errlen);
    if (!rt->producer)
        return -1;
    argus_runtime_add_dependency(rt, "kafka", kafka_probe, rt);

    rd_kafka_conf_t *conf = consumer_conf(rt, err, errlen);
    if (!conf)
        return -1;
    char why[512];
    rt->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof why);
    if (!rt->consumer) {
        snprintf(err, errlen, "consumer: %s", why);
        rd_kafka_conf_destroy(conf);
        return -1;
    }
    if (pthread_create(&rt->events_thread, NULL, serve_events, rt) != 0) {
        snprintf(err, errlen, "cannot start the events thread");
        return -1;
    }
    rt->events_running = 1;
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new((int)rt->cfg.input_topics.n);
    for (size_t i = 0; i < rt->cfg.input_topics.n; i++)
        rd_kafka_topic_partition_list_add(topics, rt->cfg.input_topics.items[i], RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(rt->consumer, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (e) {
        snprintf(err, errlen, "subscribe: %s", rd_kafka_err2str(e));
        return -1;
    }
    rt->last_commit_ms = argus_monotonic_ms();
    return 0;
}

void loop_close(struct argus_runtime *rt)
{
    /* Held messages are not finished: they stay uncommitted and go to the next owner. */
    partitions_clear(rt);
    if (rt->producer && argus_producer_flush(rt->producer, rt->cfg.shutdown_timeout_ms / 2) != 0)
        argus_warn("shutdown.flush", "producer queue not drained");
    if (rt->events_running) {
        atomic_store(&rt->events_stop, 1);
        pthread_join(rt->events_thread, NULL);
        rt->events_running = 0;
    }
    if (rt->consumer) {
        rd_kafka_resp_err_t e = rd_kafka_commit(rt->consumer, NULL, 0);
        if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET)
            argus_warn("shutdown.commit", "%s", rd_kafka_err2str(e));
        rd_kafka_consumer_close(rt->consumer);
        rd_kafka_destroy(rt->consumer);
        rt->consumer = NULL;
    }
    argus_producer_free(rt->producer);
    rt->producer = NULL;
    stats_free(rt);
}

/* ---- outage --------------------------------------------------------------------------------------- */

static void enter_outage(struct argus_runtime *rt, const char *why)
{
    runtime_set_outage_reason(rt, why);
    if (atomic_exchange(&rt->outage, 1))
        return;
    argus_warn("outage.start", "pausing all partitions: %s", why);
    partitions_pause_all(rt);
    rt->probe_delay_ms = rt->cfg.backoff_initial_ms;
    rt->next_probe_ms = argus_monotonic_ms() + rt->probe_delay_ms;
    argus_gauge_set("argus_outage", NULL, 1);
}

static void check_outage(struct argus_runtime *rt, int64_t now)
{
    if (!atomic_load(&rt->outage) || now < rt->next_probe_ms)
        return;
    char why[256];
    if (deps_probe_all(rt, why, sizeof why) != 0) {
        runtime_set_outage_reason(rt, why);
        rt->probe_delay_ms = rt->probe_delay_ms * 2 > rt->cfg.backoff_max_ms ? rt->cfg.backoff_max_ms
                                                                              : rt->probe_delay_ms * 2;
        rt->next_probe_ms = now + rt->probe_delay_ms;
        return;
    }
    argus_info("outage.end", "all dependencies answer; resuming");
    atomic_store(&rt->outage, 0);
    runtime_set_outage_reason(rt, "");
    for (size_t i = 0; i < rt->nparts; i++) {
        rt->parts[i].retry_at_ms = now;
        if (!rt->parts[i].nheld)
            partition_set_paused(rt, &rt->parts[i], false);
    }
    argus_gauge_set("argus_outage", NULL, 0);
}

/* ---- batch assembly ------------------------------------------------------------------------------- */

static int batch_add(struct argus_runtime *rt, struct batch *b, rd_kafka_message_t *m,
                     const struct partition_state *p)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct loop_item *grown = realloc(b->items, cap * sizeof *grown);
        if (!grown)
            return -1;
        b->items = grown;
        b->cap = cap;
    }
    struct loop_item *li = &b->items[b->n++];
    struct argus_message *msg = &li->pub.msg;
    memset(li, 0, sizeof *li);
    li->native = m;
    msg->topic = rd_kafka_topic_name(m->rkt);
    li->stats = stats_topic(rt, msg->topic);
    li->slot = -1;
    msg->partition = m->partition;
    msg->offset = m->offset;
    msg->timestamp_ms = rd_kafka_message_timestamp(m, NULL);
    msg->key = m->key;
    msg->key_len = m->key_len;
    msg->value = m->payload;
    msg->value_len = m->len;
    rd_kafka_headers_t *h = NULL;
    if (rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        argus_header_string(h, "traceparent", li->traceparent_buf, sizeof li->traceparent_buf) == 0)
        msg->traceparent = li->traceparent_buf;
    li->pub.attempt = p && p->head_offset == m->offset ? p->attempts + 1 : 1;
    return 0;
}

static void handle_poll_error(struct argus_runtime *rt, rd_kafka_message_t *m)
{
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
        return;
    if (m->err == RD_KAFKA_RESP_ERR__FATAL) {
        char why[512];
        rd_kafka_fatal_error(rt->consumer, why, sizeof why);
        argus_error("consumer.fatal", "%s", why);
        atomic_store(&rt->stopping, 2);
        return;
    }
    argus_warn("consumer.error", "%s", rd_kafka_message_errstr(m));
}

/* Re-offers held messages whose backoff is over, then polls new ones until the batch is full or
 * the batch timeout passes. */
static void fill_batch(struct argus_runtime *rt, struct batch *b)
{
    int64_t now = argus_monotonic_ms();
    int64_t next_due = now + IDLE_POLL_MS;
    for (size_t i = 0; i < rt->nparts; i++) {
        struct partition_state *p = &rt->parts[i];
        if (!p->nheld || atomic_load(&rt->outage))
            continue;
        if (p->retry_at_ms > now) {
            if (p->retry_at_ms < next_due)
                next_due = p->retry_at_ms;
            continue;
        }
        for (size_t j = 0; j < p->nheld; j++) {
            if (batch_add(rt, b, p->held[j], p) != 0)
                rd_kafka_message_destroy(p->held[j]); /* out of memory: it stays uncommitted */
            else
                b->items[b->n - 1].redelivered = 1;
        }
        p->nheld = 0;
        partition_set_paused(rt, p, false);
    }

    int64_t deadline = now + rt->cfg.batch_timeout_ms;
    while (b->n < (size_t)rt->cfg.batch_size && !atomic_load(&rt->stopping)) {
        int timeout;
        if (b->n == 0)
            timeout = (int)(next_due > now ? next_due - now : 0);
        else
            timeout = (int)(deadline > now ? deadline - now : 0);
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rt->consumer, timeout);
        now = argus_monotonic_ms();
        if (!m) {
            if (b->n == 0 || now >= deadline)
                break;
            continue;
        }
        if (m->err) {
            handle_poll_error(rt, m);
            rd_kafka_message_destroy(m);
            continue;
        }
        struct partition_state *p = partition_find(rt, rd_kafka_topic_name(m->rkt), m->partition);
        if (p && p->nheld) {
            /* Behind a held message of its partition: keep the order. */
            if (partition_hold(p, m) != 0)
                rd_kafka_message_destroy(m);
            continue;
        }
        if (batch_add(rt, b, m, p) != 0) {
            rd_kafka_message_destroy(m);
            break;
        }
    }
    /* No rebalance runs from here until the next fill: the partition table stays put. */
    for (size_t i = 0; i < b->n; i++) {
        const struct argus_message *msg = &b->items[i].pub.msg;
        const struct partition_state *p = partition_find(rt, msg->topic, msg->partition);
        b->items[i].slot = p ? (int)(p - rt->parts) : -1;
    }
}

/* ---- batch processing ----------------------------------------------------------------------------- */

static const char *parse_error_class(const char *why)
{
    if (!strncmp(why, "invalid JSON", 12) || !strncmp(why, "invalid UTF-8", 13) || !strncmp(why, "not a JSON", 10) ||
        !strncmp(why, "empty", 5))
        return ARGUS_ERR_DESERIALIZATION;
    return ARGUS_ERR_VALIDATION;
}

static const struct argus_route *find_route(struct argus_runtime *rt, const char *type)
{
    /* Consecutive records mostly share a type. */
    if (rt->last_route && !strcmp(rt->last_route->event_type, type))
        return rt->last_route;
    for (const struct argus_route *r = rt->spec->routes; r && r->event_type; r++)
        if (!strcmp(r->event_type, type))
            return rt->last_route = r;
    return NULL;
}

static void parse_items(struct argus_runtime *rt, struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct loop_item *li = &b->items[i];
        struct argus_item *it = &li->pub;
        argus_result_ok(&it->result);
        memset(&li->delivery, 0, sizeof li->delivery);
        li->parsed = 0;
        li->dlq_sent = 0;
        li->skipped = 0;
        if (!li->redelivered && li->stats)
            li->stats->n_received++;
        if (it->msg.value_len > (size_t)rt->cfg.max_message_bytes) {
            argus_reject(&it->result, ARGUS_ERR_OVERSIZE, "%zu bytes exceeds KAFKA_MAX_MESSAGE_BYTES=%d",
                         it->msg.value_len, rt->cfg.max_message_bytes);
            continue;
        }
        char why[300];
        argus_json_arena_begin();
        int bad = argus_event_parse(it->msg.topic, it->msg.value, it->msg.value_len, &it->event, why, sizeof why);
        argus_json_arena_end();
        if (bad) {
            argus_reject(&it->result, parse_error_class(why), "%s", why);
            continue;
        }
        li->parsed = 1;
    }
}

static void run_handlers(struct argus_runtime *rt, struct batch *b)
{
    const struct argus_worker_spec *spec = rt->spec;
    struct argus_item **ok = malloc((b->n ? b->n : 1) * sizeof *ok);
    char *blocked = calloc(rt->nparts + 1, 1);
    size_t nok = 0;
    int64_t t_prev = 0; /* end of the previous handler call: the next one's start */
    if (spec->begin_batch)
        spec->begin_batch(rt->ctx);
    for (size_t i = 0; i < b->n; i++) {
        struct loop_item *li = &b->items[i];
        struct argus_item *it = &li->pub;
        int has_slot = li->slot >= 0;
        size_t slot = has_slot ? (size_t)li->slot : rt->nparts;
        if (blocked && has_slot && blocked[slot]) {
            /* Order per partition: nothing runs behind a message that will be retried. */
            li->skipped = 1;
            argus_retry(&it->result, ARGUS_ERR_PROCESSING, "behind a retried message");
            continue;
        }
        if (!li->parsed)
            continue;
        const struct argus_route *r = find_route(rt, it->event.type);
        if (!r) {
            if (!spec->skip_unknown_types)
                argus_reject(&it->result, ARGUS_ERR_UNSUPPORTED, "no handler for event type %s on %s",
                             it->event.type, it->msg.topic);
        } else {
            int64_t t0 = t_prev ? t_prev : argus_now_us();
            enum argus_outcome o = r->handle(rt->ctx, it);
            if (o != it->result.outcome) {
                /* The return value wins; keep a reason even if the handler gave none. */
                it->result.outcome = o;
                if (o != ARGUS_OK && !it->result.message[0])
                    snprintf(it->result.message, sizeof it->result.message, "%s handler: %s", it->event.type,
                             argus_outcome_name(o));
                if (o != ARGUS_OK && !it->result.error_class[0])
                    snprintf(it->result.error_class, sizeof it->result.error_class, "%s", ARGUS_ERR_PROCESSING);
            }
            /* One clock read per handled record: its end is the next one's start. */
            t_prev = argus_now_us();
            argus_series_observe(stats_latency(rt, it->event.type), (double)(t_prev - t0) / 1e6);
        }
        if (it->result.outcome == ARGUS_OK && ok)
            ok[nok++] = it;
        else if (it->result.outcome == ARGUS_RETRY && blocked && has_slot)
            blocked[slot] = 1;
    }
    if (spec->end_batch && ok)
        spec->end_batch(rt->ctx, ok, nok);
    free(ok);
    free(blocked);
}

/* Waits for every output of the batch; an item whose output was not acknowledged is retried. */
static int await_deliveries(struct argus_runtime *rt, struct batch *b, const char *what)
{
    int pending = 0;
    for (size_t i = 0; i < b->n; i++)
        pending += b->items[i].delivery.pending;
    if (!pending)
        return 0;
    argus_producer_flush(rt->producer, FLUSH_TIMEOUT_MS);
    int failed = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct loop_item *li = &b->items[i];
        if (li->delivery.failed || li->delivery.pending > 0) {
            argus_retry(&li->pub.result, ARGUS_ERR_PRODUCE, "%s not acknowledged: %s", what,
                        li->delivery.error[0] ? li->delivery.error : "timed out");
            failed++;
        }
    }
    return failed;
}

static int64_t backoff_ms(const struct argus_config *c, int attempts, int hint_ms)
{
    int64_t d = c->backoff_initial_ms;
    for (int i = 1; i < attempts && d < c->backoff_max_ms; i++)
        d *= 2;
    if (d > c->backoff_max_ms)
        d = c->backoff_max_ms;
    return hint_ms > d ? hint_ms : d;
}

/* The first retry of a partition: counts the attempt (only while dependencies answer) and turns it
 * into a rejection once attempts or age run out. Returns 1 if the item is now held back. */
static int account_retry(struct argus_runtime *rt, struct partition_state *p, struct argus_item *it, int64_t now)
{
    if (atomic_load(&rt->outage))
        return 1;
    int64_t now_us = argus_now_us();
    if (p->head_offset != it->msg.offset) {
        p->head_offset = it->msg.offset;
        p->attempts = 0;
        p->first_failure_us = now_us;
    }
    p->attempts++;
    it->attempt = p->attempts;
    snprintf(p->last_error, sizeof p->last_error, "%s", it->result.message);
    int64_t age_s = (now_us - p->first_failure_us) / 1000000;
    if (p->attempts >= rt->cfg.max_attempts || age_s >= rt->cfg.max_retry_age_s) {
        char msg[sizeof it->result.message + 64];
        snprintf(msg, sizeof msg, "gave up after %d attempt(s) over %llds: %s", p->attempts, (long long)age_s,
                 it->result.message);
        char cls[sizeof it->result.error_class];
        snprintf(cls, sizeof cls, "%s", it->result.error_class);
        argus_reject(&it->result, cls, "%s", msg);
        return 0;
    }
    p->retry_at_ms = now + backoff_ms(&rt->cfg, p->attempts, it->result.retry_after_ms);
    argus_info("message.retry", "%s [%d] @%lld attempt %d: %s: %s", it->msg.topic, (int)it->msg.partition,
               (long long)it->msg.offset, p->attempts, it->result.error_class, it->result.message);
    return 1;
}

/* The DLQ topic's size limit, asked once; the broker default when it cannot be asked. */
static long long dlq_max_bytes(struct argus_runtime *rt)
{
    if (rt->dlq_max_bytes > 0)
        return rt->dlq_max_bytes;
    char value[32], err[256];
    if (argus_admin_topic_config(argus_producer_handle(rt->producer), rt->cfg.dlq_topic, "max.message.bytes", value,
                                 sizeof value, 5000, err, sizeof err) == 0 && atoll(value) > 0) {
        rt->dlq_max_bytes = atoll(value);
    } else {
        argus_warn("dlq.limit_unknown", "%s: assuming the broker default of 1048588 bytes", err);
        rt->dlq_max_bytes = 1048588;
    }
    return rt->dlq_max_bytes;
}

static int send_to_dlq(struct argus_runtime *rt, struct partition_state *p, struct loop_item *li)
{
    struct argus_item *it = &li->pub;
    rd_kafka_message_t *m = li->native;
    rd_kafka_headers_t *orig = NULL;
    rd_kafka_message_headers(m, &orig);
    int64_t now_us = argus_now_us();
    int same = p->head_offset == it->msg.offset;
    struct argus_dlq_info info = {
        .topic = it->msg.topic,
        .partition = it->msg.partition,
        .offset = it->msg.offset,
        .timestamp_ms = it->msg.timestamp_ms,
        .group = rt->cfg.group_id,
        .worker = rt->source,
        .error_class = it->result.error_class,
        .error_message = it->result.message,
        .attempts = same ? p->attempts : 1,
        .first_failure_us = same ? p->first_failure_us : now_us,
        .failed_at_us = now_us,
    };
    rd_kafka_headers_t *h = argus_dlq_headers(orig, &info);
    /* A copy that can never fit the DLQ topic would stop the worker for good: cut the value (the
     * original stays on its topic until retention; the header says how long it was). */
    size_t value_len = m->len;
    long long room = dlq_max_bytes(rt) - (long long)m->key_len - 16384;
    if ((long long)value_len > room) {
        value_len = room > 0 ? (size_t)room : 0;
        char len[32];
        snprintf(len, sizeof len, "%zu", m->len);
        rd_kafka_header_add(h, ARGUS_DLQ_TRUNCATED, -1, len, -1);
        argus_warn("dlq.truncated", "%s [%d] @%lld: value of %zu bytes cut to %zu for %s", it->msg.topic,
                   (int)it->msg.partition, (long long)it->msg.offset, m->len, value_len, rt->cfg.dlq_topic);
    }
    char err[256];
    if (argus_produce(rt->producer, rt->cfg.dlq_topic, m->key, m->key_len, m->payload, value_len, h, &li->delivery,
                      err, sizeof err) != 0) {
        argus_retry(&it->result, ARGUS_ERR_PRODUCE, "%s", err);
        return -1;
    }
    li->dlq_sent = 1;
    argus_warn("message.dlq", "%s [%d] @%lld -> %s: %s: %s", it->msg.topic, (int)it->msg.partition,
               (long long)it->msg.offset, rt->cfg.dlq_topic, it->result.error_class, it->result.message);
    return 0;
}

/* Decides, in offset order per partition, what is finished and what is held back. */
static void settle_batch(struct argus_runtime *rt, struct batch *b)
{
    int64_t now = argus_monotonic_ms();
    struct partition_state **pp = calloc(b->n ? b->n : 1, sizeof *pp);
    char *blocked = calloc(rt->nparts + 1, 1); /* indexed by partition slot */
    if (!pp || !blocked) {
        free(pp);
        free(blocked);
        return; /* nothing stored: everything is redelivered */
    }
    /* An item whose partition was revoked meanwhile has none: it is neither stored nor held (the
     * next owner redelivers it). */
    for (size_t i = 0; i < b->n; i++)
        pp[i] = b->items[i].slot >= 0 ? &rt->parts[b->items[i].slot] : NULL;

    /* Pass 1: retries and dead letters, stopping each partition at its first held message. */
    for (size_t i = 0; i < b->n; i++) {
        struct loop_item *li = &b->items[i];
        struct argus_item *it = &li->pub;
        struct partition_state *p = pp[i];
        if (!p)
            continue;
        size_t slot = (size_t)(p - rt->parts);
        if (blocked[slot])
            continue;
        if (li->skipped) {
            /* Its predecessor finished after all (dead-lettered): offer it again right away. */
            blocked[slot] = 1;
            p->retry_at_ms = now;
            continue;
        }
        if (it->result.outcome == ARGUS_RETRY && account_retry(rt, p, it, now)) {
            if (li->stats)
                li->stats->n_retries++;
            blocked[slot] = 1;
            continue;
        }
        if (it->result.outcome == ARGUS_REJECT && send_to_dlq(rt, p, li) != 0)
            blocked[slot] = 1;
    }
    if (await_deliveries(rt, b, "dead letter") > 0)
        enter_outage(rt, "kafka: dead letter not acknowledged");

    /* Pass 2: finish the prefix of each partition, hold the rest, store offsets. */
    memset(blocked, 0, rt->nparts + 1);
    rd_kafka_topic_partition_list_t *store = rd_kafka_topic_partition_list_new(8);
    for (size_t i = 0; i < b->n; i++) {
        struct loop_item *li = &b->items[i];
        struct argus_item *it = &li->pub;
        struct partition_state *p = pp[i];
        if (!p)
            continue;
        size_t slot = (size_t)(p - rt->parts);
        int finished = !blocked[slot] && (it->result.outcome == ARGUS_OK ||
                                          (it->result.outcome == ARGUS_REJECT && li->dlq_sent));
        if (!finished) {
            blocked[slot] = 1;
            if (partition_hold(p, li->native) == 0)
                li->native = NULL;
            continue;
        }
        if (it->result.outcome == ARGUS_OK) {
            if (li->stats)
                li->stats->n_ok++;
        } else {
            if (li->stats)
                li->stats->n_dlq++;
            count_topic("argus_dlq_messages_total", it->msg.topic, "error_class", it->result.error_class, 1);
        }
        if (p->head_offset == it->msg.offset)
            p->head_offset = -1;
        rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_find(store, p->topic, p->partition);
        if (!tp)
            tp = rd_kafka_topic_partition_list_add(store, p->topic, p->partition);
        tp->offset = it->msg.offset + 1;
    }
    if (store->cnt > 0) {
        rd_kafka_resp_err_t e = rd_kafka_offsets_store(rt->consumer, store);
        if (e)
            argus_warn("consumer.store_failed", "%s", rd_kafka_err2str(e));
    }
    rd_kafka_topic_partition_list_destroy(store);
    for (size_t i = 0; i < rt->nparts; i++)
        if (rt->parts[i].nheld)
            partition_set_paused(rt, &rt->parts[i], true);
    free(pp);
    free(blocked);
}

static void release_batch(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct loop_item *li = &b->items[i];
        if (li->parsed)
            argus_event_free(&li->pub.event);
        if (li->native)
            rd_kafka_message_destroy(li->native);
    }
    b->n = 0;
    argus_json_arena_reset(); /* the batch's event trees */
}

static void process_batch(struct argus_runtime *rt, struct batch *b)
{
    int64_t t0 = argus_now_us();
    atomic_store(&rt->in_batch, 1);
    parse_items(rt, b);
    run_handlers(rt, b);
    int failed_outputs = await_deliveries(rt, b, "output");
    int any_retry = 0;
    for (size_t i = 0; i < b->n && !any_retry; i++)
        any_retry = b->items[i].pub.result.outcome == ARGUS_RETRY;
    if (any_retry && !atomic_load(&rt->outage)) {
        char why[300];
        if (failed_outputs)
            snprintf(why, sizeof why, "kafka: output not acknowledged");
        if (failed_outputs || deps_probe_all(rt, why, sizeof why) != 0)
            enter_outage(rt, why);
    }
    settle_batch(rt, b);
    stats_flush(rt);
    argus_histogram_observe("argus_batch_duration_seconds", NULL, (double)(argus_now_us() - t0) / 1e6);
    release_batch(b);
    atomic_store(&rt->in_batch, 0);
}

/* ---- the loop ------------------------------------------------------------------------------------- */

static void maybe_commit(struct argus_runtime *rt, int64_t now)
{
    if (now - rt->last_commit_ms < rt->cfg.commit_interval_ms)
        return;
    rt->last_commit_ms = now;
    rd_kafka_resp_err_t e = rd_kafka_commit(rt->consumer, NULL, 1);
    if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET)
        argus_warn("consumer.commit_failed", "%s", rd_kafka_err2str(e));
}

int loop_run(struct argus_runtime *rt)
{
    struct batch b = {0};
    argus_info("consumer.start", "group %s, %zu topic(s), batch %d", rt->cfg.group_id, rt->cfg.input_topics.n,
               rt->cfg.batch_size);
    while (!atomic_load(&rt->stopping)) {
        int64_t now = argus_monotonic_ms();
        atomic_store(&rt->progress_ms, now);
        check_outage(rt, now);
        fill_batch(rt, &b);
        if (b.n)
            process_batch(rt, &b);
        if (rt->spec->tick && !atomic_load(&rt->outage) && !atomic_load(&rt->stopping))
            rt->spec->tick(rt->ctx);
        argus_producer_poll(rt->producer);
        now = argus_monotonic_ms();
        maybe_commit(rt, now);
        argus_gauge_set("argus_partitions_paused", NULL, partitions_paused_count(rt));
    }
    release_batch(&b);
    free(b.items);
    argus_json_arena_destroy();
    return atomic_load(&rt->stopping) == 2 ? 1 : 0;
}
