/* expect: worker code must not include librdkafka
 * A handler that includes libargus's kafka layer to get at the producer: that layer exposes
 * librdkafka types, so the wall stops it too. */
#include "argus/worker.h"
#include "argus/kafka/producer.h"

int wall_bad_kafka_layer(void);
int wall_bad_kafka_layer(void)
{
    return 0;
}
