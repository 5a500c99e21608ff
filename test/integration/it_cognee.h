/* Fixtures for the cognee worker's integration tests: codebase.ingested events built from a
 * directory, gateway events for test/healing payloads, a git repository made from a directory, and
 * counting queries against a tenant graph. */
#ifndef ARGUS_IT_COGNEE_H
#define ARGUS_IT_COGNEE_H

#include <cJSON.h>
#include <librdkafka/rdkafka.h>

#include "argus/config.h"

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

/* A read-only query returning one integer (e.g. "MATCH (n:File) RETURN count(n)"); -1 on error. */
long long it_graph_int(const struct argus_config *cfg, const char *graph, const char *cypher, cJSON *params);
long long it_graph_label_count(const struct argus_config *cfg, const char *graph, const char *label);
long long it_graph_rel_count(const struct argus_config *cfg, const char *graph, const char *type);

#endif
