/* expect: loop_item.h is private to libargus
 * A handler that includes the loop's private header by path to reach the record's bookkeeping. */
#include "argus/worker.h"
#include "../../common/src/runtime/loop_item.h"

int wall_bad_private(struct argus_item *it);
int wall_bad_private(struct argus_item *it)
{
    return loop_item_of(it)->dlq_sent;
}
