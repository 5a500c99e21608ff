/* healing.completed into the graph: the HealingPattern, and which selector healed to which (HEALED_TO
 * with its confidence) when the healing produced a new selector. */
#include "cognee.h"

#include <stdio.h>
#include <string.h>

#include "argus/base/timeutil.h"

static enum argus_outcome queue_selector(struct cognee *c, struct argus_item *it, const char *graph,
                                         const char *selector, char *id, size_t n)
{
    if (cognee_selector_id(selector, id, n) != 0)
        return argus_reject(&it->result, ARGUS_ERR_VALIDATION, "healing.completed: selector longer than %zu bytes",
                            n - 32);
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "id", id);
    cJSON_AddStringToObject(row, "kind", cognee_selector_kind(selector));
    cJSON_AddStringToObject(row, "value", selector);
    return cognee_queue(c, it, graph, ST_SELECTOR, row);
}

enum argus_outcome cognee_healing_completed(void *ctx, struct argus_item *it)
{
    struct cognee *c = ctx;
    const struct argus_event *ev = &it->event;
    char graph[512];
    if (cognee_graph_name(ev, graph, sizeof graph) != 0)
        return argus_reject(&it->result, ARGUS_ERR_VALIDATION, "healing.completed: tenant too long for a graph name");
    const char *original = argus_event_str(ev, "failed_selector"); /* original_selector, last_selector, ... */
    const char *healed = argus_event_str(ev, "healed_selector");
    const char *test = argus_event_str(ev, "test_id");
    if (!original && !healed && !test)
        return argus_reject(&it->result, ARGUS_ERR_VALIDATION,
                            "healing.completed: %soriginal_selector, %shealed_selector and %stest_id missing",
                            ev->payload_prefix, ev->payload_prefix, ev->payload_prefix);
    bool success = true;
    argus_event_bool(ev, "success", &success);
    double confidence = -1;
    argus_event_double(ev, "confidence", &confidence);
    const char *strategy = argus_event_str(ev, "strategy_used");

    /* The pattern: its own id, else original -> healed, else the healing event. */
    char pattern[1200];
    const char *pid = argus_event_str(ev, "healing_pattern_id");
    if (pid)
        snprintf(pattern, sizeof pattern, "%s", pid);
    else if (original && healed) {
        char fp[17];
        cognee_failure_fingerprint(original, healed, fp);
        snprintf(pattern, sizeof pattern, "heal:%s", fp);
    } else
        snprintf(pattern, sizeof pattern, "heal:%s", ev->event_id ? ev->event_id : "unknown");

    double at = ev->has_timestamp ? (double)(ev->timestamp_us / 1000) : (double)(argus_now_us() / 1000);
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "id", pattern);
    cJSON *props = cJSON_AddObjectToObject(row, "props");
    if (original)
        cJSON_AddStringToObject(props, "original_selector", original);
    if (healed)
        cJSON_AddStringToObject(props, "healed_selector", healed);
    if (confidence >= 0)
        cJSON_AddNumberToObject(props, "confidence", confidence);
    if (strategy)
        cJSON_AddStringToObject(props, "strategy", strategy);
    if (test)
        cJSON_AddStringToObject(props, "test_id", test);
    const char *failure = argus_event_str(ev, "failure_id");
    if (failure)
        cJSON_AddStringToObject(props, "failure_id", failure);
    cJSON_AddBoolToObject(props, "success", success);
    cJSON_AddNumberToObject(props, "at", at);
    if (cognee_queue(c, it, graph, ST_PATTERN, row) != ARGUS_OK)
        return it->result.outcome;

    if (!original || !healed || !success)
        return ARGUS_OK;
    char from[1024], to[1024];
    if (queue_selector(c, it, graph, original, from, sizeof from) != ARGUS_OK ||
        queue_selector(c, it, graph, healed, to, sizeof to) != ARGUS_OK)
        return it->result.outcome;
    row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "from", from);
    cJSON_AddStringToObject(row, "to", to);
    if (confidence >= 0)
        cJSON_AddNumberToObject(row, "confidence", confidence);
    else
        cJSON_AddNullToObject(row, "confidence");
    if (strategy)
        cJSON_AddStringToObject(row, "strategy", strategy);
    else
        cJSON_AddNullToObject(row, "strategy");
    cJSON_AddStringToObject(row, "pattern", pattern);
    cJSON_AddNumberToObject(row, "at", at);
    if (cognee_queue(c, it, graph, ST_HEALED_TO, row) != ARGUS_OK)
        return ARGUS_RETRY;
    row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "pattern", pattern);
    cJSON_AddStringToObject(row, "selector", to);
    return cognee_queue(c, it, graph, ST_PATTERN_SELECTOR, row);
}
