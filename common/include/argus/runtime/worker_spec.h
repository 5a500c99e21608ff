/* What a worker is: a table of topics, a consumer group, a handler per event type and the stores it
 * uses. argus_worker_main() does everything else: configuration, the consumer loop with batching,
 * retries, pausing while a dependency is down, the DLQ, offset commits, health, metrics, SIGTERM.
 * Workers include it through argus/worker.h. Nothing here names a librdkafka type: the loop's own
 * bookkeeping of a record lives in common/src/runtime/loop_item.h, out of a handler's reach. */
#ifndef ARGUS_RUNTIME_WORKER_SPEC_H
#define ARGUS_RUNTIME_WORKER_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cJSON.h>

#include "argus/base/config.h"
#include "argus/base/event.h"
#include "argus/base/outcome.h"

/* One consumed record, as a handler sees it (no librdkafka types). */
struct argus_message {
    const char *topic;
    int32_t partition;
    int64_t offset;
    int64_t timestamp_ms;      /* -1 if the record has none */
    const void *key;           /* NULL for a null key */
    size_t key_len;
    const void *value;
    size_t value_len;
    const char *traceparent;   /* W3C trace context from the headers, or NULL */
};

/* One record of a batch as a handler sees it: the record, its canonical event, the outcome the handler
 * sets. The loop keeps everything else about it (the native message, its deliveries, its partition)
 * in a private struct around this one. */
struct argus_item {
    struct argus_message msg;
    struct argus_event event;      /* the canonical view (always parsed when a handler sees it); its JSON
                                      lives until the batch ends: cJSON_Duplicate what must outlive it */
    struct argus_result result;    /* set by the handler; starts as ok */
    int attempt;                   /* 1 on the first delivery to this process */
};

struct argus_runtime;

typedef enum argus_outcome (*argus_event_handler)(void *ctx, struct argus_item *item);

struct argus_route {
    const char *event_type;        /* "test.failed" */
    argus_event_handler handle;
};

/* A dependency probe: 0 when the dependency answers, else -1 with a reason. Called by the loop when a
 * handler asks for a retry, and every backoff interval while the worker is paused. */
typedef int (*argus_probe_fn)(void *arg, char *err, size_t errlen);

/* What a worker uses besides Kafka. The runtime opens each declared store from the shared settings
 * (FALKORDB_*, VALKEY_*, DATABASE_URL, STORE_TIMEOUT_MS) before init, registers its health probe
 * (readiness, pausing in an outage) and closes it after fini; --describe lists them, and the
 * deployment files are checked against that list (network labels, endpoints, compose dependencies). */
enum argus_uses {
    ARGUS_USES_FALKORDB = 1u << 0,     /* the knowledge graph: argus_runtime_stores()->graph */
    ARGUS_USES_VALKEY = 1u << 1,       /* the cache, dedupe and rate limits: ->kv */
    ARGUS_USES_DATABASE = 1u << 2,     /* PostgreSQL (Supabase): ->pg */
    ARGUS_USES_HTTPS = 1u << 3         /* outbound HTTPS to the APIs in external_apis: ->http */
};

struct argus_graph;
struct argus_kv;
struct argus_pg;
struct argus_http;

/* The declared stores, opened by the runtime; a store not declared is NULL. Valid from init to fini. */
struct argus_stores {
    struct argus_graph *graph;
    struct argus_kv *kv;
    struct argus_pg *pg;
    struct argus_http *http;
};

/* One table of a worker's own settings and where it is loaded (a worker may have several, e.g. one per
 * part of it that other programs share). */
struct argus_env_block {
    const struct argus_env_var *vars;  /* NULL-terminated */
    void *base;
};

struct argus_worker_spec {
    const char *name;                  /* "cognee": binary argus-cognee-worker */
    const char *summary;               /* one line for --help */
    const char *group;                 /* default consumer group */
    const char *topics;                /* default input topics, comma-separated */
    const char *outputs;               /* topics it produces to by default, comma-separated (the DLQ aside) */
    unsigned uses;                     /* enum argus_uses flags */
    const char *external_apis;         /* with ARGUS_USES_HTTPS: which APIs, for operators ("Slack Web API") */
    const struct argus_route *routes;  /* terminated by {NULL, NULL} */
    bool skip_unknown_types;           /* default: an event type with no route is dead-lettered */
    const struct argus_env_block *env; /* the worker's own settings, terminated by {NULL, NULL} (optional) */
    /* After config, with the declared stores open, before consuming: build the handlers' context, register
     * other dependencies. Return 0 or -1 + err. */
    int (*init)(struct argus_runtime *rt, void **ctx, char *err, size_t errlen);
    /* Around every batch: begin, per-event handlers, then end with the items still ok (for coalesced
     * writes; set retry/reject on items whose write failed). All optional. */
    void (*begin_batch)(void *ctx);
    void (*end_batch)(void *ctx, struct argus_item **items, size_t n);
    /* Background work between batches (optional): called on every turn of the loop, also when nothing
     * arrived (at least every 100 ms or so), never while the worker is paused for an outage or stopping.
     * Keep each call short and bounded: the next poll waits for it. */
    void (*tick)(void *ctx);
    void (*fini)(void *ctx);
};

/* The whole program: parses --help, --version, --check-config, --describe, --health-probe; runs until
 * SIGTERM. */
int argus_worker_main(const struct argus_worker_spec *spec, int argc, char **argv);
/* What --describe prints: the worker as one JSON object (name, group, topics, outputs, event types,
 * what it uses, every setting with its default, secrets marked, no secret value). 0, or -1 on a write
 * error. The deployment checks (test/deploy) and scripts/new-worker read it. */
int argus_worker_describe(const struct argus_worker_spec *spec, FILE *out);

const struct argus_config *argus_runtime_config(const struct argus_runtime *rt);
const struct argus_stores *argus_runtime_stores(const struct argus_runtime *rt);
struct argus_url_guard;
/* The outbound guard of the shared settings (OUTBOUND_*), for every URL an event or a tenant supplies:
 * argus_url_check, argus_http_request_guarded (argus/stores/url_guard.h, argus/stores/http.h). */
const struct argus_url_guard *argus_runtime_url_guard(const struct argus_runtime *rt);
const char *argus_runtime_worker_name(const struct argus_runtime *rt);
/* Asks the loop to finish the current batch, commit and return (as SIGTERM does). */
void argus_runtime_request_stop(struct argus_runtime *rt);
/* Registers a dependency (a store, an API) whose health gates readiness and pausing. */
int argus_runtime_add_dependency(struct argus_runtime *rt, const char *name, argus_probe_fn probe, void *arg);

/* Produces an output event in the gateway envelope on behalf of cause: key = cause's key (or its
 * org_id), tenant and correlation from cause, causation_id = cause's event id, traceparent carried.
 * data is taken over. The cause's offset is stored only after this record is acknowledged.
 * Returns 0, or -1 (cause->result is then set to retry). */
int argus_emit(struct argus_runtime *rt, struct argus_item *cause, const char *topic, const char *type,
               cJSON *data);

#endif
