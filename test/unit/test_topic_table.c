/* Unit tests for the topic table parser: columns, defaults, comments and precise errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "argus/kafka/topic_table.h"

static void parses_rows_and_comments(void **state)
{
    (void)state;
    struct argus_topic_table t;
    char err[256];
    const char *text = "# comment line\n"
                       "argus.codebase.ingested\t6\t604800000\t11534336\tNew codebase  # trailing\n"
                       "\n"
                       "   argus.dlq 3 -1 - Dead letters\n"
                       "argus.x 1 - -";
    assert_int_equal(argus_topic_table_parse(text, "t", &t, err, sizeof err), 0);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.topics[0].name, "argus.codebase.ingested");
    assert_int_equal(t.topics[0].partitions, 6);
    assert_int_equal(t.topics[0].retention_ms, 604800000LL);
    assert_int_equal(t.topics[0].max_message_bytes, 11534336LL);
    assert_string_equal(t.topics[0].description, "New codebase");
    assert_int_equal(t.topics[1].retention_ms, -1);
    assert_int_equal(t.topics[1].max_message_bytes, 0);
    assert_string_equal(t.topics[1].description, "Dead letters");
    assert_non_null(argus_topic_table_find(&t, "argus.x"));
    assert_null(argus_topic_table_find(&t, "argus.y"));
    argus_topic_table_free(&t);
}

static void expect_error(const char *text, const char *want)
{
    struct argus_topic_table t;
    char err[256] = "";
    assert_int_equal(argus_topic_table_parse(text, "topics.tsv", &t, err, sizeof err), -1);
    if (!strstr(err, want))
        fail_msg("'%s' does not contain '%s'", err, want);
    assert_null(t.topics);
}

static void errors_name_the_line(void **state)
{
    (void)state;
    expect_error("a 1 - -\nb x - -\n", "topics.tsv:2: b: partitions 'x'");
    expect_error("a 0 - -\n", "topics.tsv:1: a: partitions '0'");
    expect_error("a 1 -2 -\n", "retention.ms '-2'");
    expect_error("a 1 - big\n", "max.message.bytes 'big'");
    expect_error("a 1\n", "expected: name partitions");
    expect_error("bad/name 1 - -\n", "invalid topic name");
    expect_error("a 1 - -\na 2 - -\n", "topics.tsv:2: topic a listed twice");
}

static void project_table_has_readme_topics(void **state)
{
    (void)state;
    struct argus_topic_table t;
    char err[256];
    if (argus_topic_table_load("config/topics.tsv", &t, err, sizeof err) != 0)
        fail_msg("%s", err);
    static const struct { const char *name; int partitions; } readme[] = {
        {"argus.codebase.ingested", 6}, {"argus.codebase.analyzed", 6}, {"argus.test.created", 12},
        {"argus.test.executed", 12},    {"argus.test.failed", 6},       {"argus.healing.requested", 6},
        {"argus.healing.completed", 6}, {"argus.integration.github", 6}, {"argus.integration.jira", 3},
        {"argus.integration.slack", 3}, {"argus.notification.send", 6}, {"argus.dlq", 3},
    };
    assert_int_equal(t.n, sizeof readme / sizeof readme[0]);
    for (size_t i = 0; i < t.n; i++) {
        const struct argus_topic_spec *s = argus_topic_table_find(&t, readme[i].name);
        if (!s)
            fail_msg("%s missing from config/topics.tsv", readme[i].name);
        assert_int_equal(s->partitions, readme[i].partitions);
    }
    /* events up to 10 MiB must fit */
    assert_true(argus_topic_table_find(&t, "argus.codebase.ingested")->max_message_bytes >= 10485760 + 65536);
    assert_true(argus_topic_table_find(&t, "argus.dlq")->max_message_bytes >= 10485760 + 65536);
    argus_topic_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_rows_and_comments),
        cmocka_unit_test(errors_name_the_line),
        cmocka_unit_test(project_table_has_readme_topics),
    };
    return cmocka_run_group_tests_name("topic_table", tests, NULL, NULL);
}
