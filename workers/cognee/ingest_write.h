/* Writing a code model into the tenant graph (nodes, relationships, removal of what a newer commit
 * no longer has); see ingest_write.c and GRAPH.md. */
#ifndef ARGUS_COGNEE_INGEST_WRITE_H
#define ARGUS_COGNEE_INGEST_WRITE_H

#include <stddef.h>

#include "argus/stores/graph.h"
#include "argus/base/outcome.h"
#include "code_model.h"

struct code_write_info {
    const char *repo;      /* repository id, as in the model's ids */
    const char *seen;      /* the commit (or content hash) being written */
    const char *url;
    const char *branch;
    double event_at_ms;    /* time of the event that asked for it: Repository.event_at */
};

struct code_write_result {
    long long nodes_created, relationships_created, nodes_deleted, relationships_deleted;
    size_t queries;
};

/* One pipelined round trip. 0, or -1 with res (retry when the store is away). */
int code_graph_write(struct argus_graph *g, const char *graph, const struct code_model *m,
                     const struct code_write_info *info, struct code_write_result *out, struct argus_result *res);

/* The labels of code nodes an ingest owns (NULL-terminated). */
const char *const *code_graph_labels(void);

#endif
