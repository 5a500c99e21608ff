/* Fixtures for the cognee worker's integration tests; see it_cognee.h. */
#include "it_cognee.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "argus/buf.h"
#include "argus/graph.h"

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
