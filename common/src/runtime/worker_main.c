/* argus_worker_main(): the command line, configuration, signals, health server and lifecycle that
 * every worker binary shares. */
#include "runtime.h"
#include "argus/base/log.h"
#include "argus/base/metrics.h"
#include "argus/base/timeutil.h"
#include "argus/stores/url_guard.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct argus_runtime *signal_rt;

static void on_signal(int sig)
{
    (void)sig;
    if (signal_rt)
        atomic_store(&signal_rt->stopping, 1);
}

const struct argus_config *argus_runtime_config(const struct argus_runtime *rt)
{
    return &rt->cfg;
}

const struct argus_url_guard *argus_runtime_url_guard(const struct argus_runtime *rt)
{
    return rt->url_guard;
}

const char *argus_runtime_worker_name(const struct argus_runtime *rt)
{
    return rt->spec->name;
}

void argus_runtime_request_stop(struct argus_runtime *rt)
{
    atomic_store(&rt->stopping, 1);
}

static int check_live(void *arg, char *why, size_t n)
{
    struct argus_runtime *rt = arg;
    long long idle_ms = argus_monotonic_ms() - atomic_load(&rt->progress_ms);
    long long lag = atomic_load(&rt->lag_total);
    int busy = atomic_load(&rt->in_batch);
    if (idle_ms > (long long)rt->cfg.stall_timeout_s * 1000 && (lag > 0 || busy)) {
        snprintf(why, n, "no progress for %lld s with %s (lag %lld)", idle_ms / 1000,
                 busy ? "a batch in hand" : "records waiting", lag);
        return 0;
    }
    return 1;
}

static int check_ready(void *arg, char *why, size_t n)
{
    struct argus_runtime *rt = arg;
    if (atomic_load(&rt->stopping)) {
        snprintf(why, n, "shutting down");
        return 0;
    }
    if (!atomic_load(&rt->assigned_once)) {
        snprintf(why, n, "waiting for a partition assignment");
        return 0;
    }
    if (atomic_load(&rt->brokers_down)) {
        snprintf(why, n, "kafka: all brokers down");
        return 0;
    }
    if (atomic_load(&rt->outage)) {
        pthread_mutex_lock(&rt->reason_lock);
        snprintf(why, n, "paused, dependency down: %s", rt->outage_reason);
        pthread_mutex_unlock(&rt->reason_lock);
        return 0;
    }
    return 1;
}

/* Ends the process if a drain overruns its deadline: what was not committed is redelivered. */
static void *watchdog(void *arg)
{
    struct argus_runtime *rt = arg;
    while (!atomic_load(&rt->stopping))
        usleep(100 * 1000);
    int64_t deadline = argus_monotonic_ms() + rt->cfg.shutdown_timeout_ms;
    while (argus_monotonic_ms() < deadline)
        usleep(50 * 1000);
    argus_error("shutdown.deadline", "drain exceeded WORKER_SHUTDOWN_TIMEOUT_MS=%d; exiting",
                rt->cfg.shutdown_timeout_ms);
    _exit(3);
}

static void usage(const struct argus_worker_spec *spec, FILE *out)
{
    fprintf(out,
            "usage: argus-%s-worker [--check-config | --describe | --health-probe | --help | --version]\n"
            "%s\n\n"
            "  --check-config   validate the environment, print the effective settings (secrets hidden)\n"
            "  --describe       the worker as JSON: group, topics, outputs, stores, settings (for deployment)\n"
            "  --health-probe   exit 0 if this worker's /health answers 200 on HEALTH_PORT (for HEALTHCHECK)\n"
            "  --help, --version\n\n"
            "Consumer group %s; topics %s.\nEnvironment:\n",
            spec->name, spec->summary ? spec->summary : "", spec->group, spec->topics);
    argus_env_print_help(out, argus_config_vars);
    for (const struct argus_env_block *b = spec->env; b && b->vars; b++)
        argus_env_print_help(out, b->vars);
    fputs("A bad value stops the worker with one line naming the variable (exit 2).\n", out);
}

static void free_env_blocks(const struct argus_env_block *b, const struct argus_env_block *end)
{
    for (; b && b != end && b->vars; b++)
        argus_env_free(b->vars, b->base);
}

static void free_settings(const struct argus_worker_spec *spec, struct argus_runtime *rt)
{
    argus_url_guard_free(rt->url_guard);
    rt->url_guard = NULL;
    free_env_blocks(spec->env, NULL);
    argus_config_free(&rt->cfg);
}

/* The shared settings, the worker's own, and the outbound guard built from them. */
static int load_settings(const struct argus_worker_spec *spec, struct argus_runtime *rt, char *err, size_t n)
{
    struct argus_config *cfg = &rt->cfg;
    if (argus_config_load(cfg, spec->group, spec->topics, err, n) != 0)
        return -1;
    for (const struct argus_env_block *b = spec->env; b && b->vars; b++) {
        if (argus_env_load(b->vars, b->base, err, n) != 0) {
            free_env_blocks(spec->env, b);
            argus_config_free(cfg);
            return -1;
        }
    }
    if (cfg->input_topics.n == 0) {
        snprintf(err, n, "KAFKA_INPUT_TOPICS: needs at least one topic");
        free_env_blocks(spec->env, NULL);
        argus_config_free(cfg);
        return -1;
    }
    if (!(rt->url_guard = argus_url_guard_from_config(cfg, err, n))) {
        free_settings(spec, rt);
        return -1;
    }
    return 0;
}

static void install_signals(struct argus_runtime *rt)
{
    signal_rt = rt;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int run(struct argus_runtime *rt)
{
    char err[512];
    argus_metric_define("argus_worker_info", ARGUS_GAUGE, "Worker identity", NULL);
    char info[512];
    snprintf(info, sizeof info, "worker=\"%s\",version=\"%s\",consumer_group=\"%s\"", rt->spec->name,
             ARGUS_VERSION, rt->cfg.group_id);
    argus_gauge_set("argus_worker_info", info, 1);

    if (rt->cfg.health_port > 0) {
        rt->health = argus_health_start(rt->cfg.health_host, rt->cfg.health_port, check_live, check_ready, rt, err,
                                        sizeof err);
        if (!rt->health) {
            argus_error("health.start", "HEALTH_PORT=%d: %s", rt->cfg.health_port, err);
            return 1;
        }
    }
    if (loop_open(rt, err, sizeof err) != 0) {
        argus_error("worker.start", "%s", err);
        return 1;
    }
    stores_register_probes(rt);
    if (rt->spec->init && rt->spec->init(rt, &rt->ctx, err, sizeof err) != 0) {
        argus_error("worker.init", "%s", err);
        return 1;
    }
    pthread_t dog;
    if (pthread_create(&dog, NULL, watchdog, rt) == 0)
        pthread_detach(dog);
    argus_info("worker.start", "argus-%s-worker %s: brokers %s, group %s", rt->spec->name, ARGUS_VERSION,
               rt->cfg.bootstrap_servers, rt->cfg.group_id);
    int rc = loop_run(rt);
    argus_info("worker.stop", "draining and committing");
    return rc;
}

int argus_worker_main(const struct argus_worker_spec *spec, int argc, char **argv)
{
    static const struct option opts[] = {
        {"check-config", no_argument, NULL, 'c'},
        {"describe", no_argument, NULL, 'd'},
        {"health-probe", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int check = 0, probe = 0, c;
    while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
        switch (c) {
        case 'c': check = 1; break;
        case 'd': return argus_worker_describe(spec, stdout) == 0 ? 0 : 1;
        case 'p': probe = 1; break;
        case 'h': usage(spec, stdout); return 0;
        case 'V': printf("argus-%s-worker %s\n", spec->name, ARGUS_VERSION); return 0;
        default: usage(spec, stderr); return 64;
        }
    }
    if (optind != argc) {
        usage(spec, stderr);
        return 64;
    }

    struct argus_runtime *rt = calloc(1, sizeof *rt);
    if (!rt)
        return 1;
    rt->spec = spec;
    pthread_mutex_init(&rt->reason_lock, NULL);
    snprintf(rt->source, sizeof rt->source, "argus-%s-worker", spec->name);
    char err[512];
    if (load_settings(spec, rt, err, sizeof err) != 0) {
        fprintf(stderr, "argus-%s-worker: %s\n", spec->name, err);
        pthread_mutex_destroy(&rt->reason_lock);
        free(rt);
        return 2;
    }
    if (stores_open(rt, err, sizeof err) != 0) {
        fprintf(stderr, "argus-%s-worker: %s\n", spec->name, err);
        stores_close(rt);
        free_settings(spec, rt);
        pthread_mutex_destroy(&rt->reason_lock);
        free(rt);
        return 2;
    }
    int rc = 0;
    if (check) {
        argus_env_print_values(stdout, argus_config_vars, &rt->cfg);
        for (const struct argus_env_block *b = spec->env; b && b->vars; b++)
            argus_env_print_values(stdout, b->vars, b->base);
    } else if (probe) {
        int status = argus_http_get_local(rt->cfg.health_port, "/health", 3000, NULL, 0);
        rc = status == 200 ? 0 : 1;
    } else {
        argus_log_init(spec->name, (enum argus_log_level)argus_log_parse_level(rt->cfg.log_level));
        install_signals(rt);
        atomic_store(&rt->progress_ms, argus_monotonic_ms());
        rc = run(rt);
        if (rt->spec->fini && rt->ctx)
            rt->spec->fini(rt->ctx);
        loop_close(rt);
        argus_health_stop(rt->health);
        argus_info("worker.exit", "exit %d", rc);
        signal_rt = NULL;
    }
    stores_close(rt);
    free_settings(spec, rt);
    pthread_mutex_destroy(&rt->reason_lock);
    free(rt);
    return rc;
}
