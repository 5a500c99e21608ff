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

#include "argus/kafka_admin.h"
#include "argus/topic_table.h"
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

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(topics_match_the_table),
    };
    int rc = cmocka_run_group_tests_name("topics", tests, NULL, NULL);
    argus_config_free(&cfg);
    return rc;
}
