/* Test events into the graph: test.created (Test, its selectors), test.executed (a RAN edge per test
 * and run, or the Run of an aggregate run event) and test.failed (Failure, FAILED_WITH, SIMILAR_TO).
 * Rows are queued for the batch's coalesced writes; nothing is written here. */
#include "cognee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/timeutil.h"
#include "embeddings.h"

double cognee_event_at_ms(const struct argus_item *it)
{
    if (it->event.has_timestamp)
        return (double)(it->event.timestamp_us / 1000);
    return (double)(it->msg.timestamp_ms >= 0 ? it->msg.timestamp_ms : argus_now_us() / 1000);
}

static void copy_string(cJSON *props, const struct argus_event *ev, const char *field, const char *as)
{
    const char *v = argus_event_str(ev, field);
    if (v)
        cJSON_AddStringToObject(props, as ? as : field, v);
}

static void copy_number(cJSON *props, const struct argus_event *ev, const char *field, const char *as)
{
    double d;
    if (argus_event_double(ev, field, &d))
        cJSON_AddNumberToObject(props, as ? as : field, d);
}

static cJSON *id_row(const char *id)
{
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "id", id);
    return row;
}

static cJSON *props_row(const char *id, cJSON **props)
{
    cJSON *row = id_row(id);
    *props = cJSON_AddObjectToObject(row, "props");
    return row;
}

/* The run a per-test event belongs to: data.run_id, data.metadata.run_id, the correlation id (the
 * orchestrator sets it to the run), else the event itself stands for a run of its own. */
static const char *run_of(const struct argus_item *it)
{
    const char *run = argus_event_str(&it->event, "run_id");
    if (!run)
        run = it->event.correlation_id;
    if (!run)
        run = it->event.event_id;
    return run;
}

static enum argus_outcome queue_test_stats(struct cognee *c, struct argus_item *it, const char *graph,
                                           const char *test)
{
    return cognee_queue(c, it, graph, ST_TEST_STATS, id_row(test));
}

/* Test -RAN-> Run for one test and run, and the test's statistics. */
static enum argus_outcome queue_ran(struct cognee *c, struct argus_item *it, const char *graph, const char *test,
                                    const char *run, const char *status)
{
    cJSON *props;
    cJSON *row = props_row(run, &props);
    cJSON_AddNumberToObject(props, "at", cognee_event_at_ms(it));
    if (cognee_queue(c, it, graph, ST_RUN, row) != ARGUS_OK)
        return ARGUS_RETRY;
    row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "test", test);
    cJSON_AddStringToObject(row, "run", run);
    cJSON_AddStringToObject(row, "status", cognee_status_class(status));
    cJSON_AddStringToObject(row, "raw_status", status);
    double duration;
    if (argus_event_double(&it->event, "duration_ms", &duration))
        cJSON_AddNumberToObject(row, "duration_ms", duration);
    else
        cJSON_AddNullToObject(row, "duration_ms");
    cJSON_AddNumberToObject(row, "at", cognee_event_at_ms(it));
    if (cognee_queue(c, it, graph, ST_RAN, row) != ARGUS_OK)
        return ARGUS_RETRY;
    return queue_test_stats(c, it, graph, test);
}

/* An aggregate run event: run_id with totals, no test_id. Recorded, not dead-lettered. */
static enum argus_outcome queue_run_summary(struct cognee *c, struct argus_item *it, const char *graph,
                                            const char *run, const char *default_status)
{
    cJSON *props;
    cJSON *row = props_row(run, &props);
    const char *status = argus_event_str(&it->event, "status");
    cJSON_AddStringToObject(props, "status", status ? status : default_status);
    copy_number(props, &it->event, "total_tests", "total");
    copy_number(props, &it->event, "passed_tests", "passed");
    copy_number(props, &it->event, "failed_tests", "failed");
    copy_number(props, &it->event, "skipped_tests", "skipped");
    copy_number(props, &it->event, "duration_ms", NULL);
    copy_string(props, &it->event, "app_url", NULL);
    copy_string(props, &it->event, "commit_sha", NULL);
    copy_string(props, &it->event, "branch", NULL);
    copy_string(props, &it->event, "environment", NULL);
    cJSON_AddNumberToObject(props, "at", cognee_event_at_ms(it));
    return cognee_queue(c, it, graph, ST_RUN, row);
}

static enum argus_outcome queue_test_node(struct cognee *c, struct argus_item *it, const char *graph,
                                          const char *test, int created)
{
    cJSON *props;
    cJSON *row = props_row(test, &props);
    copy_string(props, &it->event, "test_name", "name");
    if (created) {
        copy_string(props, &it->event, "test_type", "type");
        copy_string(props, &it->event, "framework", NULL);
        copy_string(props, &it->event, "priority", NULL);
        copy_string(props, &it->event, "source", NULL);
        copy_string(props, &it->event, "suite_id", NULL);
        copy_string(props, &it->event, "target_url", NULL);
        copy_string(props, &it->event, "target_endpoint", NULL);
        copy_number(props, &it->event, "steps_count", NULL);
        cJSON_AddNumberToObject(props, "created_at", cognee_event_at_ms(it));
    }
    return cognee_queue(c, it, graph, ST_TEST, row);
}

static enum argus_outcome queue_test_selectors(struct cognee *c, struct argus_item *it, const char *graph,
                                               const char *test)
{
    const cJSON *list = argus_event_field(&it->event, "selectors");
    if (!cJSON_IsArray(list))
        return ARGUS_OK;
    const cJSON *s;
    cJSON_ArrayForEach(s, list)
    {
        char id[1024];
        if (!cJSON_IsString(s) || !*s->valuestring || cognee_selector_id(s->valuestring, id, sizeof id) != 0)
            continue;
        cJSON *row = id_row(id);
        cJSON_AddStringToObject(row, "kind", cognee_selector_kind(s->valuestring));
        cJSON_AddStringToObject(row, "value", s->valuestring);
        if (cognee_queue(c, it, graph, ST_SELECTOR, row) != ARGUS_OK)
            return ARGUS_RETRY;
        row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "test", test);
        cJSON_AddStringToObject(row, "selector", id);
        if (cognee_queue(c, it, graph, ST_TEST_SELECTOR, row) != ARGUS_OK)
            return ARGUS_RETRY;
    }
    return ARGUS_OK;
}

static int tenant_graph(struct argus_item *it, char *graph, size_t n)
{
    if (cognee_graph_name(&it->event, graph, n) != 0) {
        argus_reject(&it->result, ARGUS_ERR_VALIDATION, "%s: org_id/project_id too long for a graph name",
                     it->event.type);
        return -1;
    }
    return 0;
}

enum argus_outcome cognee_test_created(void *ctx, struct argus_item *it)
{
    struct cognee *c = ctx;
    char graph[512];
    if (tenant_graph(it, graph, sizeof graph) != 0)
        return ARGUS_REJECT;
    const char *test = argus_event_require_str(&it->event, "test_id", &it->result);
    if (!test)
        return ARGUS_REJECT;
    if (queue_test_node(c, it, graph, test, 1) != ARGUS_OK)
        return ARGUS_RETRY;
    return queue_test_selectors(c, it, graph, test);
}

/* The start of test.executed and test.failed: the tenant graph and the test. An aggregate run event
 * (run_id, no test_id) is recorded as a Run here and *test stays NULL; neither id is a rejection. */
static enum argus_outcome test_or_run(struct cognee *c, struct argus_item *it, char *graph, size_t n,
                                      const char *run_status, const char **test)
{
    if (tenant_graph(it, graph, n) != 0)
        return ARGUS_REJECT;
    *test = argus_event_str(&it->event, "test_id");
    if (*test)
        return ARGUS_OK;
    const char *run = argus_event_str(&it->event, "run_id");
    if (!run)
        return argus_reject(&it->result, ARGUS_ERR_VALIDATION, "%s: %stest_id and %srun_id missing", it->event.type,
                            it->event.payload_prefix, it->event.payload_prefix);
    return queue_run_summary(c, it, graph, run, run_status);
}

enum argus_outcome cognee_test_executed(void *ctx, struct argus_item *it)
{
    struct cognee *c = ctx;
    char graph[512];
    const char *test = NULL;
    enum argus_outcome o = test_or_run(c, it, graph, sizeof graph, "completed", &test);
    if (o != ARGUS_OK || !test)
        return o;
    const char *status = argus_event_require_str(&it->event, "status", &it->result);
    if (!status)
        return ARGUS_REJECT;
    if (queue_test_node(c, it, graph, test, 0) != ARGUS_OK)
        return ARGUS_RETRY;
    return queue_ran(c, it, graph, test, run_of(it), status);
}

enum argus_outcome cognee_test_failed(void *ctx, struct argus_item *it)
{
    struct cognee *c = ctx;
    char graph[512];
    const char *test = NULL;
    enum argus_outcome o = test_or_run(c, it, graph, sizeof graph, "failed", &test);
    if (o != ARGUS_OK || !test)
        return o;
    const char *failure = argus_event_str(&it->event, "failure_id");
    if (!failure)
        failure = it->event.event_id;
    char fallback[600];
    if (!failure) {
        snprintf(fallback, sizeof fallback, "%s@%s", test, run_of(it) ? run_of(it) : "?");
        failure = fallback;
    }
    const char *type = argus_event_str(&it->event, "error_type");
    const char *message = argus_event_str(&it->event, "error_message");
    char fp[17];
    cognee_failure_fingerprint(type, message, fp);

    if (queue_test_node(c, it, graph, test, 0) != ARGUS_OK)
        return ARGUS_RETRY;
    cJSON *props;
    cJSON *row = props_row(failure, &props);
    cJSON_AddStringToObject(props, "test_id", test);
    const char *run = run_of(it);
    if (run)
        cJSON_AddStringToObject(props, "run_id", run);
    cJSON_AddStringToObject(props, "error_type", type ? type : "unknown");
    if (message)
        cJSON_AddStringToObject(props, "message", message);
    copy_string(props, &it->event, "failed_selector", "selector");
    copy_string(props, &it->event, "stack_trace", NULL);
    copy_string(props, &it->event, "page_url", NULL);
    copy_string(props, &it->event, "screenshot_url", NULL);
    cJSON_AddStringToObject(props, "fingerprint", fp);
    cJSON_AddNumberToObject(props, "at", cognee_event_at_ms(it));
    if (cognee_queue(c, it, graph, ST_FAILURE, row) != ARGUS_OK)
        return ARGUS_RETRY;

    row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "test", test);
    cJSON_AddStringToObject(row, "failure", failure);
    if (cognee_queue(c, it, graph, ST_FAILED_WITH, row) != ARGUS_OK)
        return ARGUS_RETRY;
    row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "failure", failure);
    cJSON_AddStringToObject(row, "fingerprint", fp);
    if (cognee_queue(c, it, graph, ST_SIMILAR_TO, row) != ARGUS_OK)
        return ARGUS_RETRY;
    if (c->embed_queue) {
        char *text = cognee_embed_text_failure(type, message);
        int rc = cognee_embed_queue_add(c->embed_queue, graph, "Failure", failure, text, it);
        free(text);
        if (rc != 0)
            return argus_retry(&it->result, ARGUS_ERR_PROCESSING, "out of memory queueing an embedding");
    }
    /* A failure is a failed run of the test when the run is known. */
    if (argus_event_str(&it->event, "run_id"))
        return queue_ran(c, it, graph, test, run, "failed");
    return ARGUS_OK;
}
