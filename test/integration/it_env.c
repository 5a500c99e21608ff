/* Integration test helpers: configuration from the environment and unique names; see it_env.h. */
#include "it_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

void it_config_load(struct argus_config *cfg)
{
    char err[256];
    if (argus_config_load(cfg, "argus-integration-tests", NULL, err, sizeof err) != 0) {
        fprintf(stderr, "integration test configuration: %s\n", err);
        exit(2);
    }
}

void it_unique_name(char *out, size_t outlen, const char *prefix)
{
    static unsigned counter;
    snprintf(out, outlen, "%s_%ld_%u", prefix, (long)getpid(), ++counter);
}

double it_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
