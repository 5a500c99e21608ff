/* Writes a code model into a tenant graph: the Repository and Commit, one UNWIND per label for the
 * nodes, one per (relationship type, from label, to label) for the relationships, all MERGEs on ids
 * and in one pipelined round trip; then deletes the repository's code nodes and relationships that
 * this commit no longer has (their `seen` is another commit). Test history is never touched. */
#include "ingest_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/buf.h"
#include "argus/base/log.h"
#include "argus/base/timeutil.h"

#define CHUNK_ROWS 5000

static const char *const node_cypher[CODE_KIND_COUNT] = {
    [CODE_FILE] = "UNWIND $rows AS r MERGE (n:File {id: r.id}) SET n += r.props",
    [CODE_MODULE] = "UNWIND $rows AS r MERGE (n:Module {id: r.id}) SET n += r.props",
    [CODE_CLASS] = "UNWIND $rows AS r MERGE (n:Class {id: r.id}) SET n += r.props",
    [CODE_FUNCTION] = "UNWIND $rows AS r MERGE (n:Function {id: r.id}) SET n += r.props",
    [CODE_METHOD] = "UNWIND $rows AS r MERGE (n:Function:Method {id: r.id}) SET n += r.props",
    [CODE_ENDPOINT] = "UNWIND $rows AS r MERGE (n:Endpoint {id: r.id}) SET n += r.props",
    [CODE_TEST_SUITE] = "UNWIND $rows AS r MERGE (n:TestSuite {id: r.id}) SET n += r.props",
    [CODE_TEST_CASE] = "UNWIND $rows AS r MERGE (n:TestCase {id: r.id}) SET n += r.props",
    /* Selectors are shared with healing history: no `seen`, never deleted by an ingest. */
    [CODE_SELECTOR] = "UNWIND $rows AS r MERGE (n:Selector {id: r.id}) SET n += r.props",
};

/* Labels whose nodes an ingest deletes when the commit no longer has them. */
static const char *const code_labels[] = {"File", "Module", "Class", "Function", "Endpoint", "TestSuite",
                                          "TestCase", NULL};

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
}

static void add_flag(cJSON *o, const char *k, const struct code_entity *e, uint32_t flag)
{
    cJSON_AddBoolToObject(o, k, (e->flags & flag) != 0);
}

static cJSON *entity_row(const struct code_entity *e)
{
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "id", e->id);
    cJSON *p = cJSON_AddObjectToObject(row, "props");
    add_str(p, "name", e->name);
    add_str(p, "path", e->path);
    switch (e->kind) {
    case CODE_FILE:
        add_str(p, "language", e->language);
        cJSON_AddNumberToObject(p, "size", (double)e->size);
        cJSON_AddNumberToObject(p, "lines", e->lines);
        add_str(p, "hash", e->hash);
        add_flag(p, "test", e, CODE_F_TEST);
        add_flag(p, "parsed", e, CODE_F_PARSED);
        add_flag(p, "syntax_error", e, CODE_F_SYNTAX_ERROR);
        add_flag(p, "too_large", e, CODE_F_TOO_LARGE);
        add_flag(p, "binary", e, CODE_F_BINARY);
        break;
    case CODE_MODULE:
        add_flag(p, "external", e, CODE_F_EXTERNAL);
        break;
    case CODE_SELECTOR:
        add_str(p, "kind", e->selector_kind);
        add_str(p, "value", e->name);
        break;
    case CODE_ENDPOINT:
        add_str(p, "method", e->http_method);
        add_str(p, "route", e->route);
        add_str(p, "framework", e->framework);
        break;
    default:
        add_str(p, "qname", e->qname);
        cJSON_AddNumberToObject(p, "start_line", e->start_line);
        cJSON_AddNumberToObject(p, "end_line", e->end_line);
        if (e->kind == CODE_FUNCTION || e->kind == CODE_METHOD) {
            cJSON_AddNumberToObject(p, "params", e->params);
            add_flag(p, "async", e, CODE_F_ASYNC);
            add_flag(p, "exported", e, CODE_F_EXPORTED);
            add_flag(p, "anonymous", e, CODE_F_ANONYMOUS);
        } else if (e->kind == CODE_CLASS) {
            add_flag(p, "exported", e, CODE_F_EXPORTED);
        } else {
            add_str(p, "framework", e->framework);
            add_flag(p, "skipped", e, CODE_F_SKIPPED);
        }
        break;
    }
    return row;
}

/* Queues one query per chunk of rows; the repository and commit go along as parameters. */
static int queue_rows(struct argus_graph_batch *b, const char *graph, const char *cypher, cJSON *rows,
                      const struct code_write_info *info, struct argus_result *res)
{
    const cJSON *row = rows ? rows->child : NULL;   /* walked once: cJSON_GetArrayItem is linear */
    while (row) {
        cJSON *params = cJSON_CreateObject();
        cJSON_AddStringToObject(params, "repo", info->repo);
        cJSON_AddStringToObject(params, "seen", info->seen);
        cJSON *chunk = cJSON_AddArrayToObject(params, "rows");
        for (int i = 0; row && i < CHUNK_ROWS; i++, row = row->next)
            cJSON_AddItemReferenceToArray(chunk, (cJSON *)row);
        int rc = argus_graph_batch_add(b, graph, cypher, params, 0, res);
        cJSON_Delete(params);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int queue_repository(struct argus_graph_batch *b, const char *graph, const struct code_write_info *info,
                            struct argus_result *res)
{
    char at[40], commit_id[600];
    argus_format_iso8601(argus_now_us(), at, sizeof at);
    snprintf(commit_id, sizeof commit_id, "%s@%s", info->repo, info->seen);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "repo", info->repo);
    cJSON_AddStringToObject(params, "seen", info->seen);
    cJSON_AddStringToObject(params, "commit", commit_id);
    cJSON_AddStringToObject(params, "url", info->url ? info->url : "");
    cJSON_AddStringToObject(params, "branch", info->branch ? info->branch : "");
    cJSON_AddStringToObject(params, "at", at);
    cJSON_AddNumberToObject(params, "event_at", info->event_at_ms);
    int rc = argus_graph_batch_add(
        b, graph,
        "MERGE (r:Repository {id: $repo}) SET r.url = $url, r.name = $repo, r.branch = $branch, "
        "r.head_commit = $seen, r.ingested_at = $at, r.event_at = $event_at "
        "MERGE (c:Commit {id: $commit}) ON CREATE SET c.sha = $seen, c.branch = $branch, c.ingested_at = $at, "
        "c.repo = $repo MERGE (r)-[:CONTAINS]->(c)",
        params, 0, res);
    cJSON_Delete(params);
    return rc;
}

static int queue_nodes(struct argus_graph_batch *b, const char *graph, const struct code_model *m,
                       const struct code_write_info *info, struct argus_result *res)
{
    for (int k = 0; k < CODE_KIND_COUNT; k++) {
        cJSON *rows = cJSON_CreateArray();
        cJSON *test_files = cJSON_CreateArray();
        for (size_t i = 0; i < m->n_entities; i++) {
            const struct code_entity *e = &m->entities[i];
            if ((int)e->kind != k)
                continue;
            cJSON *row = entity_row(e);
            cJSON *props = cJSON_GetObjectItemCaseSensitive(row, "props");
            cJSON_AddStringToObject(props, "repo", info->repo);
            if (k != CODE_SELECTOR)
                cJSON_AddStringToObject(props, "seen", info->seen);
            cJSON_AddItemToArray(rows, row);
            if (k == CODE_FILE && (e->flags & CODE_F_TEST)) {
                cJSON *t = cJSON_CreateObject();
                cJSON_AddStringToObject(t, "id", e->id);
                cJSON_AddItemToArray(test_files, t);
            }
        }
        int rc = queue_rows(b, graph, node_cypher[k], rows, info, res);
        if (rc == 0 && k == CODE_FILE) {
            rc = queue_rows(b, graph, "UNWIND $rows AS r MATCH (n:File {id: r.id}) SET n:TestFile", test_files, info, res);
            if (rc == 0)
                rc = queue_rows(b, graph,
                                "MATCH (repo:Repository {id: $repo}) UNWIND $rows AS r MATCH (f:File {id: r.id}) "
                                "MERGE (repo)-[e:CONTAINS]->(f) SET e.repo = $repo, e.seen = $seen",
                                rows, info, res);
        }
        cJSON_Delete(rows);
        cJSON_Delete(test_files);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Relationships grouped by (type, from label, to label) in one pass, so both MATCHes of a query use
 * the id index of a known label. */
static enum code_kind match_kind(enum code_kind k)
{
    return k == CODE_METHOD ? CODE_FUNCTION : k;
}

static int queue_relations(struct argus_graph_batch *b, const char *graph, const struct code_model *m,
                           const struct code_write_info *info, struct argus_result *res)
{
    cJSON *buckets[CODE_REL_COUNT][CODE_KIND_COUNT][CODE_KIND_COUNT];
    memset(buckets, 0, sizeof buckets);
    for (size_t i = 0; i < m->n_relations; i++) {
        const struct code_relation *r = &m->relations[i];
        const struct code_entity *s = &m->entities[r->src], *d = &m->entities[r->dst];
        cJSON **slot = &buckets[r->type][match_kind(s->kind)][match_kind(d->kind)];
        if (!*slot)
            *slot = cJSON_CreateArray();
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "s", s->id);
        cJSON_AddStringToObject(row, "d", d->id);
        cJSON_AddNumberToObject(row, "line", r->line);
        cJSON_AddItemToArray(*slot, row);
    }
    int rc = 0;
    for (int t = 0; t < CODE_REL_COUNT; t++)
        for (int sk = 0; sk < CODE_KIND_COUNT; sk++)
            for (int dk = 0; dk < CODE_KIND_COUNT; dk++) {
                cJSON *rows = buckets[t][sk][dk];
                if (!rows)
                    continue;
                if (rc == 0) {
                    struct argus_buf q = ARGUS_BUF_INIT;
                    argus_buf_printf(&q,
                                     "UNWIND $rows AS r MATCH (a:%s {id: r.s}) MATCH (b:%s {id: r.d}) "
                                     "MERGE (a)-[e:%s]->(b) SET e.repo = $repo, e.seen = $seen, e.line = r.line",
                                     code_kind_name((enum code_kind)sk), code_kind_name((enum code_kind)dk),
                                     code_rel_name((enum code_rel)t));
                    rc = queue_rows(b, graph, argus_buf_str(&q), rows, info, res);
                    argus_buf_free(&q);
                }
                cJSON_Delete(rows);
            }
    return rc;
}

static int queue_removals(struct argus_graph_batch *b, const char *graph, const struct code_write_info *info,
                          struct argus_result *res)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "repo", info->repo);
    cJSON_AddStringToObject(params, "seen", info->seen);
    int rc = 0;
    for (size_t i = 0; code_labels[i] && rc == 0; i++) {
        char q[256];
        snprintf(q, sizeof q, "MATCH (n:%s) WHERE n.repo = $repo AND n.seen <> $seen DETACH DELETE n", code_labels[i]);
        rc = argus_graph_batch_add(b, graph, q, params, 0, res);
    }
    for (int t = 0; t < CODE_REL_COUNT && rc == 0; t++) {
        char q[256];
        snprintf(q, sizeof q, "MATCH ()-[e:%s]->() WHERE e.repo = $repo AND e.seen <> $seen DELETE e",
                 code_rel_name((enum code_rel)t));
        rc = argus_graph_batch_add(b, graph, q, params, 0, res);
    }
    cJSON_Delete(params);
    return rc;
}

int code_graph_write(struct argus_graph *g, const char *graph, const struct code_model *m,
                     const struct code_write_info *info, struct code_write_result *out, struct argus_result *res)
{
    memset(out, 0, sizeof *out);
    int64_t t_start = argus_monotonic_ms();
    struct argus_graph_batch b;
    argus_graph_batch_init(&b);
    int rc = queue_repository(&b, graph, info, res);
    if (rc == 0)
        rc = queue_nodes(&b, graph, m, info, res);
    if (rc == 0)
        rc = queue_relations(&b, graph, m, info, res);
    size_t writes = argus_graph_batch_count(&b);
    if (rc == 0)
        rc = queue_removals(&b, graph, info, res);
    int64_t t_built = argus_monotonic_ms();
    /* Every statement is a MERGE or a delete of what is stale: safe to send again. */
    if (rc == 0)
        rc = argus_graph_batch_exec(g, &b, ARGUS_GRAPH_IDEMPOTENT, res);
    argus_debug("graph.code_write", "%s: encoding %lld ms, round trip %lld ms, %zu bytes", graph,
                (long long)(t_built - t_start), (long long)(argus_monotonic_ms() - t_built), b.rb.cmds.len);
    for (size_t i = 0; rc == 0 && i < argus_graph_batch_count(&b); i++) {
        struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
        if (argus_graph_batch_result(&b, i, &r, res) == 0) {
            argus_debug("graph.code_query", "query %zu: %.1f ms, %lld nodes, %lld relationships, %lld properties", i,
                        r.stats.exec_ms, r.stats.nodes_created, r.stats.relationships_created, r.stats.properties_set);
            out->nodes_created += r.stats.nodes_created;
            out->relationships_created += r.stats.relationships_created;
            if (i >= writes) {
                out->nodes_deleted += r.stats.nodes_deleted;
                out->relationships_deleted += r.stats.relationships_deleted;
            }
        }
        argus_graph_result_free(&r);
    }
    out->queries = argus_graph_batch_count(&b);
    argus_graph_batch_free(&b);
    return rc;
}

const char *const *code_graph_labels(void)
{
    return code_labels;
}
