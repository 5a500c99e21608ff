/* Worker processes for the integration tests: start a built binary with extra environment, wait for
 * its endpoints, signal it, wait for its exit; its log goes to build/test-logs/. */
#ifndef ARGUS_IT_PROC_H
#define ARGUS_IT_PROC_H

#include <sys/types.h>

struct it_proc {
    pid_t pid;
    int health_port;
    char log[512];
};

/* binary: a name under $ARGUS_BUILD/bin (e.g. "argus-test-worker"), or a path. env: NULL-terminated "K=V" list
 * added to (and overriding) the test's environment. HEALTH_PORT is chosen here. */
void it_proc_start(struct it_proc *p, const char *binary, const char *const *env);
/* Waits until GET path returns want (e.g. "/ready", 200); returns 0, or -1 on timeout. */
int it_proc_wait_http(const struct it_proc *p, const char *path, int want, int timeout_ms);
/* Sends sig and waits up to timeout_ms; returns the exit status (0..255), 128+signal, or -1 on timeout
 * (the process is then killed). */
int it_proc_stop(struct it_proc *p, int sig, int timeout_ms);
/* Runs argv (argv[0] found on PATH unless it has a slash) in dir (NULL: here) with env added to the
 * test's environment, to completion; stdout and stderr captured into out (may be NULL). Returns the
 * exit status, or 128+signal. */
int it_run_cmd(const char *dir, const char *const *argv, const char *const *env, char *out, size_t outlen);
/* Runs a tool from $ARGUS_BUILD/bin to completion with output captured into out (may be NULL). */
int it_run_tool(const char *binary, const char *const *args, char *out, size_t outlen);
/* A free TCP port on 127.0.0.1. */
int it_free_port(void);
/* Full path of a file under $ARGUS_BUILD (or "build"). */
void it_build_path(char *out, size_t n, const char *rel);

#endif
