/* expect: worker code must not include librdkafka
 * The same through the short spelling some build setups allow, and before any argus header. */
#include <rdkafka.h>
#include "argus/worker.h"

int wall_bad_rdkafka_short(void);
int wall_bad_rdkafka_short(void)
{
    return rd_kafka_version();
}
