/* FalkorDB client: GRAPH.QUERY / GRAPH.RO_QUERY with parameters in the CYPHER prefix (never spliced
 * into query text), replies parsed into columns, rows of typed cells and statistics, pipelined
 * batches (N queries, one round trip), idempotent index creation, graph deletion, and the per-tenant
 * graph name.
 *
 * Replies are read in FalkorDB's default (non-compact) mode, because compact replies nest deeper than
 * the 7 levels hiredis 0.14.1 can read. In that mode the server sends integers as integers, null as
 * nil, nodes and edges as structures, and everything else as text: strings as they are, floats as
 * "%.15g" text ("2.5", "1e+300", so they are rounded to 15 digits), booleans as "true"/"false", lists
 * and maps as display text ("[1, a]"). A query knows what it returns: read floats and booleans with
 * argus_graph_value_double()/argus_graph_value_bool(), and return list elements as rows (UNWIND) or
 * separate columns rather than reading list text. */
#ifndef ARGUS_GRAPH_H
#define ARGUS_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <cJSON.h>

#include "argus/base/config.h"
#include "argus/base/outcome.h"
#include "argus/stores/redis_conn.h"

struct argus_graph {
    struct argus_redis redis;
};

/* Connection settings only; connects on first use. 0, or -1 if out of memory. */
int argus_graph_init(struct argus_graph *g, const char *host, int port, const char *password, int timeout_ms);
/* FALKORDB_HOST/PORT/PASSWORD and STORE_TIMEOUT_MS from the loaded configuration. */
int argus_graph_init_config(struct argus_graph *g, const struct argus_config *cfg);
void argus_graph_close(struct argus_graph *g);
/* Health probe (see argus_redis_ping). */
int argus_graph_ping(struct argus_graph *g, char *err, size_t errlen);

/* The graph of a tenant: "argus_<org>" or, with a project, "argus_<org>__<project>". Bytes outside
 * [A-Za-z0-9-] (the underscore included) are written as "_XX" (hex), so "__" only ever separates org
 * from project and two different (org, project) pairs never share a name. project NULL or "" means
 * the organization's graph. Returns the length, or -1 if org is empty or out does not fit it. */
int argus_graph_name(char *out, size_t outlen, const char *org, const char *project);

enum argus_graph_type {
    ARGUS_GRAPH_NULL = 0,
    ARGUS_GRAPH_STRING,    /* also floats, booleans, lists, maps and paths, as the server's text */
    ARGUS_GRAPH_INTEGER,
    ARGUS_GRAPH_NODE,
    ARGUS_GRAPH_EDGE,
    ARGUS_GRAPH_OTHER      /* a shape this parser does not know: see raw */
};

struct argus_graph_prop;

struct argus_graph_value {
    enum argus_graph_type type;
    long long integer;                  /* INTEGER; the id of a NODE or EDGE */
    const char *str;                    /* STRING: the text (NUL-terminated); EDGE: the relationship type */
    size_t len;                         /* bytes in str */
    const char **labels;                /* NODE */
    size_t nlabels;
    long long src, dst;                 /* EDGE: ids of the source and destination nodes */
    struct argus_graph_prop *props;     /* NODE, EDGE: properties in server order */
    size_t nprops;
    const redisReply *raw;              /* the reply element this value was read from */
};

struct argus_graph_prop {
    const char *key;
    struct argus_graph_value value;     /* NULL, STRING or INTEGER */
};

/* The server's statistics lines ("Nodes created: 2", ...); -1 never appears: absent lines are 0. */
struct argus_graph_stats {
    long long labels_added, labels_removed;
    long long nodes_created, nodes_deleted;
    long long relationships_created, relationships_deleted;
    long long properties_set, properties_removed;
    long long indices_created, indices_deleted;
    double exec_ms;                     /* "Query internal execution time" */
    bool cached;                        /* "Cached execution: 1" */
};

struct argus_graph_result {
    size_t ncols;
    const char **columns;
    size_t nrows;
    struct argus_graph_value *cells;    /* nrows * ncols, row by row */
    struct argus_graph_stats stats;
    redisReply *reply;                  /* owns every string above */
};

#define ARGUS_GRAPH_RESULT_INIT {0, NULL, 0, NULL, {0}, NULL}

/* Query flags (ARGUS_REDIS_IDEMPOTENT is accepted too). */
#define ARGUS_GRAPH_IDEMPOTENT ARGUS_REDIS_IDEMPOTENT  /* MERGE-only writes: sent again after a reconnect */
#define ARGUS_GRAPH_READONLY   0x100u                  /* GRAPH.RO_QUERY (implies idempotent) */

/* Runs cypher on graph with params (a JSON object or NULL). out may be NULL; otherwise the caller frees
 * it with argus_graph_result_free (also after a failure, which leaves it empty). Returns 0, or -1 with
 * res: encoding errors and query errors reject, transport failures and busy servers retry. A write is
 * not sent twice; use argus_graph_query_flags(..., ARGUS_GRAPH_IDEMPOTENT, ...) for MERGE-only writes. */
int argus_graph_query(struct argus_graph *g, const char *graph, const char *cypher, const cJSON *params,
                      struct argus_graph_result *out, struct argus_result *res);
/* GRAPH.RO_QUERY, with the server-side TIMEOUT set to the connection timeout. A graph that does not
 * exist yet gives an empty result (no columns, no rows), not an error. */
int argus_graph_ro_query(struct argus_graph *g, const char *graph, const char *cypher, const cJSON *params,
                         struct argus_graph_result *out, struct argus_result *res);
int argus_graph_query_flags(struct argus_graph *g, const char *graph, const char *cypher,
                            const cJSON *params, unsigned flags, struct argus_graph_result *out,
                            struct argus_result *res);

/* Reads a GRAPH.QUERY reply into out; takes ownership of reply (also on failure). 0 or -1 with res
 * (an error element in the reply, or a shape that is not a query result). */
int argus_graph_result_parse(redisReply *reply, struct argus_graph_result *out, struct argus_result *res);
void argus_graph_result_free(struct argus_graph_result *r);

const struct argus_graph_value *argus_graph_cell(const struct argus_graph_result *r, size_t row, size_t col);
/* Index of the column called name, or -1. */
long argus_graph_column(const struct argus_graph_result *r, const char *name);
/* Property key of a NODE or EDGE value, or NULL. */
const struct argus_graph_value *argus_graph_prop(const struct argus_graph_value *entity, const char *key);
/* INTEGER, or STRING holding a number. 0, or -1 if v is something else. */
int argus_graph_value_double(const struct argus_graph_value *v, double *out);
/* STRING "true"/"false". 0, or -1. */
int argus_graph_value_bool(const struct argus_graph_value *v, bool *out);

/* Pipelined batch: queries are encoded when added and sent together. */
struct argus_graph_batch {
    struct argus_redis_batch rb;
    struct argus_buf text;              /* scratch for the query text */
};

void argus_graph_batch_init(struct argus_graph_batch *b);
/* Encodes and appends one query (flags: ARGUS_GRAPH_READONLY). 0, or -1 with res (reject: the
 * parameters cannot be encoded; nothing is appended). */
int argus_graph_batch_add(struct argus_graph_batch *b, const char *graph, const char *cypher,
                          const cJSON *params, unsigned flags, struct argus_result *res);
size_t argus_graph_batch_count(const struct argus_graph_batch *b);
/* One round trip for every query added. flags: ARGUS_GRAPH_IDEMPOTENT lets the whole batch be sent
 * again after a reconnect. 0 when every query succeeded (a read of a graph that does not exist yet
 * succeeds, empty); -1 with res on a transport failure or for the first failing query (the others'
 * results are still readable). A pipeline saves round trips, not server work: FalkorDB runs the
 * queries one by one and each write query pays a commit that grows with the graph, so batch writes
 * as one UNWIND $rows query (measured: 12x the rate of pipelined single-row MERGEs). */
int argus_graph_batch_exec(struct argus_graph *g, struct argus_graph_batch *b, unsigned flags,
                           struct argus_result *res);
/* The result of query i after exec (out may be NULL to only learn the outcome). 0 or -1 with res. */
int argus_graph_batch_result(struct argus_graph_batch *b, size_t i, struct argus_graph_result *out,
                             struct argus_result *res);
void argus_graph_batch_reset(struct argus_graph_batch *b);
void argus_graph_batch_free(struct argus_graph_batch *b);

/* CREATE INDEX FOR (n:label) ON (n.property); "already indexed" counts as success. */
int argus_graph_create_index(struct argus_graph *g, const char *graph, const char *label,
                             const char *property, struct argus_result *res);
/* GRAPH.DELETE; a graph that does not exist counts as deleted. */
int argus_graph_delete(struct argus_graph *g, const char *graph, struct argus_result *res);

#endif
