/* Process-wide metric registry with Prometheus text rendering; see argus/metrics.h. */
#include "argus/base/metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUCKETS 24

struct family;

struct series {
    struct series *next;
    struct family *fam;
    char *labels;
    double value;                        /* counter/gauge value, histogram sum */
    unsigned long long count;            /* histogram observations */
    unsigned long long buckets[MAX_BUCKETS];
};

struct family {
    struct family *next;
    char *name;
    char *help;
    enum argus_metric_type type;
    double bounds[MAX_BUCKETS];
    int nbounds;
    struct series *series;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct family *families;

static const double default_buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                         0.25,   0.5,   1,      2.5,   5,    10,    30,    60, -1};

static struct family *find_family(const char *name)
{
    for (struct family *f = families; f; f = f->next)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

void argus_metric_define(const char *name, enum argus_metric_type type, const char *help, const double *buckets)
{
    pthread_mutex_lock(&lock);
    if (find_family(name)) {
        pthread_mutex_unlock(&lock);
        return;
    }
    struct family *f = calloc(1, sizeof *f);
    if (f) {
        f->name = strdup(name);
        f->help = strdup(help ? help : "");
        f->type = type;
        const double *b = buckets ? buckets : default_buckets;
        for (int i = 0; type == ARGUS_HISTOGRAM && b[i] >= 0 && i < MAX_BUCKETS; i++)
            f->bounds[f->nbounds++] = b[i];
        if (!f->name || !f->help) {
            free(f->name);
            free(f->help);
            free(f);
        } else {
            f->next = families;
            families = f;
        }
    }
    pthread_mutex_unlock(&lock);
}

/* Caller holds the lock. Creates an undeclared family as untyped gauge/counter on first use. */
static struct series *find_series(const char *name, const char *labels, enum argus_metric_type type)
{
    struct family *f = find_family(name);
    if (!f) {
        pthread_mutex_unlock(&lock);
        argus_metric_define(name, type, "", NULL);
        pthread_mutex_lock(&lock);
        f = find_family(name);
        if (!f)
            return NULL;
    }
    const char *l = labels ? labels : "";
    for (struct series *s = f->series; s; s = s->next)
        if (!strcmp(s->labels, l))
            return s;
    struct series *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->labels = strdup(l);
    if (!s->labels) {
        free(s);
        return NULL;
    }
    s->fam = f;
    s->next = f->series;
    f->series = s;
    return s;
}

struct argus_series *argus_series_get(const char *name, const char *labels)
{
    pthread_mutex_lock(&lock);
    struct family *f = find_family(name);
    struct series *s = find_series(name, labels, f ? f->type : ARGUS_COUNTER);
    pthread_mutex_unlock(&lock);
    return (struct argus_series *)s;
}

static void observe_locked(struct series *s, double v)
{
    s->value += v;
    s->count++;
    for (int i = 0; i < s->fam->nbounds; i++)
        if (v <= s->fam->bounds[i])
            s->buckets[i]++;
}

void argus_series_add(struct argus_series *h, double v)
{
    if (!h)
        return;
    pthread_mutex_lock(&lock);
    ((struct series *)h)->value += v;
    pthread_mutex_unlock(&lock);
}

void argus_series_observe(struct argus_series *h, double v)
{
    if (!h)
        return;
    pthread_mutex_lock(&lock);
    observe_locked((struct series *)h, v);
    pthread_mutex_unlock(&lock);
}

void argus_counter_add(const char *name, const char *labels, double v)
{
    pthread_mutex_lock(&lock);
    struct series *s = find_series(name, labels, ARGUS_COUNTER);
    if (s)
        s->value += v;
    pthread_mutex_unlock(&lock);
}

void argus_gauge_set(const char *name, const char *labels, double v)
{
    pthread_mutex_lock(&lock);
    struct series *s = find_series(name, labels, ARGUS_GAUGE);
    if (s)
        s->value = v;
    pthread_mutex_unlock(&lock);
}

void argus_histogram_observe(const char *name, const char *labels, double v)
{
    pthread_mutex_lock(&lock);
    struct series *s = find_series(name, labels, ARGUS_HISTOGRAM);
    if (s)
        observe_locked(s, v);
    pthread_mutex_unlock(&lock);
}

void argus_metric_forget(const char *name, const char *match)
{
    pthread_mutex_lock(&lock);
    struct family *f = find_family(name);
    for (struct series **pp = f ? &f->series : NULL; pp && *pp;) {
        struct series *s = *pp;
        if (strstr(s->labels, match)) {
            *pp = s->next;
            free(s->labels);
            free(s);
        } else {
            pp = &s->next;
        }
    }
    pthread_mutex_unlock(&lock);
}

void argus_metric_label(struct argus_buf *labels, const char *key, const char *value)
{
    if (labels->len)
        argus_buf_putc(labels, ',');
    argus_buf_printf(labels, "%s=\"", key);
    for (const char *p = value ? value : ""; *p; p++) {
        if (*p == '\\' || *p == '"')
            argus_buf_putc(labels, '\\');
        if (*p == '\n') {
            argus_buf_puts(labels, "\\n");
            continue;
        }
        argus_buf_putc(labels, *p);
    }
    argus_buf_putc(labels, '"');
}

/* Integral values print exactly; others with 15 significant digits (what a scrape can use). */
static void render_value(struct argus_buf *out, double v)
{
    if (v == (double)(long long)v && v < 9007199254740992.0 && v > -9007199254740992.0)
        argus_buf_printf(out, " %lld\n", (long long)v);
    else
        argus_buf_printf(out, " %.15g\n", v);
}

static void render_labels(struct argus_buf *out, const char *labels, const char *extra)
{
    int has = labels && *labels;
    if (!has && !extra)
        return;
    argus_buf_putc(out, '{');
    if (has)
        argus_buf_puts(out, labels);
    if (extra) {
        if (has)
            argus_buf_putc(out, ',');
        argus_buf_puts(out, extra);
    }
    argus_buf_putc(out, '}');
}

void argus_metrics_render(struct argus_buf *out)
{
    static const char *const types[] = {"counter", "gauge", "histogram"};
    pthread_mutex_lock(&lock);
    for (struct family *f = families; f; f = f->next) {
        argus_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name, types[f->type]);
        for (struct series *s = f->series; s; s = s->next) {
            if (f->type != ARGUS_HISTOGRAM) {
                argus_buf_puts(out, f->name);
                render_labels(out, s->labels, NULL);
                render_value(out, s->value);
                continue;
            }
            for (int i = 0; i <= f->nbounds; i++) {
                char le[48];
                if (i < f->nbounds)
                    snprintf(le, sizeof le, "le=\"%g\"", f->bounds[i]);
                else
                    snprintf(le, sizeof le, "le=\"+Inf\"");
                argus_buf_printf(out, "%s_bucket", f->name);
                render_labels(out, s->labels, le);
                argus_buf_printf(out, " %llu\n", i < f->nbounds ? s->buckets[i] : s->count);
            }
            argus_buf_printf(out, "%s_sum", f->name);
            render_labels(out, s->labels, NULL);
            render_value(out, s->value);
            argus_buf_printf(out, "%s_count", f->name);
            render_labels(out, s->labels, NULL);
            argus_buf_printf(out, " %llu\n", s->count);
        }
    }
    pthread_mutex_unlock(&lock);
}

void argus_metrics_reset(void)
{
    pthread_mutex_lock(&lock);
    while (families) {
        struct family *f = families;
        families = f->next;
        while (f->series) {
            struct series *s = f->series;
            f->series = s->next;
            free(s->labels);
            free(s);
        }
        free(f->name);
        free(f->help);
        free(f);
    }
    pthread_mutex_unlock(&lock);
}
