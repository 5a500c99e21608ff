/* expect: no member named 'native'
 * A handler that takes the native message (or marks its own DLQ copy) off the item: the public
 * struct argus_item has no such fields. */
#include "argus/worker.h"

enum argus_outcome wall_bad_item(void *ctx, struct argus_item *it);
enum argus_outcome wall_bad_item(void *ctx, struct argus_item *it)
{
    (void)ctx;
    void *m = it->native;
    it->dlq_sent = 1;
    return m ? ARGUS_OK : ARGUS_RETRY;
}
