/* Payload field lookup with every field-name variant the producers use, in one table. */
#include "argus/base/event.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Canonical name first, then the variants in order of preference. Dotted names are paths. */
static const char *const field_aliases[][5] = {
    {"steps_count", "step_count", NULL},
    {"error_type", "failure_type", "last_error_type", NULL},
    {"error_message", "last_error_message", "failure_reason", NULL},
    {"failed_selector", "original_selector", "last_selector", "selector", NULL},
    {"repository_url", "repo_url", NULL},
    {"repository_id", "codebase_id", NULL},
    {"file_count", "files_count", NULL},
    {"run_id", "metadata.run_id", NULL},
    {"failed_step", "metadata.failed_step", NULL},
    {"test_type", "metadata.test_type", NULL},
    {"confidence", "confidence_score", NULL},
    {"strategy_used", "healing_strategy", NULL},
    {"commit_sha", "head_sha", NULL},
};

static const cJSON *path_get(const cJSON *obj, const char *path)
{
    const cJSON *cur = obj;
    const char *p = path;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char key[64];
        if (n >= sizeof key || !cJSON_IsObject(cur))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        cur = cJSON_GetObjectItemCaseSensitive(cur, key);
        p = dot ? dot + 1 : p + n;
    }
    return cur && !cJSON_IsNull(cur) ? cur : NULL;
}

static const cJSON *lookup_one(const struct argus_event *ev, const char *name)
{
    const cJSON *v = path_get(ev->payload, name);
    if (!v && ev->payload != ev->root)
        v = path_get(ev->root, name);
    return v;
}

const cJSON *argus_event_field(const struct argus_event *ev, const char *name)
{
    for (size_t i = 0; i < sizeof field_aliases / sizeof field_aliases[0]; i++) {
        if (strcmp(field_aliases[i][0], name) != 0)
            continue;
        for (size_t j = 0; j < 5 && field_aliases[i][j]; j++) {
            const cJSON *v = lookup_one(ev, field_aliases[i][j]);
            if (v)
                return v;
        }
        return NULL;
    }
    return lookup_one(ev, name);
}

const char *argus_event_str(const struct argus_event *ev, const char *name)
{
    const cJSON *v = argus_event_field(ev, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool argus_event_int(const struct argus_event *ev, const char *name, int64_t *out)
{
    const cJSON *v = argus_event_field(ev, name);
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
            return false;
        *out = (int64_t)d;
        return true;
    }
    if (cJSON_IsString(v) && *v->valuestring) {
        char *end = NULL;
        errno = 0;
        long long n = strtoll(v->valuestring, &end, 10);
        if (errno || *end)
            return false;
        *out = n;
        return true;
    }
    return false;
}

bool argus_event_double(const struct argus_event *ev, const char *name, double *out)
{
    const cJSON *v = argus_event_field(ev, name);
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
        *out = v->valuedouble;
        return true;
    }
    if (cJSON_IsString(v) && *v->valuestring) {
        char *end = NULL;
        errno = 0;
        double d = strtod(v->valuestring, &end);
        if (errno || *end || !isfinite(d))
            return false;
        *out = d;
        return true;
    }
    return false;
}

bool argus_event_bool(const struct argus_event *ev, const char *name, bool *out)
{
    const cJSON *v = argus_event_field(ev, name);
    if (!cJSON_IsBool(v))
        return false;
    *out = cJSON_IsTrue(v);
    return true;
}

const char *argus_event_require_str(const struct argus_event *ev, const char *name, struct argus_result *res)
{
    const cJSON *v = argus_event_field(ev, name);
    if (!v) {
        argus_reject(res, ARGUS_ERR_VALIDATION, "%s: %s%s missing", ev->type, ev->payload_prefix, name);
        return NULL;
    }
    if (!cJSON_IsString(v) || !*v->valuestring) {
        argus_reject(res, ARGUS_ERR_VALIDATION, "%s: %s%s: expected a non-empty string", ev->type,
                     ev->payload_prefix, name);
        return NULL;
    }
    return v->valuestring;
}
