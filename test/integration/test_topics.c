/* Integration test: the stack's topics match config/topics.tsv (the README's partition counts, the
 * retention and size limits), and scripts/create-topics.sh is idempotent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argus/kafka/kafka_admin.h"
#include "argus/kafka/topic_table.h"
#include "it_env.h"

static struct argus_config cfg;

static void check_topics(const struct argus_topic_table *t, rd_kafka_t *rk)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct argus_topic_spec *s = &t->topics[i];
        char err[512], value[64];
        int have = argus_admin_partition_count(rk, s->name, 10000, err, sizeof err);
        if (have != s->partitions)
            fail_msg("%s: %d partitions on the broker, %d in the table", s->name, have, s->partitions);
        if (argus_admin_topic_config(rk, s->name, "retention.ms", value, sizeof value, 10000, err, sizeof err))
            fail_msg("%s", err);
        assert_int_equal(atoll(value), s->retention_ms);
        if (argus_admin_topic_config(rk, s->name, "max.message.bytes", value, sizeof value, 10000, err, sizeof err))
            fail_msg("%s", err);
        assert_int_equal(atoll(value), s->max_message_bytes);
        if (argus_admin_topic_config(rk, s->name, "cleanup.policy", value, sizeof value, 10000, err, sizeof err))
            fail_msg("%s", err);
        assert_string_equal(value, "delete");
    }
}

static void topics_match_the_table(void **state)
{
    (void)state;
    struct argus_topic_table t;
    char err[512];
    if (argus_topic_table_load("config/topics.tsv", &t, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(t.n, 12);
    rd_kafka_t *rk = argus_admin_new(&cfg, err, sizeof err);
    assert_non_null(rk);
    check_topics(&t, rk);

    /* A second run changes nothing and succeeds. */
    int rc = system("scripts/create-topics.sh > /dev/null");
    assert_int_equal(rc, 0);
    check_topics(&t, rk);
    rd_kafka_destroy(rk);
    argus_topic_table_free(&t);
}

static void record(void *arg, const struct argus_topic_spec *spec, enum argus_topic_action a, const char *d)
{
    (void)spec;
    (void)d;
    *(enum argus_topic_action *)arg = a;
}

/* Changing a topic's retention or size in the table changes it on the broker; a rerun changes nothing. */
static void configs_follow_the_table(void **state)
{
    (void)state;
    char name[96], text[256], err[512], value[64];
    it_unique_name(name, sizeof name, "it.cfg");
    rd_kafka_t *rk = argus_admin_new(&cfg, err, sizeof err);
    assert_non_null(rk);
    static const char *const steps[][3] = {{"86400000", "2000000", "created"},
                                           {"172800000", "2000000", "configs"},
                                           {"172800000", "3000000", "configs"},
                                           {"172800000", "3000000", "unchanged"}};
    for (size_t i = 0; i < 4; i++) {
        struct argus_topic_table t;
        snprintf(text, sizeof text, "%s 2 %s %s test\n", name, steps[i][0], steps[i][1]);
        assert_int_equal(argus_topic_table_parse(text, "t", &t, err, sizeof err), 0);
        enum argus_topic_action a = ARGUS_TOPIC_FAILED;
        assert_int_equal(argus_admin_ensure_topics(rk, &t, 1, 10000, record, &a), 0);
        enum argus_topic_action want = !strcmp(steps[i][2], "created") ? ARGUS_TOPIC_CREATED
                                     : !strcmp(steps[i][2], "configs") ? ARGUS_TOPIC_CONFIGS_UPDATED
                                     : ARGUS_TOPIC_UNCHANGED;
        assert_int_equal(a, want);
        /* The broker applies an alteration a moment after acknowledging it. */
        for (int tries = 0; tries < 50; tries++) {
            char max[64];
            assert_int_equal(argus_admin_topic_config(rk, name, "retention.ms", value, sizeof value, 10000, err, sizeof err), 0);
            assert_int_equal(argus_admin_topic_config(rk, name, "max.message.bytes", max, sizeof max, 10000, err, sizeof err), 0);
            if (!strcmp(value, steps[i][0]) && !strcmp(max, steps[i][1]))
                break;
            usleep(100 * 1000);
        }
        assert_string_equal(value, steps[i][0]);
        assert_int_equal(argus_admin_topic_config(rk, name, "max.message.bytes", value, sizeof value, 10000, err, sizeof err), 0);
        assert_string_equal(value, steps[i][1]);
        argus_topic_table_free(&t);
    }
    rd_kafka_destroy(rk);
}

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(topics_match_the_table),
        cmocka_unit_test(configs_follow_the_table),
    };
    int rc = cmocka_run_group_tests_name("topics", tests, NULL, NULL);
    argus_config_free(&cfg);
    return rc;
}
