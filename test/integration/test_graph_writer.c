/* Integration tests of the coalesced graph writer against the real FalkorDB: rows of many messages
 * and graphs written with one UNWIND per statement and graph, chunked; indexes made once; a write the
 * server rejects because of one message's data is redone message by message, so only that message is
 * reported; a write that fails because the store is away reports every message of the graph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/stores/graph_writer.h"
#include "it_cognee.h"
#include "it_env.h"

static struct argus_config cfg;

static const struct argus_graph_statement stmts[] = {
    {"UNWIND $rows AS r MERGE (n:Item {id: r.id}) SET n += r.props"},
    {"UNWIND $rows AS r MATCH (a:Item {id: r.a}) MATCH (b:Item {id: r.b}) MERGE (a)-[:NEXT]->(b)"},
};
static const struct argus_graph_index indexes[] = {{"Item", "id"}, {NULL, NULL}};

struct failures {
    void *owners[16];
    char classes[16][48];
    int n;
};

static void on_failure(void *arg, void *owner, const struct argus_result *res)
{
    struct failures *f = arg;
    if (f->n < 16) {
        f->owners[f->n] = owner;
        snprintf(f->classes[f->n], sizeof f->classes[0], "%s", res->error_class);
        f->n++;
    }
}

static cJSON *item(const char *id, int n)
{
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "id", id);
    cJSON_AddNumberToObject(cJSON_AddObjectToObject(row, "props"), "n", n);
    return row;
}

static cJSON *edge(const char *a, const char *b)
{
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "a", a);
    cJSON_AddStringToObject(row, "b", b);
    return row;
}

static void coalesced_across_graphs_and_chunks(void **state)
{
    (void)state;
    struct argus_graph g;
    assert_int_equal(argus_graph_init_config(&g, &cfg), 0);
    char g1[64], g2[64];
    it_unique_name(g1, sizeof g1, "it_writer");
    it_unique_name(g2, sizeof g2, "it_writer");
    struct argus_graph_writer *w = argus_graph_writer_new(&g, stmts, 2, indexes, 100);
    int owners[3];
    for (int i = 0; i < 250; i++) {
        char id[32], prev[32];
        snprintf(id, sizeof id, "i%d", i);
        assert_int_equal(argus_graph_writer_add(w, i % 2 ? g1 : g2, 0, item(id, i), &owners[i % 3]), 0);
        if (i >= 2) {
            snprintf(prev, sizeof prev, "i%d", i - 2);
            assert_int_equal(argus_graph_writer_add(w, i % 2 ? g1 : g2, 1, edge(prev, id), &owners[i % 3]), 0);
        }
    }
    assert_int_equal(argus_graph_writer_pending(w), 250 + 248);
    struct failures f = {0};
    struct argus_graph_write_stats st = {0};
    assert_int_equal(argus_graph_writer_flush(w, on_failure, &f, &st), 0);
    assert_int_equal(f.n, 0);
    assert_int_equal(st.nodes_created, 250);
    assert_int_equal(st.relationships_created, 248);
    /* 125 items per graph in chunks of 100: 2 + 2 queries per graph */
    assert_int_equal(st.queries, 8);
    assert_int_equal(argus_graph_writer_pending(w), 0);
    assert_int_equal(it_graph_label_count(&cfg, g1, "Item"), 125);
    assert_int_equal(it_graph_rel_count(&cfg, g2, "NEXT"), 124);
    /* the same rows again: MERGEs, nothing new */
    for (int i = 0; i < 10; i++) {
        char id[32];
        snprintf(id, sizeof id, "i%d", i);
        argus_graph_writer_add(w, i % 2 ? g1 : g2, 0, item(id, i), &owners[0]);
    }
    memset(&st, 0, sizeof st);
    assert_int_equal(argus_graph_writer_flush(w, on_failure, &f, &st), 0);
    assert_int_equal(st.nodes_created, 0);
    argus_graph_writer_free(w);
    struct argus_result res;
    argus_graph_delete(&g, g1, &res);
    argus_graph_delete(&g, g2, &res);
    argus_graph_close(&g);
}

static void one_bad_message_does_not_sink_the_batch(void **state)
{
    (void)state;
    struct argus_graph g;
    assert_int_equal(argus_graph_init_config(&g, &cfg), 0);
    char name[64];
    it_unique_name(name, sizeof name, "it_writer");
    struct argus_graph_writer *w = argus_graph_writer_new(&g, stmts, 2, indexes, 0);
    int a, b, c;
    argus_graph_writer_add(w, name, 0, item("a1", 1), &a);
    argus_graph_writer_add(w, name, 0, item("a2", 2), &a);
    /* a map is not a property value: FalkorDB rejects the whole UNWIND */
    cJSON *bad = item("b1", 3);
    cJSON_AddObjectToObject(cJSON_GetObjectItem(bad, "props"), "nested");
    argus_graph_writer_add(w, name, 0, bad, &b);
    argus_graph_writer_add(w, name, 0, item("c1", 4), &c);
    argus_graph_writer_add(w, name, 1, edge("a1", "c1"), &c);
    struct failures f = {0};
    assert_int_equal(argus_graph_writer_flush(w, on_failure, &f, NULL), 1);
    assert_int_equal(f.n, 1);
    assert_ptr_equal(f.owners[0], &b);
    assert_string_equal(f.classes[0], ARGUS_ERR_GRAPH);
    assert_int_equal(it_graph_label_count(&cfg, name, "Item"), 3);  /* a1, a2, c1 */
    assert_int_equal(it_graph_rel_count(&cfg, name, "NEXT"), 1);
    argus_graph_writer_free(w);
    struct argus_result res;
    argus_graph_delete(&g, name, &res);
    argus_graph_close(&g);
}

static void store_away_reports_every_message(void **state)
{
    (void)state;
    struct argus_graph g;
    /* a port nobody listens on stands for a store that is down */
    assert_int_equal(argus_graph_init(&g, "127.0.0.1", 1, cfg.falkordb_password, 500), 0);
    struct argus_graph_writer *w = argus_graph_writer_new(&g, stmts, 2, indexes, 0);
    int a, b;
    argus_graph_writer_add(w, "it_writer_down", 0, item("a", 1), &a);
    argus_graph_writer_add(w, "it_writer_down", 0, item("b", 2), &b);
    argus_graph_writer_add(w, "it_writer_down", 0, item("a2", 3), &a);
    struct failures f = {0};
    assert_int_equal(argus_graph_writer_flush(w, on_failure, &f, NULL), 1);
    assert_int_equal(f.n, 2);   /* each message once */
    assert_string_equal(f.classes[0], ARGUS_ERR_CONNECTION);
    argus_graph_writer_free(w);
    argus_graph_close(&g);
}

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(coalesced_across_graphs_and_chunks),
        cmocka_unit_test(one_bad_message_does_not_sink_the_batch),
        cmocka_unit_test(store_away_reports_every_message),
    };
    int rc = cmocka_run_group_tests_name("graph_writer", tests, NULL, NULL);
    argus_config_free(&cfg);
    return rc;
}
