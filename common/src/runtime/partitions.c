/* The loop's table of assigned partitions: pause state and held-back messages. */
#include "runtime.h"
#include "argus/base/log.h"
#include "argus/base/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct partition_state *partition_find(struct argus_runtime *rt, const char *topic, int32_t partition)
{
    /* librdkafka hands out one name pointer per topic: compare pointers first, strings once. */
    for (size_t i = 0; i < rt->nparts; i++)
        if (rt->parts[i].partition == partition && rt->parts[i].topic_ref == topic)
            return &rt->parts[i];
    for (size_t i = 0; i < rt->nparts; i++)
        if (rt->parts[i].partition == partition && !strcmp(rt->parts[i].topic, topic)) {
            rt->parts[i].topic_ref = topic;
            return &rt->parts[i];
        }
    return NULL;
}

struct partition_state *partition_get(struct argus_runtime *rt, const char *topic, int32_t partition)
{
    struct partition_state *p = partition_find(rt, topic, partition);
    if (p)
        return p;
    if (rt->nparts == rt->capparts) {
        size_t cap = rt->capparts ? rt->capparts * 2 : 16;
        struct partition_state *grown = realloc(rt->parts, cap * sizeof *grown);
        if (!grown)
            return NULL;
        rt->parts = grown;
        rt->capparts = cap;
    }
    p = &rt->parts[rt->nparts];
    memset(p, 0, sizeof *p);
    p->topic = strdup(topic);
    if (!p->topic)
        return NULL;
    p->partition = partition;
    p->head_offset = -1;
    rt->nparts++;
    return p;
}

static void partition_release(struct partition_state *p)
{
    for (size_t i = 0; i < p->nheld; i++)
        rd_kafka_message_destroy(p->held[i]);
    free(p->held);
    free(p->topic);
}

void partition_drop(struct argus_runtime *rt, const char *topic, int32_t partition)
{
    struct partition_state *p = partition_find(rt, topic, partition);
    if (!p)
        return;
    if (p->nheld)
        argus_info("partition.dropped_held", "%s [%d]: %zu held message(s) left to the next owner", topic,
                   (int)partition, p->nheld);
    char match[320];
    snprintf(match, sizeof match, "topic=\"%s\",partition=\"%d\"", topic, (int)partition);
    argus_metric_forget("argus_consumer_lag", match);
    partition_release(p);
    size_t idx = (size_t)(p - rt->parts);
    memmove(p, p + 1, (rt->nparts - idx - 1) * sizeof *p);
    rt->nparts--;
}

void partitions_clear(struct argus_runtime *rt)
{
    for (size_t i = 0; i < rt->nparts; i++)
        partition_release(&rt->parts[i]);
    free(rt->parts);
    rt->parts = NULL;
    rt->nparts = rt->capparts = 0;
}

int partition_hold(struct partition_state *p, rd_kafka_message_t *m)
{
    if (p->nheld == p->capheld) {
        size_t cap = p->capheld ? p->capheld * 2 : 16;
        rd_kafka_message_t **grown = realloc(p->held, cap * sizeof *grown);
        if (!grown)
            return -1;
        p->held = grown;
        p->capheld = cap;
    }
    p->held[p->nheld++] = m;
    return 0;
}

void partition_set_paused(struct argus_runtime *rt, struct partition_state *p, bool paused)
{
    if (p->paused == paused)
        return;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, p->topic, p->partition);
    rd_kafka_resp_err_t e = paused ? rd_kafka_pause_partitions(rt->consumer, l)
                                   : rd_kafka_resume_partitions(rt->consumer, l);
    if (e)
        argus_warn(paused ? "partition.pause_failed" : "partition.resume_failed", "%s [%d]: %s", p->topic,
                   (int)p->partition, rd_kafka_err2str(e));
    else
        p->paused = paused;
    rd_kafka_topic_partition_list_destroy(l);
}

void partitions_pause_all(struct argus_runtime *rt)
{
    for (size_t i = 0; i < rt->nparts; i++)
        partition_set_paused(rt, &rt->parts[i], true);
}

int partitions_paused_count(const struct argus_runtime *rt)
{
    int n = 0;
    for (size_t i = 0; i < rt->nparts; i++)
        n += rt->parts[i].paused;
    return n;
}
