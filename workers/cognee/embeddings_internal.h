/* The embedder's state, shared by the files of the semantic layer (embeddings.c: the API client,
 * embeddings_graph.c: vectors and indexes in FalkorDB). Not for other callers: use embeddings.h. */
#ifndef ARGUS_COGNEE_EMBEDDINGS_INTERNAL_H
#define ARGUS_COGNEE_EMBEDDINGS_INTERNAL_H

#include "argus/stores/http.h"
#include "embeddings.h"

struct cognee_embedder {
    char *url;
    char *model;
    char *auth_header;          /* "Authorization: Bearer <key>" or NULL */
    size_t batch;
    size_t dim;                 /* learnt from the first answer; every later answer must match */
    struct argus_http http;
    char **indexed;             /* "<graph>\n<label>" whose vector index is known to exist */
    size_t nindexed, capindexed;
    struct cognee_embed_stats stats;
};

const char *cognee_embedder_model(const struct cognee_embedder *e);

#endif
