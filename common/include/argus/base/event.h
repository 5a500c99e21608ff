/* The envelope reader: every shape the Argus producers put on the wire (gateway `data`, tenant/metadata
 * with a flat payload, `payload`, flat objects, the GitHub double envelope) read into one canonical
 * view, with field-name variants resolved in one place (event_fields.c). */
#ifndef ARGUS_EVENT_H
#define ARGUS_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "argus/base/outcome.h"

enum argus_event_shape {
    ARGUS_SHAPE_GATEWAY,        /* EventGateway ArgusEvent: payload under `data` */
    ARGUS_SHAPE_NESTED_GATEWAY, /* an ArgusEvent whose `data` is another ArgusEvent (VCS webhooks) */
    ARGUS_SHAPE_TENANT,         /* BaseEvent: `tenant{}` + `metadata{}` with the payload flat at the root */
    ARGUS_SHAPE_PAYLOAD,        /* RedpandaClient dataclass: payload under `payload` */
    ARGUS_SHAPE_FLAT            /* flat objects (worker outputs, Flink): type from the topic */
};

/* Strings point into the parsed document (or the event's own buffers) and live as long as the event:
 * parsing a message costs one cJSON parse and no copies. */
struct argus_event {
    enum argus_event_shape shape;
    const char *type;            /* "test.failed": no "argus." prefix; never NULL after a successful parse */
    const char *event_id;        /* NULL when the producer sent none */
    const char *org_id;          /* never NULL after a successful parse */
    const char *project_id;      /* NULL when absent or null */
    const char *user_id;
    const char *correlation_id;
    const char *causation_id;
    const char *source;
    const char *version;
    int64_t timestamp_us;        /* 0 when has_timestamp is false */
    bool has_timestamp;
    cJSON *root;                 /* the whole document (owned) */
    const cJSON *payload;        /* the object the payload fields live in (inside root) */
    const char *payload_prefix;  /* "data.", "data.data.", "payload." or "" (for messages) */
    char type_buf[96];
    char num_buf[7][24];         /* identifiers sent as JSON numbers, printed */
    int num_used;
    bool in_arena;               /* root lives in the batch's JSON arena: reset, never freed one by one */
};

/* Parses one message value. topic may be NULL; it names the type of flat events ("argus.test.failed").
 * Returns 0, or -1 with a precise reason in err ("invalid JSON at byte 17", "test.failed: org_id missing
 * (expected tenant.org_id or org_id)"). On failure ev holds nothing to free. */
int argus_event_parse(const char *topic, const void *value, size_t len, struct argus_event *ev,
                      char *err, size_t errlen);
void argus_event_free(struct argus_event *ev);

/* The event type a topic stands for: "argus.test.failed" -> "test.failed"; NULL if not an argus topic. */
const char *argus_topic_event_type(const char *topic);

/* Payload field lookup by canonical name with every known variant (failure_type -> error_type,
 * repo_url -> repository_url, ...): looks in the payload object, then at the root of the document.
 * JSON null counts as absent. */
const cJSON *argus_event_field(const struct argus_event *ev, const char *name);
/* A string field, or NULL when absent or not a string. */
const char *argus_event_str(const struct argus_event *ev, const char *name);
/* Integer field (a JSON number with no fraction, or a numeric string); returns false when absent/invalid. */
bool argus_event_int(const struct argus_event *ev, const char *name, int64_t *out);
bool argus_event_double(const struct argus_event *ev, const char *name, double *out);
bool argus_event_bool(const struct argus_event *ev, const char *name, bool *out);

/* Required string field: returns it, or NULL after setting res to a rejection such as
 * "test.failed: data.test_id missing" or "test.failed: data.test_id: expected a string". */
const char *argus_event_require_str(const struct argus_event *ev, const char *name, struct argus_result *res);

/* The canonical view as JSON text (what argus-event prints). Caller frees. */
char *argus_event_to_json(const struct argus_event *ev);
const char *argus_event_shape_name(enum argus_event_shape shape);

#endif
