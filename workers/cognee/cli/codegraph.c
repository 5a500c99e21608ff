/* argus-codegraph: development tool for the cognee worker's code analysis. Reads a directory tree,
 * builds the code model and prints it as JSON lines (one entity or relation per line), or only the
 * counts and timings (--stats). Skips .git, node_modules, virtualenvs (see code_tree.c).
 *
 *   argus-codegraph [--repo NAME] [--stats] [--threads N] DIR      (N parse threads, default 2) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "argus/base/buf.h"
#include "argus/base/cli.h"
#include "code_model.h"
#include "code_tree.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
    int stats = 0, threads = 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repo") == 0 && i + 1 < argc)
            repo = argv[++i];
        else if (strcmp(argv[i], "--stats") == 0)
            stats = 1;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            long n;
            if (argus_cli_long("argus-codegraph", "--threads", argv[++i], 1, 64, &n))
                return 2;
            threads = (int)n;
        }
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, "usage: argus-codegraph [--repo NAME] [--stats] [--threads N] DIR\n");
            return 2;
        }
    }
    if (!dir) {
        fprintf(stderr, "usage: argus-codegraph [--repo NAME] [--stats] [--threads N] DIR\n");
        return 2;
    }
    struct code_model *m = code_model_new(repo);
    if (!m)
        return 1;
    struct code_tree_stats t;
    double t0 = now();
    int rc = code_analyze_tree(m, dir, threads, &t);
    double t1 = now();
    if (code_model_resolve(m) != 0)
        rc = -1;
    double t2 = now();
    if (stats) {
        printf("files %zu bytes %zu read+analyse %.3fs resolve %.3fs (%.0f files/s, %.1f MB/s)\n", t.files, t.bytes,
               t1 - t0, t2 - t1, t.files / (t2 - t0), t.bytes / 1e6 / (t2 - t0));
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
