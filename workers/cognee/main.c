/* argus-cognee-worker: code and test events -> the Argus knowledge graph in FalkorDB.
 * Consumer group argus-cognee-workers; one graph per tenant; test, run, failure and healing events
 * of a batch are written together (one UNWIND per statement and graph), an ingested codebase is
 * analysed and written when its event arrives. See GRAPH.md for the graph. */
#include "cognee.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "argus/base/log.h"
#include "argus/base/metrics.h"
#include "argus/base/timeutil.h"
#include "embeddings.h"

static void write_failed(void *arg, void *owner, const struct argus_result *res)
{
    (void)arg;
    struct argus_item *it = owner;
    if (it->result.outcome == ARGUS_OK)
        it->result = *res;
}

static void begin_batch(void *ctx)
{
    struct cognee *c = ctx;
    argus_graph_writer_discard(c->writer);
    if (c->embed_queue)
        cognee_embed_queue_discard(c->embed_queue);
}

/* Embeddings are an enrichment: when the API fails the graph is already written, so the message is
 * not retried for it (an embeddings outage must not stall the graph); it is logged and the backfill
 * embeds what is missing once the API answers again. */
static void embed_failed(void *arg, void *owner, const char *graph, const struct argus_result *res)
{
    struct cognee *c = arg;
    (void)owner;
    if (res->outcome != ARGUS_RETRY) {
        argus_warn("embeddings.failed", "%s: %s", res->error_class, res->message);
        return;
    }
    argus_warn("embeddings.failed", "%s: %s (the backfill will embed them later)", res->error_class, res->message);
    cognee_backfill_request(c->backfill, graph);
}

/* Between batches: one bounded slice of the backfill when it has work and is due. */
static void tick(void *ctx)
{
    struct cognee *c = ctx;
    if (!c->backfill || cognee_backfill_idle(c->backfill))
        return;
    struct argus_result res;
    int n = cognee_backfill_step(c->backfill, c->embedder, c->graph, argus_monotonic_ms(), COGNEE_BACKFILL_SLICE,
                                 &res);
    if (n < 0) {
        argus_warn("embeddings.backfill_failed", "%s: %s (retried later)", res.error_class, res.message);
        return;
    }
    if (n > 0) {
        c->backfilled += (unsigned long long)n;
        argus_counter_add("argus_cognee_embeddings_backfilled_total", NULL, n);
    }
    if (cognee_backfill_idle(c->backfill) && c->backfilled) {
        argus_info("embeddings.backfilled", "%llu node(s) that had no embedding were embedded", c->backfilled);
        c->backfilled = 0;
    }
}

/* The batch's rows, one UNWIND per statement and graph. A message whose graph write failed is
 * retried (a graph error that is the event's fault is a rejection, see argus_redis_classify_error). */
static void end_batch(void *ctx, struct argus_item **items, size_t n)
{
    (void)items;
    (void)n;
    struct cognee *c = ctx;
    struct argus_graph_write_stats stats = {0};
    int failed = argus_graph_writer_flush(c->writer, write_failed, c, &stats);
    if (failed)
        argus_warn("graph.write_failed", "%d graph(s) not written; their messages are retried", failed);
    else if (stats.queries)
        argus_debug("graph.written", "%zu queries: %lld nodes, %lld relationships created", stats.queries,
                    stats.nodes_created, stats.relationships_created);
    if (c->embedder && !failed)
        cognee_embed_queue_flush(c->embed_queue, c->embedder, c->graph, embed_failed, c);
}

static void cognee_fini(void *ctx);

static int cognee_init(struct argus_runtime *rt, void **out, char *err, size_t errlen)
{
    struct cognee *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->rt = rt;
    c->graph = argus_runtime_stores(rt)->graph;
    c->writer = argus_graph_writer_new(c->graph, cognee_statements, ST_COUNT, cognee_indexes, 5000);
    if (!c->writer) {
        free(c);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    argus_metric_define("argus_cognee_embeddings_backfilled_total", ARGUS_COUNTER,
                        "nodes embedded by the backfill (left without a vector by an embeddings outage)", NULL);
    struct cognee_embed_config ec = {.url = cognee_settings.embeddings_url,
                                     .api_key = cognee_settings.embeddings_api_key,
                                     .model = cognee_settings.embeddings_model};
    if (cognee_embed_enabled(&ec)) {
        c->embedder = cognee_embedder_new(&ec);
        c->embed_queue = cognee_embed_queue_new();
        c->backfill = cognee_backfill_new(1); /* its first pass covers what was left before a restart */
        if (!c->embedder || !c->embed_queue || !c->backfill) {
            cognee_fini(c);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        argus_info("embeddings.on", "semantic layer on: model %s", cognee_settings.embeddings_model);
    }
    *out = c;
    return 0;
}

static void cognee_fini(void *ctx)
{
    struct cognee *c = ctx;
    cognee_embedder_free(c->embedder);
    cognee_embed_queue_free(c->embed_queue);
    cognee_backfill_free(c->backfill);
    argus_graph_writer_free(c->writer);
    free(c);
}

static const struct argus_route routes[] = {
    {"codebase.ingested", cognee_codebase_ingested},
    {"test.created", cognee_test_created},
    {"test.executed", cognee_test_executed},
    {"test.failed", cognee_test_failed},
    {"healing.completed", cognee_healing_completed},
    {NULL, NULL},
};

static const struct argus_worker_spec spec = {
    .name = "cognee",
    .summary = "Code and test events -> the Argus knowledge graph in FalkorDB (one graph per tenant).",
    .group = "argus-cognee-workers",
    .topics = "argus.codebase.ingested,argus.test.created,argus.test.executed,argus.test.failed,"
              "argus.healing.completed",
    .outputs = "argus.codebase.analyzed",
    .uses = ARGUS_USES_FALKORDB | ARGUS_USES_HTTPS,
    .external_apis = "git hosts over HTTPS (repository fetches); EMBEDDINGS_URL when set",
    .routes = routes,
    .env = (const struct argus_env_block[]){{cognee_env, &cognee_settings}, {NULL, NULL}},
    .init = cognee_init,
    .begin_batch = begin_batch,
    .end_batch = end_batch,
    .tick = tick,
    .fini = cognee_fini,
};

int main(int argc, char **argv)
{
    return argus_worker_main(&spec, argc, argv);
}
