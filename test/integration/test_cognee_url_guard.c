/* The cognee worker end to end (Kafka, FalkorDB) against codebase.ingested events whose
 * repository_url points inward, as an attacker with a dashboard account would send them: each is
 * dead-lettered at once (one attempt, class destination_refused, the rule in the message), its
 * credentials and tokens appear neither in the DLQ headers nor in the worker's log, a listener on the
 * URLs' port records no connection, and the partition keeps flowing: an ingest queued behind them
 * on the same partition is analysed. OUTBOUND_ALLOW_HTTP is on, as on the local stack, so the
 * address rules decide. (test_url_guard covers names, rebinding and redirects in a private network.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/kafka/dlq.h"
#include "it_cognee.h"
#include "it_env.h"
#include "it_kafka.h"
#include "it_proc.h"
#include "tcp_recorder.h"

#define FIXTURE "test/fixtures/repo"
#define SECRET_TOKEN "ghp_S3CRETtoken0123456789"
#define SECRET_QUERY "glpat-S3CRETquery98765"

static struct argus_config cfg;

static const struct {
    const char *url;   /* PORT: the listener's port */
    const char *rule;
} INWARD[] = {
    {"http://127.0.0.1:PORT/metrics", "loopback"},
    {"http://[::1]:PORT/", "loopback"},
    {"http://0x7f000001:PORT/", "loopback"},
    {"http://localhost.:PORT/", "loopback"},
    {"http://[::ffff:127.0.0.1]:PORT/", "loopback via ipv4-mapped"},
    {"http://169.254.169.254/latest/meta-data/?port=PORT", "metadata"},
    {"https://x-access-token:" SECRET_TOKEN "@127.0.0.1:PORT/acme/shop.git?private_token=" SECRET_QUERY, "loopback"},
};
#define N_INWARD (sizeof INWARD / sizeof INWARD[0])

/* template with PORT replaced by port */
static void with_port(const char *template, int port, char *out, size_t n)
{
    const char *at = strstr(template, "PORT");
    assert_non_null(at);
    snprintf(out, n, "%.*s%d%s", (int)(at - template), template, port, at + 4);
}

static char *ingest_event(const char *org, const char *id, const char *url)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "repository_id", "shop");
    cJSON_AddStringToObject(data, "repository_url", url);
    cJSON_AddStringToObject(data, "branch", "main");
    return it_gateway_event("codebase.ingested", org, "p", id, NULL, data);
}

/* No header of the record carries a secret of the URLs. */
static void assert_headers_clean(const rd_kafka_headers_t *h)
{
    const char *name;
    const void *value;
    size_t size;
    for (size_t i = 0; rd_kafka_header_get_all(h, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%.*s", (int)(size < 1000 ? size : 1000), value ? (const char *)value : "");
        if (strstr(text, "S3CRET"))
            fail_msg("header %s shows a secret: %s", name, text);
    }
}

static int file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot read %s", path);
    char line[8192];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

static void inward_repository_urls_dead_lettered_at_once(void **state)
{
    (void)state;
    struct tcp_recorder *trap = tcp_recorder_start("::", 0);
    assert_non_null(trap);
    struct it_cognee_worker w;
    const char *more[] = {"OUTBOUND_ALLOW_HTTP=true", NULL};
    it_cognee_start(&w, &cfg, "ssrf", 1, 0, more);
    char org[64];
    it_unique_name(org, sizeof org, "org");
    for (size_t i = 0; i < N_INWARD; i++) {
        char url[512], id[32];
        with_port(INWARD[i].url, tcp_recorder_port(trap), url, sizeof url);
        snprintf(id, sizeof id, "inward-%zu", i);
        it_cognee_send(&w, org, ingest_event(org, id, url));
    }
    /* behind them on the one partition: analysed, so the refusals held nothing up */
    it_cognee_send(&w, org, it_gateway_event("codebase.ingested", org, "p", "good", NULL,
                                             it_inline_ingest_data(FIXTURE, "shop", NULL)));
    cJSON *analyzed = it_cognee_wait_analyzed(&w, 1);
    assert_string_equal(cJSON_GetObjectItem(analyzed, "status")->valuestring, "analyzed");
    cJSON_Delete(analyzed);
    assert_int_equal(it_wait_records(&cfg, w.dlq, N_INWARD, 30000), N_INWARD);
    it_cognee_stop(&w);

    struct it_records rs;
    it_read_topic(&cfg, w.dlq, &rs);
    assert_int_equal(rs.n, N_INWARD);
    for (size_t i = 0; i < rs.n; i++) {
        char cls[64], msg[512], attempts[16], id[32];
        argus_header_string(rs.r[i].headers, ARGUS_DLQ_ERROR_CLASS, cls, sizeof cls);
        argus_header_string(rs.r[i].headers, ARGUS_DLQ_ERROR_MESSAGE, msg, sizeof msg);
        argus_header_string(rs.r[i].headers, ARGUS_DLQ_ATTEMPTS, attempts, sizeof attempts);
        snprintf(id, sizeof id, "\"inward-%zu\"", i);
        assert_non_null(strstr(rs.r[i].value, id));   /* in order: one partition */
        char want[96];
        snprintf(want, sizeof want, "repository_url: destination refused (%s", INWARD[i].rule);
        if (strcmp(cls, "destination_refused") || !strstr(msg, want))
            fail_msg("%s: %s \"%s\", want a refusal by %s", INWARD[i].url, cls, msg, INWARD[i].rule);
        assert_string_equal(attempts, "1");
        assert_headers_clean(rs.r[i].headers);
    }
    it_records_free(&rs);
    assert_false(file_contains(w.proc.log, "S3CRET"));
    assert_true(file_contains(w.proc.log, "outbound.refused"));
    assert_int_equal(tcp_recorder_connections(trap), 0);
    tcp_recorder_stop(trap);
}

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inward_repository_urls_dead_lettered_at_once),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    argus_config_free(&cfg);
    return rc;
}
