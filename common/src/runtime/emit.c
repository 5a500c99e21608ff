/* Output events produced by handlers: gateway envelope, key and trace context carried from the cause. */
#include "runtime.h"
#include "loop_item.h"
#include "argus/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_header(rd_kafka_headers_t *h, const char *name, const char *v)
{
    if (v)
        rd_kafka_header_add(h, name, -1, v, -1);
}

int argus_emit(struct argus_runtime *rt, struct argus_item *cause, const char *topic, const char *type,
               cJSON *data)
{
    struct loop_item *li = cause ? loop_item_of(cause) : NULL;
    cJSON *env = argus_envelope_new(type, li && li->parsed ? &cause->event : NULL, rt->source, data);
    char *json = env ? cJSON_PrintUnformatted(env) : NULL;
    if (!json) {
        cJSON_Delete(env);
        if (cause)
            argus_retry(&cause->result, ARGUS_ERR_PRODUCE, "out of memory building %s", type);
        return -1;
    }
    const char *event_id = cJSON_GetObjectItemCaseSensitive(env, "event_id")->valuestring;
    const char *org_id = li && li->parsed ? cause->event.org_id : NULL;

    rd_kafka_headers_t *h = rd_kafka_headers_new(5);
    add_header(h, "event_id", event_id);
    add_header(h, "event_type", type);
    add_header(h, "org_id", org_id);
    add_header(h, "version", "1.0");
    add_header(h, "traceparent", cause ? cause->msg.traceparent : NULL);

    const void *key = cause ? cause->msg.key : NULL;
    size_t key_len = cause ? cause->msg.key_len : 0;
    if (!key && org_id) {
        key = org_id;
        key_len = strlen(org_id);
    }
    char err[256];
    int rc = argus_produce(rt->producer, topic, key, key_len, json, strlen(json), h,
                           li ? &li->delivery : NULL, err, sizeof err);
    if (rc != 0 && cause)
        argus_retry(&cause->result, ARGUS_ERR_PRODUCE, "%s", err);
    free(json);
    cJSON_Delete(env);
    return rc;
}
