/* Unit tests for --describe (argus_worker_describe): the worker table as JSON, with every setting of
 * the worker's blocks and of libargus, secrets marked and their defaults never printed, and the
 * stores a worker declares in the network labels' vocabulary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/runtime/worker_spec.h"

struct sample_settings {
    char *output_topic;
    char *api_token;
    int rate;
    char *mode;
};
static struct sample_settings settings;
static const char *const modes[] = {"fast", "slow", NULL};

#define SET(f) offsetof(struct sample_settings, f)
static const struct argus_env_var sample_env[] = {
    {"SAMPLE_OUTPUT_TOPIC", ARGUS_ENV_STRING, "argus.sample.done", SET(output_topic), 0, 0, NULL, 0, "outputs", NULL},
    {"SAMPLE_API_TOKEN", ARGUS_ENV_STRING, "do-not-print-me", SET(api_token), 0, 0, NULL, ARGUS_ENV_SECRET, "token",
     "SAMPLE_TOKEN"},
    {NULL, 0, NULL, 0, 0, 0, NULL, 0, NULL, NULL},
};
static const struct argus_env_var part_env[] = {
    {"SAMPLE_RATE", ARGUS_ENV_INT, "5", SET(rate), 1, 100, NULL, ARGUS_ENV_REQUIRED, "per second", NULL},
    {"SAMPLE_MODE", ARGUS_ENV_CHOICE, "fast", SET(mode), 0, 0, modes, 0, "how", NULL},
    {NULL, 0, NULL, 0, 0, 0, NULL, 0, NULL, NULL},
};

static enum argus_outcome handle(void *ctx, struct argus_item *it)
{
    (void)ctx;
    (void)it;
    return ARGUS_OK;
}

static const struct argus_route routes[] = {
    {"sample.requested", handle},
    {"sample.retried", handle},
    {NULL, NULL},
};

/* Runs argus_worker_describe into memory and parses what it wrote (fails the test if it is not JSON). */
static cJSON *describe(const struct argus_worker_spec *spec)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(argus_worker_describe(spec, out), 0);
    fclose(out);
    assert_null(strstr(text, "do-not-print-me"));
    cJSON *j = cJSON_Parse(text);
    if (!j)
        fail_msg("--describe is not JSON: %s", text);
    free(text);
    return j;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void assert_strings(const cJSON *o, const char *key, const char *const *want)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsArray(a));
    size_t n = 0;
    for (; want[n]; n++) {
        const cJSON *item = cJSON_GetArrayItem(a, (int)n);
        if (!cJSON_IsString(item) || strcmp(item->valuestring, want[n]))
            fail_msg("%s[%zu] is not %s", key, n, want[n]);
    }
    assert_int_equal(cJSON_GetArraySize(a), n);
}

static const cJSON *env_named(const cJSON *j, const char *name)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(j, "env"))
    {
        if (str(v, "name") && !strcmp(str(v, "name"), name))
            return v;
    }
    fail_msg("no setting %s in the description", name);
    return NULL;
}

static void table_as_json(void **state)
{
    (void)state;
    const struct argus_worker_spec spec = {
        .name = "sample",
        .summary = "Samples things.",
        .group = "argus-sample-workers",
        .topics = "argus.sample.requested, argus.sample.retried",
        .outputs = "argus.sample.done",
        .uses = ARGUS_USES_VALKEY | ARGUS_USES_DATABASE | ARGUS_USES_HTTPS,
        .external_apis = "the Sample API",
        .routes = routes,
        .env = (const struct argus_env_block[]){{sample_env, &settings}, {part_env, &settings}, {NULL, NULL}},
    };
    cJSON *j = describe(&spec);
    assert_string_equal(str(j, "worker"), "sample");
    assert_string_equal(str(j, "binary"), "argus-sample-worker");
    assert_string_equal(str(j, "group"), "argus-sample-workers");
    assert_string_equal(str(j, "version"), ARGUS_VERSION);
    assert_string_equal(str(j, "external_apis"), "the Sample API");
    assert_strings(j, "topics", (const char *const[]){"argus.sample.requested", "argus.sample.retried", NULL});
    assert_strings(j, "outputs", (const char *const[]){"argus.sample.done", NULL});
    assert_strings(j, "event_types", (const char *const[]){"sample.requested", "sample.retried", NULL});
    assert_strings(j, "uses", (const char *const[]){"kafka", "valkey", "database", "https", NULL});

    const cJSON *token = env_named(j, "SAMPLE_API_TOKEN");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(token, "secret")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(token, "default")));
    assert_string_equal(str(token, "alias"), "SAMPLE_TOKEN");
    assert_string_equal(str(token, "owner"), "worker");

    const cJSON *rate = env_named(j, "SAMPLE_RATE"); /* from the second block */
    assert_string_equal(str(rate, "type"), "int");
    assert_string_equal(str(rate, "default"), "5");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(rate, "max")->valueint, 100);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rate, "required")));
    const cJSON *mode = env_named(j, "SAMPLE_MODE");
    assert_strings(mode, "choices", (const char *const[]){"fast", "slow", NULL});

    /* libargus's own settings come along, its secrets marked too */
    const cJSON *group = env_named(j, "KAFKA_CONSUMER_GROUP");
    assert_string_equal(str(group, "owner"), "libargus");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(env_named(j, "KAFKA_SASL_PASSWORD"), "secret")));
    cJSON_Delete(j);
}

static void bare_worker(void **state)
{
    (void)state;
    const struct argus_worker_spec spec = {.name = "bare", .group = "argus-bare-workers", .topics = "a"};
    cJSON *j = describe(&spec);
    assert_strings(j, "outputs", (const char *const[]){NULL});
    assert_strings(j, "event_types", (const char *const[]){NULL});
    assert_strings(j, "uses", (const char *const[]){"kafka", NULL});
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "external_apis")));
    assert_string_equal(str(env_named(j, "KAFKA_INPUT_TOPICS"), "owner"), "libargus");
    cJSON_Delete(j);
}

/* A description that cannot be written (a closed pipe, a full disk) is an error, not a silent success. */
static void write_error(void **state)
{
    (void)state;
    const struct argus_worker_spec spec = {.name = "bare", .group = "g", .topics = "a"};
    char tiny[16];
    FILE *out = fmemopen(tiny, sizeof tiny, "w");
    assert_non_null(out);
    setvbuf(out, NULL, _IONBF, 0);
    assert_int_equal(argus_worker_describe(&spec, out), -1);
    fclose(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_as_json),
        cmocka_unit_test(bare_worker),
        cmocka_unit_test(write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
