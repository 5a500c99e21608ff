/* Private to libargus: the state of a running worker shared by worker_main.c, loop.c,
 * partitions.c, deps.c and emit.c. Handlers only see struct argus_runtime as an opaque handle. */
#ifndef ARGUS_RUNTIME_PRIVATE_H
#define ARGUS_RUNTIME_PRIVATE_H

#ifndef ARGUS_LIBARGUS_INTERNAL
#error "runtime.h is private to libargus: a worker sees struct argus_runtime as an opaque handle"
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <librdkafka/rdkafka.h>

#include "argus/runtime/health.h"
#include "argus/runtime/worker_spec.h"
#include "argus/stores/graph.h"
#include "argus/stores/http.h"
#include "argus/stores/kv.h"
#include "argus/stores/pg.h"

#define ARGUS_MAX_DEPS 16

struct dependency {
    char name[64];
    argus_probe_fn probe;
    void *arg;
    int up;
};

/* One assigned partition: its paused state and the messages held back for a retry, in offset order.
 * Held messages were delivered to us but not finished; pausing purges librdkafka's fetch queue and
 * resume continues after them, so they are replayed from here, never re-fetched. */
struct partition_state {
    char *topic;
    const char *topic_ref;         /* the last topic-name pointer librdkafka gave for it (fast compare) */
    int32_t partition;
    bool paused;
    int64_t retry_at_ms;           /* when held messages may be offered again */
    rd_kafka_message_t **held;
    size_t nheld, capheld;
    int64_t head_offset;           /* the message the attempt count belongs to, -1 = none */
    int attempts;
    int64_t first_failure_us;
    char last_error[sizeof(((struct argus_result *)0)->message)];
};

/* Per-topic counters accumulated over a batch, added to the metrics once per batch. */
struct topic_stats {
    char *topic;
    struct argus_series *received, *ok, *dlq, *retries;
    long n_received, n_ok, n_dlq, n_retries;
};

struct type_stats {
    char *type;
    struct argus_series *latency;
};

struct argus_runtime {
    const struct argus_worker_spec *spec;
    struct argus_config cfg;
    struct argus_url_guard *url_guard;   /* from cfg's OUTBOUND_* settings */
    void *ctx;
    char source[96];               /* "argus-<worker>" */
    rd_kafka_t *consumer;
    struct argus_producer *producer;
    struct argus_health *health;

    /* the stores spec->uses declares (stores.c); stores points at the open ones */
    struct argus_graph graph;
    struct argus_kv kv;
    struct argus_pg pg;
    struct argus_http http;
    struct argus_stores stores;

    struct dependency deps[ARGUS_MAX_DEPS];
    size_t ndeps;

    struct partition_state *parts;
    size_t nparts, capparts;

    /* Read by the health thread. */
    atomic_int stopping;
    atomic_int outage;             /* a dependency is down: every partition paused */
    atomic_int assigned_once;      /* the group gave us an assignment (possibly empty) */
    atomic_int nassigned;
    atomic_llong progress_ms;      /* last loop progress (monotonic) */
    atomic_llong lag_total;        /* from librdkafka statistics; -1 unknown */
    atomic_int in_batch;           /* a batch is being handled (work in hand even when lag is unknown) */
    atomic_int brokers_down;       /* librdkafka reported every broker down; cleared by a metadata probe */
    pthread_t events_thread;       /* serves librdkafka's main queue: statistics and errors */
    atomic_int events_stop;
    int events_running;
    pthread_mutex_t reason_lock;
    char outage_reason[256];

    struct topic_stats *tstats;
    size_t ntstats;
    struct type_stats *ystats;
    size_t nystats;
    struct topic_stats *last_tstats;   /* cache: consecutive records mostly share a topic and a type */
    const char *last_topic_ref;
    struct type_stats *last_ystats;
    const struct argus_route *last_route;

    long long dlq_max_bytes;       /* max.message.bytes of the DLQ topic; 0 until known */

    int64_t next_probe_ms;
    int probe_delay_ms;
    int64_t last_commit_ms;
};

/* partitions.c */
struct partition_state *partition_find(struct argus_runtime *rt, const char *topic, int32_t partition);
struct partition_state *partition_get(struct argus_runtime *rt, const char *topic, int32_t partition);
void partition_drop(struct argus_runtime *rt, const char *topic, int32_t partition);
void partitions_clear(struct argus_runtime *rt);
int partition_hold(struct partition_state *p, rd_kafka_message_t *m);
void partition_set_paused(struct argus_runtime *rt, struct partition_state *p, bool paused);
void partitions_pause_all(struct argus_runtime *rt);
int partitions_paused_count(const struct argus_runtime *rt);

/* deps.c */
/* Probes every dependency; 0 when all answer, else -1 with the first failure in why. */
int deps_probe_all(struct argus_runtime *rt, char *why, size_t whylen);
void runtime_set_outage_reason(struct argus_runtime *rt, const char *why);

/* loop_stats.c */
struct topic_stats *stats_topic(struct argus_runtime *rt, const char *topic);
struct argus_series *stats_latency(struct argus_runtime *rt, const char *event_type);
void stats_flush(struct argus_runtime *rt);
void stats_free(struct argus_runtime *rt);

/* stores.c */
/* Sets up the declared stores from rt->cfg (no connection yet). 0, or -1 with a one-line reason. */
int stores_open(struct argus_runtime *rt, char *err, size_t errlen);
void stores_register_probes(struct argus_runtime *rt);
void stores_close(struct argus_runtime *rt);

/* loop.c */
int loop_open(struct argus_runtime *rt, char *err, size_t errlen);
int loop_run(struct argus_runtime *rt);
void loop_close(struct argus_runtime *rt);

#endif
