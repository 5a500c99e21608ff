/* Integration tests of the semantic layer against the real FalkorDB and a local OpenAI-compatible
 * embeddings API (embeddings_stub.c): failures embedded in batches into a tenant graph (vectors on
 * FailureEmbedding nodes under a cosine vector index), unchanged nodes not embedded again, a changed
 * text re-embedded (a vector over a vector), partial progress kept across a failed request, a
 * dimension change refused, embeddings of removed nodes pruned, the fixture repository's functions and
 * test cases embedded after code_graph_write and pruned after a newer commit, a batch's queue embedded
 * per graph
 * with failures reported per message, `argus-cognee-query semantic` finding
 * the nearest failure, the API's errors classified (429 and 5xx retry, with Retry-After; garbage
 * and a wrong key reject), and the backfill of nodes left without a vector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/stores/graph.h"
#include "argus/stores/redis_conn.h"
#include "ingest_write.h"
#include "code_model.h"
#include "code_tree.h"
#include "embeddings.h"
#include "embeddings_stub.h"
#include "it_env.h"
#include "it_proc.h"

#define DIM 64
#define KEY "sk-test-key"
#define MODEL "stub-embed-1"
#define NFAIL 70   /* more than one request of 64 */

static struct argus_config cfg;
static struct argus_graph graph;
static struct embeddings_stub *stub;
static char url[128];

static const char *const named[][2] = {
    {"f-login", "TimeoutError: waiting for locator #email to be visible on the login page"},
    {"f-cart", "AssertionError: cart total expected 3 items but got 2"},
    {"f-pay", "NetworkError: connection refused by the payments service"},
    {"f-upload", "Error: file upload failed with status 413 payload too large"},
};
#define NNAMED (sizeof named / sizeof named[0])

static char ids[NFAIL][32];
static char texts[NFAIL][160];
static const char *id_list[NFAIL], *text_list[NFAIL];

static int setup(void **state)
{
    (void)state;
    it_config_load(&cfg);
    assert_int_equal(argus_graph_init_config(&graph, &cfg), 0);
    stub = embeddings_stub_start(DIM, KEY);
    assert_non_null(stub);
    embeddings_stub_url(stub, url, sizeof url);
    static const char *const words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
    for (size_t i = 0; i < NFAIL; i++) {
        if (i < NNAMED) {
            snprintf(ids[i], sizeof ids[i], "%s", named[i][0]);
            snprintf(texts[i], sizeof texts[i], "%s", named[i][1]);
        } else {
            snprintf(ids[i], sizeof ids[i], "f-%zu", i);
            snprintf(texts[i], sizeof texts[i], "AssertionError: expected %s %zu to equal %s", words[i % 8], i,
                     words[(i / 8) % 8]);
        }
        id_list[i] = ids[i];
        text_list[i] = texts[i];
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    embeddings_stub_stop(stub);
    argus_graph_close(&graph);
    argus_config_free(&cfg);
    return 0;
}

static void new_graph(char *name, size_t n, const char *prefix)
{
    char org[64];
    it_unique_name(org, sizeof org, prefix);
    assert_true(argus_graph_name(name, n, org, NULL) > 0);
}

/* Failure nodes as the worker writes them (id, error_type, message). */
static void write_failures(const char *g)
{
    cJSON *params = cJSON_CreateObject();
    cJSON *rows = cJSON_AddArrayToObject(params, "rows");
    for (size_t i = 0; i < NFAIL; i++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "id", ids[i]);
        const char *colon = strchr(texts[i], ':');
        char type[64];
        snprintf(type, sizeof type, "%.*s", (int)(colon - texts[i]), texts[i]);
        cJSON_AddStringToObject(row, "type", type);
        cJSON_AddStringToObject(row, "message", colon + 2);
        cJSON_AddItemToArray(rows, row);
    }
    struct argus_result res;
    if (argus_graph_query(&graph, g, "UNWIND $rows AS r MERGE (f:Failure {id: r.id}) SET f.error_type = r.type, "
                                     "f.message = r.message",
                          params, NULL, &res) != 0)
        fail_msg("writing failures: %s", res.message);
    cJSON_Delete(params);
}

static long long graph_int(const char *g, const char *cypher, cJSON *params)
{
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    struct argus_result res;
    if (argus_graph_ro_query(&graph, g, cypher, params, &r, &res) != 0)
        fail_msg("%s: %s", cypher, res.message);
    long long v = r.nrows == 1 && argus_graph_cell(&r, 0, 0)->type == ARGUS_GRAPH_INTEGER
                      ? argus_graph_cell(&r, 0, 0)->integer
                      : -1;
    argus_graph_result_free(&r);
    cJSON_Delete(params);
    return v;
}

static struct cognee_embedder *embedder(const char *key, size_t batch)
{
    struct cognee_embed_config c = {.url = url, .api_key = key, .model = MODEL, .batch = batch};
    struct cognee_embedder *e = cognee_embedder_new(&c);
    assert_non_null(e);
    return e;
}

/* The stored vector is the stub's vector of the text (cosine distance ~0). */
static void assert_vector_of(const char *g, const char *id, const char *text)
{
    float v[DIM];
    embeddings_stub_vector(text, DIM, v);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "id", id);
    cJSON *vec = cJSON_AddArrayToObject(params, "v");
    for (int i = 0; i < DIM; i++)
        cJSON_AddItemToArray(vec, cJSON_CreateNumber(v[i]));
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    struct argus_result res;
    assert_int_equal(argus_graph_ro_query(&graph, g,
                                          "MATCH (:Failure {id: $id})<-[:EMBEDS]-(v:FailureEmbedding) "
                                          "RETURN vec.cosineDistance(v.embedding, vecf32($v))",
                                          params, &r, &res),
                     0);
    double d = 1;
    assert_int_equal(r.nrows, 1);
    assert_int_equal(argus_graph_value_double(argus_graph_cell(&r, 0, 0), &d), 0);
    if (d > 1e-5)
        fail_msg("%s: cosine distance %g from the expected vector", id, d);
    argus_graph_result_free(&r);
    cJSON_Delete(params);
}

static void set_cli_env(const char *embed_url)
{
    if (embed_url)
        setenv("EMBEDDINGS_URL", embed_url, 1);
    else
        unsetenv("EMBEDDINGS_URL");
    setenv("EMBEDDINGS_API_KEY", KEY, 1);
    setenv("EMBEDDINGS_MODEL", MODEL, 1);
}

static void embeds_and_finds_nearest(void **state)
{
    (void)state;
    char g[256];
    new_graph(g, sizeof g, "sem");
    write_failures(g);
    struct cognee_embedder *e = embedder(KEY, 0);
    unsigned before = embeddings_stub_requests(stub);
    struct argus_result res;
    if (cognee_embed_nodes(e, &graph, g, "Failure", id_list, text_list, NFAIL, &res) != 0)
        fail_msg("embedding: %s", res.message);
    assert_int_equal(embeddings_stub_requests(stub) - before, 2);  /* 64 + 6 */
    assert_int_equal(embeddings_stub_max_batch(stub), 64);
    const struct cognee_embed_stats *st = cognee_embedder_stats(e);
    assert_int_equal(st->texts, NFAIL);
    assert_int_equal(st->nodes_written, NFAIL);
    assert_int_equal(st->indexes_created, 1);
    assert_int_equal(cognee_embedder_dimension(e), DIM);
    assert_int_equal(graph_int(g, "MATCH (:FailureEmbedding)-[:EMBEDS]->(f:Failure) RETURN count(f)", NULL), NFAIL);
    size_t dim;
    assert_int_equal(cognee_vector_index_dimension(&graph, g, "Failure", &dim, &res), 0);
    assert_int_equal(dim, DIM);
    assert_vector_of(g, "f-login", named[0][1]);
    assert_vector_of(g, "f-69", texts[69]);   /* the second request's rows, in input order */

    /* Again: nothing changed, no request. One text changed: one input. Unknown ids and empty texts:
     * skipped. */
    before = embeddings_stub_requests(stub);
    assert_int_equal(cognee_embed_nodes(e, &graph, g, "Failure", id_list, text_list, NFAIL, &res), 0);
    assert_int_equal(embeddings_stub_requests(stub), before);
    assert_int_equal(st->unchanged, NFAIL);
    const char *changed_ids[] = {"f-cart", "no-such-node", "f-pay"};
    const char *changed_texts[] = {"AssertionError: the basket shows 2 items", "whatever", ""};
    unsigned inputs = embeddings_stub_inputs(stub);
    assert_int_equal(cognee_embed_nodes(e, &graph, g, "Failure", changed_ids, changed_texts, 3, &res), 0);
    assert_int_equal(embeddings_stub_requests(stub), before + 1);
    assert_int_equal(embeddings_stub_inputs(stub), inputs + 1);
    assert_vector_of(g, "f-cart", changed_texts[0]);
    assert_int_equal(cognee_embed_nodes(e, &graph, g, "Failure", id_list, text_list, 2, &res), 0); /* back */
    cognee_embedder_free(e);

    /* The CLI finds the nearest failure. */
    set_cli_env(url);
    char out[8192];
    const char *args[] = {"--graph", g, "--json", "semantic", "timeout waiting for the email locator on the login page",
                          "--k", "3", NULL};
    int rc = it_run_tool("argus-cognee-query", args, out, sizeof out);
    if (rc != 0)
        fail_msg("semantic: exit %d: %s", rc, out);
    cJSON *first = cJSON_Parse(out); /* the first JSON line */
    assert_non_null(first);
    assert_string_equal(cJSON_GetObjectItem(first, "id")->valuestring, "f-login");
    assert_string_equal(cJSON_GetObjectItem(first, "name")->valuestring, "TimeoutError");
    assert_true(cJSON_GetObjectItem(first, "similarity")->valuedouble > 0.5);
    cJSON_Delete(first);
    size_t lines = 0;
    for (const char *p = out; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    if (lines != 3)
        fail_msg("expected 3 neighbours, got:\n%s", out);
    const char *args2[] = {"--graph", g, "semantic", "payments connection refused", NULL};
    assert_int_equal(it_run_tool("argus-cognee-query", args2, out, sizeof out), 0);
    assert_non_null(strstr(strchr(out, '\n') + 1, "f-pay")); /* the first row after the header */
    assert_true(strstr(out, "f-pay") < strchr(strchr(out, '\n') + 1, '\n'));

    /* --cypher prints a query that runs as it is, with the text's embedding. */
    const char *args3[] = {"--graph", g, "semantic", "payments connection refused", "--k", "1", "--cypher", NULL};
    assert_int_equal(it_run_tool("argus-cognee-query", args3, out, sizeof out), 0);
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    assert_int_equal(argus_graph_ro_query(&graph, g, out, NULL, &r, &res), 0);
    assert_int_equal(r.nrows, 1);
    assert_string_equal(argus_graph_cell(&r, 0, 0)->str, "f-pay");
    argus_graph_result_free(&r);

    /* Nothing embedded for a label: no results (1), said clearly. The layer off: usage (2). */
    const char *args4[] = {"--graph", g, "semantic", "format a user", "--label", "Function", NULL};
    assert_int_equal(it_run_tool("argus-cognee-query", args4, out, sizeof out), 1);
    assert_non_null(strstr(out, "no vector index on FunctionEmbedding.embedding"));
    set_cli_env(NULL);
    assert_int_equal(it_run_tool("argus-cognee-query", args2, out, sizeof out), 2);
    assert_non_null(strstr(out, "the semantic layer is off"));

    /* Another model with other vector lengths: refused with the way out, nothing written. */
    struct embeddings_stub *other = embeddings_stub_start(DIM / 2, NULL);
    assert_non_null(other);
    char other_url[128];
    embeddings_stub_url(other, other_url, sizeof other_url);
    struct cognee_embed_config c = {.url = other_url, .model = "other-model"};
    e = cognee_embedder_new(&c);
    assert_int_equal(cognee_embed_nodes(e, &graph, g, "Failure", id_list, text_list, 1, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_non_null(strstr(res.message, "has dimension 64"));
    assert_non_null(strstr(res.message, "DROP VECTOR INDEX FOR (v:FailureEmbedding) ON (v.embedding)"));
    assert_vector_of(g, "f-login", named[0][1]);
    cognee_embedder_free(e);
    embeddings_stub_stop(other);

    /* A failure removed from the graph: its embedding goes with the prune, and the lookup never
     * returns a node that is gone. */
    struct argus_result dres;
    assert_int_equal(argus_graph_query(&graph, g, "MATCH (f:Failure {id: 'f-login'}) DETACH DELETE f", NULL, NULL,
                                       &dres),
                     0);
    set_cli_env(url);
    assert_int_equal(it_run_tool("argus-cognee-query", args, out, sizeof out), 0);
    assert_null(strstr(out, "f-login"));
    assert_int_equal(cognee_embed_prune(&graph, g, "Failure", &dres), 0);
    assert_int_equal(graph_int(g, "MATCH (v:FailureEmbedding) RETURN count(v)", NULL), NFAIL - 1);
    assert_int_equal(argus_graph_delete(&graph, g, &dres), 0);
}

/* A request that fails mid-way keeps what earlier requests wrote; the retry sends only the rest. */
static void keeps_progress_across_a_failed_request(void **state)
{
    (void)state;
    char g[256];
    new_graph(g, sizeof g, "semp");
    write_failures(g);
    char broken[200];
    snprintf(broken, sizeof broken, "%s [[500]]", texts[66]);
    const char *with_error[NFAIL];
    memcpy(with_error, text_list, sizeof with_error);
    with_error[66] = broken;
    struct cognee_embedder *e = embedder(KEY, 0);
    struct argus_result res;
    assert_int_equal(cognee_embed_nodes(e, &graph, g, "Failure", id_list, with_error, NFAIL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_int_equal(graph_int(g, "MATCH (:FailureEmbedding)-[:EMBEDS]->(f:Failure) RETURN count(f)", NULL), 64);
    unsigned inputs = embeddings_stub_inputs(stub);
    assert_int_equal(cognee_embed_nodes(e, &graph, g, "Failure", id_list, text_list, NFAIL, &res), 0);
    assert_int_equal(embeddings_stub_inputs(stub) - inputs, NFAIL - 64);
    assert_int_equal(graph_int(g, "MATCH (:FailureEmbedding)-[:EMBEDS]->(f:Failure) RETURN count(f)", NULL), NFAIL);
    cognee_embedder_free(e);
    assert_int_equal(argus_graph_delete(&graph, g, &res), 0);
}

/* The fixture repository as the worker models it, without the file `skip` (NULL: all of it). */
static struct code_model *fixture_model(const char *skip)
{
    struct code_model *all = code_model_new("shop");
    struct code_tree_stats st;
    assert_int_equal(code_analyze_tree(all, "test/fixtures/repo", 1, &st), 0);
    assert_int_equal(code_model_resolve(all), 0);
    if (!skip)
        return all;
    struct code_model *m = code_model_new("shop");
    for (size_t i = 0; i < all->n_entities; i++) {
        const struct code_entity *f = &all->entities[i];
        if (f->kind != CODE_FILE || strcmp(f->path, skip) == 0)
            continue;
        char full[1024];
        snprintf(full, sizeof full, "test/fixtures/repo/%s", f->path);
        FILE *fp = fopen(full, "rb");
        assert_non_null(fp);
        char *buf = malloc(f->size + 1);
        assert_int_equal(fread(buf, 1, f->size, fp), f->size);
        fclose(fp);
        assert_int_equal(code_analyze_file(m, f->path, buf, f->size), 0);
        free(buf);
    }
    code_model_free(all);
    assert_int_equal(code_model_resolve(m), 0);
    return m;
}

static void write_code(const char *g, const struct code_model *m, const char *commit)
{
    struct code_write_info info = {.repo = "shop", .seen = commit};
    struct code_write_result wr;
    struct argus_result res;
    if (code_graph_write(&graph, g, m, &info, &wr, &res) != 0)
        fail_msg("code_graph_write: %s", res.message);
}

/* What the worker calls after an ingest: every function and test case embedded, nothing again for an
 * unchanged commit, and a newer commit's removed functions leave no embedding behind. */
static void code_model_embedded_and_pruned(void **state)
{
    (void)state;
    char g[256];
    new_graph(g, sizeof g, "semc");
    struct code_model *m = fixture_model(NULL);
    write_code(g, m, "c1");
    struct cognee_embedder *e = embedder(KEY, 0);
    struct argus_result res;
    if (cognee_embed_code_model(e, &graph, g, m, &res) != 0)
        fail_msg("embedding the code: %s", res.message);
    assert_int_equal(graph_int(g, "MATCH (:FunctionEmbedding)-[:EMBEDS]->(f:Function) RETURN count(f)", NULL), 28);
    assert_int_equal(graph_int(g, "MATCH (:TestCaseEmbedding)-[:EMBEDS]->(t:TestCase) RETURN count(t)", NULL), 13);
    assert_int_equal(cognee_embedder_stats(e)->texts, 28 + 13);

    /* the same commit again: no request */
    unsigned before = embeddings_stub_requests(stub);
    write_code(g, m, "c1");
    assert_int_equal(cognee_embed_code_model(e, &graph, g, m, &res), 0);
    assert_int_equal(embeddings_stub_requests(stub), before);
    code_model_free(m);

    /* the CLI finds a function by words of its name */
    set_cli_env(url);
    char out[8192];
    const char *args[] = {"--graph", g, "--json", "semantic", "format user", "--label", "Function", "--k", "1", NULL};
    assert_int_equal(it_run_tool("argus-cognee-query", args, out, sizeof out), 0);
    assert_non_null(strstr(out, "\"id\":\"shop:server/users.js#fn:formatUser\""));

    /* a newer commit without server/users.js: its three functions and their embeddings are gone */
    m = fixture_model("server/users.js");
    write_code(g, m, "c2");
    before = embeddings_stub_inputs(stub);
    assert_int_equal(cognee_embed_code_model(e, &graph, g, m, &res), 0);
    assert_int_equal(embeddings_stub_inputs(stub), before); /* nothing else changed */
    assert_int_equal(graph_int(g, "MATCH (v:FunctionEmbedding) RETURN count(v)", NULL), 25);
    assert_int_equal(graph_int(g, "MATCH (v:TestCaseEmbedding) RETURN count(v)", NULL), 13);
    assert_int_equal(it_run_tool("argus-cognee-query", args, out, sizeof out), 0);
    assert_null(strstr(out, "server/users.js"));
    code_model_free(m);
    cognee_embedder_free(e);
    assert_int_equal(argus_graph_delete(&graph, g, &res), 0);
}

struct failures_seen {
    void *owners[8];
    size_t n;
    char message[320];
    char graph[256];   /* the graph of the last report */
};

static void note_failure(void *arg, void *owner, const char *graph_name, const struct argus_result *res)
{
    struct failures_seen *f = arg;
    snprintf(f->graph, sizeof f->graph, "%s", graph_name);
    if (f->n < 8)
        f->owners[f->n++] = owner;
    snprintf(f->message, sizeof f->message, "%s", res->message);
}

/* A batch's texts for two graphs: one request per graph, and only the failing graph's messages are
 * reported, each once. */
static void queue_embeds_per_graph(void **state)
{
    (void)state;
    char g1[256], g2[256];
    new_graph(g1, sizeof g1, "semq");
    new_graph(g2, sizeof g2, "semq");
    write_failures(g1);
    write_failures(g2);
    struct cognee_embed_queue *q = cognee_embed_queue_new();
    int owners[4];
    char broken[200];
    snprintf(broken, sizeof broken, "%s [[500]]", texts[2]);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(cognee_embed_queue_add(q, g1, "Failure", ids[i], texts[i], &owners[i % 3]), 0);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(cognee_embed_queue_add(q, g2, "Failure", ids[i], i == 2 ? broken : texts[i], &owners[3]), 0);
    assert_int_equal(cognee_embed_queue_add(q, g1, "Failure", "f-x", "", &owners[0]), 0); /* nothing to embed */
    assert_int_equal(cognee_embed_queue_pending(q), 15);

    struct cognee_embedder *e = embedder(KEY, 0);
    struct failures_seen seen = {{0}, 0, "", ""};
    unsigned before = embeddings_stub_requests(stub);
    assert_int_equal(cognee_embed_queue_flush(q, e, &graph, note_failure, &seen), 1);
    assert_int_equal(embeddings_stub_requests(stub) - before, 1); /* g1's ten texts in one request */
    assert_int_equal(seen.n, 1);
    assert_ptr_equal(seen.owners[0], &owners[3]);
    assert_string_equal(seen.graph, g2);
    assert_non_null(strstr(seen.message, "500"));
    assert_int_equal(cognee_embed_queue_pending(q), 0);
    assert_int_equal(graph_int(g1, "MATCH (:FailureEmbedding)-[:EMBEDS]->(f:Failure) RETURN count(f)", NULL), 10);
    assert_int_equal(graph_int(g2, "MATCH (v:FailureEmbedding) RETURN count(v)", NULL), 0);
    cognee_embed_queue_free(q);
    cognee_embedder_free(e);
    struct argus_result res;
    assert_int_equal(argus_graph_delete(&graph, g1, &res), 0);
    assert_int_equal(argus_graph_delete(&graph, g2, &res), 0);
}

static void expect(struct cognee_embedder *e, const char *text, enum argus_outcome outcome, const char *cls,
                   const char *fragment)
{
    struct cognee_vectors v;
    struct argus_result res;
    const char *one[] = {text};
    int rc = cognee_embed_texts(e, one, 1, &v, &res);
    if (outcome == ARGUS_OK) {
        if (rc != 0)
            fail_msg("%s: %s", text, res.message);
        assert_int_equal(v.n, 1);
        cognee_vectors_free(&v);
        return;
    }
    assert_int_equal(rc, -1);
    assert_null(v.data);
    if (res.outcome != outcome || strcmp(res.error_class, cls) != 0 || !strstr(res.message, fragment))
        fail_msg("%s: got %s/%s \"%s\", expected %s/%s with \"%s\"", text, argus_outcome_name(res.outcome),
                 res.error_class, res.message, argus_outcome_name(outcome), cls, fragment);
    assert_null(strstr(res.message, KEY));
}

static void errors_classify(void **state)
{
    (void)state;
    struct cognee_embedder *e = embedder(KEY, 0);
    expect(e, "fine", ARGUS_OK, NULL, NULL);
    expect(e, "slow down [[429]]", ARGUS_RETRY, ARGUS_ERR_RATE_LIMITED, "429");
    struct cognee_vectors v;
    struct argus_result res;
    const char *one[] = {"again [[429]]"};
    assert_int_equal(cognee_embed_texts(e, one, 1, &v, &res), -1);
    assert_int_equal(res.retry_after_ms, 3000); /* Retry-After: 3 */
    expect(e, "boom [[500]]", ARGUS_RETRY, ARGUS_ERR_HTTP, "500");
    expect(e, "junk [[garbage]]", ARGUS_REJECT, ARGUS_ERR_HTTP, "malformed answer: the answer is not a JSON object");
    expect(e, "fewer [[short]]", ARGUS_REJECT, ARGUS_ERR_HTTP, "0 embeddings for 1 inputs");
    expect(e, "longer [[dim]]", ARGUS_REJECT, ARGUS_ERR_HTTP, "65 numbers, expected 64");
    cognee_embedder_free(e);

    e = embedder("sk-wrong", 0);
    expect(e, "fine", ARGUS_REJECT, ARGUS_ERR_HTTP, "401");
    cognee_embedder_free(e);

    /* Nobody listening: a connection failure, retried. */
    struct cognee_embed_config c = {.url = "http://127.0.0.1:1/v1/embeddings", .model = MODEL};
    e = cognee_embedder_new(&c);
    expect(e, "fine", ARGUS_RETRY, ARGUS_ERR_CONNECTION, "embeddings");
    cognee_embedder_free(e);
}

/* Steps until one fails (returned) or the backfill is idle (0). */
static int step_until_failure(struct cognee_backfill *b, struct cognee_embedder *e, int64_t now, struct argus_result *res)
{
    for (int i = 0; i < 100 && !cognee_backfill_idle(b); i++)
        if (cognee_backfill_step(b, e, &graph, now, 32, res) < 0)
            return -1;
    return 0;
}

/* The backfill of one graph's failures: a refusal (a wrong key) ends its pass; an outage puts the step
 * off (no request before the backoff); once the API answers, slices of 32 give every failure the vector
 * of the text rebuilt from its node; a pass with nothing missing makes no request; a graph that no
 * longer exists, or a key that is no graph, is passed over. */
static void backfill_walks_a_graph(void **state)
{
    (void)state;
    char g[256];
    new_graph(g, sizeof g, "bf");
    write_failures(g);
    struct argus_result res;
    struct cognee_backfill *b = cognee_backfill_new(0);
    assert_non_null(b);
    assert_true(cognee_backfill_idle(b));
    cognee_backfill_request(b, g);
    assert_false(cognee_backfill_idle(b));

    struct cognee_embedder *bad = embedder("sk-wrong", 0);
    assert_int_equal(step_until_failure(b, bad, 0, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_true(cognee_backfill_idle(b));
    cognee_embedder_free(bad);

    struct cognee_embedder *e = embedder(KEY, 0);
    cognee_backfill_request(b, g);
    embeddings_stub_set_unavailable(stub, 1);
    unsigned refused = embeddings_stub_refused(stub);
    assert_int_equal(step_until_failure(b, e, 10000, &res), -1);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_int_equal(embeddings_stub_refused(stub) - refused, 1);
    assert_int_equal(cognee_backfill_step(b, e, &graph, 10500, 32, &res), 0); /* within its 1 s backoff */
    assert_int_equal(embeddings_stub_refused(stub) - refused, 1);
    assert_false(cognee_backfill_idle(b));
    embeddings_stub_set_unavailable(stub, 0);

    unsigned before = embeddings_stub_requests(stub);
    int total = 0;
    for (int i = 0; i < 100 && !cognee_backfill_idle(b); i++) {
        int n = cognee_backfill_step(b, e, &graph, 11000, 32, &res);
        if (n < 0)
            fail_msg("backfill step: %s", res.message);
        total += n;
    }
    assert_int_equal(total, NFAIL);
    assert_int_equal(cognee_backfill_stats(b)->nodes, NFAIL);
    assert_int_equal(cognee_backfill_stats(b)->failures, 2);
    assert_int_equal(embeddings_stub_requests(stub) - before, 3); /* 32 + 32 + 6 */
    assert_int_equal(graph_int(g, "MATCH (:FailureEmbedding)-[:EMBEDS]->(f:Failure) RETURN count(f)", NULL), NFAIL);
    assert_vector_of(g, "f-login", named[0][1]);
    assert_vector_of(g, "f-69", texts[69]);

    cognee_backfill_request(b, g);
    assert_int_equal(step_until_failure(b, e, 11000, &res), 0);
    assert_int_equal(embeddings_stub_requests(stub) - before, 3);

    /* a graph that is gone, or a key of that name that is no graph (the query is refused): passed
     * over, not retried for ever */
    char gone[256], other[256];
    new_graph(gone, sizeof gone, "bf-gone");
    new_graph(other, sizeof other, "bf-other");
    redisReply *set = argus_redis_commandf(&graph.redis, 0, &res, "SET %s %s", other, "not a graph");
    assert_non_null(set);
    freeReplyObject(set);
    cognee_backfill_request(b, gone);
    assert_int_equal(step_until_failure(b, e, 12000, &res), 0);
    assert_true(cognee_backfill_idle(b));
    cognee_backfill_request(b, other);
    assert_int_equal(step_until_failure(b, e, 12000, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_true(cognee_backfill_idle(b));
    set = argus_redis_commandf(&graph.redis, 0, &res, "DEL %s", other);
    freeReplyObject(set);
    cognee_backfill_free(b);
    cognee_embedder_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(embeds_and_finds_nearest),
        cmocka_unit_test(keeps_progress_across_a_failed_request),
        cmocka_unit_test(queue_embeds_per_graph),
        cmocka_unit_test(code_model_embedded_and_pruned),
        cmocka_unit_test(errors_classify),
        cmocka_unit_test(backfill_walks_a_graph),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
