/* The loop's metrics on the hot path: per-topic counts accumulated over a batch and latency series
 * per event type, so a record costs no label formatting or registry lookup. */
#include "runtime.h"
#include "argus/base/buf.h"
#include "argus/base/metrics.h"

#include <stdlib.h>
#include <string.h>

static struct argus_series *series(const char *name, const char *key, const char *value, const char *k2,
                                   const char *v2)
{
    struct argus_buf l = ARGUS_BUF_INIT;
    argus_metric_label(&l, key, value);
    if (k2)
        argus_metric_label(&l, k2, v2);
    struct argus_series *s = argus_series_get(name, argus_buf_str(&l));
    argus_buf_free(&l);
    return s;
}

struct topic_stats *stats_topic(struct argus_runtime *rt, const char *topic)
{
    if (rt->last_tstats && rt->last_topic_ref == topic)
        return rt->last_tstats;
    for (size_t i = 0; i < rt->ntstats; i++)
        if (!strcmp(rt->tstats[i].topic, topic)) {
            rt->last_tstats = &rt->tstats[i];
            rt->last_topic_ref = topic;
            return &rt->tstats[i];
        }
    /* Fixed capacity: items keep pointers to these entries, so the array must never move. */
    if (!rt->tstats) {
        rt->tstats = calloc(64, sizeof *rt->tstats);
        if (!rt->tstats)
            return NULL;
    }
    if (rt->ntstats == 64)
        return NULL;
    struct topic_stats *t = &rt->tstats[rt->ntstats];
    t->topic = strdup(topic);
    if (!t->topic)
        return NULL;
    t->received = series("argus_messages_received_total", "topic", topic, NULL, NULL);
    t->ok = series("argus_messages_processed_total", "topic", topic, "outcome", "ok");
    t->dlq = series("argus_messages_processed_total", "topic", topic, "outcome", "dlq");
    t->retries = series("argus_retries_total", "topic", topic, NULL, NULL);
    rt->ntstats++;
    return t;
}

struct argus_series *stats_latency(struct argus_runtime *rt, const char *event_type)
{
    if (rt->last_ystats && !strcmp(rt->last_ystats->type, event_type))
        return rt->last_ystats->latency;
    for (size_t i = 0; i < rt->nystats; i++)
        if (!strcmp(rt->ystats[i].type, event_type)) {
            rt->last_ystats = &rt->ystats[i];
            return rt->ystats[i].latency;
        }
    struct type_stats *grown = realloc(rt->ystats, (rt->nystats + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    rt->ystats = grown;
    rt->last_ystats = NULL; /* the array moved */
    struct type_stats *y = &rt->ystats[rt->nystats];
    y->type = strdup(event_type);
    if (!y->type)
        return NULL;
    y->latency = series("argus_handler_duration_seconds", "event_type", event_type, NULL, NULL);
    rt->nystats++;
    return y->latency;
}

void stats_flush(struct argus_runtime *rt)
{
    for (size_t i = 0; i < rt->ntstats; i++) {
        struct topic_stats *t = &rt->tstats[i];
        if (t->n_received)
            argus_series_add(t->received, (double)t->n_received);
        if (t->n_ok)
            argus_series_add(t->ok, (double)t->n_ok);
        if (t->n_dlq)
            argus_series_add(t->dlq, (double)t->n_dlq);
        if (t->n_retries)
            argus_series_add(t->retries, (double)t->n_retries);
        t->n_received = t->n_ok = t->n_dlq = t->n_retries = 0;
    }
}

void stats_free(struct argus_runtime *rt)
{
    for (size_t i = 0; i < rt->ntstats; i++)
        free(rt->tstats[i].topic);
    for (size_t i = 0; i < rt->nystats; i++)
        free(rt->ystats[i].type);
    free(rt->tstats);
    free(rt->ystats);
    rt->tstats = NULL;
    rt->ystats = NULL;
    rt->last_tstats = NULL;
    rt->last_ystats = NULL;
    rt->ntstats = rt->nystats = 0;
}
