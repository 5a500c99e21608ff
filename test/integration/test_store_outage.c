/* Integration test: a real store (Valkey, then FalkorDB) stopped mid-stream. The worker pauses,
 * reports not ready and dead-letters nothing; once the store is back everything goes through,
 * nothing lost: every event id is in Valkey's set and in the graph, and the group has no lag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argus/stores/graph.h"
#include "argus/stores/kv.h"
#include "it_env.h"
#include "it_kafka.h"
#include "it_proc.h"

static struct argus_config cfg;

static void devstack(const char *verb, const char *service)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "\"%s\" %s %s > /dev/null 2>&1", getenv("ARGUS_DEVSTACK"), verb, service);
    if (system(cmd) != 0)
        fail_msg("devstack %s %s failed", verb, service);
}

static long long valkey_count(const char *key)
{
    struct argus_kv kv;
    struct argus_result res;
    assert_int_equal(argus_kv_init_config(&kv, &cfg), 0);
    redisReply *r = argus_redis_commandf(&kv.redis, ARGUS_REDIS_IDEMPOTENT, &res, "SCARD %s", key);
    long long n = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    if (r)
        freeReplyObject(r);
    argus_kv_close(&kv);
    return n;
}

static long long graph_count(const char *graph)
{
    struct argus_graph g;
    struct argus_result res;
    struct argus_graph_result out = ARGUS_GRAPH_RESULT_INIT;
    assert_int_equal(argus_graph_init_config(&g, &cfg), 0);
    long long n = -1;
    if (argus_graph_ro_query(&g, graph, "MATCH (e:Event) RETURN count(e)", NULL, &out, &res) == 0 && out.nrows == 1)
        n = argus_graph_cell(&out, 0, 0)->integer;
    argus_graph_result_free(&out);
    argus_graph_close(&g);
    return n;
}

static void outage_of(const char *service)
{
    if (!getenv("ARGUS_DEVSTACK"))
        skip();
    char base[64], in[96], out[96], dlq[96], group[96], setkey[96], graph[96];
    it_unique_name(base, sizeof base, service);
    snprintf(in, sizeof in, "it.%s.in", base);
    snprintf(out, sizeof out, "it.%s.out", base);
    snprintf(dlq, sizeof dlq, "it.%s.dlq", base);
    snprintf(group, sizeof group, "it-%s", base);
    snprintf(setkey, sizeof setkey, "it:%s", base);
    snprintf(graph, sizeof graph, "it_%s", base);
    it_topic_create(&cfg, in, 3);
    it_topic_create(&cfg, out, 3);
    it_topic_create(&cfg, dlq, 3);

    char e_in[128], e_out[128], e_dlq[128], e_group[128], e_set[128], e_graph[128];
    snprintf(e_in, sizeof e_in, "KAFKA_INPUT_TOPICS=%s", in);
    snprintf(e_out, sizeof e_out, "TEST_OUTPUT_TOPIC=%s", out);
    snprintf(e_dlq, sizeof e_dlq, "KAFKA_DLQ_TOPIC=%s", dlq);
    snprintf(e_group, sizeof e_group, "KAFKA_CONSUMER_GROUP=%s", group);
    snprintf(e_set, sizeof e_set, "TEST_SET_KEY=%s", setkey);
    snprintf(e_graph, sizeof e_graph, "TEST_GRAPH=%s", graph);
    const char *env[] = {e_in, e_out, e_dlq, e_group, e_set, e_graph, "TEST_STORES=1", "WORKER_MAX_ATTEMPTS=2",
                         "WORKER_BACKOFF_INITIAL_MS=200", "WORKER_BACKOFF_MAX_MS=1000", "STORE_TIMEOUT_MS=1000",
                         "WORKER_COMMIT_INTERVAL_MS=200", NULL};
    struct it_proc w;
    it_proc_start(&w, "argus-test-worker", env);
    if (it_proc_wait_http(&w, "/ready", 200, 30000) != 0)
        fail_msg("worker not ready (log: %s)", w.log);

    rd_kafka_t *p = it_producer_new(&cfg);
    for (int i = 0; i < 200; i++)
        it_produce_record(p, in, base, i, "k", NULL);
    it_producer_close(p);
    assert_int_equal(it_wait_records(&cfg, out, 200, 30000), 200);

    devstack("stop", service);
    p = it_producer_new(&cfg);
    for (int i = 200; i < 600; i++)
        it_produce_record(p, in, base, i, i % 2 ? "a" : "b", NULL);
    it_producer_close(p);
    if (it_proc_wait_http(&w, "/ready", 503, 30000) != 0) {
        devstack("start", service);
        fail_msg("worker stayed ready while %s was down (log: %s)", service, w.log);
    }
    sleep(4); /* well past WORKER_MAX_ATTEMPTS x backoff: an outage must not exhaust retries */
    assert_int_equal(it_wait_records(&cfg, dlq, 0, 0), 0);
    assert_int_equal(it_proc_wait_http(&w, "/health", 200, 1000), 0);

    devstack("start", service);
    if (it_proc_wait_http(&w, "/ready", 200, 60000) != 0)
        fail_msg("worker did not resume after %s came back (log: %s)", service, w.log);
    for (int i = 0; i < 150 && (valkey_count(setkey) < 600 || graph_count(graph) < 600); i++)
        usleep(200 * 1000);
    assert_int_equal(valkey_count(setkey), 600);
    assert_int_equal(graph_count(graph), 600);
    for (int i = 0; i < 50 && it_group_lag(&cfg, group, in) != 0; i++)
        usleep(200 * 1000);
    assert_int_equal(it_group_lag(&cfg, group, in), 0);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    assert_int_equal(it_wait_records(&cfg, dlq, 0, 0), 0);
    struct it_records rs;
    it_read_topic(&cfg, out, &rs);
    assert_int_equal(it_distinct_inputs(&rs), 600);
    it_records_free(&rs);
}

static void valkey_outage(void **state)
{
    (void)state;
    outage_of("valkey");
}

static void falkordb_outage(void **state)
{
    (void)state;
    outage_of("falkordb");
}

/* The broker itself going away: not ready while it is down, everything through once it is back. */
static void kafka_outage(void **state)
{
    (void)state;
    if (!getenv("ARGUS_DEVSTACK"))
        skip();
    char base[64], in[96], out[96], group[96];
    it_unique_name(base, sizeof base, "kafka");
    snprintf(in, sizeof in, "it.%s.in", base);
    snprintf(out, sizeof out, "it.%s.out", base);
    snprintf(group, sizeof group, "it-%s", base);
    it_topic_create(&cfg, in, 3);
    it_topic_create(&cfg, out, 3);
    char e_in[128], e_out[128], e_group[128];
    snprintf(e_in, sizeof e_in, "KAFKA_INPUT_TOPICS=%s", in);
    snprintf(e_out, sizeof e_out, "TEST_OUTPUT_TOPIC=%s", out);
    snprintf(e_group, sizeof e_group, "KAFKA_CONSUMER_GROUP=%s", group);
    const char *env[] = {e_in, e_out, e_group, "WORKER_COMMIT_INTERVAL_MS=200", NULL};
    struct it_proc w;
    it_proc_start(&w, "argus-test-worker", env);
    if (it_proc_wait_http(&w, "/ready", 200, 30000) != 0)
        fail_msg("worker not ready (log: %s)", w.log);
    rd_kafka_t *p = it_producer_new(&cfg);
    for (int i = 0; i < 100; i++)
        it_produce_record(p, in, base, i, "k", NULL);
    it_producer_close(p);
    assert_int_equal(it_wait_records(&cfg, out, 100, 30000), 100);

    devstack("stop", "kafka");
    int paused = it_proc_wait_http(&w, "/ready", 503, 30000);
    devstack("start", "kafka");
    assert_int_equal(paused, 0);
    if (it_proc_wait_http(&w, "/ready", 200, 60000) != 0)
        fail_msg("worker did not come back with the broker (log: %s)", w.log);
    p = it_producer_new(&cfg);
    for (int i = 100; i < 200; i++)
        it_produce_record(p, in, base, i, "k", NULL);
    it_producer_close(p);
    assert_true(it_wait_records(&cfg, out, 200, 60000) >= 200);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    struct it_records rs;
    it_read_topic(&cfg, out, &rs);
    assert_int_equal(it_distinct_inputs(&rs), 200);
    it_records_free(&rs);
    assert_int_equal(it_group_lag(&cfg, group, in), 0);
}

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valkey_outage),
        cmocka_unit_test(falkordb_outage),
        cmocka_unit_test(kafka_outage),
    };
    int rc = cmocka_run_group_tests_name("store_outage", tests, NULL, NULL);
    argus_config_free(&cfg);
    return rc;
}
