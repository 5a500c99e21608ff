/* Store rates, one operation per round trip against batched, on the stores from the environment
 * (the variables the workers read): FalkorDB MERGE (one query per trip, pipelined queries, one UNWIND
 * query per batch) and lookups (one by one, pipelined), PostgreSQL INSERT into a logged table
 * (autocommit one by one, pipeline mode), Valkey SET (one by one, pipelined). The variants of a store
 * run interleaved for RUNS rounds so load from other processes hits them alike; each line is the
 * median and its ratio to the first variant.
 *   bench_stores [N]   N operations per run (default 10000)
 * Built by make benches into build/bench/bench_stores; make bench runs it. By hand:
 *   make lib && cc -O2 -std=c11 -D_GNU_SOURCE -Icommon/include \
 *     $(pkg-config --cflags hiredis libcjson libpq libcurl) bench/bench_stores.c build/libargus.a \
 *     $(pkg-config --libs hiredis libcjson libpq libcurl rdkafka) -lm -o build/bench_stores */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "argus/base/config.h"
#include "argus/base/log.h"
#include "argus/stores/graph.h"
#include "argus/stores/kv.h"
#include "argus/stores/pg.h"
#include "bench_compare.h"

#define RUNS BENCH_RUNS
#define BATCH 1000

static void die(const char *what, const struct argus_result *res)
{
    fprintf(stderr, "bench_stores: %s: %s\n", what, res->message);
    exit(1);
}

/* ---- FalkorDB ---- */

static struct argus_graph graph;
static char graph_name[64];

static cJSON *merge_params(int run, int i)
{
    char id[48];
    snprintf(id, sizeof id, "r%d-%d", run, i);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "id", id);
    cJSON_AddNumberToObject(p, "n", i);
    return p;
}

static const char merge_q[] = "MERGE (x:Item {id: $id}) SET x.n = $n";

/* An empty graph with the index: FalkorDB's cost per write query grows with the graph. */
static void fresh_graph(void)
{
    struct argus_result res;
    argus_graph_delete(&graph, graph_name, &res);
    if (argus_graph_create_index(&graph, graph_name, "Item", "id", &res) != 0)
        die("index", &res);
}

static void graph_one_by_one(int n, int run)
{
    struct argus_result res;
    for (int i = 0; i < n; i++) {
        cJSON *p = merge_params(run, i);
        if (argus_graph_query_flags(&graph, graph_name, merge_q, p, ARGUS_GRAPH_IDEMPOTENT, NULL, &res) != 0)
            die("merge", &res);
        cJSON_Delete(p);
    }
}

static void graph_pipelined(int n, int run)
{
    struct argus_result res;
    struct argus_graph_batch b;
    argus_graph_batch_init(&b);
    for (int i = 0; i < n; i += BATCH) {
        argus_graph_batch_reset(&b);
        for (int k = i; k < i + BATCH && k < n; k++) {
            cJSON *p = merge_params(run + 100, k);
            if (argus_graph_batch_add(&b, graph_name, merge_q, p, 0, &res) != 0)
                die("batch add", &res);
            cJSON_Delete(p);
        }
        if (argus_graph_batch_exec(&graph, &b, ARGUS_GRAPH_IDEMPOTENT, &res) != 0)
            die("batch", &res);
    }
    argus_graph_batch_free(&b);
}

static void graph_unwind(int n, int run)
{
    struct argus_result res;
    for (int i = 0; i < n; i += BATCH) {
        cJSON *p = cJSON_CreateObject();
        cJSON *rows = cJSON_AddArrayToObject(p, "rows");
        for (int k = i; k < i + BATCH && k < n; k++)
            cJSON_AddItemToArray(rows, merge_params(run + 200, k));
        if (argus_graph_query_flags(&graph, graph_name, "UNWIND $rows AS r MERGE (x:Item {id: r.id}) SET x.n = r.n",
                                    p, ARGUS_GRAPH_IDEMPOTENT, NULL, &res) != 0)
            die("unwind", &res);
        cJSON_Delete(p);
    }
}

/* Reads: N lookups by id of the nodes fresh_graph_with_nodes made. */
static void fresh_graph_with_nodes(void)
{
    struct argus_result res;
    fresh_graph();
    if (argus_graph_query(&graph, graph_name, "UNWIND range(0, 9999) AS i CREATE (:Item {id: 'n' + toString(i), n: i})",
                          NULL, NULL, &res) != 0)
        die("seed", &res);
}

static cJSON *lookup_params(int i)
{
    char id[32];
    snprintf(id, sizeof id, "n%d", i % 10000);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "id", id);
    return p;
}

static const char lookup_q[] = "MATCH (x:Item {id: $id}) RETURN x.n";

static void graph_reads_one_by_one(int n, int run)
{
    (void)run;
    struct argus_result res;
    for (int i = 0; i < n; i++) {
        cJSON *p = lookup_params(i);
        if (argus_graph_ro_query(&graph, graph_name, lookup_q, p, NULL, &res) != 0)
            die("read", &res);
        cJSON_Delete(p);
    }
}

static void graph_reads_pipelined(int n, int run)
{
    (void)run;
    struct argus_result res;
    struct argus_graph_batch b;
    argus_graph_batch_init(&b);
    for (int i = 0; i < n; i += BATCH) {
        argus_graph_batch_reset(&b);
        for (int k = i; k < i + BATCH && k < n; k++) {
            cJSON *p = lookup_params(k);
            argus_graph_batch_add(&b, graph_name, lookup_q, p, ARGUS_GRAPH_READONLY, &res);
            cJSON_Delete(p);
        }
        if (argus_graph_batch_exec(&graph, &b, ARGUS_GRAPH_IDEMPOTENT, &res) != 0)
            die("read batch", &res);
    }
    argus_graph_batch_free(&b);
}

/* ---- PostgreSQL ---- */

static struct argus_pg pg;

static void pg_one_by_one(int n, int run)
{
    (void)run;
    struct argus_result res;
    for (int i = 0; i < n; i++) {
        char id[16], v[32];
        snprintf(id, sizeof id, "%d", i);
        snprintf(v, sizeof v, "value %d", i);
        const char *params[] = {id, v};
        if (argus_pg_exec(&pg, "INSERT INTO argus_bench_rows (id, v) VALUES ($1, $2)", 2, params, 0, NULL, &res) != 0)
            die("insert", &res);
    }
}

static void pg_pipelined(int n, int run)
{
    (void)run;
    struct argus_result res;
    struct argus_pg_batch b;
    argus_pg_batch_init(&b);
    for (int i = 0; i < n; i++) {
        char id[16], v[32];
        snprintf(id, sizeof id, "%d", i);
        snprintf(v, sizeof v, "value %d", i);
        const char *params[] = {id, v};
        argus_pg_batch_add(&b, "INSERT INTO argus_bench_rows (id, v) VALUES ($1, $2)", 2, params);
    }
    if (argus_pg_batch_exec(&pg, &b, BATCH, 0, &res) != 0)
        die("pipeline", &res);
    argus_pg_batch_free(&b);
}

static void pg_truncate(void)
{
    struct argus_result res;
    if (argus_pg_exec(&pg, "TRUNCATE argus_bench_rows", 0, NULL, 0, NULL, &res) != 0)
        die("truncate", &res);
}

/* ---- Valkey ---- */

static struct argus_kv kv;

static void kv_one_by_one(int n, int run)
{
    struct argus_result res;
    for (int i = 0; i < n; i++) {
        char key[48];
        snprintf(key, sizeof key, "argus:bench:%d:%d", run, i);
        if (argus_kv_set(&kv, key, "v", 1, 60, &res) != 0)
            die("set", &res);
    }
}

static void kv_pipelined(int n, int run)
{
    struct argus_result res;
    struct argus_redis_batch b;
    argus_redis_batch_init(&b);
    for (int i = 0; i < n; i += BATCH) {
        argus_redis_batch_reset(&b);
        for (int k = i; k < i + BATCH && k < n; k++)
            argus_redis_batch_addf(&b, "SET argus:bench:p%d:%d v EX 60", run, k);
        if (argus_kv_batch_exec(&kv, &b, ARGUS_REDIS_IDEMPOTENT, &res) != 0)
            die("pipeline", &res);
    }
    argus_redis_batch_free(&b);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    if (n <= 0) {
        fprintf(stderr, "usage: bench_stores [N]\n");
        return 2;
    }
    argus_log_init("bench_stores", ARGUS_LOG_WARN);
    struct argus_config cfg;
    char err[256];
    if (argus_config_load(&cfg, NULL, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "bench_stores: %s\n", err);
        return 2;
    }
    struct argus_result res;
    printf("%d operations per run, batches of %d, median of %d interleaved runs\n", n, BATCH, RUNS);

    argus_graph_init_config(&graph, &cfg);
    snprintf(graph_name, sizeof graph_name, "argus_bench_%ld", (long)getpid());
    const struct variant graph_variants[] = {
        {"falkordb MERGE+SET, one query per round trip", graph_one_by_one, fresh_graph},
        {"falkordb MERGE+SET, pipelined (1000 per trip)", graph_pipelined, fresh_graph},
        {"falkordb MERGE+SET, UNWIND $rows (1000 per query)", graph_unwind, fresh_graph},
    };
    compare(graph_variants, 3, n);
    const struct variant read_variants[] = {
        {"falkordb MATCH by id (RO), one per round trip", graph_reads_one_by_one, fresh_graph_with_nodes},
        {"falkordb MATCH by id (RO), pipelined (1000/trip)", graph_reads_pipelined, fresh_graph_with_nodes},
    };
    compare(read_variants, 2, n);
    argus_graph_delete(&graph, graph_name, &res);
    argus_graph_close(&graph);

    if (argus_pg_init_config(&pg, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "bench_stores: %s\n", err);
        return 2;
    }
    /* a logged table: every autocommit pays a WAL flush, as in production (a TEMP table would not) */
    if (argus_pg_exec(&pg, "CREATE TABLE IF NOT EXISTS argus_bench_rows (id int PRIMARY KEY, v text)", 0, NULL, 0,
                      NULL, &res) != 0)
        die("create", &res);
    const struct variant pg_variants[] = {
        {"postgres INSERT, one statement per round trip", pg_one_by_one, pg_truncate},
        {"postgres INSERT, pipeline (sync every 1000)", pg_pipelined, pg_truncate},
    };
    compare(pg_variants, 2, n);
    argus_pg_exec(&pg, "DROP TABLE argus_bench_rows", 0, NULL, 0, NULL, &res);
    argus_pg_close(&pg);

    argus_kv_init_config(&kv, &cfg);
    const struct variant kv_variants[] = {
        {"valkey SET EX, one per round trip", kv_one_by_one, NULL},
        {"valkey SET EX, pipelined (1000 per trip)", kv_pipelined, NULL},
    };
    compare(kv_variants, 2, n);
    argus_kv_close(&kv);
    argus_config_free(&cfg);
    return 0;
}
