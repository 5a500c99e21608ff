/* Dependencies of a worker (stores, APIs, the broker): registration and probing. */
#include "runtime.h"
#include "argus/base/buf.h"
#include "argus/base/log.h"
#include "argus/base/metrics.h"

#include <stdio.h>
#include <string.h>

int argus_runtime_add_dependency(struct argus_runtime *rt, const char *name, argus_probe_fn probe, void *arg)
{
    if (rt->ndeps == ARGUS_MAX_DEPS || !probe)
        return -1;
    struct dependency *d = &rt->deps[rt->ndeps++];
    snprintf(d->name, sizeof d->name, "%s", name);
    d->probe = probe;
    d->arg = arg;
    d->up = 1;
    return 0;
}

void runtime_set_outage_reason(struct argus_runtime *rt, const char *why)
{
    pthread_mutex_lock(&rt->reason_lock);
    snprintf(rt->outage_reason, sizeof rt->outage_reason, "%s", why ? why : "");
    pthread_mutex_unlock(&rt->reason_lock);
}

int deps_probe_all(struct argus_runtime *rt, char *why, size_t whylen)
{
    int rc = 0;
    why[0] = '\0';
    for (size_t i = 0; i < rt->ndeps; i++) {
        struct dependency *d = &rt->deps[i];
        char err[256] = "";
        int up = d->probe(d->arg, err, sizeof err) == 0;
        if (up != d->up)
            argus_log(up ? ARGUS_LOG_INFO : ARGUS_LOG_WARN, up ? "dependency.up" : "dependency.down", "%s%s%s",
                      d->name, up ? "" : ": ", up ? "" : err);
        d->up = up;
        struct argus_buf labels = ARGUS_BUF_INIT;
        argus_metric_label(&labels, "dependency", d->name);
        argus_gauge_set("argus_dependency_up", argus_buf_str(&labels), up);
        argus_buf_free(&labels);
        if (!up && rc == 0) {
            snprintf(why, whylen, "%s: %s", d->name, err);
            rc = -1;
        }
    }
    return rc;
}
