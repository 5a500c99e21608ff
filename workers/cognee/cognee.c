/* What the cognee worker's files share: its settings (environment table), the tenant graph name of
 * an event and queueing rows for the batch's coalesced graph writes. */
#include "cognee.h"

#include <stddef.h>

struct cognee_settings cognee_settings;

#define SET(f) offsetof(struct cognee_settings, f)
const struct argus_env_var cognee_env[] = {
    {"COGNEE_ANALYZED_TOPIC", ARGUS_ENV_STRING, "argus.codebase.analyzed", SET(analyzed_topic), 0, 0, NULL, 0,
     "where codebase.analyzed events go", NULL},
    {"COGNEE_REPO_CACHE_DIR", ARGUS_ENV_STRING, "/tmp/argus-repos", SET(repo_cache_dir), 0, 0, NULL, 0,
     "checkouts of referenced repositories (a writable volume)", NULL},
    {"GIT_TOKEN", ARGUS_ENV_STRING, NULL, SET(git_token), 0, 0, NULL, ARGUS_ENV_SECRET,
     "token for private HTTPS repositories (never on a command line)", "GITHUB_TOKEN"},
    {"COGNEE_GIT_TIMEOUT_S", ARGUS_ENV_INT, "120", SET(git_timeout_s), 1, 3600, NULL, 0,
     "longest a repository fetch may take", NULL},
    {"COGNEE_GIT_MAX_MB", ARGUS_ENV_INT, "1024", SET(git_max_mb), 1, 1048576, NULL, 0,
     "largest file a repository fetch may write (its pack, a checked-out file), in MiB", NULL},
    {"COGNEE_PARSE_THREADS", ARGUS_ENV_INT, "2", SET(parse_threads), 1, 64, NULL, 0, "tree-sitter parse threads",
     NULL},
    {"COGNEE_MAX_FILES", ARGUS_ENV_INT, "50000", SET(max_files), 1, 10000000, NULL, 0,
     "most files analysed per repository", NULL},
    {"COGNEE_ALLOW_FILE_URLS", ARGUS_ENV_BOOL, "false", SET(allow_file_urls), 0, 0, NULL, 0,
     "accept file:// repository URLs (local mirrors, tests)", NULL},
    {"EMBEDDINGS_URL", ARGUS_ENV_STRING, NULL, SET(embeddings_url), 0, 0, NULL, 0,
     "OpenAI-compatible embeddings endpoint (optional semantic layer; off when empty)", NULL},
    {"EMBEDDINGS_API_KEY", ARGUS_ENV_STRING, NULL, SET(embeddings_api_key), 0, 0, NULL, ARGUS_ENV_SECRET,
     "API key of the embeddings endpoint", NULL},
    {"EMBEDDINGS_MODEL", ARGUS_ENV_STRING, "text-embedding-3-small", SET(embeddings_model), 0, 0, NULL, 0,
     "embeddings model", NULL},
    {NULL, 0, NULL, 0, 0, 0, NULL, 0, NULL, NULL},
};

int cognee_graph_name(const struct argus_event *ev, char *out, size_t n)
{
    return argus_graph_name(out, n, ev->org_id, ev->project_id) < 0 ? -1 : 0;
}

enum argus_outcome cognee_queue(struct cognee *c, struct argus_item *it, const char *graph, enum cognee_stmt st,
                                cJSON *row)
{
    if (argus_graph_writer_add(c->writer, graph, st, row, it) != 0)
        return argus_retry(&it->result, ARGUS_ERR_PROCESSING, "out of memory queueing graph rows");
    return ARGUS_OK;
}

