/* Unit tests for environment configuration: defaults, validation errors naming the variable,
 * aliases, lists, and secrets never printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/config.h"

static void clear_env(void)
{
    for (const struct argus_env_var *v = argus_config_vars; v->name; v++) {
        unsetenv(v->name);
        if (v->alias)
            unsetenv(v->alias);
    }
}

static int setup(void **state)
{
    (void)state;
    clear_env();
    return 0;
}

static void defaults_match_readme(void **state)
{
    (void)state;
    struct argus_config c;
    char err[256];
    assert_int_equal(argus_config_load(&c, "argus-test-workers", "a.b, c.d ,,", err, sizeof err), 0);
    assert_string_equal(c.bootstrap_servers, "localhost:19092");
    assert_string_equal(c.falkordb_host, "localhost");
    assert_int_equal(c.falkordb_port, 6379);
    assert_string_equal(c.falkordb_password, "argus_dev_password");
    assert_int_equal(c.valkey_port, 6380);
    assert_string_equal(c.valkey_password, "argus_cache_password");
    assert_string_equal(c.group_id, "argus-test-workers");
    assert_int_equal(c.input_topics.n, 2);
    assert_string_equal(c.input_topics.items[0], "a.b");
    assert_string_equal(c.input_topics.items[1], "c.d");
    assert_string_equal(c.dlq_topic, "argus.dlq");
    assert_int_equal(c.health_port, 8080);
    argus_config_free(&c);
}

static void bad_integer_names_variable(void **state)
{
    (void)state;
    struct argus_config c;
    char err[256];
    setenv("WORKER_BATCH_SIZE", "12x", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "WORKER_BATCH_SIZE=12x"));
    assert_null(strchr(err, '\n'));
    setenv("WORKER_BATCH_SIZE", "0", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "out of range"));
    unsetenv("WORKER_BATCH_SIZE");
    /* one loop per process: a concurrency the loop would not honour is refused, not ignored */
    setenv("WORKER_CONCURRENCY", "4", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "WORKER_CONCURRENCY=4: out of range (expected 1..1)"));
    setenv("WORKER_CONCURRENCY", "1", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(c.concurrency, 1);
    argus_config_free(&c);
}

static void bad_choice_names_variable(void **state)
{
    (void)state;
    struct argus_config c;
    char err[256];
    setenv("KAFKA_SECURITY_PROTOCOL", "TLS", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "KAFKA_SECURITY_PROTOCOL=TLS"));
    setenv("KAFKA_SECURITY_PROTOCOL", "sasl_ssl", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "KAFKA_SASL_USERNAME"));
    setenv("KAFKA_SASL_USERNAME", "argus-service", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), 0);
    assert_string_equal(c.security_protocol, "SASL_SSL");
    argus_config_free(&c);
}

static void alias_is_read_when_name_unset(void **state)
{
    (void)state;
    struct argus_config c;
    char err[256];
    setenv("HEALTH_CHECK_PORT", "9099", 1);
    setenv("REDPANDA_BROKERS", "b1:9092,b2:9092", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(c.health_port, 9099);
    assert_string_equal(c.bootstrap_servers, "b1:9092,b2:9092");
    argus_config_free(&c);
    setenv("HEALTH_PORT", "9100", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(c.health_port, 9100);
    argus_config_free(&c);
}

static void secrets_are_never_printed(void **state)
{
    (void)state;
    struct argus_config c;
    char err[256];
    setenv("FALKORDB_PASSWORD", "s3cr3t-graph", 1);
    setenv("KAFKA_SASL_PASSWORD", "s3cr3t-kafka", 1);
    setenv("DATABASE_URL", "postgresql://u:s3cr3t-db@h/db", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    argus_env_print_values(f, argus_config_vars, &c);
    argus_env_print_help(f, argus_config_vars);
    fclose(f);
    assert_null(strstr(text, "s3cr3t"));
    assert_null(strstr(text, "argus_dev_password"));
    assert_non_null(strstr(text, "FALKORDB_PASSWORD=<set>"));
    free(text);
    argus_config_free(&c);

    setenv("WORKER_MAX_ATTEMPTS", "x", 1);
    setenv("KAFKA_SASL_PASSWORD", "", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), -1);
    assert_null(strstr(err, "s3cr3t"));
}

static void backoff_limits_are_consistent(void **state)
{
    (void)state;
    struct argus_config c;
    char err[256];
    setenv("WORKER_BACKOFF_INITIAL_MS", "5000", 1);
    setenv("WORKER_BACKOFF_MAX_MS", "1000", 1);
    assert_int_equal(argus_config_load(&c, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "WORKER_BACKOFF_MAX_MS"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(defaults_match_readme, setup),
        cmocka_unit_test_setup(bad_integer_names_variable, setup),
        cmocka_unit_test_setup(bad_choice_names_variable, setup),
        cmocka_unit_test_setup(alias_is_read_when_name_unset, setup),
        cmocka_unit_test_setup(secrets_are_never_printed, setup),
        cmocka_unit_test_setup(backoff_limits_are_consistent, setup),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
