/* The semantic layer's catch-up: embeds, a bounded slice at a time between batches, the Function,
 * TestCase and Failure nodes that have no embedding yet. The graph write never waits for the
 * embeddings API, so an outage of the API (or a graph written before EMBEDDINGS_URL was set) leaves
 * nodes without a vector; a pass over a graph finds them from the graph itself (the texts are rebuilt
 * from the nodes' properties, as the worker built them from the events). The worker asks for a pass
 * over every tenant graph when it starts, and over a graph after an embedding there failed for a
 * transient reason; a failing step is retried after a backoff, a refused one (a wrong key, a dimension
 * that does not fit) ends the pass. */
#include <stdlib.h>
#include <string.h>

#include "argus/base/log.h"
#include "argus/stores/redis_conn.h"
#include "code_model.h"
#include "embeddings.h"

#define BACKFILL_BACKOFF_FIRST_MS 1000
#define BACKFILL_BACKOFF_MAX_MS   (5 * 60 * 1000)

/* What a label's missing nodes are read as: their id, then the properties its text is built from. */
static const struct backfill_label {
    const char *label;
    const char *cypher;
} backfill_labels[] = {
    {"Function", "MATCH (n:Function) WHERE n.id > $after OPTIONAL MATCH (v:FunctionEmbedding {id: n.id}) "
                 "WITH n, v WHERE v IS NULL RETURN n.id, n.qname, n.name, n.path, 'Method' IN labels(n) "
                 "ORDER BY n.id LIMIT $limit"},
    {"TestCase", "MATCH (n:TestCase) WHERE n.id > $after OPTIONAL MATCH (v:TestCaseEmbedding {id: n.id}) "
                 "WITH n, v WHERE v IS NULL RETURN n.id, n.qname, n.name, n.path, n.framework "
                 "ORDER BY n.id LIMIT $limit"},
    {"Failure", "MATCH (n:Failure) WHERE n.id > $after OPTIONAL MATCH (v:FailureEmbedding {id: n.id}) "
                "WITH n, v WHERE v IS NULL RETURN n.id, n.error_type, n.message "
                "ORDER BY n.id LIMIT $limit"},
};
#define BACKFILL_LABELS (sizeof backfill_labels / sizeof backfill_labels[0])

struct cognee_backfill {
    int pass_requested;       /* list the graphs again at the next step */
    int pass_ended;           /* the API refused a slice: give up this pass */
    char **graphs;            /* this pass's graphs, the current one first */
    size_t ngraphs;
    size_t label;             /* index in backfill_labels within graphs[0] */
    char *after;              /* the last id looked at in that label */
    int64_t due_ms;
    int64_t backoff_ms;
    struct cognee_backfill_stats stats;
};

struct cognee_backfill *cognee_backfill_new(int all_graphs)
{
    struct cognee_backfill *b = calloc(1, sizeof *b);
    if (b)
        b->pass_requested = all_graphs;
    return b;
}

static void drop_graphs(struct cognee_backfill *b)
{
    for (size_t i = 0; i < b->ngraphs; i++)
        free(b->graphs[i]);
    free(b->graphs);
    b->graphs = NULL;
    b->ngraphs = 0;
    b->label = 0;
    free(b->after);
    b->after = NULL;
}

void cognee_backfill_free(struct cognee_backfill *b)
{
    if (!b)
        return;
    drop_graphs(b);
    free(b);
}

void cognee_backfill_request(struct cognee_backfill *b, const char *graph)
{
    if (!b)
        return;
    if (!graph) {
        b->pass_requested = 1;
        return;
    }
    for (size_t i = 0; i < b->ngraphs; i++) {
        if (strcmp(b->graphs[i], graph) != 0)
            continue;
        if (i == 0) { /* being walked: again from the start, what failed may lie behind the cursor */
            b->label = 0;
            free(b->after);
            b->after = NULL;
        }
        return;
    }
    char *copy = strdup(graph);
    char **grown = copy ? realloc(b->graphs, (b->ngraphs + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(copy);
        b->pass_requested = 1; /* out of memory: a pass over everything covers it */
        return;
    }
    b->graphs = grown;
    b->graphs[b->ngraphs++] = copy;
}

int cognee_backfill_idle(const struct cognee_backfill *b)
{
    return !b || (!b->pass_requested && b->ngraphs == 0);
}

const struct cognee_backfill_stats *cognee_backfill_stats(const struct cognee_backfill *b)
{
    return &b->stats;
}

/* The tenant graphs (argus_<org>[__<project>], see argus_graph_name) on the server. */
static int list_graphs(struct cognee_backfill *b, struct argus_graph *g, struct argus_result *res)
{
    redisReply *r = argus_redis_commandf(&g->redis, ARGUS_REDIS_IDEMPOTENT, res, "GRAPH.LIST");
    if (!r)
        return -1;
    drop_graphs(b);
    int rc = 0;
    if (r->type == REDIS_REPLY_ARRAY && r->elements) {
        b->graphs = calloc(r->elements, sizeof *b->graphs);
        rc = b->graphs ? 0 : -1;
        for (size_t i = 0; rc == 0 && i < r->elements; i++) {
            const redisReply *name = r->element[i];
            if (name->type != REDIS_REPLY_STRING || strncmp(name->str, "argus_", 6) != 0)
                continue;
            if (!(b->graphs[b->ngraphs] = strdup(name->str)))
                rc = -1;
            else
                b->ngraphs++;
        }
    }
    freeReplyObject(r);
    if (rc != 0) {
        drop_graphs(b);
        return argus_retry(res, ARGUS_ERR_PROCESSING, "out of memory listing graphs"), -1;
    }
    b->pass_requested = 0;
    return 0;
}

/* The text of one missing node from its row (columns as in backfill_labels), malloc'd or NULL. */
static char *row_text(size_t label, const struct argus_graph_result *r, size_t row)
{
    const struct argus_graph_value *c1 = argus_graph_cell(r, row, 1), *c2 = argus_graph_cell(r, row, 2);
    if (label == 2) /* Failure: error_type, message */
        return cognee_embed_text_failure(c1->type == ARGUS_GRAPH_STRING ? c1->str : NULL,
                                         c2->type == ARGUS_GRAPH_STRING ? c2->str : NULL);
    const struct argus_graph_value *c3 = argus_graph_cell(r, row, 3), *c4 = argus_graph_cell(r, row, 4);
    struct code_entity x = {0};
    x.qname = c1->type == ARGUS_GRAPH_STRING ? c1->str : NULL;
    x.name = c2->type == ARGUS_GRAPH_STRING ? c2->str : NULL;
    x.path = c3->type == ARGUS_GRAPH_STRING ? c3->str : NULL;
    if (label == 0) {
        bool method = false;
        argus_graph_value_bool(c4, &method);
        x.kind = method ? CODE_METHOD : CODE_FUNCTION;
        return cognee_embed_text_function(&x);
    }
    x.kind = CODE_TEST_CASE;
    x.framework = c4->type == ARGUS_GRAPH_STRING ? c4->str : NULL;
    return cognee_embed_text_test_case(&x);
}

/* Leaves graphs[0] for the next graph of the pass. */
static void next_graph(struct cognee_backfill *b)
{
    free(b->after);
    b->after = NULL;
    b->label = 0;
    free(b->graphs[0]);
    memmove(b->graphs, b->graphs + 1, (b->ngraphs - 1) * sizeof *b->graphs);
    b->ngraphs--;
}

/* Moves to the next label, or to the next graph after the last label. */
static void next_label(struct cognee_backfill *b)
{
    free(b->after);
    b->after = NULL;
    if (++b->label == BACKFILL_LABELS)
        next_graph(b);
}

/* Up to max_nodes missing nodes of graphs[0], label b->label, embedded. Number embedded or -1. */
static int step_slice(struct cognee_backfill *b, struct cognee_embedder *e, struct argus_graph *g, size_t max_nodes,
                      struct argus_result *res)
{
    const struct backfill_label *l = &backfill_labels[b->label];
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "after", b->after ? b->after : "");
    cJSON_AddNumberToObject(params, "limit", (double)max_nodes);
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    int rc = argus_graph_ro_query(g, b->graphs[0], l->cypher, params, &r, res);
    cJSON_Delete(params);
    if (rc != 0) {
        if (res->outcome == ARGUS_REJECT) /* refused there (a key of that name that is no graph): pass over it */
            next_graph(b);
        return -1;
    }
    const char **ids = calloc(r.nrows ? r.nrows : 1, sizeof *ids);
    char **texts = calloc(r.nrows ? r.nrows : 1, sizeof *texts);
    size_t n = 0;
    for (size_t row = 0; ids && texts && row < r.nrows; row++) {
        const struct argus_graph_value *id = argus_graph_cell(&r, row, 0);
        if (id->type != ARGUS_GRAPH_STRING)
            continue;
        ids[n] = id->str;
        texts[n] = row_text(b->label, &r, row);
        n++;
    }
    if (!ids || !texts) {
        rc = -1;
        argus_retry(res, ARGUS_ERR_PROCESSING, "out of memory");
    } else if (n) {
        unsigned long long before = cognee_embedder_stats(e)->nodes_written;
        rc = cognee_embed_nodes(e, g, b->graphs[0], l->label, ids, (const char *const *)texts, n, res);
        int written = (int)(cognee_embedder_stats(e)->nodes_written - before);
        b->stats.nodes += (unsigned long long)written;
        if (rc == 0) {
            char *last = strdup(ids[n - 1]);
            if (last) {
                free(b->after);
                b->after = last;
            }
            rc = written;
        } else if (res->outcome == ARGUS_REJECT) {
            /* A refusal would come again for the rest (a wrong key, a model whose dimension is not the
             * index's): the pass ends here, the next failure asks for a new one. */
            b->stats.skipped += n - (size_t)written;
            b->pass_ended = 1;
        }
    }
    if (b->pass_ended) {
        drop_graphs(b);
        b->pass_ended = 0;
    } else if (rc >= 0 && (r.nrows < max_nodes || n == 0)) {
        next_label(b);
    }
    for (size_t i = 0; texts && i < n; i++)
        free(texts[i]);
    free(ids);
    free(texts);
    argus_graph_result_free(&r);
    return rc;
}

int cognee_backfill_step(struct cognee_backfill *b, struct cognee_embedder *e, struct argus_graph *g, int64_t now_ms,
                         size_t max_nodes, struct argus_result *res)
{
    argus_result_ok(res);
    if (cognee_backfill_idle(b) || now_ms < b->due_ms)
        return 0;
    int rc = 0;
    if (b->pass_requested) {
        rc = list_graphs(b, g, res);
        if (rc == 0)
            b->stats.passes++;
    }
    if (rc == 0 && b->ngraphs)
        rc = step_slice(b, e, g, max_nodes ? max_nodes : 1, res);
    if (rc < 0) {
        b->backoff_ms = b->backoff_ms ? b->backoff_ms * 2 : BACKFILL_BACKOFF_FIRST_MS;
        if (b->backoff_ms > BACKFILL_BACKOFF_MAX_MS)
            b->backoff_ms = BACKFILL_BACKOFF_MAX_MS;
        if (res->retry_after_ms > b->backoff_ms)
            b->backoff_ms = res->retry_after_ms;
        b->due_ms = now_ms + b->backoff_ms;
        b->stats.failures++;
        return -1;
    }
    b->backoff_ms = 0;
    return rc;
}
