/* The project's producer: idempotent, acks=all, murmur2 partitioner (keys land where the Java and
 * Python clients put them), with per-message delivery tracking so the consumer loop stores an offset
 * only after everything a message produced (outputs, its DLQ copy) is acknowledged. */
#ifndef ARGUS_PRODUCER_H
#define ARGUS_PRODUCER_H

#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include <cJSON.h>

#include "argus/base/config.h"
#include "argus/base/event.h"

/* Counts the deliveries of one unit of work (a consumed message). Updated from rd_kafka_flush/poll
 * in the calling thread. */
struct argus_delivery {
    int pending;
    int failed;
    char error[200];
};

struct argus_producer;

struct argus_producer *argus_producer_new(const struct argus_config *cfg, const char *worker, char *err,
                                          size_t errlen);
/* Flushes (bounded by the config's shutdown timeout) and frees. */
void argus_producer_free(struct argus_producer *p);
rd_kafka_t *argus_producer_handle(struct argus_producer *p);

/* Queues one record. headers (may be NULL) are taken over in every case. d (may be NULL) tracks it.
 * Returns 0, or -1 with the reason (queue full, unknown topic, too large). */
int argus_produce(struct argus_producer *p, const char *topic, const void *key, size_t key_len,
                  const void *value, size_t value_len, rd_kafka_headers_t *headers, struct argus_delivery *d,
                  char *err, size_t errlen);
/* The same with the record's timestamp set (epoch ms; 0 = now), e.g. a replay keeping the original's. */
int argus_produce_at(struct argus_producer *p, const char *topic, const void *key, size_t key_len,
                     const void *value, size_t value_len, int64_t timestamp_ms, rd_kafka_headers_t *headers,
                     struct argus_delivery *d, char *err, size_t errlen);
/* Waits until everything queued is acknowledged or failed. Returns 0 when the queue drained. */
int argus_producer_flush(struct argus_producer *p, int timeout_ms);
/* Serves delivery reports without blocking. */
void argus_producer_poll(struct argus_producer *p);

/* A new output event in the gateway envelope (payload under `data`): event_id, event_type, timestamp
 * (+00:00), org_id/project_id/user_id and correlation from cause (may be NULL), causation_id =
 * cause's event id, source, version "1.0". data is taken over. */
cJSON *argus_envelope_new(const char *type, const struct argus_event *cause, const char *source, cJSON *data);

#endif
