/* Integration tests for the FalkorDB client against a real server (FALKORDB_HOST/PORT/PASSWORD):
 * every nasty string stored through a parameter reads back byte for byte, injection attempts create
 * nothing, 1000 pipelined MERGEs, typed result cells and statistics, idempotent indexes, error
 * classification without parameter values in messages, and reconnects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/stores/graph.h"
#include "it_env.h"

static struct argus_config cfg;
static struct argus_graph g;
static char graph[96];

static int setup(void **state)
{
    (void)state;
    it_unique_name(graph, sizeof graph, "argus_test_graph");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    struct argus_result res;
    argus_graph_delete(&g, graph, &res);
    return 0;
}

/* Runs a query that must succeed; returns the result for inspection. */
static void must_query(const char *cypher, cJSON *params, struct argus_graph_result *out)
{
    struct argus_result res;
    int rc = argus_graph_query(&g, graph, cypher, params, out, &res);
    if (rc != 0)
        fail_msg("query failed: %s: %s", cypher, res.message);
}

static long long count_nodes(const char *cypher)
{
    struct argus_graph_result r;
    struct argus_result res;
    assert_int_equal(argus_graph_ro_query(&g, graph, cypher, NULL, &r, &res), 0);
    assert_int_equal(r.nrows, 1);
    long long n = argus_graph_cell(&r, 0, 0)->integer;
    argus_graph_result_free(&r);
    return n;
}

/* Strings a parameter must carry unchanged. */
static char *nasty_strings[64];
static size_t n_nasty;

static void add_nasty(const char *s)
{
    nasty_strings[n_nasty++] = strdup(s);
}

static void build_nasty_strings(void)
{
    if (n_nasty)
        return;
    add_nasty("");
    add_nasty("plain");
    add_nasty("\"}) MATCH (n) DETACH DELETE n //");
    add_nasty("' OR 1=1 --");
    add_nasty("'; MATCH (n) DETACH DELETE n; //");
    add_nasty("\\\"}) RETURN 1 //");
    add_nasty("x\" RETURN $v //");
    add_nasty("back\\slash \\\\ double \\n not-a-newline \\u0041 \\x41 \\");
    add_nasty("\\");
    add_nasty("\"");
    add_nasty("'");
    add_nasty("`");
    add_nasty("``");
    add_nasty("it's \"quoted\" and 'single'");
    add_nasty("line1\nline2\r\nline3\rtab\there\bback\fform");
    add_nasty("CYPHER v=1 RETURN 2");
    add_nasty("$v } ] ) // /* */ -- ;");
    add_nasty("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
    add_nasty("e\xcc\x81 combining, \xef\xbb\xbf BOM, \xe2\x80\xa8 LS, \xe2\x80\x8d ZWJ, \xf4\x8f\xbf\xbf max");
    /* every control byte, one string each, and all of them together */
    static char all_controls[40];
    size_t k = 0;
    for (int c = 1; c < 0x20; c++) {
        char one[4] = {'a', (char)c, 'b', 0};
        add_nasty(one);
        all_controls[k++] = (char)c;
    }
    all_controls[k++] = 0x7f;
    all_controls[k] = '\0';
    add_nasty(all_controls);
}

static void check_round_trip(const char *s)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "v", s);
    cJSON_AddStringToObject(p, "k", "rt");
    struct argus_graph_result r;
    must_query("MATCH (n:RT) DELETE n", NULL, NULL);
    must_query("CREATE (n:RT {k: $k, v: $v}) RETURN n.v, n", p, &r);
    cJSON_Delete(p);
    const struct argus_graph_value *v = argus_graph_cell(&r, 0, 0);
    assert_non_null(v);
    assert_int_equal(v->type, ARGUS_GRAPH_STRING);
    if (v->len != strlen(s) || memcmp(v->str, s, v->len) != 0)
        fail_msg("string changed on the way: sent %zu bytes, got %zu", strlen(s), v->len);
    /* the same value read as a node property */
    const struct argus_graph_value *prop = argus_graph_prop(argus_graph_cell(&r, 0, 1), "v");
    assert_non_null(prop);
    assert_int_equal(prop->len, strlen(s));
    assert_memory_equal(prop->str, s, prop->len);
    argus_graph_result_free(&r);
}

static void nasty_strings_round_trip(void **state)
{
    (void)state;
    build_nasty_strings();
    for (size_t i = 0; i < n_nasty; i++)
        check_round_trip(nasty_strings[i]);
    /* a long one: 100 KiB of everything above repeated */
    struct argus_buf big = ARGUS_BUF_INIT;
    while (big.len < 100 * 1024)
        for (size_t i = 0; i < n_nasty; i++)
            argus_buf_puts(&big, nasty_strings[i]);
    check_round_trip(argus_buf_str(&big));
    argus_buf_free(&big);
}

/* The same strings inside nested lists and maps, stored with UNWIND. */
static void nested_parameters_round_trip(void **state)
{
    (void)state;
    build_nasty_strings();
    cJSON *p = cJSON_CreateObject();
    cJSON *rows = cJSON_AddArrayToObject(p, "rows");
    for (size_t i = 0; i < n_nasty; i++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "i", (double)i);
        cJSON_AddStringToObject(row, "we ird-key", nasty_strings[i]);
        cJSON *tags = cJSON_AddArrayToObject(row, "tags");
        cJSON_AddItemToArray(tags, cJSON_CreateString(nasty_strings[i]));
        cJSON_AddItemToArray(tags, cJSON_CreateString("second"));
        cJSON_AddItemToArray(rows, row);
    }
    must_query("UNWIND $rows AS r CREATE (:NR {i: r.i, v: r.`we ird-key`, t: r.tags[0], n: size(r.tags)})",
               p, NULL);
    cJSON_Delete(p);

    struct argus_graph_result r;
    must_query("MATCH (n:NR) RETURN n.i, n.v, n.t, n.n ORDER BY n.i", NULL, &r);
    assert_int_equal(r.nrows, n_nasty);
    for (size_t i = 0; i < n_nasty; i++) {
        assert_int_equal(argus_graph_cell(&r, i, 0)->integer, (long long)i);
        for (size_t c = 1; c <= 2; c++) {
            const struct argus_graph_value *v = argus_graph_cell(&r, i, c);
            assert_int_equal(v->len, strlen(nasty_strings[i]));
            assert_memory_equal(v->str, nasty_strings[i], v->len);
        }
        assert_int_equal(argus_graph_cell(&r, i, 3)->integer, 2);
    }
    argus_graph_result_free(&r);
}

static void injection_attempts_create_nothing(void **state)
{
    (void)state;
    must_query("MATCH (n) DETACH DELETE n", NULL, NULL);
    must_query("CREATE (:Keep {id: 1}), (:Keep {id: 2})", NULL, NULL);
    const char *attacks[] = {
        "\"}) MATCH (n) DETACH DELETE n //",
        "' OR 1=1 --",
        "x\"}) CREATE (:Evil) //",
        "x'}) CREATE (:Evil) //",
        "\\\"}) CREATE (:Evil) //",
        "\"} ) CREATE (:Evil {a: \"",
        "\n}) CREATE (:Evil) //",
    };
    size_t n = sizeof attacks / sizeof attacks[0];
    for (size_t i = 0; i < n; i++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "name", attacks[i]);
        struct argus_graph_result r;
        must_query("CREATE (v:Victim {name: $name}) RETURN v.name", p, &r);
        assert_int_equal(r.stats.nodes_created, 1);
        assert_string_equal(argus_graph_cell(&r, 0, 0)->str, attacks[i]);
        argus_graph_result_free(&r);
        /* in a MATCH too: it matches the literal text and nothing else */
        must_query("MATCH (v:Victim {name: $name}) SET v.seen = true", p, &r);
        assert_int_equal(r.stats.properties_set, 1);
        argus_graph_result_free(&r);
        cJSON_Delete(p);
    }
    assert_int_equal(count_nodes("MATCH (n) RETURN count(n)"), (long long)(2 + n));
    assert_int_equal(count_nodes("MATCH (n:Keep) RETURN count(n)"), 2);
    assert_int_equal(count_nodes("MATCH (n:Evil) RETURN count(n)"), 0);
}

static void add_merges(struct argus_graph_batch *b, int n)
{
    struct argus_result res;
    for (int i = 0; i < n; i++) {
        cJSON *p = cJSON_CreateObject();
        char id[32];
        snprintf(id, sizeof id, "item-%04d", i);
        cJSON_AddStringToObject(p, "id", id);
        cJSON_AddNumberToObject(p, "n", i);
        assert_int_equal(argus_graph_batch_add(b, graph, "MERGE (x:Item {id: $id}) SET x.n = $n", p, 0, &res), 0);
        cJSON_Delete(p);
    }
}

static void pipelined_batch_of_1000_merges(void **state)
{
    (void)state;
    struct argus_result res;
    struct argus_graph_batch b;
    argus_graph_batch_init(&b);
    argus_graph_create_index(&g, graph, "Item", "id", &res);
    assert_int_equal(res.outcome, ARGUS_OK);

    add_merges(&b, 1000);
    assert_int_equal(argus_graph_batch_count(&b), 1000);
    unsigned long connects = g.redis.connects;
    if (argus_graph_batch_exec(&g, &b, ARGUS_GRAPH_IDEMPOTENT, &res) != 0)
        fail_msg("batch: %s", res.message);
    long long created = 0;
    for (size_t i = 0; i < 1000; i++) {
        struct argus_graph_result r;
        assert_int_equal(argus_graph_batch_result(&b, i, &r, &res), 0);
        created += r.stats.nodes_created;
        argus_graph_result_free(&r);
    }
    assert_int_equal(created, 1000);
    assert_int_equal(count_nodes("MATCH (x:Item) RETURN count(x)"), 1000);

    /* the same batch again: MERGE is idempotent, nothing new */
    argus_graph_batch_reset(&b);
    add_merges(&b, 1000);
    assert_int_equal(argus_graph_batch_exec(&g, &b, ARGUS_GRAPH_IDEMPOTENT, &res), 0);
    created = 0;
    for (size_t i = 0; i < 1000; i++) {
        struct argus_graph_result r;
        assert_int_equal(argus_graph_batch_result(&b, i, &r, &res), 0);
        created += r.stats.nodes_created;
        argus_graph_result_free(&r);
    }
    assert_int_equal(created, 0);
    assert_int_equal(count_nodes("MATCH (x:Item) RETURN count(x)"), 1000);
    assert_int_equal(g.redis.connects, connects);   /* one connection throughout */
    argus_graph_batch_free(&b);
}

static void batch_with_a_failing_query(void **state)
{
    (void)state;
    struct argus_result res;
    struct argus_graph_batch b;
    argus_graph_batch_init(&b);
    assert_int_equal(argus_graph_batch_add(&b, graph, "CREATE (:B {i: 1})", NULL, 0, &res), 0);
    assert_int_equal(argus_graph_batch_add(&b, graph, "CREATE (:B {i: 1/0})", NULL, 0, &res), 0);
    assert_int_equal(argus_graph_batch_add(&b, graph, "MATCH (b:B) RETURN count(b)", NULL,
                                           ARGUS_GRAPH_READONLY, &res), 0);
    /* a parameter that cannot be encoded is refused when added, and not sent */
    cJSON *bad = cJSON_CreateObject();
    cJSON_AddItemToObject(bad, "x", cJSON_CreateString("\xff"));
    assert_int_equal(argus_graph_batch_add(&b, graph, "RETURN $x", bad, 0, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    cJSON_Delete(bad);
    assert_int_equal(argus_graph_batch_count(&b), 3);

    assert_int_equal(argus_graph_batch_exec(&g, &b, 0, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_non_null(strstr(res.message, "2 of 3"));
    assert_non_null(strstr(res.message, "Division by zero"));
    struct argus_graph_result r;
    assert_int_equal(argus_graph_batch_result(&b, 0, &r, &res), 0);
    assert_int_equal(r.stats.nodes_created, 1);
    argus_graph_result_free(&r);
    assert_int_equal(argus_graph_batch_result(&b, 1, &r, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_int_equal(argus_graph_batch_result(&b, 2, &r, &res), 0);
    assert_int_equal(argus_graph_cell(&r, 0, 0)->integer, 1);
    argus_graph_result_free(&r);
    argus_graph_batch_free(&b);
}

static void typed_cells_and_statistics(void **state)
{
    (void)state;
    struct argus_graph_result r;
    must_query("CREATE (a:P:Extra {name: 'x', n: 1, f: 1.5, b: true})-[e:R {w: 2.5}]->(b:Q) "
               "RETURN a, e, 'str' AS s, 7 AS i, -2.25 AS d, true AS t, false AS f, null AS z, "
               "[1, 'a'] AS l, b",
               NULL, &r);
    assert_int_equal(r.stats.nodes_created, 2);
    assert_int_equal(r.stats.relationships_created, 1);
    assert_int_equal(r.stats.properties_set, 5);
    assert_int_equal(r.stats.labels_added, 3);
    assert_true(r.stats.exec_ms > 0);
    assert_int_equal(r.ncols, 10);
    assert_int_equal(r.nrows, 1);
    assert_string_equal(r.columns[2], "s");
    assert_int_equal(argus_graph_column(&r, "z"), 7);
    assert_int_equal(argus_graph_column(&r, "nope"), -1);

    const struct argus_graph_value *a = argus_graph_cell(&r, 0, 0);
    assert_int_equal(a->type, ARGUS_GRAPH_NODE);
    assert_int_equal(a->nlabels, 2);
    assert_string_equal(a->labels[0], "P");
    assert_string_equal(a->labels[1], "Extra");
    assert_string_equal(argus_graph_prop(a, "name")->str, "x");
    assert_int_equal(argus_graph_prop(a, "n")->type, ARGUS_GRAPH_INTEGER);
    assert_int_equal(argus_graph_prop(a, "n")->integer, 1);
    double d;
    bool bv;
    assert_int_equal(argus_graph_value_double(argus_graph_prop(a, "f"), &d), 0);
    assert_true(d == 1.5);
    assert_int_equal(argus_graph_value_bool(argus_graph_prop(a, "b"), &bv), 0);
    assert_true(bv);
    assert_null(argus_graph_prop(a, "missing"));

    const struct argus_graph_value *e = argus_graph_cell(&r, 0, 1);
    const struct argus_graph_value *b = argus_graph_cell(&r, 0, 9);
    assert_int_equal(e->type, ARGUS_GRAPH_EDGE);
    assert_string_equal(e->str, "R");
    assert_int_equal(e->src, a->integer);
    assert_int_equal(e->dst, b->integer);
    assert_int_equal(argus_graph_value_double(argus_graph_prop(e, "w"), &d), 0);
    assert_true(d == 2.5);

    assert_int_equal(argus_graph_cell(&r, 0, 2)->type, ARGUS_GRAPH_STRING);
    assert_string_equal(argus_graph_cell(&r, 0, 2)->str, "str");
    assert_int_equal(argus_graph_cell(&r, 0, 3)->type, ARGUS_GRAPH_INTEGER);
    assert_int_equal(argus_graph_cell(&r, 0, 3)->integer, 7);
    assert_int_equal(argus_graph_value_double(argus_graph_cell(&r, 0, 4), &d), 0);
    assert_true(d == -2.25);
    assert_int_equal(argus_graph_value_bool(argus_graph_cell(&r, 0, 5), &bv), 0);
    assert_true(bv);
    assert_int_equal(argus_graph_value_bool(argus_graph_cell(&r, 0, 6), &bv), 0);
    assert_false(bv);
    assert_int_equal(argus_graph_cell(&r, 0, 7)->type, ARGUS_GRAPH_NULL);
    assert_int_equal(argus_graph_cell(&r, 0, 8)->type, ARGUS_GRAPH_STRING);   /* list text */
    assert_int_equal(argus_graph_value_bool(argus_graph_cell(&r, 0, 2), &bv), -1);
    argus_graph_result_free(&r);

    /* a write without RETURN: statistics only */
    must_query("MATCH (a:P) SET a.n = 2, a.m = 3", NULL, &r);
    assert_int_equal(r.ncols, 0);
    assert_int_equal(r.nrows, 0);
    assert_int_equal(r.stats.properties_set, 2);
    argus_graph_result_free(&r);
    must_query("MATCH (a:P) DETACH DELETE a", NULL, &r);
    assert_int_equal(r.stats.nodes_deleted, 1);
    assert_int_equal(r.stats.relationships_deleted, 1);
    argus_graph_result_free(&r);
}

static void doubles_reach_the_server_exactly(void **state)
{
    (void)state;
    cJSON *p = cJSON_Parse("{\"a\":1.0000000000000002,\"b\":0.1,\"c\":1e300,\"i\":3.0,\"big\":9007199254740993}");
    struct argus_graph_result r;
    must_query("RETURN $a = 1.0000000000000002, $a = 1.0, $b = 0.1, $c = 1e300, typeOf($i), typeOf($a), $big",
               p, &r);
    bool v;
    assert_int_equal(argus_graph_value_bool(argus_graph_cell(&r, 0, 0), &v), 0);
    assert_true(v);
    assert_int_equal(argus_graph_value_bool(argus_graph_cell(&r, 0, 1), &v), 0);
    assert_false(v);
    assert_int_equal(argus_graph_value_bool(argus_graph_cell(&r, 0, 2), &v), 0);
    assert_true(v);
    assert_int_equal(argus_graph_value_bool(argus_graph_cell(&r, 0, 3), &v), 0);
    assert_true(v);
    assert_string_equal(argus_graph_cell(&r, 0, 4)->str, "Integer");
    assert_string_equal(argus_graph_cell(&r, 0, 5)->str, "Float");
    assert_int_equal(argus_graph_cell(&r, 0, 6)->integer, 9007199254740992LL);
    argus_graph_result_free(&r);
    cJSON_Delete(p);
}

/* A tenant whose graph does not exist yet reads as empty, not as an error. */
static void reading_a_missing_graph_is_empty(void **state)
{
    (void)state;
    struct argus_graph_result r;
    struct argus_result res;
    assert_int_equal(argus_graph_ro_query(&g, graph, "MATCH (n) RETURN n", NULL, &r, &res), 0);
    assert_int_equal(r.nrows, 0);
    argus_graph_result_free(&r);
    /* the same in a batch */
    struct argus_graph_batch b;
    argus_graph_batch_init(&b);
    assert_int_equal(argus_graph_batch_add(&b, graph, "MATCH (n) RETURN count(n)", NULL, ARGUS_GRAPH_READONLY, &res), 0);
    assert_int_equal(argus_graph_batch_add(&b, graph, "MATCH (n) RETURN n", NULL, ARGUS_GRAPH_READONLY, &res), 0);
    assert_int_equal(argus_graph_batch_exec(&g, &b, 0, &res), 0);
    assert_int_equal(argus_graph_batch_result(&b, 1, &r, &res), 0);
    assert_int_equal(r.nrows, 0);
    argus_graph_result_free(&r);
    argus_graph_batch_free(&b);
}

static void index_creation_is_idempotent(void **state)
{
    (void)state;
    struct argus_result res;
    assert_int_equal(argus_graph_create_index(&g, graph, "TestCase", "id", &res), 0);
    assert_int_equal(argus_graph_create_index(&g, graph, "TestCase", "id", &res), 0);
    assert_int_equal(res.outcome, ARGUS_OK);
    assert_int_equal(argus_graph_create_index(&g, graph, "Odd Label", "odd prop", &res), 0);
    assert_int_equal(argus_graph_create_index(&g, graph, "Odd Label", "odd prop", &res), 0);
    assert_int_equal(argus_graph_create_index(&g, graph, "Bad`Label", "id", &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    struct argus_graph_result r;
    assert_int_equal(argus_graph_ro_query(&g, graph, "CALL db.indexes() YIELD label RETURN count(label)",
                                          NULL, &r, &res), 0);
    assert_int_equal(argus_graph_cell(&r, 0, 0)->integer, 2);
    argus_graph_result_free(&r);
}

static void errors_are_classified_without_values(void **state)
{
    (void)state;
    struct argus_result res;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "secret", "topsecret-value");
    /* syntax error: the server echoes query text in errCtx, which stays out of the message */
    assert_int_equal(argus_graph_query(&g, graph, "RETRN $secret", p, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_string_equal(res.error_class, ARGUS_ERR_GRAPH);
    assert_non_null(strstr(res.message, "Invalid input"));
    assert_null(strstr(res.message, "topsecret"));
    assert_null(strstr(res.message, "errCtx"));
    assert_non_null(strstr(g.redis.server_error, "errCtx"));   /* the full text stays available */
    cJSON_Delete(p);

    assert_int_equal(argus_graph_ro_query(&g, graph, "CREATE (:X)", NULL, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_int_equal(argus_graph_query(&g, graph, "", NULL, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    cJSON *nan = cJSON_CreateObject();
    cJSON_AddNumberToObject(nan, "x", 0.0 / 0.0);
    assert_int_equal(argus_graph_query(&g, graph, "RETURN $x", nan, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_non_null(strstr(res.message, "$x"));
    cJSON_Delete(nan);
    /* the connection is still fine after all that */
    assert_int_equal(argus_graph_query(&g, graph, "RETURN 1", NULL, NULL, &res), 0);
}

static void unreachable_server_is_a_retry(void **state)
{
    (void)state;
    struct argus_graph dead;
    struct argus_result res;
    char err[256];
    /* port 1 on loopback: nothing listens, connection refused */
    assert_int_equal(argus_graph_init(&dead, "127.0.0.1", 1, "pw-not-in-messages", 500), 0);
    assert_int_equal(argus_graph_query(&dead, graph, "RETURN 1", NULL, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    assert_null(strstr(res.message, "pw-not-in-messages"));
    assert_int_equal(argus_graph_ping(&dead, err, sizeof err), -1);
    assert_non_null(strstr(err, "127.0.0.1:1"));
    argus_graph_close(&dead);

    assert_int_equal(argus_graph_init(&dead, cfg.falkordb_host, cfg.falkordb_port, "wrong-password", 2000), 0);
    assert_int_equal(argus_graph_ping(&dead, err, sizeof err), -1);
    assert_non_null(strstr(err, "authentication failed"));
    assert_null(strstr(err, "wrong-password"));
    argus_graph_close(&dead);
    assert_int_equal(argus_graph_ping(&g, err, sizeof err), 0);
}

/* Kills this client's connection from a second one, as a server restart or idle timeout would. */
static void kill_connection_of(struct argus_graph *victim)
{
    struct argus_result res;
    redisReply *id = argus_redis_commandf(&victim->redis, 0, &res, "CLIENT ID");
    assert_non_null(id);
    struct argus_graph killer;
    assert_int_equal(argus_graph_init_config(&killer, &cfg), 0);
    redisReply *k = argus_redis_commandf(&killer.redis, 0, &res, "CLIENT KILL ID %lld", id->integer);
    assert_non_null(k);
    assert_int_equal(k->integer, 1);
    freeReplyObject(k);
    freeReplyObject(id);
    argus_graph_close(&killer);
}

static void reconnects_after_the_connection_dies(void **state)
{
    (void)state;
    struct argus_result res;
    assert_int_equal(argus_graph_query(&g, graph, "RETURN 1", NULL, NULL, &res), 0);
    unsigned long before = g.redis.connects;

    /* a dead idle connection is noticed before sending: even a plain write goes through */
    kill_connection_of(&g);
    if (argus_graph_query(&g, graph, "CREATE (:AfterKill)", NULL, NULL, &res) != 0)
        fail_msg("write after kill: %s", res.message);
    assert_int_equal(g.redis.connects, before + 1);
    assert_int_equal(count_nodes("MATCH (n:AfterKill) RETURN count(n)"), 1);
}

int main(void)
{
    it_config_load(&cfg);
    if (argus_graph_init_config(&g, &cfg) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(nasty_strings_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_parameters_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(injection_attempts_create_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(pipelined_batch_of_1000_merges, setup, teardown),
        cmocka_unit_test_setup_teardown(batch_with_a_failing_query, setup, teardown),
        cmocka_unit_test_setup_teardown(typed_cells_and_statistics, setup, teardown),
        cmocka_unit_test_setup_teardown(doubles_reach_the_server_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(reading_a_missing_graph_is_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(index_creation_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_are_classified_without_values, setup, teardown),
        cmocka_unit_test_setup_teardown(unreachable_server_is_a_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(reconnects_after_the_connection_dies, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    argus_graph_close(&g);
    for (size_t i = 0; i < n_nasty; i++)
        free(nasty_strings[i]);
    argus_config_free(&cfg);
    return failed;
}
