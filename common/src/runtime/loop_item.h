/* Private to libargus: the consumer loop's record. A handler gets a pointer to the public part
 * (struct argus_item, argus/runtime/worker_spec.h); the native librdkafka message, the deliveries
 * made on its behalf, its partition slot and counters stay here, where no worker can name them. */
#ifndef ARGUS_RUNTIME_LOOP_ITEM_H
#define ARGUS_RUNTIME_LOOP_ITEM_H

#ifndef ARGUS_LIBARGUS_INTERNAL
#error "loop_item.h is private to libargus: a handler sees struct argus_item through argus/worker.h"
#endif

#include <stddef.h>
#include <librdkafka/rdkafka.h>

#include "argus/kafka/producer.h"
#include "argus/runtime/worker_spec.h"

struct topic_stats;

struct loop_item {
    struct argus_item pub;         /* what the handler sees */
    struct argus_delivery delivery;/* outputs and the DLQ copy produced on its behalf */
    rd_kafka_message_t *native;    /* owned until the batch is released or the record is held */
    int parsed;
    int dlq_sent;
    int skipped;                   /* behind a retry of its partition: not handled this time */
    int redelivered;               /* re-offered from the held queue */
    int slot;                      /* index of its partition state, -1 if none */
    struct topic_stats *stats;
    char traceparent_buf[128];
};

/* The loop's record around a handler's item (every argus_item a handler gets is one). */
static inline struct loop_item *loop_item_of(struct argus_item *it)
{
    return (struct loop_item *)(void *)((char *)it - offsetof(struct loop_item, pub));
}

#endif
