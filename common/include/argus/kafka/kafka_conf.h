/* librdkafka client configuration built from argus_config: brokers, client id, SASL/TLS pass-through,
 * and the settings every consumer, producer and admin client of the project shares. */
#ifndef ARGUS_KAFKA_CONF_H
#define ARGUS_KAFKA_CONF_H

#include <stddef.h>
#include <librdkafka/rdkafka.h>

#include "argus/base/config.h"

/* The largest record a client fetches or produces: KAFKA_MAX_MESSAGE_BYTES, but at least 16 MiB, so a
 * record over a worker's own limit is still fetched and its copy still fits the DLQ producer. */
int argus_kafka_client_max_bytes(const struct argus_config *cfg);

/* Sets one property; on failure writes "name=value: librdkafka's reason" to err and returns -1. */
int argus_kafka_set(rd_kafka_conf_t *conf, const char *name, const char *value, char *err, size_t errlen);

/* A new conf with bootstrap servers, client.id, security (SASL, TLS) and logging routed to argus_log.
 * client_id_suffix is appended to "argus-" when KAFKA_CLIENT_ID is unset. NULL on error (err says why). */
rd_kafka_conf_t *argus_kafka_conf_new(const struct argus_config *cfg, const char *client_id_suffix,
                                      char *err, size_t errlen);

#endif
