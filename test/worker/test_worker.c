/* argus-test-worker: a minimal worker built on libargus for the integration tests (not a fake of it).
 * Event type test.record: optionally poisoned (data.poison), transiently failing (data.fail_times),
 * slow (TEST_HANDLER_DELAY_MS), gated by a file that stands for a dependency being down
 * (TEST_GATE_FILE); every handled event produces test.recorded on TEST_OUTPUT_TOPIC. With
 * TEST_STORES=1 each batch is also written, coalesced, to the real stores: one pipelined SADD of
 * the event ids to Valkey (TEST_SET_KEY) and one UNWIND MERGE of Event nodes into FalkorDB
 * (graph TEST_GRAPH); a failed write retries the whole batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "argus/base/config.h"
#include "argus/stores/graph.h"
#include "argus/stores/kv.h"
#include "argus/worker.h"

struct test_settings {
    char *output_topic;
    char *gate_file;
    int delay_ms;
    bool stores;
    char *set_key;
    char *graph;
};

static struct test_settings settings;

static const struct argus_env_var test_env[] = {
    {"TEST_OUTPUT_TOPIC", ARGUS_ENV_STRING, "it.output", offsetof(struct test_settings, output_topic), 0, 0, NULL,
     0, "where test.recorded events go", NULL},
    {"TEST_GATE_FILE", ARGUS_ENV_STRING, NULL, offsetof(struct test_settings, gate_file), 0, 0, NULL, 0,
     "while this file exists the 'gate' dependency is down", NULL},
    {"TEST_HANDLER_DELAY_MS", ARGUS_ENV_INT, "0", offsetof(struct test_settings, delay_ms), 0, 60000, NULL, 0,
     "sleep per event", NULL},
    {"TEST_STORES", ARGUS_ENV_BOOL, "false", offsetof(struct test_settings, stores), 0, 0, NULL, 0,
     "write every batch to Valkey and FalkorDB", NULL},
    {"TEST_SET_KEY", ARGUS_ENV_STRING, "it:seen", offsetof(struct test_settings, set_key), 0, 0, NULL, 0,
     "Valkey set of handled event ids", NULL},
    {"TEST_GRAPH", ARGUS_ENV_STRING, "it_events", offsetof(struct test_settings, graph), 0, 0, NULL, 0,
     "FalkorDB graph of Event nodes", NULL},
    {NULL, 0, NULL, 0, 0, 0, NULL, 0, NULL, NULL},
};

struct test_ctx {
    struct argus_runtime *rt;
    struct argus_kv kv;
    struct argus_graph graph;
};

static int gate_closed(void)
{
    return settings.gate_file && *settings.gate_file && access(settings.gate_file, F_OK) == 0;
}

static int gate_probe(void *arg, char *err, size_t errlen)
{
    (void)arg;
    if (gate_closed()) {
        snprintf(err, errlen, "gate file %s exists", settings.gate_file);
        return -1;
    }
    return 0;
}

static enum argus_outcome handle_record(void *arg, struct argus_item *it)
{
    struct test_ctx *ctx = arg;
    if (gate_closed())
        return argus_retry(&it->result, ARGUS_ERR_CONNECTION, "gate closed");
    bool poison = false;
    if (argus_event_bool(&it->event, "poison", &poison) && poison)
        return argus_reject(&it->result, ARGUS_ERR_VALIDATION, "%s: data.poison is set", it->event.type);
    int64_t fail_times = 0;
    if (argus_event_int(&it->event, "fail_times", &fail_times) && it->attempt <= fail_times)
        return argus_retry(&it->result, ARGUS_ERR_TIMEOUT, "failing on purpose (attempt %d of %lld)", it->attempt,
                           (long long)fail_times);
    if (settings.delay_ms > 0) {
        /* The whole delay even across signals: a handler stuck in work that SIGTERM cannot cut short. */
        struct timespec ts = {settings.delay_ms / 1000, (long)(settings.delay_ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0)
            ;
    }
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "input_event_id", it->event.event_id ? it->event.event_id : "");
    cJSON_AddNumberToObject(data, "partition", it->msg.partition);
    cJSON_AddNumberToObject(data, "offset", (double)it->msg.offset);
    cJSON_AddNumberToObject(data, "attempt", it->attempt);
    argus_emit(ctx->rt, it, settings.output_topic, "test.recorded", data);
    return it->result.outcome;
}

static int kv_probe(void *arg, char *err, size_t errlen)
{
    return argus_kv_ping(arg, err, errlen);
}

static int graph_probe(void *arg, char *err, size_t errlen)
{
    return argus_graph_ping(arg, err, errlen);
}

static void retry_all(struct argus_item **items, size_t n, const struct argus_result *why)
{
    for (size_t i = 0; i < n; i++)
        items[i]->result = *why;
}

/* The batch's events in one Valkey round trip and one graph query. */
static void write_batch(void *arg, struct argus_item **items, size_t n)
{
    struct test_ctx *ctx = arg;
    if (!settings.stores || n == 0)
        return;
    struct argus_result res;
    argus_result_ok(&res);
    struct argus_redis_batch b;
    argus_redis_batch_init(&b);
    cJSON *rows = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        const char *id = items[i]->event.event_id ? items[i]->event.event_id : "";
        argus_redis_batch_addf(&b, "SADD %s %s", settings.set_key, id);
        argus_redis_batch_addf(&b, "HINCRBY %s:count %s 1", settings.set_key, id);
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "id", id);
        cJSON_AddNumberToObject(row, "offset", (double)items[i]->msg.offset);
        cJSON_AddItemToArray(rows, row);
    }
    int rc = argus_kv_batch_exec(&ctx->kv, &b, ARGUS_REDIS_IDEMPOTENT, &res);
    argus_redis_batch_free(&b);
    if (rc == 0) {
        cJSON *params = cJSON_CreateObject();
        cJSON_AddItemToObject(params, "rows", rows);
        rows = NULL;
        rc = argus_graph_query_flags(&ctx->graph, settings.graph,
                                     "UNWIND $rows AS r MERGE (e:Event {id: r.id}) SET e.offset = r.offset", params,
                                     ARGUS_GRAPH_IDEMPOTENT, NULL, &res);
        cJSON_Delete(params);
    }
    cJSON_Delete(rows);
    if (rc != 0)
        retry_all(items, n, &res);
}

static int test_init(struct argus_runtime *rt, void **out, char *err, size_t errlen)
{
    struct test_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    ctx->rt = rt;
    argus_runtime_add_dependency(rt, "gate", gate_probe, NULL);
    if (settings.stores) {
        const struct argus_config *cfg = argus_runtime_config(rt);
        if (argus_kv_init_config(&ctx->kv, cfg) != 0 || argus_graph_init_config(&ctx->graph, cfg) != 0) {
            snprintf(err, errlen, "out of memory");
            free(ctx);
            return -1;
        }
        argus_runtime_add_dependency(rt, "valkey", kv_probe, &ctx->kv);
        argus_runtime_add_dependency(rt, "falkordb", graph_probe, &ctx->graph);
    }
    *out = ctx;
    return 0;
}

static void test_fini(void *arg)
{
    struct test_ctx *ctx = arg;
    if (settings.stores) {
        argus_kv_close(&ctx->kv);
        argus_graph_close(&ctx->graph);
    }
    free(ctx);
}

static const struct argus_route routes[] = {
    {"test.record", handle_record},
    {NULL, NULL},
};

static const struct argus_worker_spec spec = {
    .name = "test",
    .summary = "Integration-test worker: records events, fails on request.",
    .group = "argus-test-workers",
    .topics = "it.input",
    .routes = routes,
    .env = (const struct argus_env_block[]){{test_env, &settings}, {NULL, NULL}},
    .init = test_init,
    .end_batch = write_batch,
    .fini = test_fini,
};

int main(int argc, char **argv)
{
    return argus_worker_main(&spec, argc, argv);
}
