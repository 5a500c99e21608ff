/* The stores a worker declares (spec->uses), opened by the runtime from the shared settings so that
 * no worker writes that code again: set up after the configuration is read (a bad DATABASE_URL stops
 * the binary like any bad value), probed as dependencies once the worker runs, closed at exit.
 * Nothing connects here: every client connects on first use. */
#include "runtime.h"

#include <stdio.h>
#include <string.h>

static int graph_probe(void *arg, char *err, size_t errlen)
{
    return argus_graph_ping(arg, err, errlen);
}

static int kv_probe(void *arg, char *err, size_t errlen)
{
    return argus_kv_ping(arg, err, errlen);
}

static int pg_probe(void *arg, char *err, size_t errlen)
{
    return argus_pg_ping(arg, err, errlen);
}

int stores_open(struct argus_runtime *rt, char *err, size_t errlen)
{
    unsigned uses = rt->spec->uses;
    const struct argus_config *c = &rt->cfg;
    if (uses & ARGUS_USES_FALKORDB) {
        if (argus_graph_init_config(&rt->graph, c) != 0)
            goto oom;
        rt->stores.graph = &rt->graph;
    }
    if (uses & ARGUS_USES_VALKEY) {
        if (argus_kv_init_config(&rt->kv, c) != 0)
            goto oom;
        rt->stores.kv = &rt->kv;
    }
    if (uses & ARGUS_USES_DATABASE) {
        if (!c->database_url || !*c->database_url) {
            snprintf(err, errlen, "DATABASE_URL: needed by argus-%s-worker (it uses PostgreSQL)", rt->spec->name);
            return -1;
        }
        if (argus_pg_init_config(&rt->pg, c, err, errlen) != 0)
            return -1;
        rt->stores.pg = &rt->pg;
    }
    if (uses & ARGUS_USES_HTTPS) {
        char agent[128];
        snprintf(agent, sizeof agent, "%s/%s", rt->source, ARGUS_VERSION);
        if (argus_http_init(&rt->http, agent, 0, 0) != 0)
            goto oom;
        rt->stores.http = &rt->http;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory opening the stores");
    return -1;
}

void stores_register_probes(struct argus_runtime *rt)
{
    if (rt->stores.graph)
        argus_runtime_add_dependency(rt, "falkordb", graph_probe, rt->stores.graph);
    if (rt->stores.kv)
        argus_runtime_add_dependency(rt, "valkey", kv_probe, rt->stores.kv);
    if (rt->stores.pg)
        argus_runtime_add_dependency(rt, "postgres", pg_probe, rt->stores.pg);
}

void stores_close(struct argus_runtime *rt)
{
    if (rt->stores.graph)
        argus_graph_close(rt->stores.graph);
    if (rt->stores.kv)
        argus_kv_close(rt->stores.kv);
    if (rt->stores.pg)
        argus_pg_close(rt->stores.pg);
    if (rt->stores.http)
        argus_http_close(rt->stores.http);
    memset(&rt->stores, 0, sizeof rt->stores);
}

const struct argus_stores *argus_runtime_stores(const struct argus_runtime *rt)
{
    return &rt->stores;
}
