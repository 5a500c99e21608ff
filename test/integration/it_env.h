/* Shared by the integration tests: the store settings from the environment the test run exports
 * (the same variables the workers read), and names unique to one test process so runs never collide. */
#ifndef ARGUS_IT_ENV_H
#define ARGUS_IT_ENV_H

#include <stddef.h>

#include "argus/base/config.h"

/* Loads the configuration like a worker does; aborts the test binary with a message if it is invalid. */
void it_config_load(struct argus_config *cfg);
/* "<prefix>_<pid>_<counter>": unique within the machine for the life of this process. */
void it_unique_name(char *out, size_t outlen, const char *prefix);
/* Milliseconds from a monotonic clock. */
double it_now_ms(void);

#endif
