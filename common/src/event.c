/* The envelope reader: detects the producer's shape and fills the canonical argus_event. */
#include "argus/event.h"
#include "argus/timeutil.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *obj_get(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return v && !cJSON_IsNull(v) ? v : NULL;
}

static const cJSON *obj_get_object(const cJSON *obj, const char *key)
{
    const cJSON *v = obj_get(obj, key);
    return cJSON_IsObject(v) ? v : NULL;
}

const char *argus_topic_event_type(const char *topic)
{
    if (!topic || strncmp(topic, "argus.", 6) != 0 || !topic[6])
        return NULL;
    return topic + 6;
}

const char *argus_event_shape_name(enum argus_event_shape shape)
{
    switch (shape) {
    case ARGUS_SHAPE_GATEWAY: return "gateway";
    case ARGUS_SHAPE_NESTED_GATEWAY: return "gateway-nested";
    case ARGUS_SHAPE_TENANT: return "tenant-metadata";
    case ARGUS_SHAPE_PAYLOAD: return "payload";
    case ARGUS_SHAPE_FLAT: return "flat";
    }
    return "unknown";
}

/* An identifier-like value: strings as they are, integral numbers printed. Other types are an error. */
static int id_value(const cJSON *v, char **out, const char *what, const char *type, char *err, size_t errlen)
{
    *out = NULL;
    if (!v)
        return 0;
    if (cJSON_IsString(v)) {
        if (!*v->valuestring)
            return 0;
        *out = strdup(v->valuestring);
    } else if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
               fabs(v->valuedouble) < 9007199254740992.0) {
        char num[32];
        snprintf(num, sizeof num, "%.0f", v->valuedouble);
        *out = strdup(num);
    } else {
        snprintf(err, errlen, "%s: %s: expected a string", type ? type : "event", what);
        return -1;
    }
    if (!*out) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* First present value among candidate objects for key. */
static const cJSON *first_of(const cJSON *const *objs, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        if (!objs[i])
            continue;
        const cJSON *v = obj_get(objs[i], key);
        if (v)
            return v;
    }
    return NULL;
}

static int looks_like_envelope(const cJSON *o)
{
    return cJSON_IsString(obj_get(o, "event_type")) && obj_get_object(o, "data") &&
           (obj_get(o, "event_id") || obj_get(o, "org_id") || obj_get(o, "source"));
}

static char *normalized_type(const char *t)
{
    if (!strncmp(t, "argus.", 6))
        t += 6;
    return strdup(t);
}

static int check_trailing(const char *value, size_t len, const char *end, char *err, size_t errlen)
{
    for (const char *p = end; p < value + len; p++) {
        if (*p == '\0' && p == value + len - 1)
            break;
        if (!isspace((unsigned char)*p)) {
            snprintf(err, errlen, "invalid JSON: trailing data at byte %zu", (size_t)(p - value));
            return -1;
        }
    }
    return 0;
}

int argus_event_parse(const char *topic, const void *value, size_t len, struct argus_event *ev,
                      char *err, size_t errlen)
{
    memset(ev, 0, sizeof *ev);
    if (!value || len == 0) {
        snprintf(err, errlen, "empty message");
        return -1;
    }
    const char *text = value;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t pos = at && at >= text && at <= text + len ? (size_t)(at - text) : 0;
        snprintf(err, errlen, "invalid JSON at byte %zu", pos);
        return -1;
    }
    if (check_trailing(text, len, end, err, errlen) != 0) {
        cJSON_Delete(root);
        return -1;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "not a JSON object");
        cJSON_Delete(root);
        return -1;
    }
    ev->root = root;

    /* Which producer wrote this? */
    const cJSON *env = root;   /* the object that holds the envelope fields */
    const cJSON *outer = NULL; /* the outer envelope of a double envelope */
    const cJSON *data = obj_get(root, "data");
    const cJSON *payload_obj = obj_get(root, "payload");
    if (data && (obj_get(root, "event_type") || obj_get(root, "org_id"))) {
        if (!cJSON_IsObject(data)) {
            snprintf(err, errlen, "data: expected an object");
            goto fail;
        }
        if (looks_like_envelope(data)) {
            ev->shape = ARGUS_SHAPE_NESTED_GATEWAY;
            outer = root;
            env = data;
            ev->payload = obj_get_object(data, "data");
            ev->payload_prefix = "data.data.";
        } else {
            ev->shape = ARGUS_SHAPE_GATEWAY;
            ev->payload = data;
            ev->payload_prefix = "data.";
        }
    } else if (payload_obj && obj_get(root, "event_type")) {
        if (!cJSON_IsObject(payload_obj)) {
            snprintf(err, errlen, "payload: expected an object");
            goto fail;
        }
        ev->shape = ARGUS_SHAPE_PAYLOAD;
        ev->payload = payload_obj;
        ev->payload_prefix = "payload.";
    } else if (obj_get_object(root, "tenant") || obj_get_object(root, "metadata")) {
        ev->shape = ARGUS_SHAPE_TENANT;
        ev->payload = root;
        ev->payload_prefix = "";
    } else {
        ev->shape = ARGUS_SHAPE_FLAT;
        ev->payload = root;
        ev->payload_prefix = "";
    }

    /* The type: the envelope's event_type, or the topic for flat events. */
    const char *topic_type = argus_topic_event_type(topic);
    const cJSON *type_v = obj_get(env, "event_type");
    if (type_v && !cJSON_IsString(type_v)) {
        snprintf(err, errlen, "event_type: expected a string");
        goto fail;
    }
    if (ev->shape == ARGUS_SHAPE_FLAT && topic_type)
        ev->type = strdup(topic_type);
    else if (type_v && *type_v->valuestring)
        ev->type = normalized_type(type_v->valuestring);
    else if (outer && cJSON_IsString(obj_get(outer, "event_type")))
        ev->type = normalized_type(obj_get(outer, "event_type")->valuestring);
    else if (topic_type)
        ev->type = strdup(topic_type);
    if (!ev->type) {
        snprintf(err, errlen, "event_type missing and topic %s names no event type", topic ? topic : "(none)");
        goto fail;
    }

    const cJSON *tenant = obj_get_object(env, "tenant");
    const cJSON *metadata = obj_get_object(env, "metadata");
    const cJSON *tenant_srcs[] = {tenant, env, outer, ev->shape == ARGUS_SHAPE_FLAT ? NULL : ev->payload};
    const size_t nsrc = sizeof tenant_srcs / sizeof tenant_srcs[0];

    if (id_value(first_of(tenant_srcs, nsrc, "org_id"), &ev->org_id, "org_id", ev->type, err, errlen) ||
        id_value(first_of(tenant_srcs, nsrc, "project_id"), &ev->project_id, "project_id", ev->type, err,
                 errlen) ||
        id_value(first_of(tenant_srcs, nsrc, "user_id"), &ev->user_id, "user_id", ev->type, err, errlen))
        goto fail;
    if (!ev->org_id) {
        snprintf(err, errlen, "%s: org_id missing (expected tenant.org_id or org_id)", ev->type);
        goto fail;
    }

    const cJSON *env_srcs[] = {env, metadata, outer};
    const size_t nenv = sizeof env_srcs / sizeof env_srcs[0];
    if (id_value(first_of(env_srcs, nenv, "event_id"), &ev->event_id, "event_id", ev->type, err, errlen) ||
        id_value(first_of(env_srcs, nenv, "correlation_id"), &ev->correlation_id, "correlation_id", ev->type,
                 err, errlen) ||
        id_value(first_of(env_srcs, nenv, "causation_id"), &ev->causation_id, "causation_id", ev->type, err,
                 errlen) ||
        id_value(first_of(env_srcs, nenv, "source"), &ev->source, "source", ev->type, err, errlen))
        goto fail;
    const cJSON *version = obj_get(env, "version");
    if (!version)
        version = obj_get(env, "event_version");
    if (id_value(version, &ev->version, "version", ev->type, err, errlen))
        goto fail;

    const cJSON *ts_srcs[] = {env, metadata, outer, ev->payload};
    const cJSON *ts = first_of(ts_srcs, sizeof ts_srcs / sizeof ts_srcs[0], "timestamp");
    if (!ts && ev->payload)
        ts = obj_get(ev->payload, "request_time");
    if (ts) {
        if (!cJSON_IsString(ts) || argus_parse_iso8601(ts->valuestring, &ev->timestamp_us) != 0) {
            snprintf(err, errlen, "%s: timestamp: not an ISO-8601 date-time", ev->type);
            goto fail;
        }
        ev->has_timestamp = true;
    }
    if (!ev->payload) {
        snprintf(err, errlen, "%s: %sdata: expected an object", ev->type, ev->payload_prefix);
        goto fail;
    }
    return 0;
fail:
    argus_event_free(ev);
    return -1;
}

void argus_event_free(struct argus_event *ev)
{
    free(ev->type);
    free(ev->event_id);
    free(ev->org_id);
    free(ev->project_id);
    free(ev->user_id);
    free(ev->correlation_id);
    free(ev->causation_id);
    free(ev->source);
    free(ev->version);
    cJSON_Delete(ev->root);
    memset(ev, 0, sizeof *ev);
}

static void add_opt_string(cJSON *o, const char *key, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

char *argus_event_to_json(const struct argus_event *ev)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "type", ev->type);
    cJSON_AddStringToObject(o, "shape", argus_event_shape_name(ev->shape));
    add_opt_string(o, "event_id", ev->event_id);
    add_opt_string(o, "org_id", ev->org_id);
    add_opt_string(o, "project_id", ev->project_id);
    add_opt_string(o, "user_id", ev->user_id);
    if (ev->has_timestamp) {
        char when[40];
        argus_format_iso8601(ev->timestamp_us, when, sizeof when);
        cJSON_AddStringToObject(o, "timestamp", when);
    } else {
        cJSON_AddNullToObject(o, "timestamp");
    }
    add_opt_string(o, "correlation_id", ev->correlation_id);
    add_opt_string(o, "causation_id", ev->causation_id);
    add_opt_string(o, "source", ev->source);
    add_opt_string(o, "version", ev->version);
    cJSON_AddItemToObject(o, "payload", cJSON_Duplicate(ev->payload, 1));
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}
