/* The wall around librdkafka: worker code (workers/, test/worker/) is compiled with common/wall ahead
 * of the system headers, so this file is what <librdkafka/rdkafka.h> means there. A handler gets its
 * records, outputs and dead letters through argus/worker.h; only libargus and the tools talk to Kafka. */
#error "worker code must not include librdkafka: use argus/worker.h (records, argus_emit, outcomes)"
