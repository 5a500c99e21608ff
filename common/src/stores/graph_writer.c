/* Coalesced UNWIND writes per tenant graph; see argus/graph_writer.h. */
#include "argus/stores/graph_writer.h"

#include <stdlib.h>
#include <string.h>

/* The owner of every row, in row order, per statement: a rejected write is redone owner by owner. */
struct row_owners {
    void **v;
    size_t n, cap;
};

struct pending_graph {
    char *name;
    cJSON **rows;            /* one JSON array per statement, or NULL */
    struct row_owners *row_owner; /* per statement */
    void **owners;           /* distinct owners */
    size_t nowners, capowners;
    size_t nrows;
};

struct argus_graph_writer {
    struct argus_graph *g;
    const struct argus_graph_statement *stmts;
    size_t nstmts;
    const struct argus_graph_index *indexes;
    size_t chunk_rows;
    struct pending_graph *graphs;
    size_t ngraphs, capgraphs;
    char **indexed;          /* graphs whose indexes exist */
    size_t nindexed;
    size_t pending;
};

struct argus_graph_writer *argus_graph_writer_new(struct argus_graph *g, const struct argus_graph_statement *stmts,
                                                  size_t nstmts, const struct argus_graph_index *indexes,
                                                  size_t chunk_rows)
{
    struct argus_graph_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->g = g;
    w->stmts = stmts;
    w->nstmts = nstmts;
    w->indexes = indexes;
    w->chunk_rows = chunk_rows ? chunk_rows : 5000;
    return w;
}

static void pending_clear(struct argus_graph_writer *w, struct pending_graph *p)
{
    for (size_t s = 0; p->rows && s < w->nstmts; s++)
        cJSON_Delete(p->rows[s]);
    for (size_t s = 0; p->row_owner && s < w->nstmts; s++)
        free(p->row_owner[s].v);
    free(p->row_owner);
    free(p->rows);
    free(p->owners);
    free(p->name);
}

void argus_graph_writer_discard(struct argus_graph_writer *w)
{
    for (size_t i = 0; i < w->ngraphs; i++)
        pending_clear(w, &w->graphs[i]);
    w->ngraphs = 0;
    w->pending = 0;
}

void argus_graph_writer_free(struct argus_graph_writer *w)
{
    if (!w)
        return;
    argus_graph_writer_discard(w);
    free(w->graphs);
    for (size_t i = 0; i < w->nindexed; i++)
        free(w->indexed[i]);
    free(w->indexed);
    free(w);
}

static struct pending_graph *pending_for(struct argus_graph_writer *w, const char *graph)
{
    for (size_t i = 0; i < w->ngraphs; i++)
        if (!strcmp(w->graphs[i].name, graph))
            return &w->graphs[i];
    if (w->ngraphs == w->capgraphs) {
        size_t cap = w->capgraphs ? w->capgraphs * 2 : 8;
        struct pending_graph *grown = realloc(w->graphs, cap * sizeof *grown);
        if (!grown)
            return NULL;
        w->graphs = grown;
        w->capgraphs = cap;
    }
    struct pending_graph *p = &w->graphs[w->ngraphs];
    memset(p, 0, sizeof *p);
    p->name = strdup(graph);
    p->rows = calloc(w->nstmts, sizeof *p->rows);
    p->row_owner = calloc(w->nstmts, sizeof *p->row_owner);
    if (!p->name || !p->rows || !p->row_owner) {
        free(p->name);
        free(p->rows);
        free(p->row_owner);
        return NULL;
    }
    w->ngraphs++;
    return p;
}

static int add_owner(struct pending_graph *p, void *owner)
{
    if (!owner || (p->nowners && p->owners[p->nowners - 1] == owner))
        return 0;
    for (size_t i = 0; i < p->nowners; i++)
        if (p->owners[i] == owner)
            return 0;
    if (p->nowners == p->capowners) {
        size_t cap = p->capowners ? p->capowners * 2 : 16;
        void **grown = realloc(p->owners, cap * sizeof *grown);
        if (!grown)
            return -1;
        p->owners = grown;
        p->capowners = cap;
    }
    p->owners[p->nowners++] = owner;
    return 0;
}

int argus_graph_writer_add(struct argus_graph_writer *w, const char *graph, size_t stmt, cJSON *row, void *owner)
{
    struct pending_graph *p = stmt < w->nstmts && row ? pending_for(w, graph) : NULL;
    if (!p) {
        cJSON_Delete(row);
        return -1;
    }
    if (!p->rows[stmt] && !(p->rows[stmt] = cJSON_CreateArray())) {
        cJSON_Delete(row);
        return -1;
    }
    struct row_owners *ro = &p->row_owner[stmt];
    if (ro->n == ro->cap) {
        size_t cap = ro->cap ? ro->cap * 2 : 64;
        void **grown = realloc(ro->v, cap * sizeof *grown);
        if (!grown) {
            cJSON_Delete(row);
            return -1;
        }
        ro->v = grown;
        ro->cap = cap;
    }
    if (add_owner(p, owner) != 0) {
        cJSON_Delete(row);
        return -1;
    }
    ro->v[ro->n++] = owner;
    cJSON_AddItemToArray(p->rows[stmt], row);
    p->nrows++;
    w->pending++;
    return 0;
}

size_t argus_graph_writer_pending(const struct argus_graph_writer *w)
{
    return w->pending;
}

int argus_graph_writer_ensure_indexes(struct argus_graph_writer *w, const char *graph, struct argus_result *res)
{
    for (size_t i = 0; i < w->nindexed; i++)
        if (!strcmp(w->indexed[i], graph))
            return 0;
    for (const struct argus_graph_index *ix = w->indexes; ix && ix->label; ix++)
        if (argus_graph_create_index(w->g, graph, ix->label, ix->property, res) != 0)
            return -1;
    char **grown = realloc(w->indexed, (w->nindexed + 1) * sizeof *grown);
    if (!grown)
        return 0; /* they exist; we only forget that we made them */
    w->indexed = grown;
    if ((w->indexed[w->nindexed] = strdup(graph)))
        w->nindexed++;
    return 0;
}

static void add_stats(struct argus_graph_write_stats *st, const struct argus_graph_stats *s)
{
    st->nodes_created += s->nodes_created;
    st->relationships_created += s->relationships_created;
    st->properties_set += s->properties_set;
    st->nodes_deleted += s->nodes_deleted;
    st->relationships_deleted += s->relationships_deleted;
    st->queries++;
}

/* Appends the queries of one statement, split into chunks of chunk_rows rows (walking the list once:
 * cJSON_GetArrayItem is linear). */
static int add_chunks(struct argus_graph_writer *w, struct argus_graph_batch *b, const char *graph,
                      const char *cypher, cJSON *rows, struct argus_result *res)
{
    const cJSON *row = rows->child;
    while (row) {
        cJSON *params = cJSON_CreateObject();
        cJSON *chunk = cJSON_AddArrayToObject(params, "rows");
        if (!params || !chunk) {
            cJSON_Delete(params);
            return argus_retry(res, ARGUS_ERR_PROCESSING, "out of memory"), -1;
        }
        for (size_t i = 0; row && i < w->chunk_rows; i++, row = row->next)
            cJSON_AddItemReferenceToArray(chunk, (cJSON *)row);
        int rc = argus_graph_batch_add(b, graph, cypher, params, 0, res);
        cJSON_Delete(params);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Writes rows (one array or NULL per statement) to graph in one round trip. */
static int write_rows(struct argus_graph_writer *w, const char *graph, cJSON *const *rows,
                      struct argus_graph_write_stats *st, struct argus_result *res)
{
    if (argus_graph_writer_ensure_indexes(w, graph, res) != 0)
        return -1;
    struct argus_graph_batch b;
    argus_graph_batch_init(&b);
    int rc = 0;
    for (size_t s = 0; s < w->nstmts && rc == 0; s++)
        if (rows[s])
            rc = add_chunks(w, &b, graph, w->stmts[s].cypher, rows[s], res);
    /* MERGE-only statements: safe to send again after a reconnect. */
    if (rc == 0 && argus_graph_batch_count(&b) > 0)
        rc = argus_graph_batch_exec(w->g, &b, ARGUS_GRAPH_IDEMPOTENT, res);
    for (size_t i = 0; rc == 0 && i < argus_graph_batch_count(&b); i++) {
        struct argus_graph_result out = ARGUS_GRAPH_RESULT_INIT;
        if (argus_graph_batch_result(&b, i, &out, res) == 0 && st)
            add_stats(st, &out.stats);
        argus_graph_result_free(&out);
    }
    argus_graph_batch_free(&b);
    return rc;
}

/* After a rejection (the data, not the store, was at fault), each owner's rows are written on their
 * own, so one bad message does not take the rest of its batch to the DLQ. */
static int isolate_owners(struct argus_graph_writer *w, struct pending_graph *p, argus_graph_failure_fn failed,
                          void *arg, struct argus_graph_write_stats *st)
{
    int failures = 0;
    cJSON **mine = calloc(w->nstmts, sizeof *mine);
    if (!mine)
        return -1;
    for (size_t o = 0; o < p->nowners; o++) {
        for (size_t s = 0; s < w->nstmts; s++) {
            mine[s] = NULL;
            const cJSON *row = p->rows[s] ? p->rows[s]->child : NULL;
            for (size_t r = 0; row; r++, row = row->next) {
                if (p->row_owner[s].v[r] != p->owners[o])
                    continue;
                if (!mine[s])
                    mine[s] = cJSON_CreateArray();
                cJSON_AddItemReferenceToArray(mine[s], (cJSON *)row);
            }
        }
        struct argus_result res;
        argus_result_ok(&res);
        if (write_rows(w, p->name, mine, st, &res) != 0) {
            failures++;
            if (failed)
                failed(arg, p->owners[o], &res);
        }
        for (size_t s = 0; s < w->nstmts; s++)
            cJSON_Delete(mine[s]);
    }
    free(mine);
    return failures;
}

int argus_graph_writer_flush(struct argus_graph_writer *w, argus_graph_failure_fn failed, void *arg,
                             struct argus_graph_write_stats *stats)
{
    int failures = 0;
    for (size_t i = 0; i < w->ngraphs; i++) {
        struct pending_graph *p = &w->graphs[i];
        struct argus_result res;
        argus_result_ok(&res);
        if (write_rows(w, p->name, p->rows, stats, &res) == 0)
            continue;
        if (res.outcome == ARGUS_REJECT && p->nowners > 1) {
            int isolated = isolate_owners(w, p, failed, arg, stats);
            if (isolated >= 0) {
                failures += isolated > 0;
                continue;
            }
        }
        failures++;
        for (size_t o = 0; failed && o < p->nowners; o++)
            failed(arg, p->owners[o], &res);
    }
    argus_graph_writer_discard(w);
    return failures;
}
