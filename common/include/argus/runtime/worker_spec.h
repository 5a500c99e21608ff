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

struct argus_worker_spec {
    const char *name;                  /* "cognee": binary argus-cognee-worker */
    const char *summary;               /* one line for --help */
    const char *group;                 /* default consumer group */
    const char *topics;                /* default input topics, comma-separated */
    const struct argus_route *routes;  /* terminated by {NULL, NULL} */
    bool skip_unknown_types;           /* default: an event type with no route is dead-lettered */
    const struct argus_env_var *env;   /* the worker's own settings, NULL-terminated table (optional) */
    void *env_base;                    /* where those settings are loaded */
    /* After config and before consuming: connect stores, register dependencies. Return 0 or -1 + err. */
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

/* The whole program: parses --help, --version, --check-config, --health-probe; runs until SIGTERM. */
int argus_worker_main(const struct argus_worker_spec *spec, int argc, char **argv);

const struct argus_config *argus_runtime_config(const struct argus_runtime *rt);
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
