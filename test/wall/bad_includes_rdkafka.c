/* expect: worker code must not include librdkafka
 * A handler that reaches for librdkafka to produce on its own, after the handlers' header. */
#include "argus/worker.h"
#include <librdkafka/rdkafka.h>

int wall_bad_rdkafka(void);
int wall_bad_rdkafka(void)
{
    return rd_kafka_version();
}
