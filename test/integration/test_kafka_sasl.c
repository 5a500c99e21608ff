/* Integration test: SASL settings pass through to librdkafka. argus-test-worker consumes and produces
 * through the broker's SASL_PLAINTEXT listener with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; a wrong
 * password keeps it not ready, says why, and never writes the password to its log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "it_env.h"
#include "it_kafka.h"
#include "it_proc.h"

static struct argus_config cfg;

struct sasl_env {
    char in[96], out[96], e_in[128], e_out[128], e_group[128], e_boot[128], e_mech[64], e_user[128], e_pass[160];
};

static void sasl_env(struct sasl_env *s, const char *mechanism, const char *password)
{
    char base[64];
    it_unique_name(base, sizeof base, "sasl");
    snprintf(s->in, sizeof s->in, "it.%s.in", base);
    snprintf(s->out, sizeof s->out, "it.%s.out", base);
    it_topic_create(&cfg, s->in, 2);
    it_topic_create(&cfg, s->out, 1);
    snprintf(s->e_in, sizeof s->e_in, "KAFKA_INPUT_TOPICS=%s", s->in);
    snprintf(s->e_out, sizeof s->e_out, "TEST_OUTPUT_TOPIC=%s", s->out);
    snprintf(s->e_group, sizeof s->e_group, "KAFKA_CONSUMER_GROUP=it-%s", base);
    snprintf(s->e_boot, sizeof s->e_boot, "KAFKA_BOOTSTRAP_SERVERS=%s", getenv("ARGUS_KAFKA_SASL_BOOTSTRAP"));
    snprintf(s->e_mech, sizeof s->e_mech, "KAFKA_SASL_MECHANISM=%s", mechanism);
    snprintf(s->e_user, sizeof s->e_user, "KAFKA_SASL_USERNAME=%s", getenv("ARGUS_KAFKA_SASL_USER"));
    snprintf(s->e_pass, sizeof s->e_pass, "KAFKA_SASL_PASSWORD=%s", password);
}

static void consume_with(const char *mechanism)
{
    if (!getenv("ARGUS_KAFKA_SASL_BOOTSTRAP"))
        skip();
    struct sasl_env s;
    sasl_env(&s, mechanism, getenv("ARGUS_KAFKA_SASL_PASSWORD"));
    const char *env[] = {s.e_in, s.e_out, s.e_group, s.e_boot, s.e_mech, s.e_user, s.e_pass,
                         "KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT", NULL};
    struct it_proc w;
    it_proc_start(&w, "argus-test-worker", env);
    if (it_proc_wait_http(&w, "/ready", 200, 30000) != 0)
        fail_msg("worker not ready over SASL %s (log: %s)", mechanism, w.log);
    rd_kafka_t *p = it_producer_new(&cfg);
    for (int i = 0; i < 50; i++)
        it_produce_record(p, s.in, mechanism, i, "k", NULL);
    it_producer_close(p);
    assert_int_equal(it_wait_records(&cfg, s.out, 50, 30000), 50);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
}

static void plain(void **state)
{
    (void)state;
    consume_with("PLAIN");
}

static void scram_sha_256(void **state)
{
    (void)state;
    consume_with("SCRAM-SHA-256");
}

static void scram_sha_512(void **state)
{
    (void)state;
    consume_with("SCRAM-SHA-512");
}

static void wrong_password(void **state)
{
    (void)state;
    if (!getenv("ARGUS_KAFKA_SASL_BOOTSTRAP"))
        skip();
    struct sasl_env s;
    const char *secret = "not-the-password-Zq7";
    sasl_env(&s, "SCRAM-SHA-512", secret);
    const char *env[] = {s.e_in, s.e_out, s.e_group, s.e_boot, s.e_mech, s.e_user, s.e_pass,
                         "KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT", "LOG_LEVEL=debug", NULL};
    struct it_proc w;
    it_proc_start(&w, "argus-test-worker", env);
    assert_int_equal(it_proc_wait_http(&w, "/ready", 200, 8000), -1);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 30000), 0);
    FILE *f = fopen(w.log, "r");
    assert_non_null(f);
    char line[4096];
    int auth_error = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, secret))
            fail_msg("the SASL password is in the log: %s", line);
        auth_error |= strstr(line, "uthentication") != NULL;
    }
    fclose(f);
    assert_true(auth_error);
}

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain),
        cmocka_unit_test(scram_sha_256),
        cmocka_unit_test(scram_sha_512),
        cmocka_unit_test(wrong_password),
    };
    int rc = cmocka_run_group_tests_name("kafka_sasl", tests, NULL, NULL);
    argus_config_free(&cfg);
    return rc;
}
