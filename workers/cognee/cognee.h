/* The cognee worker's shared state: its settings, its stores and the coalesced graph writer that
 * the event handlers fill and end_batch flushes. */
#ifndef ARGUS_COGNEE_H
#define ARGUS_COGNEE_H

#include <stdbool.h>
#include <stddef.h>

#include "argus/stores/graph.h"
#include "argus/stores/graph_writer.h"
#include "argus/worker.h"

struct cognee_settings {
    char *analyzed_topic;
    char *repo_cache_dir;
    char *git_token;
    int git_timeout_s;
    int git_max_mb;
    int parse_threads;
    int max_files;
    bool allow_file_urls;
    char *embeddings_url;
    char *embeddings_api_key;
    char *embeddings_model;
};

extern struct cognee_settings cognee_settings;
extern const struct argus_env_var cognee_env[];

struct cognee_embedder;
struct cognee_embed_queue;
struct cognee_backfill;

struct cognee {
    struct argus_runtime *rt;
    struct argus_graph *graph;           /* opened by the runtime (ARGUS_USES_FALKORDB) */
    struct argus_graph_writer *writer;   /* test, run, failure and healing rows of the batch */
    struct cognee_embedder *embedder;    /* the semantic layer, NULL when EMBEDDINGS_URL is unset */
    struct cognee_embed_queue *embed_queue; /* failure texts of the batch, embedded after its writes */
    struct cognee_backfill *backfill;    /* nodes left without a vector, embedded between batches */
    unsigned long long backfilled;       /* nodes embedded by the backfill since it was last idle */
};

/* The tenant graph of an event ("argus_<org>" or "argus_<org>__<project>"); -1 if it cannot be named. */
int cognee_graph_name(const struct argus_event *ev, char *out, size_t n);

/* Event time in epoch milliseconds: the envelope's timestamp, else the record's, else now. */
double cognee_event_at_ms(const struct argus_item *it);

/* Handlers (events_tests.c, events_healing.c, ingest.c). */
enum argus_outcome cognee_test_created(void *ctx, struct argus_item *it);
enum argus_outcome cognee_test_executed(void *ctx, struct argus_item *it);
enum argus_outcome cognee_test_failed(void *ctx, struct argus_item *it);
enum argus_outcome cognee_healing_completed(void *ctx, struct argus_item *it);
enum argus_outcome cognee_codebase_ingested(void *ctx, struct argus_item *it);

/* Statements of the coalesced writer, in the order they run (statements.c). */
enum cognee_stmt {
    ST_TEST, ST_RUN, ST_FAILURE, ST_SELECTOR, ST_PATTERN,
    ST_RAN, ST_FAILED_WITH, ST_SIMILAR_TO, ST_TEST_SELECTOR, ST_HEALED_TO, ST_PATTERN_SELECTOR,
    ST_TEST_STATS,
    ST_COUNT
};
extern const struct argus_graph_statement cognee_statements[ST_COUNT];
extern const struct argus_graph_index cognee_indexes[];

/* Selector node id and kind for a selector string from an event ("#login" -> css, "//a" -> xpath). */
const char *cognee_selector_kind(const char *selector);
int cognee_selector_id(const char *selector, char *out, size_t n);

/* Normalised failure fingerprint: 16 hex digits of SHA-1 over the error type and the message with
 * numbers, quoted strings, hex ids and whitespace runs folded (failure_fingerprint.c). */
void cognee_failure_fingerprint(const char *error_type, const char *message, char out[17]);

/* Test status folded to passed / failed / skipped (the raw value otherwise). */
const char *cognee_status_class(const char *status);

/* Queues a row for the batch; returns the handler outcome (retry when out of memory). */
enum argus_outcome cognee_queue(struct cognee *c, struct argus_item *it, const char *graph, enum cognee_stmt st,
                                cJSON *row);

#endif
