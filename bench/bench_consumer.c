/* Consumer loop throughput: a worker on libargus whose handler only counts, stopping itself after
 * BENCH_MESSAGES events. Prints one line: messages, seconds from the first record to the last
 * finished one, and messages per second. scripts/bench runs it next to `kcat -C` on the same topic. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "argus/base/timeutil.h"
#include "argus/worker.h"

static long target;
static long handled;
static int64_t first_us, last_us;
static struct argus_runtime *runtime;

static enum argus_outcome count(void *ctx, struct argus_item *it)
{
    (void)ctx;
    (void)it;
    if (handled++ == 0)
        first_us = argus_now_us();
    if (handled == target) {
        last_us = argus_now_us();
        argus_runtime_request_stop(runtime);
    }
    return ARGUS_OK;
}

static int bench_init(struct argus_runtime *rt, void **ctx, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    runtime = rt;
    *ctx = rt;
    return 0;
}

static const struct argus_route routes[] = {{"test.record", count}, {NULL, NULL}};

static const struct argus_worker_spec spec = {
    .name = "bench",
    .summary = "Consumer loop benchmark",
    .group = "argus-bench",
    .topics = "bench.input",
    .routes = routes,
    .init = bench_init,
};

int main(int argc, char **argv)
{
    const char *n = getenv("BENCH_MESSAGES");
    target = n ? atol(n) : 200000;
    int rc = argus_worker_main(&spec, argc, argv);
    double secs = (double)(last_us - first_us) / 1e6;
    if (handled >= target && secs > 0)
        fprintf(stderr, "bench_consumer: %ld messages in %.3f s = %.0f msg/s\n", handled, secs, handled / secs);
    else
        fprintf(stderr, "bench_consumer: only %ld of %ld messages\n", handled, target);
    return rc;
}
