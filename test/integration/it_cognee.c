/* Fixtures for the cognee worker's integration tests; see it_cognee.h. */
#include "it_cognee.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "argus/base/buf.h"
#include "argus/stores/graph.h"
#include "it_env.h"
#include "it_kafka.h"

char *it_gateway_event(const char *type, const char *org, const char *project, const char *event_id,
                       const char *timestamp, cJSON *data)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "event_id", event_id);
    cJSON_AddStringToObject(o, "event_type", type);
    cJSON_AddStringToObject(o, "timestamp", timestamp ? timestamp : "2026-01-25T12:00:00.000000+00:00");
    cJSON_AddStringToObject(o, "org_id", org);
    if (project)
        cJSON_AddStringToObject(o, "project_id", project);
    else
        cJSON_AddNullToObject(o, "project_id");
    cJSON_AddNullToObject(o, "user_id");
    cJSON_AddItemToObject(o, "data", data ? data : cJSON_CreateObject());
    cJSON_AddNullToObject(o, "correlation_id");
    cJSON_AddNullToObject(o, "causation_id");
    cJSON_AddStringToObject(o, "source", "argus-backend");
    cJSON_AddStringToObject(o, "version", "1.0");
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(const char *root, const char *rel, char ***paths, size_t *n)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.' || !strcmp(e->d_name, ".git")))
            continue;
        char sub[1024], full[2048];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            collect(root, sub, paths, n);
        } else if (S_ISREG(st.st_mode)) {
            *paths = realloc(*paths, (*n + 1) * sizeof **paths);
            (*paths)[(*n)++] = strdup(sub);
        }
    }
    closedir(d);
}

cJSON *it_inline_ingest_data(const char *dir, const char *repo_id, const char *sha)
{
    char **paths = NULL;
    size_t n = 0;
    collect(dir, "", &paths, &n);
    qsort(paths, n, sizeof *paths, cmp);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "repository_id", repo_id);
    if (sha)
        cJSON_AddStringToObject(data, "commit_sha", sha);
    cJSON_AddStringToObject(data, "branch", "main");
    cJSON *files = cJSON_AddArrayToObject(cJSON_AddObjectToObject(data, "content"), "files");
    for (size_t i = 0; i < n; i++) {
        char full[2048];
        snprintf(full, sizeof full, "%s/%s", dir, paths[i]);
        FILE *f = fopen(full, "rb");
        assert_non_null(f);
        struct argus_buf b = ARGUS_BUF_INIT;
        char chunk[4096];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
            argus_buf_append(&b, chunk, got);
        fclose(f);
        cJSON *file = cJSON_CreateObject();
        cJSON_AddStringToObject(file, "path", paths[i]);
        cJSON_AddStringToObject(file, "content", argus_buf_str(&b));
        cJSON_AddItemToArray(files, file);
        argus_buf_free(&b);
        free(paths[i]);
    }
    free(paths);
    return data;
}

static void head_sha(const char *path, char sha[41])
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse HEAD", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(sha, 41, p));
    pclose(p);
    assert_int_equal(strlen(sha), 40);
}

void it_git_repo_from_dir(const char *dir, const char *path, char sha[41])
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s' && mkdir -p '%s' && cp -r '%s'/. '%s'/ && cd '%s' && git init -q -b main . && "
             "git -c user.name=it -c user.email=it@example.invalid add -A && "
             "git -c user.name=it -c user.email=it@example.invalid commit -qm fixture",
             path, path, dir, path, path);
    assert_int_equal(system(cmd), 0);
    head_sha(path, sha);
}

void it_git_commit(const char *path, const char *shell, char sha[41])
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && %s && git -c user.name=it -c user.email=it@example.invalid commit -qam change", path, shell);
    assert_int_equal(system(cmd), 0);
    head_sha(path, sha);
}

void it_cognee_start(struct it_cognee_worker *w, const struct argus_config *cfg, const char *name, int partitions,
                     long long in_max_bytes, const char *const *more)
{
    w->cfg = cfg;
    char base[64];
    it_unique_name(base, sizeof base, name);
    snprintf(w->in, sizeof w->in, "it.%s.in", base);
    snprintf(w->analyzed, sizeof w->analyzed, "it.%s.analyzed", base);
    snprintf(w->dlq, sizeof w->dlq, "it.%s.dlq", base);
    snprintf(w->group, sizeof w->group, "it-%s", base);
    it_topic_create_sized(cfg, w->in, partitions, in_max_bytes);
    it_topic_create(cfg, w->analyzed, 1);
    it_topic_create(cfg, w->dlq, 1);
    snprintf(w->e_in, sizeof w->e_in, "KAFKA_INPUT_TOPICS=%s", w->in);
    snprintf(w->e_analyzed, sizeof w->e_analyzed, "COGNEE_ANALYZED_TOPIC=%s", w->analyzed);
    snprintf(w->e_dlq, sizeof w->e_dlq, "KAFKA_DLQ_TOPIC=%s", w->dlq);
    snprintf(w->e_group, sizeof w->e_group, "KAFKA_CONSUMER_GROUP=%s", w->group);
    char cache[256];
    it_build_path(cache, sizeof cache, "test-logs/repos");
    snprintf(w->e_cache, sizeof w->e_cache, "COGNEE_REPO_CACHE_DIR=%s", cache);
    const char *env[24] = {w->e_in, w->e_analyzed, w->e_dlq, w->e_group, w->e_cache, "COGNEE_ALLOW_FILE_URLS=1",
                           "WORKER_BACKOFF_INITIAL_MS=200", "WORKER_BACKOFF_MAX_MS=1000", "STORE_TIMEOUT_MS=2000",
                           "WORKER_COMMIT_INTERVAL_MS=200"};
    size_t n = 10;
    for (size_t i = 0; more && more[i] && n < 23; i++)
        env[n++] = more[i];
    env[n] = NULL;
    it_proc_start(&w->proc, "argus-cognee-worker", env);
    if (it_proc_wait_http(&w->proc, "/ready", 200, 30000) != 0)
        fail_msg("cognee worker not ready (log: %s)", w->proc.log);
    w->producer = it_producer_new(cfg);
}

void it_cognee_send(struct it_cognee_worker *w, const char *key, char *event)
{
    it_produce(w->producer, w->in, key, event, strlen(event), NULL);
    free(event);
    it_producer_flush(w->producer);
}

void it_cognee_stop(struct it_cognee_worker *w)
{
    it_producer_close(w->producer);
    assert_int_equal(it_proc_stop(&w->proc, SIGTERM, 30000), 0);
}

cJSON *it_cognee_wait_analyzed(struct it_cognee_worker *w, size_t n)
{
    if (it_wait_records(w->cfg, w->analyzed, n, 60000) < n)
        fail_msg("no codebase.analyzed #%zu (log: %s)", n, w->proc.log);
    struct it_records rs;
    it_read_topic(w->cfg, w->analyzed, &rs);
    cJSON *o = cJSON_Parse(rs.r[n - 1].value);
    it_records_free(&rs);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "event_type")->valuestring, "codebase.analyzed");
    cJSON *data = cJSON_DetachItemFromObject(o, "data");
    cJSON_Delete(o);
    return data;
}

long long it_graph_int(const struct argus_config *cfg, const char *graph, const char *cypher, cJSON *params)
{
    struct argus_graph g;
    struct argus_result res;
    struct argus_graph_result out = ARGUS_GRAPH_RESULT_INIT;
    assert_int_equal(argus_graph_init_config(&g, cfg), 0);
    long long n = -1;
    if (argus_graph_ro_query(&g, graph, cypher, params, &out, &res) == 0) {
        if (out.nrows == 0)
            n = 0;
        else if (out.ncols >= 1) {
            double d;
            if (argus_graph_value_double(argus_graph_cell(&out, 0, 0), &d) == 0)
                n = (long long)d;
        }
    } else {
        fprintf(stderr, "query failed: %s\n", res.message);
    }
    argus_graph_result_free(&out);
    argus_graph_close(&g);
    cJSON_Delete(params);
    return n;
}

long long it_graph_label_count(const struct argus_config *cfg, const char *graph, const char *label)
{
    char q[256];
    snprintf(q, sizeof q, "MATCH (n:%s) RETURN count(n)", label);
    return it_graph_int(cfg, graph, q, NULL);
}

long long it_graph_rel_count(const struct argus_config *cfg, const char *graph, const char *type)
{
    char q[256];
    snprintf(q, sizeof q, "MATCH ()-[e:%s]->() RETURN count(e)", type);
    return it_graph_int(cfg, graph, q, NULL);
}
