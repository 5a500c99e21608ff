/* expect: undefined type 'struct argus_runtime' | incomplete definition of type 'struct argus_runtime'
 * A handler that reaches into the runtime for the consumer handle: struct argus_runtime is opaque. */
#include "argus/worker.h"

void *wall_bad_runtime(struct argus_runtime *rt);
void *wall_bad_runtime(struct argus_runtime *rt)
{
    return rt->consumer;
}
