/* Coalesced graph writes: rows gathered across the messages of a batch are written with one
 * `UNWIND $rows` query per statement and tenant graph, in statement order (nodes before the
 * relationships that match them), one round trip per graph. Indexes are created once per graph.
 * A failed graph write reports every message that contributed rows to it, so the loop retries them. */
#ifndef ARGUS_GRAPH_WRITER_H
#define ARGUS_GRAPH_WRITER_H

#include <stddef.h>
#include <cJSON.h>

#include "argus/stores/graph.h"
#include "argus/base/outcome.h"

struct argus_graph_statement {
    const char *cypher;        /* uses $rows (a list of maps): "UNWIND $rows AS r MERGE ..." */
};

struct argus_graph_index {
    const char *label;
    const char *property;
};

struct argus_graph_writer;

/* stmts and indexes (terminated by {NULL, NULL}) must outlive the writer. chunk_rows: most rows per
 * query (large batches are split; 0 = 5000). */
struct argus_graph_writer *argus_graph_writer_new(struct argus_graph *g, const struct argus_graph_statement *stmts,
                                                  size_t nstmts, const struct argus_graph_index *indexes,
                                                  size_t chunk_rows);
void argus_graph_writer_free(struct argus_graph_writer *w);

/* Queues row (taken over) for statement stmt of graph. owner (may be NULL) is reported if the write
 * fails. Returns 0, or -1 when out of memory (row is freed). */
int argus_graph_writer_add(struct argus_graph_writer *w, const char *graph, size_t stmt, cJSON *row, void *owner);

/* Rows queued and not yet flushed. */
size_t argus_graph_writer_pending(const struct argus_graph_writer *w);

typedef void (*argus_graph_failure_fn)(void *arg, void *owner, const struct argus_result *res);

struct argus_graph_write_stats {
    long long nodes_created, relationships_created, properties_set, nodes_deleted, relationships_deleted;
    size_t queries;
};

/* Writes everything queued, graph by graph. For a graph whose write failed, failed(arg, owner, res)
 * is called once per distinct owner; when the failure is a rejection (the data, not the store), each
 * owner's rows are written again on their own first and only the owners whose rows fail are reported. Returns the number of graphs that failed (0 = all written).
 * The writer is empty afterwards either way. stats may be NULL. */
int argus_graph_writer_flush(struct argus_graph_writer *w, argus_graph_failure_fn failed, void *arg,
                             struct argus_graph_write_stats *stats);

/* Drops what is queued without writing. */
void argus_graph_writer_discard(struct argus_graph_writer *w);

/* Creates the indexes of graph now unless done before by this writer. 0 or -1 with res. */
int argus_graph_writer_ensure_indexes(struct argus_graph_writer *w, const char *graph, struct argus_result *res);

#endif
