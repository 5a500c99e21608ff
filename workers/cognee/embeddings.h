/* The optional semantic layer of the knowledge graph: a client for an OpenAI-compatible embeddings
 * API (POST {"model", "input": [texts]} to the endpoint's full URL, Bearer key; answer
 * {"data": [{"index", "embedding": [floats]}]}), the texts embedded for functions, test cases and
 * failures, storing vectors as `vecf32` on companion nodes (:<Label>Embedding)-[:EMBEDS]->(node)
 * under a FalkorDB vector index (cosine), and the nearest-neighbour lookup behind
 * `argus-cognee-query semantic`.
 *
 * Off unless EMBEDDINGS_URL is set. Errors follow argus/http.h: 429 (with Retry-After), 408 and 5xx
 * and network failures retry; other statuses, and a 2xx answer that is not the contract (not JSON,
 * wrong count, ragged or non-numeric vectors, a dimension that changed), reject. One embedder per
 * thread (it owns an HTTP client). */
#ifndef ARGUS_COGNEE_EMBEDDINGS_H
#define ARGUS_COGNEE_EMBEDDINGS_H

#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>

#include "argus/stores/graph.h"
#include "argus/base/outcome.h"

struct code_entity;
struct code_model;

#define COGNEE_EMBED_BATCH        64            /* inputs per request by default */
#define COGNEE_BACKFILL_SLICE     256           /* nodes per backfill step (4 requests at most) */
#define COGNEE_EMBED_TIMEOUT_MS   30000
#define COGNEE_EMBED_TEXT_MAX     8192          /* bytes of one input sent (cut at a UTF-8 boundary) */
#define COGNEE_EMBED_MAX_DIM      16384
#define COGNEE_EMBED_MAX_BODY     (64u * 1024 * 1024)

struct cognee_embed_config {
    const char *url;        /* full URL of the embeddings endpoint; NULL or "": the layer is off */
    const char *api_key;    /* sent as "Authorization: Bearer <key>"; NULL or "": no header */
    const char *model;      /* e.g. text-embedding-3-small */
    size_t batch;           /* inputs per request; 0: COGNEE_EMBED_BATCH */
    long timeout_ms;        /* per request; 0: COGNEE_EMBED_TIMEOUT_MS */
};

struct cognee_embed_stats {
    unsigned long long requests;       /* API requests answered 2xx */
    unsigned long long texts;          /* texts embedded */
    unsigned long long unchanged;      /* nodes skipped: their embedding is of the same model and text */
    unsigned long long nodes_written;  /* nodes given a vector */
    unsigned long long indexes_created;
};

struct cognee_embedder;

/* NULL when cfg->url is empty (the layer is off) or out of memory; cognee_embed_enabled tells which. */
struct cognee_embedder *cognee_embedder_new(const struct cognee_embed_config *cfg);
int cognee_embed_enabled(const struct cognee_embed_config *cfg);
void cognee_embedder_free(struct cognee_embedder *e);
/* Vector length the model returns; 0 until its first answer. */
size_t cognee_embedder_dimension(const struct cognee_embedder *e);
const struct cognee_embed_stats *cognee_embedder_stats(const struct cognee_embedder *e);

/* n vectors of dim floats, row after row. */
struct cognee_vectors {
    float *data;
    size_t n, dim;
};
void cognee_vectors_free(struct cognee_vectors *v);

/* Embeds n non-empty texts, in requests of cfg->batch inputs. 0 with out filled, or -1 with res
 * (nothing in out). */
int cognee_embed_texts(struct cognee_embedder *e, const char *const *texts, size_t n, struct cognee_vectors *out,
                       struct argus_result *res);

/* Embeds texts[i] for the node (label, ids[i]) of graph, after the graph write that created it: the
 * vector goes on (:<label>Embedding {id, key, model, embedding})-[:EMBEDS]->(node). Nodes whose
 * embedding `key` says it is of the same model and text are skipped (a redelivered event or an
 * unchanged function costs no API call); NULL or empty texts and ids that are not in the graph are
 * skipped too. Creates the vector index of <label>Embedding in the graph the first time (per
 * embedder, graph and label). Vectors are written after each request, so what was done survives a
 * failure later in the call. 0, or -1 with res. label: Function, TestCase, Failure (any label works). */
int cognee_embed_nodes(struct cognee_embedder *e, struct argus_graph *g, const char *graph, const char *label,
                       const char *const *ids, const char *const *texts, size_t n, struct argus_result *res);

/* Texts gathered across the messages of a batch (e.g. the failures of test.failed events), embedded
 * after the batch's graph writes with one cognee_embed_nodes per graph and label. */
struct cognee_embed_queue;
typedef void (*cognee_embed_failure_fn)(void *arg, void *owner, const char *graph, const struct argus_result *res);

struct cognee_embed_queue *cognee_embed_queue_new(void);
void cognee_embed_queue_free(struct cognee_embed_queue *q);
/* Copies the strings; NULL or empty text is ignored. owner (may be NULL) is reported if its group
 * fails. 0, or -1 when out of memory. */
int cognee_embed_queue_add(struct cognee_embed_queue *q, const char *graph, const char *label, const char *id,
                           const char *text, void *owner);
size_t cognee_embed_queue_pending(const struct cognee_embed_queue *q);
/* Embeds everything queued; for a (graph, label) whose embedding failed, failed(arg, owner, graph, res) is
 * called once per distinct owner (failed may be NULL). Returns the number of groups that failed; the
 * queue is empty afterwards either way. */
int cognee_embed_queue_flush(struct cognee_embed_queue *q, struct cognee_embedder *e, struct argus_graph *g,
                             cognee_embed_failure_fn failed, void *arg);
/* Drops what is queued (at the start of a batch). */
void cognee_embed_queue_discard(struct cognee_embed_queue *q);

/* The catch-up of nodes without an embedding (an API outage, a graph written before the layer was on),
 * run in bounded steps between batches: a pass lists the tenant graphs (argus_*) and walks their
 * Function, TestCase and Failure nodes in id order, embedding those with no <label>Embedding (texts
 * rebuilt from the nodes' properties). */
struct cognee_backfill;
struct cognee_backfill_stats {
    unsigned long long passes;    /* graph listings done */
    unsigned long long nodes;     /* nodes given a vector */
    unsigned long long skipped;   /* nodes of slices the API refused (their pass ended there) */
    unsigned long long failures;  /* steps that failed and were put off */
};
/* all_graphs: start with a pass over every graph (what a worker does when it starts). */
struct cognee_backfill *cognee_backfill_new(int all_graphs);
void cognee_backfill_free(struct cognee_backfill *b);
/* Asks for a pass over graph (after an embedding there failed for a transient reason), or over every
 * graph when graph is NULL. A graph the current pass is walking is walked again from its start. */
void cognee_backfill_request(struct cognee_backfill *b, const char *graph);
/* Nothing to do until the next request. */
int cognee_backfill_idle(const struct cognee_backfill *b);
/* One step when due at now_ms: at most one slice of max_nodes missing nodes of one graph and label.
 * Returns how many nodes were embedded (0: idle, not due, or nothing was missing there), or -1 with
 * res; a failed step is retried after a backoff (1 s doubling to 5 min, or the API's Retry-After). An
 * API refusal (reject: a wrong key, a dimension that does not fit the index) ends the pass instead. */
int cognee_backfill_step(struct cognee_backfill *b, struct cognee_embedder *e, struct argus_graph *g, int64_t now_ms,
                         size_t max_nodes, struct argus_result *res);
const struct cognee_backfill_stats *cognee_backfill_stats(const struct cognee_backfill *b);

/* What is embedded (malloc'd; NULL when out of memory or when there is nothing to say):
 *   Function/Method: "function <qname> (<words of the name>) in <path>"
 *   TestCase/TestSuite: "test <qualified name> (<framework>) in <path>"
 *   Failure: "<error type>: <message>" */
char *cognee_embed_text_function(const struct code_entity *fn);
char *cognee_embed_text_test_case(const struct code_entity *test);
char *cognee_embed_text_failure(const char *error_type, const char *message);

/* Embeds every Function/Method (label Function) and TestCase of a code model that code_graph_write has
 * just written to graph (unchanged ones cost nothing, see cognee_embed_nodes), then prunes the
 * embeddings of code the ingest removed. 0 or -1 with res. */
int cognee_embed_code_model(struct cognee_embedder *e, struct argus_graph *g, const char *graph,
                            const struct code_model *m, struct argus_result *res);

/* Deletes the <label>Embedding nodes whose node is gone (DETACH DELETE of stale code leaves them). */
int cognee_embed_prune(struct argus_graph *g, const char *graph, const char *label, struct argus_result *res);

/* Dimension of the vector index of <label>Embedding in graph into *dim (0: there is none). 0 or -1. */
int cognee_vector_index_dimension(struct argus_graph *g, const char *graph, const char *label, size_t *dim,
                                  struct argus_result *res);

/* The parameters of the `semantic` query: label, k and vector (as float-exact decimals). */
cJSON *cognee_semantic_params(const char *label, int k, const float *vector, size_t dim);

/* The k nodes of label nearest to text (query `semantic` of query_table.c): columns id, name, detail,
 * similarity. 0 with out filled; 1 when graph has no vector index for label (nothing was embedded:
 * out is empty and res says so); -1 with res. */
int cognee_semantic_search(struct cognee_embedder *e, struct argus_graph *g, const char *graph, const char *label,
                           const char *text, int k, struct argus_graph_result *out, struct argus_result *res);

/* ---- the pieces, for tests ---- */

/* Parses an embeddings answer for n inputs: out gets the vectors in input order (by "index").
 * expected_dim 0 accepts any consistent length. 0, or -1 with a reason in err. */
int cognee_embed_parse(const char *body, size_t len, size_t n, size_t expected_dim, struct cognee_vectors *out,
                       char *err, size_t errlen);
/* The request body for texts (each cut to COGNEE_EMBED_TEXT_MAX bytes). */
void cognee_embed_request_body(struct argus_buf *out, const char *model, const char *const *texts, size_t n);
/* 16 hex digits naming (model, text): stored as the embedding node's `key`. */
void cognee_embed_key(const char *model, const char *text, char out[17]);

#endif
