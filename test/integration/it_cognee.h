/* Fixtures for the cognee worker's integration tests: codebase.ingested events built from a
 * directory, gateway events for test/healing payloads, a git repository made from a directory, and
 * counting queries against a tenant graph. */
#ifndef ARGUS_IT_COGNEE_H
#define ARGUS_IT_COGNEE_H

#include <cJSON.h>
#include <librdkafka/rdkafka.h>

#include "argus/base/config.h"
#include "it_proc.h"

/* A gateway envelope (payload under data) as compact JSON; data is taken over. Caller frees. */
char *it_gateway_event(const char *type, const char *org, const char *project, const char *event_id,
                       const char *timestamp, cJSON *data);
/* The data of an inline codebase.ingested event: repository_id, commit_sha (may be NULL) and
 * content.files[] of every regular file under dir (sorted paths). */
cJSON *it_inline_ingest_data(const char *dir, const char *repo_id, const char *sha);
/* Copies dir into a new git repository at path and commits it; the commit id goes to sha (41 bytes). */
void it_git_repo_from_dir(const char *dir, const char *path, char sha[41]);
/* Runs a shell command in the repository (e.g. "git rm -q x && git commit -qm y") and returns HEAD. */
void it_git_commit(const char *path, const char *shell, char sha[41]);

/* argus-cognee-worker with private topics (input, codebase.analyzed, DLQ), its group, a repository
 * cache under the build, file:// URLs allowed and short backoffs; more (NULL-terminated "K=V", may be
 * NULL) adds to its environment. The input topic gets partitions and max.message.bytes (0: broker
 * default). Fails the test if the worker does not get ready. */
struct it_cognee_worker {
    char in[96], analyzed[96], dlq[96], group[96];
    char e_in[128], e_analyzed[128], e_dlq[128], e_group[128], e_cache[300];
    const struct argus_config *cfg;
    struct it_proc proc;
    rd_kafka_t *producer;
};
void it_cognee_start(struct it_cognee_worker *w, const struct argus_config *cfg, const char *name, int partitions,
                     long long in_max_bytes, const char *const *more);
/* Produces event (taken over, freed) to the input topic and waits until the broker has it. */
void it_cognee_send(struct it_cognee_worker *w, const char *key, char *event);
/* SIGTERM; the worker must exit 0. */
void it_cognee_stop(struct it_cognee_worker *w);
/* Waits until the analyzed topic holds n events and returns the data of the n-th (caller frees). */
cJSON *it_cognee_wait_analyzed(struct it_cognee_worker *w, size_t n);

/* A read-only query returning one integer (e.g. "MATCH (n:File) RETURN count(n)"); -1 on error. */
long long it_graph_int(const struct argus_config *cfg, const char *graph, const char *cypher, cJSON *params);
long long it_graph_label_count(const struct argus_config *cfg, const char *graph, const char *label);
long long it_graph_rel_count(const struct argus_config *cfg, const char *graph, const char *type);

#endif
