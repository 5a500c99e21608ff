/* The wall around librdkafka, for the spelling <rdkafka.h>: see librdkafka/rdkafka.h beside it. */
#error "worker code must not include librdkafka: use argus/worker.h (records, argus_emit, outcomes)"
