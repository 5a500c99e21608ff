/* argus-codegraph: development tool for the cognee worker's code analysis. Reads a directory tree,
 * builds the code model and prints it as JSON lines (one entity or relation per line), or only the
 * counts and timings (--stats). Skips .git, node_modules, virtualenvs and build output.
 *
 *   argus-codegraph [--repo NAME] [--stats] DIR */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "argus/buf.h"
#include "code_model.h"

static const char *const skip_dirs[] = {".git", "node_modules", "__pycache__", ".venv", "venv", ".next", "dist",
                                        ".mypy_cache", ".pytest_cache", ".tox"};

struct totals {
    size_t files;
    size_t bytes;
    double read_s;
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int skip_dir(const char *name)
{
    for (size_t i = 0; i < sizeof skip_dirs / sizeof skip_dirs[0]; i++)
        if (strcmp(name, skip_dirs[i]) == 0)
            return 1;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct argus_buf b = ARGUS_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        argus_buf_append(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err || b.oom) {
        argus_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    char *data = argus_buf_steal(&b);
    return data ? data : calloc(1, 1);
}

/* Analyses root/rel recursively in name order, so output is the same on every file system. */
static int walk(struct code_model *m, const char *root, const char *rel, struct totals *t)
{
    char dirpath[8192];
    int dl = snprintf(dirpath, sizeof dirpath, "%s%s%s", root, *rel ? "/" : "", rel);
    if (dl < 0 || (size_t)dl >= sizeof dirpath)
        return -1;
    DIR *d = opendir(dirpath);
    if (!d) {
        fprintf(stderr, "argus-codegraph: %s: %s\n", dirpath, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        names[n] = strdup(de->d_name);
        if (names[n])
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char relpath[4096], full[8192];
        int rl = snprintf(relpath, sizeof relpath, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        int fl = snprintf(full, sizeof full, "%s/%s", root, relpath);
        if (rl < 0 || (size_t)rl >= sizeof relpath || fl < 0 || (size_t)fl >= sizeof full)
            continue;
        struct stat st;
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (!skip_dir(names[i]) && walk(m, root, relpath, t) != 0)
                rc = -1;
        } else if (S_ISREG(st.st_mode)) {
            size_t len = 0;
            double t0 = now();
            char *data = read_file(full, &len);
            t->read_s += now() - t0;
            if (!data) {
                fprintf(stderr, "argus-codegraph: %s: cannot read\n", full);
                continue;
            }
            if (code_analyze_file(m, relpath, data, len) != 0)
                rc = -1;
            t->files++;
            t->bytes += len;
            free(data);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static void json_field(struct argus_buf *b, const char *key, const char *value)
{
    if (!value)
        return;
    argus_buf_printf(b, ",\"%s\":\"", key);
    argus_buf_json_escape(b, value, strlen(value));
    argus_buf_putc(b, '"');
}

static void print_model(const struct code_model *m)
{
    struct argus_buf b = ARGUS_BUF_INIT;
    for (size_t i = 0; i < m->n_entities; i++) {
        const struct code_entity *e = &m->entities[i];
        argus_buf_reset(&b);
        argus_buf_printf(&b, "{\"entity\":\"%s\"", code_kind_name(e->kind));
        json_field(&b, "id", e->id);
        json_field(&b, "name", e->name);
        if (e->qname && e->qname != e->name && strcmp(e->qname, e->name) != 0)
            json_field(&b, "qname", e->qname);
        json_field(&b, "path", e->path);
        json_field(&b, "language", e->language);
        json_field(&b, "method", e->http_method);
        json_field(&b, "route", e->route);
        json_field(&b, "framework", e->framework);
        json_field(&b, "selector_kind", e->selector_kind);
        json_field(&b, "hash", e->hash);
        if (e->start_line)
            argus_buf_printf(&b, ",\"lines\":[%u,%u]", e->start_line, e->end_line);
        if (e->kind == CODE_FILE)
            argus_buf_printf(&b, ",\"size\":%llu,\"line_count\":%u", (unsigned long long)e->size, e->lines);
        if (e->kind == CODE_FUNCTION || e->kind == CODE_METHOD)
            argus_buf_printf(&b, ",\"params\":%u", e->params);
        argus_buf_printf(&b, ",\"flags\":%u}\n", e->flags);
        fputs(argus_buf_str(&b), stdout);
    }
    for (size_t i = 0; i < m->n_relations; i++) {
        const struct code_relation *r = &m->relations[i];
        argus_buf_reset(&b);
        argus_buf_printf(&b, "{\"rel\":\"%s\"", code_rel_name(r->type));
        json_field(&b, "src", m->entities[r->src].id);
        json_field(&b, "dst", m->entities[r->dst].id);
        argus_buf_printf(&b, ",\"line\":%u}\n", r->line);
        fputs(argus_buf_str(&b), stdout);
    }
    argus_buf_free(&b);
}

int main(int argc, char **argv)
{
    const char *repo = "repo", *dir = NULL;
    int stats = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repo") == 0 && i + 1 < argc)
            repo = argv[++i];
        else if (strcmp(argv[i], "--stats") == 0)
            stats = 1;
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, "usage: argus-codegraph [--repo NAME] [--stats] DIR\n");
            return 2;
        }
    }
    if (!dir) {
        fprintf(stderr, "usage: argus-codegraph [--repo NAME] [--stats] DIR\n");
        return 2;
    }
    struct code_model *m = code_model_new(repo);
    if (!m)
        return 1;
    struct totals t = {0};
    double t0 = now();
    int rc = walk(m, dir, "", &t);
    double t1 = now();
    if (code_model_resolve(m) != 0)
        rc = -1;
    double t2 = now();
    if (stats) {
        printf("files %zu bytes %zu read %.3fs analyse %.3fs resolve %.3fs (%.0f files/s, %.1f MB/s)\n", t.files,
               t.bytes, t.read_s, t1 - t0 - t.read_s, t2 - t1, t.files / (t2 - t0), t.bytes / 1e6 / (t2 - t0));
        for (int k = 0; k < CODE_KIND_COUNT; k++)
            printf("%-10s %zu\n", code_kind_name((enum code_kind)k), code_model_count(m, (enum code_kind)k));
        for (int k = 0; k < CODE_REL_COUNT; k++)
            printf("%-14s %zu\n", code_rel_name((enum code_rel)k), code_model_count_rel(m, (enum code_rel)k));
    } else {
        print_model(m);
    }
    code_model_free(m);
    return rc == 0 ? 0 : 1;
}
