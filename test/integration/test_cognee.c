/* Integration tests of argus-cognee-worker: the fixture repository (test/fixtures/repo) ingested end to
 * end through Kafka into the real FalkorDB, with exact node and edge counts and specific edges; tenant
 * isolation; idempotent re-ingest; a repository reference fetched from a local git repository and a
 * newer commit removing code without touching test history; test, run, failure and healing events;
 * malformed, oversize and 9 MiB events; FalkorDB stopped mid-stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argus/kafka/dlq.h"
#include "argus/stores/graph.h"
#include "embeddings_stub.h"
#include "it_cognee.h"
#include "it_env.h"
#include "it_kafka.h"
#include "it_proc.h"

#define FIXTURE "test/fixtures/repo"
#define SHA1 "1111111111111111111111111111111111111111"

static struct argus_config cfg;

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    if (!cJSON_IsNumber(v))
        fail_msg("%s missing", k);
    return v->valuedouble;
}

/* Waits until a query returns want (events are written asynchronously to the test). */
static void wait_graph_for(const char *graph, const char *cypher, long long want, int seconds)
{
    long long got = -2;
    for (int i = 0; i < seconds * 10; i++) {
        got = it_graph_int(&cfg, graph, cypher, NULL);
        if (got == want)
            return;
        usleep(100 * 1000);
    }
    fail_msg("%s on %s: %lld, want %lld", cypher, graph, got, want);
}

static void wait_graph(const char *graph, const char *cypher, long long want)
{
    wait_graph_for(graph, cypher, want, 15);
}

static void ingest_inline(struct it_cognee_worker *w, const char *org, const char *project, const char *sha, const char *id)
{
    char *ev = it_gateway_event("codebase.ingested", org, project, id, NULL,
                                it_inline_ingest_data(FIXTURE, "shop", sha));
    it_cognee_send(w, org, ev);
}

/* The fixture's model (see test/unit/test_cognee_analyze.c) plus the Repository and the Commit. */
static void assert_fixture_graph(const char *graph, long long commits)
{
    static const struct { const char *label; long long n; } labels[] = {
        {"File", 20},     {"TestFile", 5},  {"Module", 8},      {"Class", 2}, {"Function", 28},
        {"Method", 6},    {"Endpoint", 12}, {"TestSuite", 3},   {"TestCase", 13}, {"Selector", 9},
        {"Repository", 1},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        long long got = it_graph_label_count(&cfg, graph, labels[i].label);
        if (got != labels[i].n)
            fail_msg("%s: %lld %s nodes, want %lld", graph, got, labels[i].label, labels[i].n);
    }
    assert_int_equal(it_graph_label_count(&cfg, graph, "Commit"), commits);
    static const struct { const char *type; long long n; } rels[] = {
        {"DEFINES", 12}, {"IMPORTS", 23}, {"CALLS", 13}, {"HANDLES", 12}, {"COVERS", 11}, {"USES_SELECTOR", 12},
    };
    for (size_t i = 0; i < sizeof rels / sizeof rels[0]; i++) {
        long long got = it_graph_rel_count(&cfg, graph, rels[i].type);
        if (got != rels[i].n)
            fail_msg("%s: %lld %s relationships, want %lld", graph, got, rels[i].type, rels[i].n);
    }
    /* CONTAINS: 46 in the model, 20 Repository->File, one Repository->Commit per commit */
    assert_int_equal(it_graph_rel_count(&cfg, graph, "CONTAINS"), 66 + commits);
}

static long long edge(const char *graph, const char *type, const char *src, const char *dst)
{
    char q[512];
    snprintf(q, sizeof q, "MATCH (a {id: $s})-[e:%s]->(b {id: $d}) RETURN count(e)", type);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "s", src);
    cJSON_AddStringToObject(p, "d", dst);
    return it_graph_int(&cfg, graph, q, p);
}

static void fixture_end_to_end(void **state)
{
    (void)state;
    struct it_cognee_worker w;
    it_cognee_start(&w, &cfg, "cognee", 3, 0, NULL);
    char org[64], graph[256], org2[64], graph2[256];
    it_unique_name(org, sizeof org, "org");
    it_unique_name(org2, sizeof org2, "org");
    argus_graph_name(graph, sizeof graph, org, "shop-project");
    argus_graph_name(graph2, sizeof graph2, org2, NULL);

    ingest_inline(&w, org, "shop-project", SHA1, "ingest-1");
    cJSON *a = it_cognee_wait_analyzed(&w, 1);
    assert_int_equal(num(a, "file_count"), 20);
    assert_int_equal(num(a, "functions_found"), 28);
    assert_int_equal(num(a, "classes_found"), 2);
    assert_int_equal(num(a, "test_files_found"), 5);
    assert_int_equal(num(a, "endpoints_found"), 12);
    assert_int_equal(num(a, "nodes_created"), 97);
    assert_int_equal(num(a, "relationships_created"), 150);
    assert_string_equal(cJSON_GetObjectItem(a, "graph_name")->valuestring, graph);
    assert_string_equal(cJSON_GetObjectItem(a, "commit_sha")->valuestring, SHA1);
    assert_true(num(a, "analysis_duration_ms") >= 0);
    cJSON_Delete(a);
    assert_fixture_graph(graph, 1);

    /* Specific edges: a test covers an endpoint, a test uses a selector, a call resolved across files. */
    assert_int_equal(edge(graph, "COVERS", "shop:e2e/api.spec.ts#test:creates and reads a user",
                          "shop:server/app.js#endpoint:GET /api/users/:id"), 1);
    assert_int_equal(edge(graph, "COVERS", "shop:backend/tests/test_api.py#test:test_read_item",
                          "shop:backend/app/routers/items.py#endpoint:GET /items/{item_id}"), 1);
    assert_int_equal(edge(graph, "USES_SELECTOR", "shop:e2e/login.spec.ts#test:login > signs in",
                          "shop#selector:testid:password"), 1);
    assert_int_equal(edge(graph, "CALLS", "shop:backend/app/main.py#fn:checkout",
                          "shop:backend/app/services.py#fn:compute_total"), 1);
    assert_int_equal(edge(graph, "HANDLES", "shop:server/app.js#fn:createUser",
                          "shop:server/app.js#endpoint:POST /api/users"), 1);

    /* The same commit again changes nothing. */
    ingest_inline(&w, org, "shop-project", SHA1, "ingest-2");
    a = it_cognee_wait_analyzed(&w, 2);
    assert_int_equal(num(a, "nodes_created"), 0);
    assert_int_equal(num(a, "relationships_created"), 0);
    assert_int_equal(num(a, "nodes_deleted"), 0);
    cJSON_Delete(a);
    assert_fixture_graph(graph, 1);

    /* Another tenant gets its own graph; the first is untouched and cannot see it. */
    ingest_inline(&w, org2, NULL, SHA1, "ingest-3");
    a = it_cognee_wait_analyzed(&w, 3);
    assert_string_equal(cJSON_GetObjectItem(a, "graph_name")->valuestring, graph2);
    cJSON_Delete(a);
    assert_fixture_graph(graph2, 1);
    assert_fixture_graph(graph, 1);
    assert_int_equal(it_graph_label_count(&cfg, graph, "File"), 20);

    it_cognee_stop(&w);
    assert_int_equal(it_wait_records(&cfg, w.dlq, 0, 0), 0);
}

static char *test_event(const char *type, const char *org, const char *id, const char *ts, const char *data_json)
{
    return it_gateway_event(type, org, "p", id, ts, cJSON_Parse(data_json));
}

static void test_history_and_healing(void **state)
{
    (void)state;
    struct it_cognee_worker w;
    it_cognee_start(&w, &cfg, "history", 3, 0, NULL);
    char org[64], graph[256];
    it_unique_name(org, sizeof org, "org");
    argus_graph_name(graph, sizeof graph, org, "p");

    it_cognee_send(&w, org, test_event("test.created", org, "c1", NULL,
                                "{\"test_id\":\"t-1\",\"test_name\":\"login\",\"test_type\":\"ui\",\"framework\":\"playwright\","
                                "\"selectors\":[\"#login\",\"[data-testid=save]\"],\"step_count\":4}"));
    /* three runs: passed, failed, passed -> two flips; event time order, not arrival order */
    it_cognee_send(&w, org, test_event("test.executed", org, "x3", "2026-01-25T12:03:00+00:00",
                                "{\"test_id\":\"t-1\",\"status\":\"passed\",\"duration_ms\":900,\"metadata\":{\"run_id\":\"r-3\"}}"));
    it_cognee_send(&w, org, test_event("test.executed", org, "x1", "2026-01-25T12:01:00+00:00",
                                "{\"test_id\":\"t-1\",\"status\":\"passed\",\"duration_ms\":800,\"run_id\":\"r-1\"}"));
    it_cognee_send(&w, org, test_event("test.executed", org, "x2", "2026-01-25T12:02:00+00:00",
                                "{\"test_id\":\"t-1\",\"status\":\"failed\",\"duration_ms\":1200,\"run_id\":\"r-2\"}"));
    /* a redelivered run changes nothing */
    it_cognee_send(&w, org, test_event("test.executed", org, "x2", "2026-01-25T12:02:00+00:00",
                                "{\"test_id\":\"t-1\",\"status\":\"failed\",\"duration_ms\":1200,\"run_id\":\"r-2\"}"));
    /* an aggregate run event has no test_id: recorded, not dead-lettered */
    it_cognee_send(&w, org, test_event("test.executed", org, "agg", NULL,
                                "{\"run_id\":\"r-9\",\"status\":\"passed\",\"total_tests\":12,\"passed_tests\":12,"
                                "\"failed_tests\":0,\"skipped_tests\":0,\"duration_ms\":53120}"));
    it_cognee_send(&w, org, test_event("test.failed", org, "agg-f", NULL,
                                "{\"run_id\":\"r-10\",\"status\":\"failed\",\"total_tests\":3,\"failed_tests\":1}"));
    /* two failures differing only in numbers and quoted values share a fingerprint */
    it_cognee_send(&w, org, test_event("test.failed", org, "f1", "2026-01-25T12:02:00+00:00",
                                "{\"test_id\":\"t-1\",\"run_id\":\"r-2\",\"failure_id\":\"f-1\",\"failure_type\":\"timeout\","
                                "\"error_message\":\"Timeout 30000ms exceeded waiting for '#login'\"}"));
    it_cognee_send(&w, org, test_event("test.failed", org, "f2", "2026-01-25T12:05:00+00:00",
                                "{\"test_id\":\"t-2\",\"run_id\":\"r-5\",\"failure_id\":\"f-2\",\"error_type\":\"timeout\","
                                "\"error_message\":\"Timeout 45000ms exceeded waiting for '#signin'\"}"));
    it_cognee_send(&w, org, test_event("test.failed", org, "f3", "2026-01-25T12:06:00+00:00",
                                "{\"test_id\":\"t-2\",\"run_id\":\"r-6\",\"failure_id\":\"f-3\",\"error_type\":\"assertion\","
                                "\"error_message\":\"expected 3 items, got 2\"}"));
    it_cognee_send(&w, org, test_event("healing.completed", org, "h1", NULL,
                                "{\"test_id\":\"t-1\",\"failure_id\":\"f-1\",\"success\":true,\"original_selector\":\"#login\","
                                "\"healed_selector\":\"[data-testid=login]\",\"confidence_score\":0.93,"
                                "\"healing_strategy\":\"selector_fallback\"}"));

    wait_graph(graph, "MATCH (:Selector)-[e:HEALED_TO]->(:Selector) RETURN count(e)", 1);
    wait_graph(graph, "MATCH (t:Test {id: 't-1'}) RETURN t.runs", 3);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (t:Test {id: 't-1'}) RETURN t.passes", NULL), 2);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (t:Test {id: 't-1'}) RETURN t.fails", NULL), 1);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (t:Test {id: 't-1'}) RETURN t.flips", NULL), 2);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (t:Test {id: 't-1'}) RETURN t.steps_count", NULL), 4);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (:Test {id: 't-1'})-[e:RAN]->(:Run) RETURN count(e)", NULL), 3);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (:Test {id: 't-1'})-[:USES_SELECTOR]->(s:Selector) RETURN count(s)", NULL), 2);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (r:Run {id: 'r-9'}) RETURN r.total", NULL), 12);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (r:Run {id: 'r-10'}) WHERE r.status = 'failed' RETURN r.total", NULL), 3);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (:Failure {id: 'f-2'})-[e:SIMILAR_TO]->(:Failure {id: 'f-1'}) RETURN count(e)", NULL), 1);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (:Failure {id: 'f-3'})-[e:SIMILAR_TO]->() RETURN count(e)", NULL), 0);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (:Test {id: 't-2'})-[e:FAILED_WITH]->(:Failure) RETURN count(e)", NULL), 2);
    assert_int_equal(it_graph_int(&cfg, graph,
                                  "MATCH (:Selector {value: '#login'})-[e:HEALED_TO]->(:Selector {value: '[data-testid=login]'}) "
                                  "WHERE e.confidence > 0.92 AND e.confidence < 0.94 RETURN count(e)", NULL), 1);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (p:HealingPattern)-[:USES_SELECTOR]->(:Selector) RETURN count(p)", NULL), 1);
    it_cognee_stop(&w);
    assert_int_equal(it_wait_records(&cfg, w.dlq, 0, 0), 0);
}

static void git_reference_and_newer_commit(void **state)
{
    (void)state;
    char rel[256], repo[600], url[700], sha1[41], sha2[41], org[64], graph[256], uniq[64];
    it_unique_name(uniq, sizeof uniq, "git-fixture");
    it_build_path(rel, sizeof rel, "test-logs");
    if (rel[0] == '/') {
        snprintf(repo, sizeof repo, "%s/%s", rel, uniq);
    } else {
        char cwd[256];
        assert_non_null(getcwd(cwd, sizeof cwd));
        snprintf(repo, sizeof repo, "%s/%s/%s", cwd, rel, uniq);
    }
    it_git_repo_from_dir(FIXTURE, repo, sha1);
    snprintf(url, sizeof url, "file://%s", repo);
    it_unique_name(org, sizeof org, "org");
    argus_graph_name(graph, sizeof graph, org, NULL);

    struct it_cognee_worker w;
    it_cognee_start(&w, &cfg, "git", 3, 0, NULL);
    char data[1024];
    snprintf(data, sizeof data, "{\"repository_id\":\"shop\",\"repository_url\":\"%s\",\"branch\":\"main\",\"commit_sha\":\"%s\"}",
             url, sha1);
    it_cognee_send(&w, org, test_event("codebase.ingested", org, "g1", NULL, data));
    cJSON *a = it_cognee_wait_analyzed(&w, 1);
    assert_string_equal(cJSON_GetObjectItem(a, "commit_sha")->valuestring, sha1);
    cJSON_Delete(a);
    /* the event's project is "p": the graph is argus_<org>__p */
    argus_graph_name(graph, sizeof graph, org, "p");
    assert_fixture_graph(graph, 1);
    /* test history that a newer commit must not touch */
    it_cognee_send(&w, org, test_event("test.executed", org, "gx", NULL,
                                "{\"test_id\":\"t-9\",\"status\":\"passed\",\"run_id\":\"r-1\"}"));
    wait_graph(graph, "MATCH (:Test)-[e:RAN]->(:Run) RETURN count(e)", 1);

    /* commit 2: the dates module is gone, a function is renamed */
    it_git_commit(repo, "git rm -q server/dates.js && sed -i 's/normaliseName/normalizeName/g' server/users.js", sha2);
    snprintf(data, sizeof data, "{\"repository_id\":\"shop\",\"repository_url\":\"%s\",\"branch\":\"main\",\"commit_sha\":\"%s\"}",
             url, sha2);
    it_cognee_send(&w, org, test_event("codebase.ingested", org, "g2", NULL, data));
    a = it_cognee_wait_analyzed(&w, 2);
    assert_string_equal(cJSON_GetObjectItem(a, "commit_sha")->valuestring, sha2);
    assert_true(num(a, "nodes_deleted") >= 3); /* the file, its function, the old name */
    cJSON_Delete(a);
    assert_int_equal(it_graph_label_count(&cfg, graph, "File"), 19);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (n:File {path: 'server/dates.js'}) RETURN count(n)", NULL), 0);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (f:Function {name: 'normaliseName'}) RETURN count(f)", NULL), 0);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (f:Function {name: 'normalizeName'}) RETURN count(f)", NULL), 1);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH ()-[e]->() WHERE e.repo = 'shop' AND e.seen <> $s RETURN count(e)",
                                  cJSON_Parse("{\"s\":\"x\"}")) > 0, 1);
    char q[300];
    snprintf(q, sizeof q, "MATCH (n) WHERE n.repo = 'shop' AND exists(n.seen) AND n.seen <> '%s' RETURN count(n)", sha2);
    assert_int_equal(it_graph_int(&cfg, graph, q, NULL), 0);
    assert_int_equal(it_graph_label_count(&cfg, graph, "Commit"), 2);
    /* history untouched */
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (:Test {id: 't-9'})-[e:RAN]->(:Run) RETURN count(e)", NULL), 1);

    /* commit 1's event again, as a DLQ replay sends it (its own, older time): it must not roll the
     * code back; analyzed says so */
    snprintf(data, sizeof data, "{\"repository_id\":\"shop\",\"repository_url\":\"%s\",\"branch\":\"main\",\"commit_sha\":\"%s\"}",
             url, sha1);
    it_cognee_send(&w, org, test_event("codebase.ingested", org, "g1", "2026-01-01T00:00:00Z", data));
    a = it_cognee_wait_analyzed(&w, 3);
    assert_string_equal(cJSON_GetObjectItem(a, "status")->valuestring, "superseded");
    assert_string_equal(cJSON_GetObjectItem(a, "commit_sha")->valuestring, sha1);
    assert_string_equal(cJSON_GetObjectItem(a, "head_commit")->valuestring, sha2);
    cJSON_Delete(a);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (n:File {path: 'server/dates.js'}) RETURN count(n)", NULL), 0);
    snprintf(q, sizeof q, "MATCH (r:Repository {id: 'shop'}) WHERE r.head_commit = '%s' RETURN count(r)", sha2);
    assert_int_equal(it_graph_int(&cfg, graph, q, NULL), 1);
    /* a newer event for commit 1 (a deliberate rollback) is applied: the newest event wins */
    it_cognee_send(&w, org, test_event("codebase.ingested", org, "g3", "2099-01-01T00:00:00Z", data));
    a = it_cognee_wait_analyzed(&w, 4);
    assert_string_equal(cJSON_GetObjectItem(a, "status")->valuestring, "analyzed");
    cJSON_Delete(a);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (n:File {path: 'server/dates.js'}) RETURN count(n)", NULL), 1);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (f:Function {name: 'normaliseName'}) RETURN count(f)", NULL), 1);
    it_cognee_stop(&w);
    assert_int_equal(it_wait_records(&cfg, w.dlq, 0, 0), 0);
}

static void bad_events_dead_lettered(void **state)
{
    (void)state;
    struct it_cognee_worker w;
    const char *more[] = {"KAFKA_MAX_MESSAGE_BYTES=1048576", NULL};
    it_cognee_start(&w, &cfg, "bad", 3, 11534336, more);
    char org[64];
    it_unique_name(org, sizeof org, "org");
    it_cognee_send(&w, org, test_event("codebase.ingested", org, "b1", NULL, "{\"repository_id\":\"x\"}"));
    it_cognee_send(&w, org, test_event("test.executed", org, "b2", NULL, "{\"status\":\"passed\"}"));
    it_cognee_send(&w, org, test_event("codebase.ingested", org, "b3", NULL,
                                "{\"repository_url\":\"ext::sh -c touch% /tmp/pwned\",\"commit_sha\":\"abcdef1\"}"));
    /* 2 MiB, over this worker's KAFKA_MAX_MESSAGE_BYTES */
    cJSON *data = cJSON_CreateObject();
    char *big = malloc(2 * 1024 * 1024 + 1);
    memset(big, 'a', 2 * 1024 * 1024);
    big[2 * 1024 * 1024] = '\0';
    cJSON_AddStringToObject(data, "padding", big);
    free(big);
    it_cognee_send(&w, org, it_gateway_event("test.created", org, "p", "b4", NULL, data));
    /* not UTF-8: refused before it can reach the graph or a log */
    cJSON *latin1 = cJSON_CreateObject();
    cJSON_AddStringToObject(latin1, "test_id", "t-\xe9t\xe9");
    it_cognee_send(&w, org, it_gateway_event("test.created", org, "p", "b5", NULL, latin1));
    assert_int_equal(it_wait_records(&cfg, w.dlq, 5, 30000), 5);
    it_cognee_stop(&w);

    struct it_records rs;
    it_read_topic(&cfg, w.dlq, &rs);
    int seen = 0;
    for (size_t i = 0; i < rs.n; i++) {
        char cls[64], msg[512];
        argus_header_string(rs.r[i].headers, ARGUS_DLQ_ERROR_CLASS, cls, sizeof cls);
        argus_header_string(rs.r[i].headers, ARGUS_DLQ_ERROR_MESSAGE, msg, sizeof msg);
        if (strstr(rs.r[i].value, "\"b1\"")) {
            assert_string_equal(msg, "codebase.ingested: data.repository_url and data.content.files missing");
            seen |= 1;
        } else if (strstr(rs.r[i].value, "\"b2\"")) {
            assert_string_equal(msg, "test.executed: data.test_id and data.run_id missing");
            seen |= 2;
        } else if (strstr(rs.r[i].value, "\"b3\"")) {
            assert_string_equal(cls, "destination_refused");
            assert_non_null(strstr(msg, "repository_url: destination refused (invalid URL"));
            seen |= 4;
        } else if (strstr(rs.r[i].value, "\"b5\"")) {
            assert_string_equal(cls, "deserialization_error");
            assert_non_null(strstr(msg, "invalid UTF-8 at byte"));
            seen |= 16;
        } else {
            assert_string_equal(cls, "oversize_event");
            seen |= 8;
        }
    }
    assert_int_equal(seen, 31);
    assert_int_equal(access("/tmp/pwned", F_OK), -1);
    it_records_free(&rs);
}

/* Events up to 10 MiB must work: a 9 MiB inline ingest on a topic sized like argus.codebase.ingested. */
static void nine_mib_event_ingested(void **state)
{
    (void)state;
    struct it_cognee_worker w;
    it_cognee_start(&w, &cfg, "big", 3, 11534336, NULL);
    char org[64], graph[256];
    it_unique_name(org, sizeof org, "org");
    argus_graph_name(graph, sizeof graph, org, "p");
    cJSON *data = it_inline_ingest_data(FIXTURE, "shop", SHA1);
    cJSON *files = cJSON_GetObjectItem(cJSON_GetObjectItem(data, "content"), "files");
    size_t size = 9 * 1024 * 1024;
    char *blob = malloc(size + 1);
    for (size_t i = 0; i < size; i++)
        blob[i] = (char)('a' + i % 26);
    memcpy(blob, "// generated\n", 13);
    blob[size] = '\0';
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "path", "web/lib/generated.js");
    cJSON_AddStringToObject(f, "content", blob);
    free(blob);
    cJSON_AddItemToArray(files, f);
    char *ev = it_gateway_event("codebase.ingested", org, "p", "big-1", NULL, data);
    assert_true(strlen(ev) > 9 * 1024 * 1024);
    it_cognee_send(&w, org, ev);
    cJSON *a = it_cognee_wait_analyzed(&w, 1);
    assert_int_equal(num(a, "file_count"), 21);
    cJSON_Delete(a);
    /* a file over the analyzer's 2 MiB cap is a File node, not parsed */
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (f:File {path: 'web/lib/generated.js'}) WHERE f.too_large RETURN count(f)", NULL), 1);
    it_cognee_stop(&w);
    assert_int_equal(it_wait_records(&cfg, w.dlq, 0, 0), 0);
}

static void falkordb_outage(void **state)
{
    (void)state;
    if (!getenv("ARGUS_DEVSTACK"))
        skip();
    struct it_cognee_worker w;
    const char *more[] = {"WORKER_MAX_ATTEMPTS=2", NULL};
    it_cognee_start(&w, &cfg, "outage", 3, 0, more);
    char org[64], graph[256], cmd[600];
    it_unique_name(org, sizeof org, "org");
    argus_graph_name(graph, sizeof graph, org, "p");
    snprintf(cmd, sizeof cmd, "'%s' stop falkordb > /dev/null 2>&1", getenv("ARGUS_DEVSTACK"));
    assert_int_equal(system(cmd), 0);
    for (int i = 0; i < 50; i++) {
        char data[200], id[32];
        snprintf(data, sizeof data, "{\"test_id\":\"t-%d\",\"status\":\"passed\",\"run_id\":\"r-%d\"}", i % 7, i);
        snprintf(id, sizeof id, "e-%d", i);
        it_cognee_send(&w, org, test_event("test.executed", org, id, NULL, data));
    }
    int paused = it_proc_wait_http(&w.proc, "/ready", 503, 30000);
    sleep(3);
    long dlq = (long)it_wait_records(&cfg, w.dlq, 0, 0);
    snprintf(cmd, sizeof cmd, "'%s' start falkordb > /dev/null 2>&1", getenv("ARGUS_DEVSTACK"));
    assert_int_equal(system(cmd), 0);
    assert_int_equal(paused, 0);
    assert_int_equal(dlq, 0);
    assert_int_equal(it_proc_wait_http(&w.proc, "/ready", 200, 60000), 0);
    wait_graph(graph, "MATCH (:Test)-[e:RAN]->(:Run) RETURN count(e)", 50);
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (t:Test) RETURN sum(t.runs)", NULL), 50);
    it_cognee_stop(&w);
    assert_int_equal(it_wait_records(&cfg, w.dlq, 0, 0), 0);
}

/* A local embeddings API (64 dimensions, key sk-test; answering 503 from the start when unavailable)
 * and a cognee worker with the semantic layer pointed at it. */
static struct embeddings_stub *start_semantic_worker(struct it_cognee_worker *w, const char *name, int unavailable)
{
    struct embeddings_stub *stub = embeddings_stub_start(64, "sk-test");
    assert_non_null(stub);
    embeddings_stub_set_unavailable(stub, unavailable);
    char url[256], e_url[300];
    embeddings_stub_url(stub, url, sizeof url);
    snprintf(e_url, sizeof e_url, "EMBEDDINGS_URL=%s", url);
    const char *more[] = {e_url, "EMBEDDINGS_API_KEY=sk-test", "EMBEDDINGS_MODEL=stub-64", NULL};
    it_cognee_start(w, &cfg, name, 3, 0, more);
    return stub;
}

/* The semantic layer through the real worker: EMBEDDINGS_URL set to a local server that follows the
 * OpenAI embeddings contract; ingested functions and test cases and failure messages get vectors,
 * and argus-cognee-query semantic finds the nearest failure. */
static void semantic_layer_end_to_end(void **state)
{
    (void)state;
    struct it_cognee_worker w;
    struct embeddings_stub *stub = start_semantic_worker(&w, "semantic", 0);
    char url[256];
    embeddings_stub_url(stub, url, sizeof url);
    char org[64], graph[256];
    it_unique_name(org, sizeof org, "org");
    argus_graph_name(graph, sizeof graph, org, "p");
    char *ev = it_gateway_event("codebase.ingested", org, "p", "s1", NULL, it_inline_ingest_data(FIXTURE, "shop", SHA1));
    it_cognee_send(&w, org, ev);
    cJSON_Delete(it_cognee_wait_analyzed(&w, 1));
    wait_graph(graph, "MATCH (e:FunctionEmbedding)-[:EMBEDS]->(:Function) RETURN count(e)", 28);
    wait_graph(graph, "MATCH (e:TestCaseEmbedding)-[:EMBEDS]->(:TestCase) RETURN count(e)", 13);
    it_cognee_send(&w, org, test_event("test.failed", org, "sf1", NULL,
                                "{\"test_id\":\"t-1\",\"failure_id\":\"f-db\",\"error_type\":\"network\","
                                "\"error_message\":\"database connection refused on checkout\"}"));
    it_cognee_send(&w, org, test_event("test.failed", org, "sf2", NULL,
                                "{\"test_id\":\"t-2\",\"failure_id\":\"f-ui\",\"error_type\":\"selector\","
                                "\"error_message\":\"button Sign in not visible\"}"));
    wait_graph(graph, "MATCH (e:FailureEmbedding)-[:EMBEDS]->(:Failure) RETURN count(e)", 2);
    it_cognee_stop(&w);

    /* the tool reads the worker's settings from the environment it inherits */
    setenv("EMBEDDINGS_URL", url, 1);
    setenv("EMBEDDINGS_API_KEY", "sk-test", 1);
    setenv("EMBEDDINGS_MODEL", "stub-64", 1);
    char out[8192];
    const char *args[] = {"--org", org, "--project", "p", "--json", "semantic", "checkout database refused",
                          "--label", "Failure", "--k", "2", NULL};
    int rc = it_run_tool("argus-cognee-query", args, out, sizeof out);
    unsetenv("EMBEDDINGS_URL");
    unsetenv("EMBEDDINGS_API_KEY");
    unsetenv("EMBEDDINGS_MODEL");
    if (rc != 0)
        fail_msg("argus-cognee-query semantic: exit %d: %s", rc, out);
    char *first = strstr(out, "f-db"), *second = strstr(out, "f-ui");
    if (!first || (second && second < first))
        fail_msg("the database failure is not the nearest: %s", out);
    assert_true(embeddings_stub_requests(stub) >= 2);
    embeddings_stub_stop(stub);
    assert_int_equal(it_wait_records(&cfg, w.dlq, 0, 0), 0);
}

/* Whether the worker's log has a line containing text, waiting up to seconds. */
static int log_has(const struct it_cognee_worker *w, const char *text, int seconds)
{
    for (int i = 0; i < seconds * 10; i++) {
        FILE *f = fopen(w->proc.log, "r");
        char line[4096];
        int found = 0;
        while (f && !found && fgets(line, sizeof line, f))
            found = strstr(line, text) != NULL;
        if (f)
            fclose(f);
        if (found)
            return 1;
        usleep(100 * 1000);
    }
    return 0;
}

/* The embeddings API down while code and a failure arrive: the graph is written anyway (nothing is
 * retried or dead-lettered for an enrichment), and once the API answers again the backfill gives every
 * node its vector, with the text the event path would have embedded (a re-ingest of the same code
 * then costs no API call). */
static void embeddings_outage_backfilled(void **state)
{
    (void)state;
    struct it_cognee_worker w;
    struct embeddings_stub *stub = start_semantic_worker(&w, "backfill", 1);
    char org[64], graph[256];
    it_unique_name(org, sizeof org, "org");
    argus_graph_name(graph, sizeof graph, org, "p");
    ingest_inline(&w, org, "p", SHA1, "b1");
    cJSON_Delete(it_cognee_wait_analyzed(&w, 1));
    it_cognee_send(&w, org, test_event("test.failed", org, "bf1", NULL,
                                       "{\"test_id\":\"t-1\",\"failure_id\":\"f-db\",\"error_type\":\"network\","
                                       "\"error_message\":\"database connection refused on checkout\"}"));
    wait_graph(graph, "MATCH (f:Failure) RETURN count(f)", 1);
    assert_true(embeddings_stub_refused(stub) >= 2); /* the ingest's and the failure's requests */
    assert_int_equal(it_graph_int(&cfg, graph, "MATCH (e:FunctionEmbedding) RETURN count(e)", NULL), 0);

    embeddings_stub_set_unavailable(stub, 0);
    wait_graph_for(graph, "MATCH (e:FunctionEmbedding)-[:EMBEDS]->(:Function) RETURN count(e)", 28, 90);
    wait_graph_for(graph, "MATCH (e:TestCaseEmbedding)-[:EMBEDS]->(:TestCase) RETURN count(e)", 13, 30);
    wait_graph_for(graph, "MATCH (e:FailureEmbedding)-[:EMBEDS]->(:Failure {id: 'f-db'}) RETURN count(e)", 1, 30);
    if (!log_has(&w, "embeddings.backfilled", 90))
        fail_msg("the backfill did not finish (log: %s)", w.proc.log);

    unsigned inputs = embeddings_stub_inputs(stub);
    ingest_inline(&w, org, "p", SHA1, "b2");
    cJSON_Delete(it_cognee_wait_analyzed(&w, 2));
    assert_int_equal(embeddings_stub_inputs(stub) - inputs, 0);
    it_cognee_stop(&w);
    embeddings_stub_stop(stub);
    assert_int_equal(it_wait_records(&cfg, w.dlq, 0, 0), 0);
}

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_end_to_end),
        cmocka_unit_test(test_history_and_healing),
        cmocka_unit_test(git_reference_and_newer_commit),
        cmocka_unit_test(bad_events_dead_lettered),
        cmocka_unit_test(nine_mib_event_ingested),
        cmocka_unit_test(falkordb_outage),
        cmocka_unit_test(semantic_layer_end_to_end),
        cmocka_unit_test(embeddings_outage_backfilled),
    };
    int rc = cmocka_run_group_tests_name("cognee", tests, NULL, NULL);
    argus_config_free(&cfg);
    return rc;
}
