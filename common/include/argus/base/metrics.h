/* Prometheus metrics of one process: counters, gauges and histograms with labels, rendered in the
 * text exposition format by the health server. Thread-safe (the loop, librdkafka's statistics
 * callback and the HTTP thread all touch it). */
#ifndef ARGUS_METRICS_H
#define ARGUS_METRICS_H

#include "argus/base/buf.h"

enum argus_metric_type { ARGUS_COUNTER, ARGUS_GAUGE, ARGUS_HISTOGRAM };

/* Declares a family once (HELP/TYPE lines). Histograms take upper bounds in seconds (or units),
 * ascending, terminated by a negative value; NULL gives the default latency buckets. */
void argus_metric_define(const char *name, enum argus_metric_type type, const char *help, const double *buckets);

/* labels: Prometheus label text without braces, e.g. "topic=\"argus.test.failed\",outcome=\"ok\"";
 * NULL or "" for none. Values of labels must already be safe (use argus_metric_label to escape). */
void argus_counter_add(const char *name, const char *labels, double v);
void argus_gauge_set(const char *name, const char *labels, double v);
void argus_histogram_observe(const char *name, const char *labels, double v);
/* Removes every series of a family whose labels contain `match` (e.g. a revoked partition's lag). */
void argus_metric_forget(const char *name, const char *match);

/* A handle to one labelled series for hot paths (no label formatting or lookup per update). Valid
 * until argus_metrics_reset; never take one on a series that argus_metric_forget may remove. */
struct argus_series;
struct argus_series *argus_series_get(const char *name, const char *labels);
void argus_series_add(struct argus_series *s, double v);
void argus_series_observe(struct argus_series *s, double v);

/* Appends key="escaped value" (with a leading comma when buf is not empty). */
void argus_metric_label(struct argus_buf *labels, const char *key, const char *value);

void argus_metrics_render(struct argus_buf *out);
/* Drops everything (tests). */
void argus_metrics_reset(void);

#endif
