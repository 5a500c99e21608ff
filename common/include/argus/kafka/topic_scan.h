/* Reads a topic from its first to its last offset without a consumer group (nothing committed):
 * what the DLQ tool and the tests use to inspect argus.dlq and output topics. */
#ifndef ARGUS_TOPIC_SCAN_H
#define ARGUS_TOPIC_SCAN_H

#include <stddef.h>
#include <librdkafka/rdkafka.h>

#include "argus/base/config.h"

/* Return 0 to go on, non-zero to stop the scan. */
typedef int (*argus_scan_fn)(void *arg, const rd_kafka_message_t *m);

/* Calls fn for every record of topic present when the scan starts. partition -1 = all partitions;
 * start_offset -1 = from the beginning. Returns the number of records seen, or -1 with err. */
long argus_topic_scan(const struct argus_config *cfg, const char *topic, int partition, long long start_offset,
                      int timeout_ms, argus_scan_fn fn, void *arg, char *err, size_t errlen);

#endif
