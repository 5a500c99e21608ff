/* Integration test of the worker skeleton. scripts/new-worker makes a throwaway worker (Valkey,
 * PostgreSQL and HTTPS declared, one output) in a copy of this tree, never in the tree itself; the
 * worker must build with the copied libargus, pass its generated unit test through its worker.mk hook,
 * describe itself, pass every deployment check, and do a round trip through the test stack's Kafka:
 * an event in, its output out, a bad event in the DLQ with the reason. The copy is deleted at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argus/base/outcome.h"
#include "argus/kafka/dlq.h"
#include "it_env.h"
#include "it_kafka.h"
#include "it_proc.h"

#define NAME "skeleton"

static struct argus_config cfg;

struct copy {
    char root[PATH_MAX];          /* the copy of the tree */
    char build_rel[64];           /* its build directory, as this run's ("build" or "build/san") */
    char env_build[PATH_MAX];     /* ARGUS_BUILD=<copy>/<build_rel> */
    const char *san;              /* "SAN=1" when this run is the sanitizer build, else NULL */
    char out[1 << 16];            /* output of the last command */
};
static struct copy cp;

/* snprintf that fails the test instead of cutting a path short. */
__attribute__((format(printf, 3, 4))) static void fmt(char *out, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int len = vsnprintf(out, n, f, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= n)
        fail_msg("a path or command longer than %zu bytes", n);
}

/* The new worker's binary in the copy. */
static const char *worker_bin(void)
{
    static char bin[PATH_MAX];
    fmt(bin, sizeof bin, "%s/%s/bin/argus-" NAME "-worker", cp.root, cp.build_rel);
    return bin;
}

/* Runs a command in the copy. The make of this test run must not leak into it (its jobserver, its
 * flags): MAKEFLAGS and MAKELEVEL are cleared; extra (may be NULL) adds one variable. */
static int run_in_copy(const char *const *argv, const char *extra)
{
    const char *env[] = {"MAKEFLAGS=", "MAKELEVEL=", extra, NULL};
    return it_run_cmd(cp.root, argv, env, cp.out, sizeof cp.out);
}

static int file_has(const char *rel, const char *text)
{
    char path[PATH_MAX];
    fmt(path, sizeof path, "%s/%s", cp.root, rel);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    static char buf[1 << 18];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, text) != NULL;
}

/* The tree (sources, scripts, deployment files) and this run's libargus build, timestamps kept so that
 * make in the copy rebuilds only the new worker. */
static void copy_tree(void)
{
    const char *build = getenv("ARGUS_BUILD");
    char here[PATH_MAX];
    if (!build || !getcwd(here, sizeof here))
        fail_msg("ARGUS_BUILD is not set (run through scripts/run-tests)");
    size_t root_len = strlen(here);
    if (strncmp(build, here, root_len) || build[root_len] != '/')
        fail_msg("ARGUS_BUILD %s is not inside %s", build, here);
    fmt(cp.build_rel, sizeof cp.build_rel, "%s", build + root_len + 1);
    cp.san = strstr(cp.build_rel, "/san") ? "SAN=1" : NULL;
    snprintf(cp.root, sizeof cp.root, "/tmp/argus-skeleton-XXXXXX");
    if (!mkdtemp(cp.root))
        fail_msg("mkdtemp failed");
    fmt(cp.env_build, sizeof cp.env_build, "ARGUS_BUILD=%s/%s", cp.root, cp.build_rel);
    char script[4 * PATH_MAX];
    fmt(script, sizeof script,
             "tar -C %s --exclude=./build --exclude=./.git --exclude=./.argus --exclude=node_modules -cf - . | "
             "tar -C %s -xf - && mkdir -p %s/%s/obj && cp -a %s/obj/common %s/%s/obj/ && "
             "cp -a %s/libargus.a %s/bin %s/%s/",
             here, cp.root, cp.root, cp.build_rel, build, cp.root, cp.build_rel, build, build, cp.root, cp.build_rel);
    const char *argv[] = {"sh", "-c", script, NULL};
    if (it_run_cmd(NULL, argv, NULL, cp.out, sizeof cp.out) != 0)
        fail_msg("copying the tree to %s: %s", cp.root, cp.out);
}

static int group_setup(void **state)
{
    (void)state;
    it_config_load(&cfg);
    copy_tree();
    const char *argv[] = {"scripts/new-worker", NAME, "--topics", "argus.healing.requested", "--outputs",
                          "argus.healing.completed", "--uses", "valkey,database,https", "--apis",
                          "the sample API", "--summary", "A throwaway worker of the skeleton test.", NULL};
    if (run_in_copy(argv, cp.san) != 0) {
        fprintf(stderr, "scripts/new-worker failed:\n%s\n", cp.out);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (cp.root[0]) {
        const char *argv[] = {"rm", "-rf", cp.root, NULL};
        it_run_cmd(NULL, argv, NULL, NULL, 0);
    }
    argus_config_free(&cfg);
    return 0;
}

/* Every file of a worker is there, and the shared files list it. */
static void generates_every_file(void **state)
{
    (void)state;
    static const char *const files[] = {
        "workers/" NAME "/main.c", "workers/" NAME "/settings.c", "workers/" NAME "/handlers.c",
        "workers/" NAME "/" NAME ".h", "workers/" NAME "/worker.mk", "test/unit/test_" NAME ".c",
        "test/fuzz/fuzz_" NAME "_event.c", "docker/Dockerfile." NAME "-worker",
        "docker/Dockerfile." NAME "-worker.dockerignore", "kubernetes/base/workers/" NAME "-worker.yaml", NULL,
    };
    for (const char *const *f = files; *f; f++) {
        char path[PATH_MAX];
        fmt(path, sizeof path, "%s/%s", cp.root, *f);
        if (access(path, R_OK) != 0)
            fail_msg("scripts/new-worker did not write %s", *f);
    }
    assert_true(file_has("kubernetes/base/kustomization.yaml", "  - workers/" NAME "-worker.yaml"));
    assert_true(file_has("docker/docker-compose.data-layer.yml", "  " NAME "-worker:\n"));
    assert_true(file_has("docker/docker-compose.data-layer.yml", "profiles: [" NAME ", workers]"));
    assert_true(file_has("docs/operations.md", "| " NAME " | `" NAME "-worker` | `argus-" NAME "-workers` |"));
    assert_true(file_has("kubernetes/base/workers/" NAME "-worker.yaml", "argus.dev/uses-valkey: \"true\""));
    assert_true(file_has("kubernetes/base/workers/" NAME "-worker.yaml", "argus.dev/external-apis: \"the sample API\""));
    assert_true(file_has("workers/" NAME "/main.c", ".uses = ARGUS_USES_VALKEY | ARGUS_USES_DATABASE | ARGUS_USES_HTTPS"));
    /* and a second worker of the same name is refused, with nothing overwritten */
    const char *again[] = {"scripts/new-worker", NAME, "--topics", "argus.healing.requested", NULL};
    assert_int_equal(run_in_copy(again, NULL), 2);
    assert_non_null(strstr(cp.out, "exists already"));
}

/* worker.mk's hook: the generated unit test builds against the worker's objects and passes. */
static void unit_test_through_its_hook(void **state)
{
    (void)state;
    char target[128], binary[160];
    fmt(target, sizeof target, "%s/test/unit/test_" NAME, cp.build_rel);
    fmt(binary, sizeof binary, "./%s", target);
    const char *make[] = {"make", "--no-print-directory", target, NULL};
    if (run_in_copy(make, cp.san) != 0)
        fail_msg("make %s: %s", target, cp.out);
    const char *run[] = {binary, NULL};
    if (run_in_copy(run, NULL) != 0)
        fail_msg("%s: %s", binary, cp.out);
    assert_non_null(strstr(cp.out, "[  PASSED  ] 2 test(s)."));
    /* the fuzz hook gives make fuzz-build a rule for its target (-o: not the instrumented libargus) */
    const char *fuzz[] = {"make", "-n", "-o", "fuzz-lib", "-o", "build/fuzz/lib/libargus.a",
                          "build/fuzz/fuzz_" NAME "_event", NULL};
    if (run_in_copy(fuzz, NULL) != 0)
        fail_msg("make -n build/fuzz/fuzz_" NAME "_event: %s", cp.out);
    assert_non_null(strstr(cp.out, "test/fuzz/fuzz_" NAME "_event.c"));
}

static cJSON *describe(void)
{
    const char *argv[] = {worker_bin(), "--describe", NULL};
    if (it_run_cmd(NULL, argv, NULL, cp.out, sizeof cp.out) != 0)
        fail_msg("--describe: %s", cp.out);
    cJSON *d = cJSON_Parse(cp.out);
    if (!d)
        fail_msg("--describe is not JSON: %s", cp.out);
    return d;
}

/* The table the options made, as the binary describes it; a declared store is checked at start. */
static void describes_its_table(void **state)
{
    (void)state;
    cJSON *d = describe();
    assert_string_equal(cJSON_GetObjectItem(d, "group")->valuestring, "argus-" NAME "-workers");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "topics"), 0)->valuestring,
                        "argus.healing.requested");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "outputs"), 0)->valuestring,
                        "argus.healing.completed");
    char *uses = cJSON_PrintUnformatted(cJSON_GetObjectItem(d, "uses"));
    assert_string_equal(uses, "[\"kafka\",\"valkey\",\"database\",\"https\"]");
    free(uses);
    cJSON_Delete(d);

    const char *argv[] = {worker_bin(), "--check-config", NULL};
    const char *bad_url[] = {"DATABASE_URL=not a url", NULL};
    assert_int_equal(it_run_cmd(NULL, argv, bad_url, cp.out, sizeof cp.out), 2);
    assert_non_null(strstr(cp.out, "DATABASE_URL"));
}

/* test/deploy's checks, on the copy, against the copy's binaries. */
static void deployment_checks_pass(void **state)
{
    (void)state;
    const char *argv[] = {"sh", "-c",
                          "ARGUS_DEPLOY_CACHE=$(test/deploy/setup | tail -n 1) && export ARGUS_DEPLOY_CACHE && "
                          "node test/deploy/checks.mjs --root .",
                          NULL};
    if (run_in_copy(argv, cp.env_build) != 0)
        fail_msg("deployment checks of the copy with a new worker:\n%s", cp.out);
    assert_non_null(strstr(cp.out, "ok - workers-described"));
    assert_non_null(strstr(cp.out, "ok - k8s-network"));
}

static cJSON *value_of(const struct it_record *r)
{
    cJSON *j = cJSON_Parse(r->value);
    if (!j)
        fail_msg("not JSON: %s", r->value);
    return j;
}

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b)
        v = cJSON_GetObjectItemCaseSensitive(v, b);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* An event through the real broker: its output on the output topic (envelope, key, causation), and a
 * bad event in the DLQ with the reason. */
static void round_trip_through_kafka(void **state)
{
    (void)state;
    char base[64], in[96], out[96], dlq[96], e_in[128], e_out[128], e_dlq[128], e_group[128];
    it_unique_name(base, sizeof base, NAME);
    snprintf(in, sizeof in, "it.%s.in", base);
    snprintf(out, sizeof out, "it.%s.out", base);
    snprintf(dlq, sizeof dlq, "it.%s.dlq", base);
    it_topic_create(&cfg, in, 3);
    it_topic_create(&cfg, out, 3);
    it_topic_create(&cfg, dlq, 1);
    snprintf(e_in, sizeof e_in, "KAFKA_INPUT_TOPICS=%s", in);
    snprintf(e_out, sizeof e_out, "SKELETON_OUTPUT_TOPIC=%s", out);
    snprintf(e_dlq, sizeof e_dlq, "KAFKA_DLQ_TOPIC=%s", dlq);
    snprintf(e_group, sizeof e_group, "KAFKA_CONSUMER_GROUP=it-%s", base);

    const char *env[] = {e_in, e_out, e_dlq, e_group, "LOG_LEVEL=info", NULL};
    struct it_proc w;
    it_proc_start(&w, worker_bin(), env);
    if (it_proc_wait_http(&w, "/ready", 200, 30000) != 0)
        fail_msg("the new worker is not ready (log: %s)", w.log);

    rd_kafka_t *p = it_producer_new(&cfg);
    const char good[] = "{\"event_id\":\"skel-1\",\"event_type\":\"healing.requested\",\"org_id\":\"acme\","
                        "\"correlation_id\":\"c-9\",\"data\":{\"subject\":\"login button\"}}";
    const char bad[] = "{\"event_id\":\"skel-2\",\"event_type\":\"healing.requested\",\"org_id\":\"acme\",\"data\":{}}";
    it_produce(p, in, "k-1", good, strlen(good), NULL);
    it_produce(p, in, "k-2", bad, strlen(bad), NULL);
    it_producer_close(p);

    if (it_wait_records(&cfg, out, 1, 30000) < 1 || it_wait_records(&cfg, dlq, 1, 30000) < 1)
        fail_msg("no output or no dead letter within 30 s (log: %s)", w.log);
    assert_int_equal(it_proc_stop(&w, SIGTERM, 25000), 0);

    struct it_records rs;
    it_read_topic(&cfg, out, &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.r[0].key, "k-1");
    cJSON *o = value_of(&rs.r[0]);
    assert_string_equal(str_at(o, "event_type", NULL), "healing.completed");
    assert_string_equal(str_at(o, "causation_id", NULL), "skel-1");
    assert_string_equal(str_at(o, "correlation_id", NULL), "c-9");
    assert_string_equal(str_at(o, "org_id", NULL), "acme");
    assert_string_equal(str_at(o, "data", "subject"), "login button");
    cJSON_Delete(o);
    it_records_free(&rs);

    it_read_topic(&cfg, dlq, &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.r[0].key, "k-2");
    char cls[64], why[256], worker[64];
    assert_int_equal(argus_header_string(rs.r[0].headers, ARGUS_DLQ_ERROR_CLASS, cls, sizeof cls), 0);
    assert_int_equal(argus_header_string(rs.r[0].headers, ARGUS_DLQ_ERROR_MESSAGE, why, sizeof why), 0);
    assert_int_equal(argus_header_string(rs.r[0].headers, ARGUS_DLQ_WORKER, worker, sizeof worker), 0);
    assert_string_equal(cls, ARGUS_ERR_VALIDATION);
    assert_non_null(strstr(why, "data.subject missing"));
    assert_string_equal(worker, "argus-" NAME "-worker");
    it_records_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generates_every_file),
        cmocka_unit_test(unit_test_through_its_hook),
        cmocka_unit_test(describes_its_table),
        cmocka_unit_test(deployment_checks_pass),
        cmocka_unit_test(round_trip_through_kafka),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
