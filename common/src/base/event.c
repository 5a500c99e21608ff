/* The envelope reader: detects the producer's shape and fills the canonical argus_event. */
#include "argus/base/event.h"
#include "argus/base/json_arena.h"
#include "argus/base/timeutil.h"
#include "argus/base/utf8.h"

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

/* An identifier-like value: strings as they are, integral numbers printed into the event's buffers.
 * Other types are an error. */
static int id_value(struct argus_event *ev, const cJSON *v, const char **out, const char *what, char *err,
                    size_t errlen)
{
    *out = NULL;
    if (!v)
        return 0;
    if (cJSON_IsString(v)) {
        if (*v->valuestring)
            *out = v->valuestring;
        return 0;
    }
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
        fabs(v->valuedouble) < 9007199254740992.0 && ev->num_used < 7) {
        char *slot = ev->num_buf[ev->num_used++];
        snprintf(slot, sizeof ev->num_buf[0], "%.0f", v->valuedouble);
        *out = slot;
        return 0;
    }
    snprintf(err, errlen, "%s: %s: expected a string", ev->type ? ev->type : "event", what);
    return -1;
}

/* The envelope members of one object, found in a single pass over its children (a record is read
 * once, not looked up member by member). JSON nulls are left out. */
struct envelope {
    const cJSON *event_type, *data, *payload, *tenant, *metadata, *org_id, *project_id, *user_id, *event_id,
        *correlation_id, *causation_id, *source, *version, *event_version, *timestamp;
};

static void scan_envelope(const cJSON *o, struct envelope *e)
{
    static const struct {
        const char *name;
        size_t offset;
    } members[] = {
        {"event_type", offsetof(struct envelope, event_type)},
        {"data", offsetof(struct envelope, data)},
        {"payload", offsetof(struct envelope, payload)},
        {"tenant", offsetof(struct envelope, tenant)},
        {"metadata", offsetof(struct envelope, metadata)},
        {"org_id", offsetof(struct envelope, org_id)},
        {"project_id", offsetof(struct envelope, project_id)},
        {"user_id", offsetof(struct envelope, user_id)},
        {"event_id", offsetof(struct envelope, event_id)},
        {"correlation_id", offsetof(struct envelope, correlation_id)},
        {"causation_id", offsetof(struct envelope, causation_id)},
        {"source", offsetof(struct envelope, source)},
        {"version", offsetof(struct envelope, version)},
        {"event_version", offsetof(struct envelope, event_version)},
        {"timestamp", offsetof(struct envelope, timestamp)},
    };
    memset(e, 0, sizeof *e);
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next) {
        if (cJSON_IsNull(c) || !c->string)
            continue;
        for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
            if (c->string[0] == members[i].name[0] && !strcmp(c->string, members[i].name)) {
                const cJSON **slot = (const cJSON **)((char *)e + members[i].offset);
                if (!*slot) /* the first of duplicate keys wins, like cJSON's lookups */
                    *slot = c;
                break;
            }
        }
    }
}

static int looks_like_envelope(const struct envelope *e)
{
    return cJSON_IsString(e->event_type) && cJSON_IsObject(e->data) && (e->event_id || e->org_id || e->source);
}

/* Copies the type without an "argus." prefix; -1 if it does not fit. */
static int set_type(struct argus_event *ev, const char *t)
{
    if (!strncmp(t, "argus.", 6))
        t += 6;
    if (strlen(t) >= sizeof ev->type_buf)
        return -1;
    strcpy(ev->type_buf, t);
    ev->type = ev->type_buf;
    return 0;
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

static cJSON *parse_document(const void *value, size_t len, char *err, size_t errlen)
{
    if (!value || len == 0) {
        snprintf(err, errlen, "empty message");
        return NULL;
    }
    const char *text = value;
    /* JSON is UTF-8 (RFC 8259); cJSON does not check, and what it lets through ends up in graph
     * parameters and logs. */
    long bad = argus_utf8_first_invalid(value, len);
    if (bad >= 0) {
        snprintf(err, errlen, "invalid UTF-8 at byte %ld", bad);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t pos = at && at >= text && at <= text + len ? (size_t)(at - text) : 0;
        snprintf(err, errlen, "invalid JSON at byte %zu", pos);
        return NULL;
    }
    if (check_trailing(text, len, end, err, errlen) != 0) {
        cJSON_Delete(root);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "not a JSON object");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* Which producer wrote this: sets shape, payload and the envelope the metadata comes from. */
static int detect_shape(struct argus_event *ev, const struct envelope *top, struct envelope *inner, char *err,
                        size_t errlen)
{
    if (top->data && (top->event_type || top->org_id)) {
        if (!cJSON_IsObject(top->data)) {
            snprintf(err, errlen, "data: expected an object");
            return -1;
        }
        scan_envelope(top->data, inner);
        if (looks_like_envelope(inner)) {
            ev->shape = ARGUS_SHAPE_NESTED_GATEWAY;
            ev->payload = cJSON_IsObject(inner->data) ? inner->data : NULL;
            ev->payload_prefix = "data.data.";
        } else {
            ev->shape = ARGUS_SHAPE_GATEWAY;
            ev->payload = top->data;
            ev->payload_prefix = "data.";
        }
    } else if (top->payload && top->event_type) {
        if (!cJSON_IsObject(top->payload)) {
            snprintf(err, errlen, "payload: expected an object");
            return -1;
        }
        ev->shape = ARGUS_SHAPE_PAYLOAD;
        ev->payload = top->payload;
        ev->payload_prefix = "payload.";
    } else {
        ev->shape = cJSON_IsObject(top->tenant) || cJSON_IsObject(top->metadata) ? ARGUS_SHAPE_TENANT
                                                                                  : ARGUS_SHAPE_FLAT;
        ev->payload = ev->root;
        ev->payload_prefix = "";
    }
    return 0;
}

/* The type: the envelope's event_type, or the topic for flat events. */
static int resolve_type(struct argus_event *ev, const char *topic, const struct envelope *env,
                        const struct envelope *outer, char *err, size_t errlen)
{
    const char *topic_type = argus_topic_event_type(topic);
    if (env->event_type && !cJSON_IsString(env->event_type)) {
        snprintf(err, errlen, "event_type: expected a string");
        return -1;
    }
    const char *type = NULL;
    if (ev->shape == ARGUS_SHAPE_FLAT && topic_type)
        type = topic_type;
    else if (env->event_type && *env->event_type->valuestring)
        type = env->event_type->valuestring;
    else if (outer && cJSON_IsString(outer->event_type))
        type = outer->event_type->valuestring;
    else if (topic_type)
        type = topic_type;
    if (!type) {
        snprintf(err, errlen, "event_type missing and topic %s names no event type", topic ? topic : "(none)");
        return -1;
    }
    if (set_type(ev, type) != 0) {
        snprintf(err, errlen, "event_type: longer than %zu bytes", sizeof ev->type_buf - 1);
        return -1;
    }
    return 0;
}

/* The first present value among: a member of tenant-like objects, then of envelopes. */
static const cJSON *pick(const cJSON *obj_a, const cJSON *obj_b, const char *key, const cJSON *v1,
                         const cJSON *v2)
{
    const cJSON *objs[] = {obj_a, obj_b};
    for (size_t i = 0; i < 2; i++) {
        if (!cJSON_IsObject(objs[i]))
            continue;
        const cJSON *v = obj_get(objs[i], key);
        if (v)
            return v;
    }
    return v1 ? v1 : v2;
}

static int resolve_metadata(struct argus_event *ev, const struct envelope *env, const struct envelope *outer,
                            char *err, size_t errlen)
{
    static const struct envelope none;
    if (!outer)
        outer = &none;
    const cJSON *tenant = cJSON_IsObject(env->tenant) ? env->tenant : NULL;
    const cJSON *metadata = cJSON_IsObject(env->metadata) ? env->metadata : NULL;
    /* Flat events carry the tenant at the root, which is also their payload. */
    const cJSON *payload = ev->shape == ARGUS_SHAPE_FLAT ? NULL : ev->payload;

    if (id_value(ev, pick(tenant, NULL, "org_id", env->org_id, outer->org_id), &ev->org_id, "org_id", err, errlen) ||
        id_value(ev, pick(tenant, NULL, "project_id", env->project_id, outer->project_id), &ev->project_id,
                 "project_id", err, errlen) ||
        id_value(ev, pick(tenant, NULL, "user_id", env->user_id, outer->user_id), &ev->user_id, "user_id", err,
                 errlen))
        return -1;
    if (!ev->org_id && payload && id_value(ev, obj_get(payload, "org_id"), &ev->org_id, "org_id", err, errlen))
        return -1;
    if (!ev->project_id && payload &&
        id_value(ev, obj_get(payload, "project_id"), &ev->project_id, "project_id", err, errlen))
        return -1;
    if (!ev->org_id) {
        snprintf(err, errlen, "%s: org_id missing (expected tenant.org_id or org_id)", ev->type);
        return -1;
    }
    if (id_value(ev, pick(NULL, metadata, "event_id", env->event_id, outer->event_id), &ev->event_id, "event_id",
                 err, errlen) ||
        id_value(ev, pick(NULL, metadata, "correlation_id", env->correlation_id, outer->correlation_id),
                 &ev->correlation_id, "correlation_id", err, errlen) ||
        id_value(ev, pick(NULL, metadata, "causation_id", env->causation_id, outer->causation_id),
                 &ev->causation_id, "causation_id", err, errlen) ||
        id_value(ev, pick(NULL, metadata, "source", env->source, outer->source), &ev->source, "source", err,
                 errlen) ||
        id_value(ev, env->version ? env->version : env->event_version, &ev->version, "version", err, errlen))
        return -1;

    const cJSON *ts = env->timestamp;
    if (!ts && metadata)
        ts = obj_get(metadata, "timestamp");
    if (!ts)
        ts = outer->timestamp;
    if (!ts && ev->payload) {
        ts = obj_get(ev->payload, "timestamp");
        if (!ts)
            ts = obj_get(ev->payload, "request_time");
    }
    if (ts) {
        if (!cJSON_IsString(ts) || argus_parse_iso8601(ts->valuestring, &ev->timestamp_us) != 0) {
            snprintf(err, errlen, "%s: timestamp: not an ISO-8601 date-time", ev->type);
            return -1;
        }
        ev->has_timestamp = true;
    }
    return 0;
}

int argus_event_parse(const char *topic, const void *value, size_t len, struct argus_event *ev,
                      char *err, size_t errlen)
{
    memset(ev, 0, sizeof *ev);
    ev->root = parse_document(value, len, err, errlen);
    if (!ev->root)
        return -1;
    ev->in_arena = argus_json_arena_owns(ev->root);
    struct envelope top, inner;
    scan_envelope(ev->root, &top);
    if (detect_shape(ev, &top, &inner, err, errlen) != 0)
        goto fail;
    const struct envelope *env = ev->shape == ARGUS_SHAPE_NESTED_GATEWAY ? &inner : &top;
    const struct envelope *outer = ev->shape == ARGUS_SHAPE_NESTED_GATEWAY ? &top : NULL;
    if (resolve_type(ev, topic, env, outer, err, errlen) != 0 || resolve_metadata(ev, env, outer, err, errlen) != 0)
        goto fail;
    if (!ev->payload) {
        int n = (int)strlen(ev->payload_prefix) - 1; /* "data.data." -> "data.data" */
        snprintf(err, errlen, "%s: %.*s: expected an object", ev->type, n > 0 ? n : 0, ev->payload_prefix);
        goto fail;
    }
    return 0;
fail:
    argus_event_free(ev);
    return -1;
}

void argus_event_free(struct argus_event *ev)
{
    if (!ev->in_arena)
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
