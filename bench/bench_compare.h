/* What the benchmarks share: variants of one operation run interleaved for BENCH_RUNS rounds, so
 * load from other processes hits them alike; each prints its median rate and the ratio to the
 * first variant (the baseline). */
#ifndef ARGUS_BENCH_COMPARE_H
#define ARGUS_BENCH_COMPARE_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_RUNS 5

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef void (*bench_fn)(int n, int run);

struct variant {
    const char *name;
    bench_fn fn;
    void (*setup)(void);   /* untimed, before each run: every run starts from the same state */
};

/* Runs every variant (at most 8) once per round; prints medians and ratios to variant 0. */
static inline void compare(const struct variant *v, size_t nv, int n)
{
    double rates[8][BENCH_RUNS];
    for (int r = 0; r < BENCH_RUNS; r++) {
        for (size_t i = 0; i < nv; i++) {
            if (v[i].setup)
                v[i].setup();
            double t0 = now_s();
            v[i].fn(n, r);
            rates[i][r] = n / (now_s() - t0);
        }
    }
    double base = 0;
    for (size_t i = 0; i < nv; i++) {
        qsort(rates[i], BENCH_RUNS, sizeof rates[i][0], cmp_double);
        double median = rates[i][BENCH_RUNS / 2];
        if (i == 0)
            base = median;
        printf("%-48s %9.0f ops/s  x%-6.2f (min %.0f, max %.0f)\n", v[i].name, median, median / base,
               rates[i][0], rates[i][BENCH_RUNS - 1]);
    }
    fflush(stdout);
}

#endif
