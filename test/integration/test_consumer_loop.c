/* Integration tests of the consumer loop against the real broker, with argus-test-worker (a worker
 * built on libargus): commit and resume, poison to the DLQ while the partition keeps flowing, retries
 * and their exhaustion, a dependency outage (pause, not-ready, no DLQ, resume), SIGTERM mid-batch,
 * and replaying from the DLQ. */
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
#include "it_env.h"
#include "it_kafka.h"
#include "it_proc.h"

static struct argus_config cfg;

struct scenario {
    char in[96], out[96], dlq[96], group[96];
    char env_in[160], env_out[160], env_dlq[160], env_group[160];
};

static void scenario_init(struct scenario *s, const char *name, int partitions)
{
    char base[64];
    it_unique_name(base, sizeof base, name);
    snprintf(s->in, sizeof s->in, "it.%s.in", base);
    snprintf(s->out, sizeof s->out, "it.%s.out", base);
    snprintf(s->dlq, sizeof s->dlq, "it.%s.dlq", base);
    snprintf(s->group, sizeof s->group, "it-%s", base);
    snprintf(s->env_in, sizeof s->env_in, "KAFKA_INPUT_TOPICS=%s", s->in);
    snprintf(s->env_out, sizeof s->env_out, "TEST_OUTPUT_TOPIC=%s", s->out);
    snprintf(s->env_dlq, sizeof s->env_dlq, "KAFKA_DLQ_TOPIC=%s", s->dlq);
    snprintf(s->env_group, sizeof s->env_group, "KAFKA_CONSUMER_GROUP=%s", s->group);
    it_topic_create(&cfg, s->in, partitions);
    it_topic_create(&cfg, s->out, 3);
    it_topic_create(&cfg, s->dlq, 3);
}

static void start_worker(struct it_proc *w, const struct scenario *s, const char *const *more)
{
    const char *env[24] = {s->env_in, s->env_out, s->env_dlq, s->env_group, "WORKER_BACKOFF_INITIAL_MS=200",
                           "WORKER_BACKOFF_MAX_MS=1000", "WORKER_COMMIT_INTERVAL_MS=200", "LOG_LEVEL=info"};
    size_t n = 8;
    for (size_t i = 0; more && more[i] && n < 23; i++)
        env[n++] = more[i];
    env[n] = NULL;
    it_proc_start(w, "argus-test-worker", env);
    if (it_proc_wait_http(w, "/ready", 200, 30000) != 0)
        fail_msg("worker not ready (log: %s)", w->log);
}

static void produce_range(const char *topic, const char *prefix, int from, int to)
{
    rd_kafka_t *p = it_producer_new(&cfg);
    for (int i = from; i < to; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%d", i % 17);
        it_produce_record(p, topic, prefix, i, key, NULL);
    }
    it_producer_close(p);
}

/* Restart resumes from the committed offset: nothing lost, nothing processed twice. */
static void commit_and_resume(void **state)
{
    (void)state;
    struct scenario s;
    scenario_init(&s, "resume", 3);
    produce_range(s.in, "a", 0, 3000);

    struct it_proc w;
    start_worker(&w, &s, NULL);
    assert_int_equal(it_wait_records(&cfg, s.out, 3000, 60000), 3000);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    assert_int_equal(it_group_lag(&cfg, s.group, s.in), 0);

    produce_range(s.in, "b", 3000, 5000);
    start_worker(&w, &s, NULL);
    assert_int_equal(it_wait_records(&cfg, s.out, 5000, 60000), 5000);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);

    struct it_records out;
    it_read_topic(&cfg, s.out, &out);
    assert_int_equal(out.n, 5000);                      /* nothing twice */
    assert_int_equal(it_distinct_inputs(&out), 5000);   /* nothing lost */
    it_records_free(&out);
    assert_int_equal(it_group_lag(&cfg, s.group, s.in), 0);
}

static int header_present(const rd_kafka_headers_t *h, const char *name)
{
    const void *v;
    size_t n;
    return h && rd_kafka_header_get_last(h, name, &v, &n) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* A poison record and a non-JSON record go to the DLQ with every provenance header, unchanged,
 * and the partition keeps flowing in order. */
static void poison_goes_to_dlq(void **state)
{
    (void)state;
    struct scenario s;
    scenario_init(&s, "poison", 1);
    rd_kafka_t *p = it_producer_new(&cfg);
    for (int i = 0; i < 100; i++) {
        if (i == 10) {
            rd_kafka_headers_t *h = rd_kafka_headers_new(1);
            rd_kafka_header_add(h, "traceparent", -1, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", -1);
            const char *bad = "{\"event_id\":\"p-10\",\"event_type\":\"test.record\",\"org_id\":\"org-it\","
                              "\"data\":{\"poison\":true}}";
            it_produce(p, s.in, "poison-key", bad, strlen(bad), h);
        } else if (i == 20) {
            it_produce(p, s.in, "junk-key", "{not json", 9, NULL);
        } else {
            it_produce_record(p, s.in, "p", i, "k", NULL);
        }
    }
    it_producer_close(p);

    struct it_proc w;
    start_worker(&w, &s, NULL);
    assert_int_equal(it_wait_records(&cfg, s.out, 98, 60000), 98);
    assert_int_equal(it_wait_records(&cfg, s.dlq, 2, 30000), 2);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    assert_int_equal(it_group_lag(&cfg, s.group, s.in), 0);

    struct it_records out, dlq;
    it_read_topic(&cfg, s.out, &out);
    assert_int_equal(out.n, 98);
    /* order within the partition kept: output offsets follow input offsets */
    int64_t last = -1;
    for (size_t i = 0; i < out.n; i++) {
        cJSON *o = cJSON_Parse(out.r[i].value);
        int64_t off = (int64_t)cJSON_GetObjectItem(cJSON_GetObjectItem(o, "data"), "offset")->valuedouble;
        assert_true(off > last);
        last = off;
        cJSON_Delete(o);
    }
    it_records_free(&out);

    it_read_topic(&cfg, s.dlq, &dlq);
    assert_int_equal(dlq.n, 2);
    static const char *const names[] = {
        ARGUS_DLQ_ORIGINAL_TOPIC, ARGUS_DLQ_ORIGINAL_PARTITION, ARGUS_DLQ_ORIGINAL_OFFSET,
        ARGUS_DLQ_ORIGINAL_TIMESTAMP, ARGUS_DLQ_CONSUMER_GROUP, ARGUS_DLQ_WORKER, ARGUS_DLQ_ERROR_CLASS,
        ARGUS_DLQ_ERROR_MESSAGE, ARGUS_DLQ_ATTEMPTS, ARGUS_DLQ_FIRST_FAILURE, "kafka_dlt-original-topic",
        "kafka_dlt-original-partition", "kafka_dlt-original-offset", "kafka_dlt-original-consumer-group",
        "kafka_dlt-exception-fqcn", "kafka_dlt-exception-message", "__connect.errors.topic",
        "__connect.errors.partition", "__connect.errors.offset", "__connect.errors.exception.class.name",
        "__connect.errors.exception.message"};
    for (size_t i = 0; i < dlq.n; i++) {
        struct it_record *r = &dlq.r[i];
        for (size_t j = 0; j < sizeof names / sizeof names[0]; j++)
            if (!header_present(r->headers, names[j]))
                fail_msg("DLQ record lacks header %s", names[j]);
        char topic[256], offset[32], cls[64], group[128], msg[512];
        argus_header_string(r->headers, ARGUS_DLQ_ORIGINAL_TOPIC, topic, sizeof topic);
        argus_header_string(r->headers, ARGUS_DLQ_ORIGINAL_OFFSET, offset, sizeof offset);
        argus_header_string(r->headers, ARGUS_DLQ_ERROR_CLASS, cls, sizeof cls);
        argus_header_string(r->headers, ARGUS_DLQ_CONSUMER_GROUP, group, sizeof group);
        argus_header_string(r->headers, ARGUS_DLQ_ERROR_MESSAGE, msg, sizeof msg);
        assert_string_equal(topic, s.in);
        assert_string_equal(group, s.group);
        if (!strcmp(offset, "10")) {
            assert_string_equal(r->key, "poison-key");
            assert_string_equal(cls, "validation_error");
            assert_string_equal(msg, "test.record: data.poison is set");
            assert_non_null(strstr(r->value, "\"poison\":true"));
            assert_true(header_present(r->headers, "traceparent")); /* original headers kept */
        } else {
            assert_string_equal(offset, "20");
            assert_string_equal(r->key, "junk-key");
            assert_string_equal(cls, "deserialization_error");
            assert_string_equal(r->value, "{not json");              /* value unchanged */
        }
    }
    it_records_free(&dlq);
}

/* A transient failure is retried in place; one that never heals goes to the DLQ after
 * WORKER_MAX_ATTEMPTS with the attempt count, and what follows it still flows. */
static void retries_then_dead_letter(void **state)
{
    (void)state;
    struct scenario s;
    scenario_init(&s, "retry", 1);
    rd_kafka_t *p = it_producer_new(&cfg);
    for (int i = 0; i < 30; i++)
        it_produce_record(p, s.in, "r", i, "k", i == 5 ? "\"fail_times\":2" : i == 15 ? "\"fail_times\":1000" : NULL);
    it_producer_close(p);

    struct it_proc w;
    const char *more[] = {"WORKER_MAX_ATTEMPTS=3", NULL};
    start_worker(&w, &s, more);
    assert_int_equal(it_wait_records(&cfg, s.out, 29, 60000), 29);
    assert_int_equal(it_wait_records(&cfg, s.dlq, 1, 30000), 1);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);

    struct it_records out, dlq;
    it_read_topic(&cfg, s.out, &out);
    assert_int_equal(out.n, 29);
    int saw_retried = 0;
    for (size_t i = 0; i < out.n; i++) {
        if (strstr(out.r[i].value, "\"input_event_id\":\"r-5\"")) {
            assert_non_null(strstr(out.r[i].value, "\"attempt\":3"));
            saw_retried = 1;
        }
        assert_null(strstr(out.r[i].value, "\"input_event_id\":\"r-15\""));
    }
    assert_true(saw_retried);
    it_records_free(&out);
    it_read_topic(&cfg, s.dlq, &dlq);
    char attempts[16], cls[64], msg[512];
    argus_header_string(dlq.r[0].headers, ARGUS_DLQ_ATTEMPTS, attempts, sizeof attempts);
    argus_header_string(dlq.r[0].headers, ARGUS_DLQ_ERROR_CLASS, cls, sizeof cls);
    argus_header_string(dlq.r[0].headers, ARGUS_DLQ_ERROR_MESSAGE, msg, sizeof msg);
    assert_string_equal(attempts, "3");
    assert_string_equal(cls, "timeout");
    assert_non_null(strstr(msg, "gave up after 3 attempt(s)"));
    it_records_free(&dlq);
}

/* While a dependency is down the worker pauses, reports not ready and dead-letters nothing; when it
 * answers again everything goes through. */
static void outage_pauses_without_dlq(void **state)
{
    (void)state;
    struct scenario s;
    scenario_init(&s, "outage", 3);
    char gate[256], gate_env[300];
    it_build_path(gate, sizeof gate, "test-logs/gate-");
    char uniq[64];
    it_unique_name(uniq, sizeof uniq, "g");
    strncat(gate, uniq, sizeof gate - strlen(gate) - 1);
    snprintf(gate_env, sizeof gate_env, "TEST_GATE_FILE=%s", gate);

    struct it_proc w;
    const char *more[] = {gate_env, "WORKER_MAX_ATTEMPTS=2", NULL};
    start_worker(&w, &s, more);
    FILE *f = fopen(gate, "w");
    assert_non_null(f);
    fclose(f);
    produce_range(s.in, "o", 0, 500);

    assert_int_equal(it_proc_wait_http(&w, "/ready", 503, 20000), 0);
    sleep(3); /* several probe rounds, well past WORKER_MAX_ATTEMPTS backoffs */
    assert_int_equal(it_wait_records(&cfg, s.dlq, 0, 0), 0);
    assert_int_equal(it_proc_wait_http(&w, "/health", 200, 1000), 0); /* paused, not stalled */

    unlink(gate);
    assert_int_equal(it_proc_wait_http(&w, "/ready", 200, 30000), 0);
    assert_int_equal(it_wait_records(&cfg, s.out, 500, 60000), 500);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    struct it_records out;
    it_read_topic(&cfg, s.out, &out);
    assert_int_equal(it_distinct_inputs(&out), 500);
    it_records_free(&out);
    assert_int_equal(it_wait_records(&cfg, s.dlq, 0, 0), 0);
    assert_int_equal(it_group_lag(&cfg, s.group, s.in), 0);
}

/* SIGTERM in the middle of slow batches: the worker exits in time and a restart finishes the rest
 * with nothing lost. */
static void sigterm_mid_batch(void **state)
{
    (void)state;
    struct scenario s;
    scenario_init(&s, "sigterm", 3);
    produce_range(s.in, "t", 0, 1000);
    struct it_proc w;
    const char *slow[] = {"TEST_HANDLER_DELAY_MS=5", "WORKER_BATCH_SIZE=200", NULL};
    start_worker(&w, &s, slow);
    size_t got = it_wait_records(&cfg, s.out, 100, 30000);
    assert_true(got >= 100);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 20000), 0);
    struct it_records out;
    it_read_topic(&cfg, s.out, &out);
    size_t before = out.n;
    it_records_free(&out);
    assert_true(before < 1000); /* it really was stopped mid-stream */

    start_worker(&w, &s, NULL);
    assert_int_equal(it_wait_records(&cfg, s.out, 1000, 60000) >= 1000, 1);
    /* wait for the whole lag to drain, then count */
    for (int i = 0; i < 100 && it_group_lag(&cfg, s.group, s.in) != 0; i++)
        usleep(200 * 1000);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    it_read_topic(&cfg, s.out, &out);
    assert_int_equal(it_distinct_inputs(&out), 1000);
    assert_true(out.n <= 1000 + 200); /* at most the batch in flight is redone */
    it_records_free(&out);
}

/* argus-dlq replay puts a record back on its original topic with a replay count; after a record was
 * replayed quarantine_after times it is quarantined instead. */
static void dlq_replay(void **state)
{
    (void)state;
    struct scenario s;
    scenario_init(&s, "replay", 1);
    rd_kafka_t *p = it_producer_new(&cfg);
    it_produce_record(p, s.in, "d", 0, "replay-key", "\"poison\":true");
    it_producer_close(p);
    struct it_proc w;
    start_worker(&w, &s, NULL);
    assert_int_equal(it_wait_records(&cfg, s.dlq, 1, 30000), 1);

    char topic_env[160], out[8192];
    snprintf(topic_env, sizeof topic_env, "%s", s.dlq);
    const char *dry[] = {"replay", "--dlq-topic", topic_env, "--topic", s.in, "--dry-run", NULL};
    assert_int_equal(it_run_tool("argus-dlq", dry, out, sizeof out), 0);
    assert_non_null(strstr(out, "would replay"));
    assert_int_equal(it_wait_records(&cfg, s.in, 1, 0), 1); /* dry run produced nothing */

    const char *replay[] = {"replay", "--dlq-topic", topic_env, "--topic", s.in, "--quarantine-after", "1", NULL};
    assert_int_equal(it_run_tool("argus-dlq", replay, out, sizeof out), 0);
    assert_non_null(strstr(out, "1 replayed"));
    assert_int_equal(it_wait_records(&cfg, s.in, 2, 10000), 2);
    struct it_records in;
    it_read_topic(&cfg, s.in, &in);
    char count[16];
    assert_int_equal(argus_header_string(in.r[1].headers, ARGUS_REPLAY_COUNT, count, sizeof count), 0);
    assert_string_equal(count, "1");
    assert_string_equal(in.r[1].key, "replay-key");
    assert_string_equal(in.r[1].value, in.r[0].value);
    assert_true(in.r[0].timestamp_ms > 0);
    assert_true(in.r[1].timestamp_ms == in.r[0].timestamp_ms); /* the original's time, not the replay's */
    assert_false(header_present(in.r[1].headers, ARGUS_DLQ_ERROR_CLASS));
    it_records_free(&in);

    /* The worker dead-letters the replayed copy again, replay count carried; now it is quarantined. */
    assert_int_equal(it_wait_records(&cfg, s.dlq, 2, 30000), 2);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    const char *list[] = {"list", "--dlq-topic", topic_env, "--quarantine-after", "1", "--json", NULL};
    assert_int_equal(it_run_tool("argus-dlq", list, out, sizeof out), 0);
    /* the record that came back after the replay carries replay_count 1 and is quarantined */
    char *line = strstr(out, "\"replay_count\":1");
    assert_non_null(line);
    while (line > out && line[-1] != '\n')
        line--;
    cJSON *rec = cJSON_Parse(line);
    assert_non_null(rec);
    assert_string_equal(cJSON_GetObjectItem(rec, "state")->valuestring, "quarantined");
    char where[64];
    snprintf(where, sizeof where, "%d:%d", cJSON_GetObjectItem(rec, "dlq_partition")->valueint,
             cJSON_GetObjectItem(rec, "dlq_offset")->valueint);
    cJSON_Delete(rec);
    const char *again[] = {"replay", "--dlq-topic", topic_env, "--record", where, "--quarantine-after", "1", NULL};
    assert_int_equal(it_run_tool("argus-dlq", again, out, sizeof out), 0);
    assert_non_null(strstr(out, "0 replayed, 1 quarantined"));
    assert_int_equal(it_wait_records(&cfg, s.in, 2, 0), 2); /* nothing new on the topic */
}

/* A poison record too large for the DLQ topic is dead-lettered cut to fit, with its length in a
 * header, instead of stopping the worker; the partition goes on. */
static void oversized_dead_letter_is_cut(void **state)
{
    (void)state;
    struct scenario s;
    scenario_init(&s, "bigdlq", 1);
    char big_in[128];
    snprintf(big_in, sizeof big_in, "%s.big", s.in);
    it_topic_create_sized(&cfg, big_in, 1, 11534336);
    snprintf(s.env_in, sizeof s.env_in, "KAFKA_INPUT_TOPICS=%s", big_in);
    /* 1.5 MiB that compression cannot shrink below the DLQ topic's 1 MB default */
    size_t n = 1536 * 1024;
    char *pad = malloc(n + 1);
    unsigned x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        pad[i] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[(x >> 16) % 62];
    }
    pad[n] = '\0';
    char *value = malloc(n + 256);
    int len = snprintf(value, n + 256,
                       "{\"event_id\":\"big-1\",\"event_type\":\"test.record\",\"org_id\":\"o\","
                       "\"data\":{\"poison\":true,\"pad\":\"%s\"}}", pad);
    free(pad);
    rd_kafka_t *p = it_producer_new(&cfg);
    it_produce(p, big_in, "k", value, (size_t)len, NULL);
    for (int i = 0; i < 10; i++)
        it_produce_record(p, big_in, "after", i, "k", NULL);
    it_producer_close(p);
    free(value);

    struct it_proc w;
    start_worker(&w, &s, NULL);
    assert_int_equal(it_wait_records(&cfg, s.out, 10, 30000), 10);
    assert_int_equal(it_wait_records(&cfg, s.dlq, 1, 30000), 1);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    struct it_records dlq;
    it_read_topic(&cfg, s.dlq, &dlq);
    char cut[32];
    assert_int_equal(argus_header_string(dlq.r[0].headers, ARGUS_DLQ_TRUNCATED, cut, sizeof cut), 0);
    assert_int_equal(atol(cut), len);
    assert_true(dlq.r[0].value_len < (size_t)len && dlq.r[0].value_len > 900000);
    it_records_free(&dlq);
}

/* A handler stuck while there is lag turns liveness red; SIGTERM then ends the process at the drain
 * deadline even though the handler never returns. */
static void stalled_loop_fails_liveness(void **state)
{
    (void)state;
    struct scenario s;
    scenario_init(&s, "stall", 1);
    produce_range(s.in, "s", 0, 20);
    struct it_proc w;
    const char *stuck[] = {"TEST_HANDLER_DELAY_MS=60000", "WORKER_STALL_TIMEOUT_S=2",
                           "WORKER_SHUTDOWN_TIMEOUT_MS=1500", "WORKER_BATCH_SIZE=1", NULL};
    start_worker(&w, &s, stuck);
    if (it_proc_wait_http(&w, "/health", 503, 20000) != 0)
        fail_msg("liveness stayed green with a stuck handler (log: %s)", w.log);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 10000), 3); /* the drain watchdog's exit status */
    assert_true(it_group_lag(&cfg, s.group, s.in) > 0);    /* nothing was committed past the stuck one */
}

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commit_and_resume),
        cmocka_unit_test(poison_goes_to_dlq),
        cmocka_unit_test(retries_then_dead_letter),
        cmocka_unit_test(outage_pauses_without_dlq),
        cmocka_unit_test(sigterm_mid_batch),
        cmocka_unit_test(dlq_replay),
        cmocka_unit_test(oversized_dead_letter_is_cut),
        cmocka_unit_test(stalled_loop_fails_liveness),
    };
    int rc = cmocka_run_group_tests_name("consumer_loop", tests, NULL, NULL);
    argus_config_free(&cfg);
    return rc;
}
