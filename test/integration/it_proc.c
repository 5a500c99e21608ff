/* Worker processes for the integration tests; see it_proc.h. */
#include "it_proc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "argus/runtime/health.h"

extern char **environ;

/* Workers still running when a test fails (cmocka jumps out of it) are killed at exit. */
static pid_t running[64];

static void kill_running(void)
{
    for (size_t i = 0; i < sizeof running / sizeof running[0]; i++)
        if (running[i] > 0) {
            kill(running[i], SIGKILL);
            waitpid(running[i], NULL, 0);
            running[i] = 0;
        }
}

static void track(pid_t pid, pid_t old)
{
    static int registered;
    if (!registered) {
        atexit(kill_running);
        registered = 1;
    }
    for (size_t i = 0; i < sizeof running / sizeof running[0]; i++)
        if (running[i] == old) {
            running[i] = pid;
            return;
        }
}

void it_build_path(char *out, size_t n, const char *rel)
{
    const char *b = getenv("ARGUS_BUILD");
    snprintf(out, n, "%s/%s", b && *b ? b : "build", rel);
}

int it_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || getsockname(fd, (struct sockaddr *)&a, &len))
        fail_msg("no free port: %s", strerror(errno));
    int port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* environ plus overrides; an override replaces a variable of the same name. */
static char **merged_env(const char *const *extra)
{
    size_t n = 0, m = 0;
    while (environ[n])
        n++;
    while (extra && extra[m])
        m++;
    char **env = calloc(n + m + 1, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t eq = strcspn(environ[i], "=");
        int overridden = 0;
        for (size_t j = 0; j < m; j++)
            if (!strncmp(environ[i], extra[j], eq + 1))
                overridden = 1;
        if (!overridden)
            env[k++] = environ[i];
    }
    for (size_t j = 0; j < m; j++)
        env[k++] = (char *)extra[j];
    return env;
}

void it_proc_start(struct it_proc *p, const char *binary, const char *const *env)
{
    char path[512], port_var[32];
    if (strchr(binary, '/')) {
        snprintf(path, sizeof path, "%s", binary);
    } else {
        it_build_path(path, sizeof path, "bin/");
        strncat(path, binary, sizeof path - strlen(path) - 1);
    }
    p->health_port = it_free_port();
    snprintf(port_var, sizeof port_var, "HEALTH_PORT=%d", p->health_port);
    static unsigned seq;
    char dir[256];
    it_build_path(dir, sizeof dir, "test-logs");
    mkdir(dir, 0755);
    const char *base = strrchr(binary, '/') ? strrchr(binary, '/') + 1 : binary;
    snprintf(p->log, sizeof p->log, "%s/%s-%ld-%u.log", dir, base, (long)getpid(), ++seq);

    const char *extra[64];
    size_t n = 0;
    extra[n++] = port_var;
    for (size_t i = 0; env && env[i] && n < 63; i++)
        extra[n++] = env[i];
    extra[n] = NULL;
    char **merged = merged_env(extra);

    pid_t pid = fork();
    if (pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        char *argv[] = {path, NULL};
        execve(path, argv, merged);
        _exit(127);
    }
    free(merged);
    p->pid = pid;
    track(pid, 0);
}

int it_proc_wait_http(const struct it_proc *p, const char *path, int want, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 100) {
        if (argus_http_get_local(p->health_port, path, 1000, NULL, 0) == want)
            return 0;
        int status;
        if (waitpid(p->pid, &status, WNOHANG) == p->pid)
            fail_msg("worker exited early (log: %s)", p->log);
        usleep(100 * 1000);
    }
    return -1;
}

int it_proc_stop(struct it_proc *p, int sig, int timeout_ms)
{
    if (p->pid <= 0)
        return -1;
    kill(p->pid, sig);
    for (int waited = 0; waited <= timeout_ms; waited += 20) {
        int status;
        if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
            track(0, p->pid);
            p->pid = 0;
            if (WIFEXITED(status))
                return WEXITSTATUS(status);
            return 128 + WTERMSIG(status);
        }
        usleep(20 * 1000);
    }
    kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    track(0, p->pid);
    p->pid = 0;
    return -1;
}

int it_run_cmd(const char *dir, const char *const *argv, const char *const *env, char *out, size_t outlen)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        fail_msg("pipe: %s", strerror(errno));
    char **merged = merged_env(env);
    pid_t pid = fork();
    if (pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        close(pipefd[1]);
        if (dir && chdir(dir) != 0)
            _exit(126);
        environ = merged;
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    free(merged);
    close(pipefd[1]);
    size_t used = 0;
    char chunk[4096];
    ssize_t r;
    while ((r = read(pipefd[0], chunk, sizeof chunk)) > 0) {
        if (out && used + 1 < outlen) {
            size_t take = (size_t)r < outlen - 1 - used ? (size_t)r : outlen - 1 - used;
            memcpy(out + used, chunk, take);
            used += take;
        }
    }
    if (out && outlen)
        out[used] = '\0';
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int it_run_tool(const char *binary, const char *const *args, char *out, size_t outlen)
{
    char path[512];
    it_build_path(path, sizeof path, "bin/");
    strncat(path, binary, sizeof path - strlen(path) - 1);
    const char *argv[32];
    size_t n = 0;
    argv[n++] = path;
    for (size_t i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return it_run_cmd(NULL, argv, NULL, out, outlen);
}
