/* argus-cognee-worker: code and test events -> the Argus knowledge graph in FalkorDB.
 * Consumer group argus-cognee-workers; one graph per tenant; test, run, failure and healing events
 * of a batch are written together (one UNWIND per statement and graph), an ingested codebase is
 * analysed and written when its event arrives. See GRAPH.md for the graph. */
#include "cognee.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "argus/log.h"

struct cognee_settings cognee_settings;

#define SET(f) offsetof(struct cognee_settings, f)
const struct argus_env_var cognee_env[] = {
    {"COGNEE_ANALYZED_TOPIC", ARGUS_ENV_STRING, "argus.codebase.analyzed", SET(analyzed_topic), 0, 0, NULL, 0,
     "where codebase.analyzed events go", NULL},
    {"COGNEE_REPO_CACHE_DIR", ARGUS_ENV_STRING, "/tmp/argus-repos", SET(repo_cache_dir), 0, 0, NULL, 0,
     "checkouts of referenced repositories (a writable volume)", NULL},
    {"GIT_TOKEN", ARGUS_ENV_STRING, NULL, SET(git_token), 0, 0, NULL, ARGUS_ENV_SECRET,
     "token for private HTTPS repositories (never on a command line)", "GITHUB_TOKEN"},
    {"COGNEE_GIT_TIMEOUT_S", ARGUS_ENV_INT, "120", SET(git_timeout_s), 1, 3600, NULL, 0,
     "longest a repository fetch may take", NULL},
    {"COGNEE_PARSE_THREADS", ARGUS_ENV_INT, "2", SET(parse_threads), 1, 64, NULL, 0, "tree-sitter parse threads",
     NULL},
    {"COGNEE_MAX_FILES", ARGUS_ENV_INT, "50000", SET(max_files), 1, 10000000, NULL, 0,
     "most files analysed per repository", NULL},
    {"COGNEE_ALLOW_FILE_URLS", ARGUS_ENV_BOOL, "false", SET(allow_file_urls), 0, 0, NULL, 0,
     "accept file:// repository URLs (local mirrors, tests)", NULL},
    {"EMBEDDINGS_URL", ARGUS_ENV_STRING, NULL, SET(embeddings_url), 0, 0, NULL, 0,
     "OpenAI-compatible embeddings endpoint (optional semantic layer; off when empty)", NULL},
    {"EMBEDDINGS_API_KEY", ARGUS_ENV_STRING, NULL, SET(embeddings_api_key), 0, 0, NULL, ARGUS_ENV_SECRET,
     "API key of the embeddings endpoint", NULL},
    {"EMBEDDINGS_MODEL", ARGUS_ENV_STRING, "text-embedding-3-small", SET(embeddings_model), 0, 0, NULL, 0,
     "embeddings model", NULL},
    {NULL, 0, NULL, 0, 0, 0, NULL, 0, NULL, NULL},
};

int cognee_graph_name(const struct argus_event *ev, char *out, size_t n)
{
    return argus_graph_name(out, n, ev->org_id, ev->project_id) < 0 ? -1 : 0;
}

enum argus_outcome cognee_queue(struct cognee *c, struct argus_item *it, const char *graph, enum cognee_stmt st,
                                cJSON *row)
{
    if (argus_graph_writer_add(c->writer, graph, st, row, it) != 0)
        return argus_retry(&it->result, ARGUS_ERR_PROCESSING, "out of memory queueing graph rows");
    return ARGUS_OK;
}

static int graph_probe(void *arg, char *err, size_t errlen)
{
    return argus_graph_ping(arg, err, errlen);
}

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
}

static int cognee_init(struct argus_runtime *rt, void **out, char *err, size_t errlen)
{
    struct cognee *c = calloc(1, sizeof *c);
    if (!c || argus_graph_init_config(&c->graph, argus_runtime_config(rt)) != 0) {
        free(c);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->rt = rt;
    c->writer = argus_graph_writer_new(&c->graph, cognee_statements, ST_COUNT, cognee_indexes, 5000);
    if (!c->writer) {
        argus_graph_close(&c->graph);
        free(c);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    argus_runtime_add_dependency(rt, "falkordb", graph_probe, &c->graph);
    *out = c;
    return 0;
}

static void cognee_fini(void *ctx)
{
    struct cognee *c = ctx;
    argus_graph_writer_free(c->writer);
    argus_graph_close(&c->graph);
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
    .routes = routes,
    .env = cognee_env,
    .env_base = &cognee_settings,
    .init = cognee_init,
    .begin_batch = begin_batch,
    .end_batch = end_batch,
    .fini = cognee_fini,
};

int main(int argc, char **argv)
{
    return argus_worker_main(&spec, argc, argv);
}
