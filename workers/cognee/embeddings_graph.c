/* The semantic layer in FalkorDB. A node's vector lives on a companion node, (:<Label>Embedding {id,
 * key, model, embedding})-[:EMBEDS]->(:<Label> {id}), under one cosine vector index per label and
 * graph: FalkorDB 4.x re-indexes a node's vectors on every property write (measured: 2,000 scalar
 * writes to Function nodes take 30 ms without and 1.9-2.7 s with 1536-dimension vectors on them), and
 * the worker rewrites every Function of a repository at each ingest. The companion is written only
 * when the model or the text changed (`key`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>

#include "argus/base/buf.h"
#include "argus/stores/cypher.h"
#include "code_model.h"
#include "embeddings_internal.h"
#include "query_table.h"

#define READ_CHUNK_ROWS 2000

int cognee_vector_index_dimension(struct argus_graph *g, const char *graph, const char *label, size_t *dim,
                                  struct argus_result *res)
{
    *dim = 0;
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "label", label);
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    int rc = argus_graph_ro_query(g, graph, cognee_query_find("semantic-index")->cypher, params, &r, res);
    cJSON_Delete(params);
    for (size_t row = 0; rc == 0 && row < r.nrows; row++) {
        const struct argus_graph_value *v = argus_graph_cell(&r, row, 0);
        if (v->type == ARGUS_GRAPH_INTEGER && v->integer > 0)
            *dim = (size_t)v->integer;
    }
    argus_graph_result_free(&r);
    return rc;
}

/* The labels go into the query text (a label cannot be a parameter): quoted as names, never spliced raw.
 * label_q: the node's label; emb_q: its embeddings' label, "<label>Embedding". */
struct labels {
    char label_q[160];
    char emb[160];
    char emb_q[160];
};

static int quote_name(const char *name, char *out, size_t n, struct argus_result *res)
{
    struct argus_buf b = ARGUS_BUF_INIT;
    char err[160];
    int rc = argus_cypher_encode_name(&b, name, err, sizeof err);
    int ok = rc == 0 && b.len < n;
    if (ok)
        memcpy(out, argus_buf_str(&b), b.len + 1);
    else
        argus_reject(res, ARGUS_ERR_VALIDATION, "embeddings: label %.60s: %s", name, rc ? err : "too long");
    argus_buf_free(&b);
    return ok ? 0 : -1;
}

static int labels_of(const char *label, struct labels *l, struct argus_result *res)
{
    if ((size_t)snprintf(l->emb, sizeof l->emb, "%sEmbedding", label) >= sizeof l->emb)
        return argus_reject(res, ARGUS_ERR_VALIDATION, "embeddings: label %.60s too long", label), -1;
    if (quote_name(label, l->label_q, sizeof l->label_q, res) != 0)
        return -1;
    return quote_name(l->emb, l->emb_q, sizeof l->emb_q, res);
}

static int index_known(const struct cognee_embedder *e, const char *key)
{
    for (size_t i = 0; i < e->nindexed; i++)
        if (strcmp(e->indexed[i], key) == 0)
            return 1;
    return 0;
}

static void remember_index(struct cognee_embedder *e, const char *key)
{
    if (e->nindexed == e->capindexed) {
        size_t cap = e->capindexed ? e->capindexed * 2 : 8;
        char **grown = realloc(e->indexed, cap * sizeof *grown);
        if (!grown)
            return; /* only a cache: the next call checks the server again */
        e->indexed = grown;
        e->capindexed = cap;
    }
    char *copy = strdup(key);
    if (copy)
        e->indexed[e->nindexed++] = copy;
}

/* The vector index of the label's embeddings in graph (and the id index their MERGE uses), created
 * with the model's dimension unless it exists; an index of another dimension is an error a person must
 * resolve (a changed model: drop the index and re-embed). */
static int ensure_index(struct cognee_embedder *e, struct argus_graph *g, const char *graph, const char *label,
                        const struct labels *l, struct argus_result *res)
{
    char key[1024];
    snprintf(key, sizeof key, "%s\n%s", graph, label);
    if (index_known(e, key))
        return 0;
    size_t dim;
    if (cognee_vector_index_dimension(g, graph, label, &dim, res) != 0)
        return -1;
    if (dim == 0) {
        char q[512];
        snprintf(q, sizeof q,
                 "CREATE VECTOR INDEX FOR (v:%s) ON (v.embedding) "
                 "OPTIONS {dimension: $dimension, similarityFunction: 'cosine'}",
                 l->emb_q);
        cJSON *params = cJSON_CreateObject();
        cJSON_AddNumberToObject(params, "dimension", (double)e->dim);
        int rc = argus_graph_query(g, graph, q, params, NULL, res);
        cJSON_Delete(params);
        if (rc != 0 && !strstr(res->message, "already indexed"))
            return -1;
        if (rc == 0) {
            e->stats.indexes_created++;
            dim = e->dim;
        } else if (cognee_vector_index_dimension(g, graph, label, &dim, res) != 0) {
            return -1; /* created by someone else meanwhile: what did they make? */
        }
    }
    if (dim != e->dim)
        return argus_reject(res, ARGUS_ERR_VALIDATION,
                            "graph %s: the vector index on %s.embedding has dimension %zu but EMBEDDINGS_MODEL %s "
                            "gives %zu (after a model change: DROP VECTOR INDEX FOR (v:%s) ON (v.embedding))",
                            graph, l->emb, dim, e->model, e->dim, l->emb),
               -1;
    if (argus_graph_create_index(g, graph, l->emb, "id", res) != 0)
        return -1;
    remember_index(e, key);
    return 0;
}

/* A float as the shortest decimal that reads back to the same float (not the double it widens to):
 * about half the query text of a double's 17 digits. */
static double float_decimal(float f)
{
    char s[32];
    snprintf(s, sizeof s, "%.9g", (double)f);
    return strtod(s, NULL);
}

static int write_vectors(struct cognee_embedder *e, struct argus_graph *g, const char *graph, const struct labels *l,
                         const char *const *ids, char (*keys)[17], const size_t *which, size_t n,
                         const struct cognee_vectors *v, struct argus_result *res)
{
    /* SET NULL first: FalkorDB 4.x ignores a vecf32 written over another vecf32 (FalkorDB issue 2099). */
    char q[768];
    snprintf(q, sizeof q,
             "UNWIND $rows AS r MATCH (n:%s {id: r.id}) MERGE (v:%s {id: r.id}) SET v.embedding = NULL "
             "WITH n, v, r SET v.embedding = vecf32(r.vector), v.key = r.key, v.model = $model "
             "MERGE (v)-[:EMBEDS]->(n)",
             l->label_q, l->emb_q);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "model", e->model);
    cJSON *rows = cJSON_AddArrayToObject(params, "rows");
    for (size_t i = 0; i < n; i++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "id", ids[which[i]]);
        cJSON_AddStringToObject(row, "key", keys[which[i]]);
        cJSON *vec = cJSON_AddArrayToObject(row, "vector");
        for (size_t j = 0; j < v->dim; j++)
            cJSON_AddItemToArray(vec, cJSON_CreateNumber(float_decimal(v->data[i * v->dim + j])));
        cJSON_AddItemToArray(rows, row);
    }
    int rc = argus_graph_query_flags(g, graph, q, params, ARGUS_GRAPH_IDEMPOTENT, NULL, res);
    cJSON_Delete(params);
    if (rc == 0)
        e->stats.nodes_written += n;
    return rc;
}

/* Which candidates need a vector: nodes that exist and whose embedding has another key (or none). */
static int select_stale(struct cognee_embedder *e, struct argus_graph *g, const char *graph, const struct labels *l,
                        const char *const *ids, char (*keys)[17], const size_t *cand, size_t ncand, size_t *stale,
                        size_t *nstale, struct argus_result *res)
{
    char q[512];
    snprintf(q, sizeof q,
             "UNWIND $rows AS r MATCH (n:%s {id: r.id}) OPTIONAL MATCH (v:%s {id: r.id}) "
             "RETURN r.i AS i, v.key = r.key AS same",
             l->label_q, l->emb_q);
    *nstale = 0;
    for (size_t start = 0; start < ncand; start += READ_CHUNK_ROWS) {
        cJSON *params = cJSON_CreateObject();
        cJSON *rows = cJSON_AddArrayToObject(params, "rows");
        for (size_t i = start; i < ncand && i < start + READ_CHUNK_ROWS; i++) {
            cJSON *row = cJSON_CreateObject();
            cJSON_AddNumberToObject(row, "i", (double)cand[i]);
            cJSON_AddStringToObject(row, "id", ids[cand[i]]);
            cJSON_AddStringToObject(row, "key", keys[cand[i]]);
            cJSON_AddItemToArray(rows, row);
        }
        struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
        int rc = argus_graph_ro_query(g, graph, q, params, &r, res);
        cJSON_Delete(params);
        for (size_t row = 0; rc == 0 && row < r.nrows; row++) {
            const struct argus_graph_value *i = argus_graph_cell(&r, row, 0);
            bool same = false;
            if (argus_graph_value_bool(argus_graph_cell(&r, row, 1), &same) != 0)
                same = false; /* null: no embedding yet */
            if (same)
                e->stats.unchanged++;
            else if (i->type == ARGUS_GRAPH_INTEGER)
                stale[(*nstale)++] = (size_t)i->integer;
        }
        argus_graph_result_free(&r);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int cognee_embed_nodes(struct cognee_embedder *e, struct argus_graph *g, const char *graph, const char *label,
                       const char *const *ids, const char *const *texts, size_t n, struct argus_result *res)
{
    argus_result_ok(res);
    struct labels l;
    if (labels_of(label, &l, res) != 0)
        return -1;
    size_t *cand = malloc((n ? n : 1) * sizeof *cand), *stale = malloc((n ? n : 1) * sizeof *stale);
    char(*keys)[17] = calloc(n ? n : 1, sizeof *keys);
    const char **batch_texts = malloc((e->batch ? e->batch : 1) * sizeof *batch_texts);
    int rc = cand && stale && keys && batch_texts ? 0 : -1;
    if (rc != 0)
        argus_retry(res, ARGUS_ERR_PROCESSING, "out of memory embedding %zu nodes", n);
    size_t ncand = 0, nstale = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!ids[i] || !texts[i] || !*texts[i])
            continue;
        cognee_embed_key(e->model, texts[i], keys[i]);
        cand[ncand++] = i;
    }
    if (rc == 0 && ncand)
        rc = select_stale(e, g, graph, &l, ids, keys, cand, ncand, stale, &nstale, res);
    for (size_t start = 0; rc == 0 && start < nstale; start += e->batch) {
        size_t count = nstale - start < e->batch ? nstale - start : e->batch;
        for (size_t i = 0; i < count; i++)
            batch_texts[i] = texts[stale[start + i]];
        struct cognee_vectors v;
        rc = cognee_embed_texts(e, batch_texts, count, &v, res);
        if (rc == 0)
            rc = ensure_index(e, g, graph, label, &l, res);
        if (rc == 0)
            rc = write_vectors(e, g, graph, &l, ids, keys, stale + start, count, &v, res);
        cognee_vectors_free(&v);
    }
    free(cand);
    free(stale);
    free(keys);
    free(batch_texts);
    return rc;
}

/* One label's entities of a code model. */
static int embed_kind(struct cognee_embedder *e, struct argus_graph *g, const char *graph, const struct code_model *m,
                      const char *label, int want_function, struct argus_result *res)
{
    size_t n = 0;
    const char **ids = calloc(m->n_entities ? m->n_entities : 1, sizeof *ids);
    char **texts = calloc(m->n_entities ? m->n_entities : 1, sizeof *texts);
    if (!ids || !texts) {
        free(ids);
        free(texts);
        return argus_retry(res, ARGUS_ERR_PROCESSING, "out of memory"), -1;
    }
    for (size_t i = 0; i < m->n_entities; i++) {
        const struct code_entity *x = &m->entities[i];
        int is_function = x->kind == CODE_FUNCTION || x->kind == CODE_METHOD;
        if (want_function ? !is_function : x->kind != CODE_TEST_CASE)
            continue;
        ids[n] = x->id;
        texts[n] = want_function ? cognee_embed_text_function(x) : cognee_embed_text_test_case(x);
        n++;
    }
    int rc = cognee_embed_nodes(e, g, graph, label, ids, (const char *const *)texts, n, res);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(ids);
    free(texts);
    return rc;
}

int cognee_embed_prune(struct argus_graph *g, const char *graph, const char *label, struct argus_result *res)
{
    struct labels l;
    if (labels_of(label, &l, res) != 0)
        return -1;
    char q[256];
    snprintf(q, sizeof q, "MATCH (v:%s) WHERE NOT (v)-[:EMBEDS]->() DELETE v", l.emb_q);
    return argus_graph_query_flags(g, graph, q, NULL, ARGUS_GRAPH_IDEMPOTENT, NULL, res);
}

int cognee_embed_code_model(struct cognee_embedder *e, struct argus_graph *g, const char *graph,
                            const struct code_model *m, struct argus_result *res)
{
    if (embed_kind(e, g, graph, m, "Function", 1, res) != 0 || embed_kind(e, g, graph, m, "TestCase", 0, res) != 0)
        return -1;
    if (cognee_embed_prune(g, graph, "Function", res) != 0)
        return -1;
    return cognee_embed_prune(g, graph, "TestCase", res);
}

cJSON *cognee_semantic_params(const char *label, int k, const float *vector, size_t dim)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "label", label);
    cJSON_AddNumberToObject(params, "k", k);
    cJSON *vec = cJSON_AddArrayToObject(params, "vector");
    for (size_t j = 0; j < dim; j++)
        cJSON_AddItemToArray(vec, cJSON_CreateNumber(float_decimal(vector[j])));
    return params;
}

int cognee_semantic_search(struct cognee_embedder *e, struct argus_graph *g, const char *graph, const char *label,
                           const char *text, int k, struct argus_graph_result *out, struct argus_result *res)
{
    size_t dim;
    if (cognee_vector_index_dimension(g, graph, label, &dim, res) != 0)
        return -1;
    if (dim == 0) {
        argus_reject(res, ARGUS_ERR_VALIDATION,
                     "graph %s has no vector index on %sEmbedding.embedding: no %s was embedded there (the worker "
                     "embeds when EMBEDDINGS_URL is set)",
                     graph, label, label);
        return 1;
    }
    struct cognee_vectors v;
    if (cognee_embed_texts(e, &text, 1, &v, res) != 0)
        return -1;
    if (v.dim != dim) {
        cognee_vectors_free(&v);
        return argus_reject(res, ARGUS_ERR_VALIDATION,
                            "graph %s holds %zu-dimension vectors for %s but EMBEDDINGS_MODEL %s gives %zu: use the "
                            "worker's model",
                            graph, dim, label, e->model, e->dim),
               -1;
    }
    cJSON *params = cognee_semantic_params(label, k, v.data, v.dim);
    cognee_vectors_free(&v);
    int rc = argus_graph_ro_query(g, graph, cognee_query_find("semantic")->cypher, params, out, res);
    cJSON_Delete(params);
    return rc;
}
