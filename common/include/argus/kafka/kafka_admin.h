/* Topic administration on librdkafka's Admin API: make the broker's topics match the topic table
 * (create missing ones, raise partition counts, set retention and size limits), idempotently. */
#ifndef ARGUS_KAFKA_ADMIN_H
#define ARGUS_KAFKA_ADMIN_H

#include <stddef.h>
#include <librdkafka/rdkafka.h>

#include "argus/base/config.h"
#include "argus/kafka/topic_table.h"

/* A client handle for admin calls and metadata. NULL on error. */
rd_kafka_t *argus_admin_new(const struct argus_config *cfg, char *err, size_t errlen);

/* Partition count of a topic: > 0, 0 if the topic does not exist, -1 on error. */
int argus_admin_partition_count(rd_kafka_t *rk, const char *topic, int timeout_ms, char *err, size_t errlen);

/* The value of one topic config (e.g. "retention.ms") as the broker reports it. 0, or -1 with err. */
int argus_admin_topic_config(rd_kafka_t *rk, const char *topic, const char *name, char *out, size_t outlen,
                             int timeout_ms, char *err, size_t errlen);

enum argus_topic_action { ARGUS_TOPIC_CREATED, ARGUS_TOPIC_UNCHANGED, ARGUS_TOPIC_PARTITIONS_RAISED,
                          ARGUS_TOPIC_FAILED, ARGUS_TOPIC_CONFIGS_UPDATED };

/* Called once per topic with what was done (and why it failed). */
typedef void (*argus_topic_report_fn)(void *arg, const struct argus_topic_spec *spec,
                                      enum argus_topic_action action, const char *detail);

/* Ensures every topic of the table: creates missing ones, raises partition counts, and sets
 * cleanup.policy=delete, retention.ms and max.message.bytes where they differ from the table (the
 * table owns a topic's dynamic configs: Kafka's AlterConfigs replaces them all). replication_factor
 * -1 = broker default. Returns the number of topics that failed (0 = all good). */
int argus_admin_ensure_topics(rd_kafka_t *rk, const struct argus_topic_table *t, int replication_factor,
                              int timeout_ms, argus_topic_report_fn report, void *arg);

#endif
