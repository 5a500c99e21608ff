/* codebase.ingested: the code arrives inline (data.content.files[] / data.files[] with path and
 * content, as the Python worker expected) or as a repository reference (repository_url, branch,
 * commit_sha, as the backend's schema sends it, fetched into the cache). It is analysed into a code
 * model, written into the tenant graph (stale code removed), and codebase.analyzed is produced with
 * the counts the backend's schema names. */
#include "cognee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/buf.h"
#include "argus/base/log.h"
#include "argus/base/timeutil.h"
#include "ingest_write.h"
#include "code_model.h"
#include "code_tree.h"
#include "digest.h"
#include "embeddings.h"
#include "repo_fetch.h"

struct ingest {
    const char *url, *branch, *sha;
    char repo[300];
    char seen[64];
    char graph[512];
    const cJSON *files;       /* inline files, or NULL */
    char checkout[1024];
    size_t file_count, bytes;
};

static const cJSON *inline_files(const struct argus_event *ev)
{
    const cJSON *content = argus_event_field(ev, "content");
    const cJSON *files = cJSON_IsObject(content) ? cJSON_GetObjectItemCaseSensitive(content, "files") : NULL;
    if (!files)
        files = argus_event_field(ev, "files");
    return cJSON_IsArray(files) ? files : NULL;
}

/* Checks every inline file and makes the source list the analyzer reads. */
static struct code_source *inline_sources(struct argus_item *it, const cJSON *files, size_t *n)
{
    size_t count = (size_t)cJSON_GetArraySize(files), i = 0;
    if (count > (size_t)cognee_settings.max_files) {
        argus_reject(&it->result, ARGUS_ERR_VALIDATION, "codebase.ingested: %zu files exceed COGNEE_MAX_FILES=%d",
                     count, cognee_settings.max_files);
        return NULL;
    }
    struct code_source *src = calloc(count ? count : 1, sizeof *src);
    if (!src) {
        argus_retry(&it->result, ARGUS_ERR_PROCESSING, "out of memory");
        return NULL;
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, files)
    {
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(f, "path");
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(f, "content");
        if (!cJSON_IsString(path) || !*path->valuestring || !cJSON_IsString(content)) {
            argus_reject(&it->result, ARGUS_ERR_VALIDATION, "codebase.ingested: %scontent.files[%zu]: %s missing",
                         it->event.payload_prefix, i, cJSON_IsString(path) ? "content" : "path");
            free(src);
            return NULL;
        }
        src[i].path = path->valuestring;
        src[i].content = content->valuestring;
        src[i].len = strlen(content->valuestring);
        i++;
    }
    *n = i;
    return src;
}

/* Without a commit, the content itself names what was written: a hash over every file's id and hash. */
static void content_token(const struct code_model *m, char *out, size_t n)
{
    struct argus_buf b = ARGUS_BUF_INIT;
    for (size_t i = 0; i < m->n_entities; i++)
        if (m->entities[i].kind == CODE_FILE)
            argus_buf_printf(&b, "%s\t%s\n", m->entities[i].id, m->entities[i].hash ? m->entities[i].hash : "");
    char hex[41];
    cognee_sha1_hex(argus_buf_str(&b), b.len, hex, 16);
    snprintf(out, n, "content-%s", hex);
    argus_buf_free(&b);
}

static int identify(struct argus_item *it, struct ingest *in)
{
    const struct argus_event *ev = &it->event;
    in->url = argus_event_str(ev, "repository_url");
    in->branch = argus_event_str(ev, "branch");
    in->sha = argus_event_str(ev, "commit_sha");
    in->files = inline_files(ev);
    if (!in->files && !in->url) {
        argus_reject(&it->result, ARGUS_ERR_VALIDATION,
                     "codebase.ingested: %srepository_url and %scontent.files missing", ev->payload_prefix,
                     ev->payload_prefix);
        return -1;
    }
    const char *id = argus_event_str(ev, "repository_id");
    if (id)
        snprintf(in->repo, sizeof in->repo, "%s", id);
    else if (!in->url || repo_name_from_url(in->url, in->repo, sizeof in->repo) != 0)
        snprintf(in->repo, sizeof in->repo, "%s", ev->project_id ? ev->project_id : "inline");
    if (cognee_graph_name(ev, in->graph, sizeof in->graph) != 0) {
        argus_reject(&it->result, ARGUS_ERR_VALIDATION, "codebase.ingested: tenant too long for a graph name");
        return -1;
    }
    return 0;
}

/* Fills the model from the inline files or a checkout. */
static int analyse(const struct cognee *c, struct argus_item *it, struct ingest *in, struct code_model *m)
{
    int threads = cognee_settings.parse_threads;
    if (in->files) {
        size_t n = 0;
        struct code_source *src = inline_sources(it, in->files, &n);
        if (!src)
            return -1;
        int rc = code_analyze_files(m, src, n, threads);
        for (size_t i = 0; i < n; i++)
            in->bytes += src[i].len;
        in->file_count = n;
        free(src);
        if (rc != 0)
            return argus_retry(&it->result, ARGUS_ERR_PROCESSING, "out of memory analysing"), -1;
        if (in->sha)
            snprintf(in->seen, sizeof in->seen, "%s", in->sha);
        return 0;
    }
    struct repo_fetch_options o = {
        .cache_dir = cognee_settings.repo_cache_dir,
        .token = cognee_settings.git_token,
        .timeout_s = cognee_settings.git_timeout_s,
        .max_bytes = (long long)cognee_settings.git_max_mb << 20,
        .allow_file_urls = cognee_settings.allow_file_urls,
        .guard = argus_runtime_url_guard(c->rt),
    };
    char sha[41];
    if (repo_fetch(&o, in->url, in->branch, in->sha, in->checkout, sizeof in->checkout, sha, &it->result) != 0)
        return -1;
    snprintf(in->seen, sizeof in->seen, "%s", sha);
    struct code_tree_stats st = {0};
    if (code_analyze_tree(m, in->checkout, threads, &st) != 0)
        return argus_retry(&it->result, ARGUS_ERR_PROCESSING, "cannot read the checkout of %s", in->repo), -1;
    in->file_count = st.files;
    in->bytes = st.bytes;
    if (st.files > (size_t)cognee_settings.max_files)
        return argus_reject(&it->result, ARGUS_ERR_VALIDATION, "codebase.ingested: %zu files exceed COGNEE_MAX_FILES=%d",
                            st.files, cognee_settings.max_files), -1;
    return 0;
}

static size_t count_test_files(const struct code_model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_entities; i++)
        n += m->entities[i].kind == CODE_FILE && (m->entities[i].flags & CODE_F_TEST);
    return n;
}

/* The fields every codebase.analyzed carries. */
static cJSON *analyzed_data(const struct ingest *in, const char *commit, const char *status, int64_t ms)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "repository_id", in->repo);
    if (in->url)
        cJSON_AddStringToObject(d, "repository_url", in->url);
    if (in->branch)
        cJSON_AddStringToObject(d, "branch", in->branch);
    cJSON_AddStringToObject(d, "commit_sha", commit);
    cJSON_AddStringToObject(d, "status", status);
    cJSON_AddNumberToObject(d, "analysis_duration_ms", (double)ms);
    return d;
}

static void emit_analyzed(struct cognee *c, struct argus_item *it, const struct ingest *in,
                          const struct code_model *m, const struct code_write_result *wr, int64_t ms)
{
    cJSON *d = analyzed_data(in, in->seen, "analyzed", ms);
    cJSON_AddNumberToObject(d, "file_count", (double)in->file_count);
    cJSON_AddNumberToObject(d, "functions_found",
                            (double)(code_model_count(m, CODE_FUNCTION) + code_model_count(m, CODE_METHOD)));
    cJSON_AddNumberToObject(d, "classes_found", (double)code_model_count(m, CODE_CLASS));
    cJSON_AddNumberToObject(d, "test_files_found", (double)count_test_files(m));
    cJSON_AddNumberToObject(d, "test_cases_found", (double)code_model_count(m, CODE_TEST_CASE));
    cJSON_AddNumberToObject(d, "endpoints_found", (double)code_model_count(m, CODE_ENDPOINT));
    cJSON_AddNumberToObject(d, "selectors_found", (double)code_model_count(m, CODE_SELECTOR));
    cJSON_AddStringToObject(d, "cognee_dataset_name", in->graph);
    cJSON_AddStringToObject(d, "graph_name", in->graph);
    cJSON_AddNumberToObject(d, "cognee_documents_created", 0);
    cJSON_AddNumberToObject(d, "nodes_created", (double)wr->nodes_created);
    cJSON_AddNumberToObject(d, "relationships_created", (double)wr->relationships_created);
    cJSON_AddNumberToObject(d, "nodes_deleted", (double)wr->nodes_deleted);
    cJSON_AddNumberToObject(d, "relationships_deleted", (double)wr->relationships_deleted);
    cJSON_AddNumberToObject(d, "entities", (double)m->n_entities);
    cJSON_AddNumberToObject(d, "relations", (double)m->n_relations);
    argus_emit(c->rt, it, cognee_settings.analyzed_topic, "codebase.analyzed", d);
}

/* Whether the graph already holds this repository from a newer event (a replay from the DLQ, or
 * producers whose clocks disagree): applying this one would roll the code back. 1 (head gets the
 * commit the graph holds), 0, or -1 with res. Equal times are not stale (a redelivery re-applies). */
static int superseded(struct cognee *c, const struct ingest *in, double at_ms, char *head, size_t headlen,
                      struct argus_result *res)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "repo", in->repo);
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    int rc = argus_graph_ro_query(c->graph, in->graph,
                                  "MATCH (r:Repository {id: $repo}) RETURN r.event_at, r.head_commit", params, &r,
                                  res);
    cJSON_Delete(params);
    double stored;
    if (rc == 0 && r.nrows == 1 && argus_graph_value_double(argus_graph_cell(&r, 0, 0), &stored) == 0 &&
        stored > at_ms) {
        const struct argus_graph_value *h = argus_graph_cell(&r, 0, 1);
        snprintf(head, headlen, "%s", h->type == ARGUS_GRAPH_STRING ? h->str : "?");
        rc = 1;
    }
    argus_graph_result_free(&r);
    return rc;
}

static void emit_superseded(struct cognee *c, struct argus_item *it, const struct ingest *in, const char *head)
{
    cJSON *d = analyzed_data(in, in->sha ? in->sha : "", "superseded", 0);
    cJSON_AddStringToObject(d, "head_commit", head);
    cJSON_AddStringToObject(d, "graph_name", in->graph);
    argus_emit(c->rt, it, cognee_settings.analyzed_topic, "codebase.analyzed", d);
}

enum argus_outcome cognee_codebase_ingested(void *ctx, struct argus_item *it)
{
    struct cognee *c = ctx;
    int64_t t0 = argus_monotonic_ms();
    struct ingest in;
    memset(&in, 0, sizeof in);
    if (identify(it, &in) != 0)
        return it->result.outcome;
    double at_ms = cognee_event_at_ms(it);
    char head[128];
    int stale = superseded(c, &in, at_ms, head, sizeof head, &it->result);
    if (stale < 0)
        return it->result.outcome;
    if (stale) {
        argus_info("codebase.superseded", "%s: %s@%.12s not applied: the graph holds %.12s from a newer event",
                   in.graph, in.repo, in.sha ? in.sha : "(inline)", head);
        emit_superseded(c, it, &in, head);
        return it->result.outcome;
    }
    struct code_model *m = code_model_new(in.repo);
    if (!m)
        return argus_retry(&it->result, ARGUS_ERR_PROCESSING, "out of memory");
    enum argus_outcome o = ARGUS_OK;
    if (analyse(c, it, &in, m) != 0 || code_model_resolve(m) != 0) {
        if (it->result.outcome == ARGUS_OK)
            argus_retry(&it->result, ARGUS_ERR_PROCESSING, "out of memory resolving the model");
        o = it->result.outcome;
        goto out;
    }
    if (!in.seen[0])
        content_token(m, in.seen, sizeof in.seen);
    int64_t t1 = argus_monotonic_ms();
    struct code_write_info info = {
        .repo = in.repo, .seen = in.seen, .url = in.url, .branch = in.branch, .event_at_ms = at_ms};
    struct code_write_result wr;
    struct argus_result res;
    argus_result_ok(&res);
    if (argus_graph_writer_ensure_indexes(c->writer, in.graph, &res) != 0 ||
        code_graph_write(c->graph, in.graph, m, &info, &wr, &res) != 0) {
        it->result = res;
        o = res.outcome;
        goto out;
    }
    if (c->embedder && cognee_embed_code_model(c->embedder, c->graph, in.graph, m, &res) != 0) {
        int transient = res.outcome == ARGUS_RETRY;
        argus_warn("embeddings.failed", "%s: code of %s not embedded: %s%s", in.graph, in.repo, res.message,
                   transient ? " (the backfill will embed it later)" : "");
        if (transient)
            cognee_backfill_request(c->backfill, in.graph);
    }
    int64_t t2 = argus_monotonic_ms();
    argus_info("codebase.ingested", "%s@%.12s -> %s: %zu files, %zu entities, %zu relations; analysis %lld ms, "
               "graph %lld ms (%zu queries, %lld nodes and %lld relationships created, %lld nodes removed)",
               in.repo, in.seen, in.graph, in.file_count, m->n_entities, m->n_relations, (long long)(t1 - t0),
               (long long)(t2 - t1), wr.queries, wr.nodes_created, wr.relationships_created, wr.nodes_deleted);
    emit_analyzed(c, it, &in, m, &wr, t2 - t0);
    o = it->result.outcome;
out:
    code_model_free(m);
    return o;
}
