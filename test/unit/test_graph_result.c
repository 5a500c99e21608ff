/* Unit tests for reading GRAPH.QUERY replies: recorded RESP bytes from FalkorDB 4.x (non-compact
 * mode) are fed through hiredis' own reader, then parsed into columns, typed cells, nodes, edges and
 * statistics; malformed shapes and error elements are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "argus/stores/graph.h"

/* Recorded from GRAPH.QUERY cap "MATCH (a:P) CREATE (a)-[e:R {w: 2.5}]->(b:Q {ok: true})
 * RETURN a, e, \"it's\" AS s, 7 AS i, null AS z, [1] AS l, b" */
static const char typed_reply[] =
    "*3\r\n*7\r\n$1\r\na\r\n$1\r\ne\r\n$1\r\ns\r\n$1\r\ni\r\n$1\r\nz\r\n$1\r\nl\r\n$1\r\nb\r\n*1\r\n"
    "*7\r\n*3\r\n*2\r\n$2\r\nid\r\n:0\r\n*2\r\n$6\r\nlabels\r\n*1\r\n$1\r\nP\r\n*2\r\n$10\r\n"
    "properties\r\n*1\r\n*2\r\n$4\r\nname\r\n$1\r\nx\r\n*5\r\n*2\r\n$2\r\nid\r\n:0\r\n*2\r\n$4\r\n"
    "type\r\n$1\r\nR\r\n*2\r\n$8\r\nsrc_node\r\n:0\r\n*2\r\n$9\r\ndest_node\r\n:1\r\n*2\r\n$10\r\n"
    "properties\r\n*1\r\n*2\r\n$1\r\nw\r\n$3\r\n2.5\r\n$4\r\nit's\r\n:7\r\n$-1\r\n$3\r\n[1]\r\n"
    "*3\r\n*2\r\n$2\r\nid\r\n:1\r\n*2\r\n$6\r\nlabels\r\n*1\r\n$1\r\nQ\r\n*2\r\n$10\r\n"
    "properties\r\n*1\r\n*2\r\n$2\r\nok\r\n$4\r\ntrue\r\n*6\r\n$15\r\nLabels added: 1\r\n$16\r\n"
    "Nodes created: 1\r\n$17\r\nProperties set: 2\r\n$24\r\nRelationships created: 1\r\n$19\r\n"
    "Cached execution: 0\r\n$52\r\nQuery internal execution time: 0.339020 milliseconds\r\n";

static redisReply *read_resp(const char *bytes, size_t len)
{
    redisReader *reader = redisReaderCreate();
    assert_non_null(reader);
    assert_int_equal(redisReaderFeed(reader, bytes, len), REDIS_OK);
    void *reply = NULL;
    assert_int_equal(redisReaderGetReply(reader, &reply), REDIS_OK);
    assert_non_null(reply);
    redisReaderFree(reader);
    return reply;
}

#define READ(lit) read_resp(lit, sizeof(lit) - 1)

static void typed_cells(void **state)
{
    (void)state;
    struct argus_graph_result r;
    struct argus_result res;
    assert_int_equal(argus_graph_result_parse(READ(typed_reply), &r, &res), 0);
    assert_int_equal(res.outcome, ARGUS_OK);
    assert_int_equal(r.ncols, 7);
    assert_int_equal(r.nrows, 1);
    assert_string_equal(r.columns[0], "a");
    assert_string_equal(r.columns[6], "b");

    const struct argus_graph_value *a = argus_graph_cell(&r, 0, 0);
    assert_int_equal(a->type, ARGUS_GRAPH_NODE);
    assert_int_equal(a->integer, 0);
    assert_int_equal(a->nlabels, 1);
    assert_string_equal(a->labels[0], "P");
    assert_int_equal(a->nprops, 1);
    assert_string_equal(argus_graph_prop(a, "name")->str, "x");

    const struct argus_graph_value *e = argus_graph_cell(&r, 0, 1);
    assert_int_equal(e->type, ARGUS_GRAPH_EDGE);
    assert_string_equal(e->str, "R");
    assert_int_equal(e->src, 0);
    assert_int_equal(e->dst, 1);
    double w;
    assert_int_equal(argus_graph_value_double(argus_graph_prop(e, "w"), &w), 0);
    assert_true(w == 2.5);

    assert_int_equal(argus_graph_cell(&r, 0, 2)->type, ARGUS_GRAPH_STRING);
    assert_string_equal(argus_graph_cell(&r, 0, 2)->str, "it's");
    assert_int_equal(argus_graph_cell(&r, 0, 3)->type, ARGUS_GRAPH_INTEGER);
    assert_int_equal(argus_graph_cell(&r, 0, 3)->integer, 7);
    assert_int_equal(argus_graph_cell(&r, 0, 4)->type, ARGUS_GRAPH_NULL);
    assert_string_equal(argus_graph_cell(&r, 0, 5)->str, "[1]");
    bool ok;
    assert_int_equal(argus_graph_value_bool(argus_graph_prop(argus_graph_cell(&r, 0, 6), "ok"), &ok), 0);
    assert_true(ok);
    assert_null(argus_graph_cell(&r, 1, 0));
    assert_null(argus_graph_cell(&r, 0, 7));
    assert_null(argus_graph_prop(argus_graph_cell(&r, 0, 3), "x"));   /* not an entity */

    assert_int_equal(r.stats.labels_added, 1);
    assert_int_equal(r.stats.nodes_created, 1);
    assert_int_equal(r.stats.properties_set, 2);
    assert_int_equal(r.stats.relationships_created, 1);
    assert_int_equal(r.stats.nodes_deleted, 0);
    assert_false(r.stats.cached);
    assert_true(r.stats.exec_ms > 0.33 && r.stats.exec_ms < 0.34);
    argus_graph_result_free(&r);
    argus_graph_result_free(&r);   /* freeing twice is harmless */
}

static void statistics_only(void **state)
{
    (void)state;
    struct argus_graph_result r;
    struct argus_result res;
    assert_int_equal(argus_graph_result_parse(READ("*1\r\n*3\r\n$16\r\nNodes deleted: 3\r\n"
                                                   "$19\r\nCached execution: 1\r\n"
                                                   "$52\r\nQuery internal execution time: 1.250000 milliseconds\r\n"),
                                              &r, &res), 0);
    assert_int_equal(r.ncols, 0);
    assert_int_equal(r.nrows, 0);
    assert_int_equal(r.stats.nodes_deleted, 3);
    assert_true(r.stats.cached);
    assert_true(r.stats.exec_ms == 1.25);
    argus_graph_result_free(&r);
}

static void numbers_as_text(void **state)
{
    (void)state;
    struct argus_graph_value v = {.type = ARGUS_GRAPH_STRING, .str = "1e+300", .len = 6};
    double d;
    bool b;
    assert_int_equal(argus_graph_value_double(&v, &d), 0);
    assert_true(d == 1e300);
    v.str = "2.5x";
    v.len = 4;
    assert_int_equal(argus_graph_value_double(&v, &d), -1);
    v.str = "";
    v.len = 0;
    assert_int_equal(argus_graph_value_double(&v, &d), -1);
    v.str = "TRUE";
    assert_int_equal(argus_graph_value_bool(&v, &b), -1);
    struct argus_graph_value i = {.type = ARGUS_GRAPH_INTEGER, .integer = -3};
    assert_int_equal(argus_graph_value_double(&i, &d), 0);
    assert_true(d == -3);
    assert_int_equal(argus_graph_value_double(NULL, &d), -1);
}

static void bad_shapes_are_refused(void **state)
{
    (void)state;
    struct argus_graph_result r;
    struct argus_result res;
    /* a run-time error element after the header */
    assert_int_equal(argus_graph_result_parse(READ("*2\r\n*1\r\n$1\r\nx\r\n-Division by zero\r\n"), &r, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_non_null(strstr(res.message, "Division by zero"));
    assert_null(r.reply);
    /* wrong element count */
    assert_int_equal(argus_graph_result_parse(READ("*2\r\n*0\r\n*0\r\n"), &r, &res), -1);
    /* a row narrower than the header */
    assert_int_equal(argus_graph_result_parse(READ("*3\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*1\r\n*1\r\n:1\r\n*0\r\n"),
                                              &r, &res), -1);
    assert_non_null(strstr(res.message, "row width"));
    /* not an array at all, and an empty one */
    assert_int_equal(argus_graph_result_parse(READ("+OK\r\n"), &r, &res), -1);
    assert_int_equal(argus_graph_result_parse(READ("*0\r\n"), &r, &res), -1);
    assert_int_equal(argus_graph_result_parse(NULL, &r, &res), -1);
}

static void errors_classified(void **state)
{
    (void)state;
    struct argus_result res;
    argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH, "Query timed out", &res);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH, "Max pending queries exceeded", &res);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    argus_redis_classify_error("valkey", ARGUS_ERR_CACHE, "LOADING Redis is loading the dataset in memory", &res);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CACHE);
    argus_redis_classify_error("valkey", ARGUS_ERR_CACHE, "BUSY Redis is busy running a script", &res);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    argus_redis_classify_error("valkey", ARGUS_ERR_CACHE, "OOM command not allowed when used memory > 'maxmemory'.", &res);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    argus_redis_classify_error("valkey", ARGUS_ERR_CACHE, "READONLY You can't write against a read only replica.", &res);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    argus_redis_classify_error("valkey", ARGUS_ERR_CACHE, "NOAUTH Authentication required.", &res);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    argus_redis_classify_error("valkey", ARGUS_ERR_CACHE, "WRONGPASS invalid username-password pair", &res);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH, "ERR unknown command 'GRAPH.QUERY', with args", &res);
    assert_int_equal(res.outcome, ARGUS_RETRY);   /* module not loaded: the deployment, not the event */
    argus_redis_classify_error("valkey", ARGUS_ERR_CACHE, "WRONGTYPE Operation against a key holding the wrong kind", &res);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH, "BUSYKEY Target key name already exists.", &res);
    assert_int_equal(res.outcome, ARGUS_REJECT);   /* a word that merely starts with BUSY */
    argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH,
                               "errMsg: Invalid input 'R': expected RETURN line: 1, column: 4, offset: 3 "
                               "errCtx: RETRN $secret errCtxOffset: 3", &res);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_string_equal(res.error_class, ARGUS_ERR_GRAPH);
    assert_string_equal(res.message, "falkordb: errMsg: Invalid input 'R': expected RETURN line: 1, column: 4, offset: 3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_cells),
        cmocka_unit_test(statistics_only),
        cmocka_unit_test(numbers_as_text),
        cmocka_unit_test(bad_shapes_are_refused),
        cmocka_unit_test(errors_classified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
