/* Shallow checkouts of referenced repositories with the git command; see repo_fetch.h. git runs
 * without a shell, with prompts off, only the transports the outbound guard allows (https; http when
 * OUTBOUND_ALLOW_HTTP; file when COGNEE_ALLOW_FILE_URLS), no system or global configuration, and its
 * settings (the pin, no redirects, no proxy, the token as an HTTP header) passed through GIT_CONFIG_*
 * environment variables, never argv. */
#include "repo_fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "argus/base/buf.h"
#include "argus/base/timeutil.h"
#include "argus/stores/url_guard.h"
#include "digest.h"

extern char **environ;

struct git_run {
    int status;            /* exit status, 124 on timeout, -1 if it could not run */
    char out[4096];        /* stdout + stderr, truncated */
};

static int mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

/* What a git command that talks to the remote may use; NULL for local commands. */
struct git_access {
    const char *pin;           /* http.curloptResolve: the checked addresses; NULL for file:// */
    int https;                 /* the token goes only over https */
};

/* The child's environment and the strings made for it (wiped and freed once git has its copy). */
struct git_env {
    char **env;
    char *made[24];
    size_t n_made, k;
    int count;                 /* GIT_CONFIG_COUNT */
};

static int env_made(struct git_env *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int env_made(struct git_env *g, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (rc < 0 || g->n_made == sizeof g->made / sizeof g->made[0]) {
        free(rc < 0 ? NULL : s);
        return -1;
    }
    g->made[g->n_made++] = s;
    g->env[g->k++] = s;
    return 0;
}

static int env_config(struct git_env *g, const char *key, const char *value)
{
    int n = g->count++;
    return env_made(g, "GIT_CONFIG_KEY_%d=%s", n, key) || env_made(g, "GIT_CONFIG_VALUE_%d=%s", n, value) ? -1 : 0;
}

static void git_env_free(struct git_env *g)
{
    for (size_t i = 0; i < g->n_made; i++) {
        memset(g->made[i], 0, strlen(g->made[i]));   /* one of them holds the token */
        free(g->made[i]);
    }
    free(g->env);
    memset(g, 0, sizeof *g);
}

/* Inherited settings git or curl would obey: GIT_* and the *_proxy variables. */
static int inherited_setting(const char *kv)
{
    const char *eq = strchr(kv, '=');
    size_t n = eq ? (size_t)(eq - kv) : strlen(kv);
    return !strncmp(kv, "GIT_", 4) || (n >= 6 && !strncasecmp(kv + n - 6, "_proxy", 6));
}

/* Ours minus inherited settings, plus the fixed ones and, for the remote, the pin, no redirects
 * (a hop would leave the checked address; http.followRedirects=false also ignores http-alternates),
 * no proxy and the token. */
static int git_env(const struct repo_fetch_options *o, const struct git_access *a, struct git_env *g)
{
    memset(g, 0, sizeof *g);
    size_t n = 0;
    while (environ[n])
        n++;
    g->env = calloc(n + 32, sizeof *g->env);
    if (!g->env)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!inherited_setting(environ[i]))
            g->env[g->k++] = environ[i];
    g->env[g->k++] = "GIT_TERMINAL_PROMPT=0";
    g->env[g->k++] = "GIT_CONFIG_NOSYSTEM=1";
    g->env[g->k++] = "GIT_CONFIG_GLOBAL=/dev/null";
    g->env[g->k++] = "GIT_ASKPASS=/bin/false";
    int http = argus_url_guard_allows_http(o->guard);
    if (env_made(g, "GIT_ALLOW_PROTOCOL=https%s%s", http ? ":http" : "", o->allow_file_urls ? ":file" : "") != 0)
        return -1;
    if (a && (env_config(g, "http.followRedirects", "false") || env_config(g, "http.proxy", "") ||
              (a->pin && env_config(g, "http.curloptResolve", a->pin))))
        return -1;
    if (a && a->https && o->token && *o->token) {
        /* Basic x-access-token:<token> works for GitHub, GitLab (oauth2/any user) and Bitbucket. */
        char creds[600], header[950];
        snprintf(creds, sizeof creds, "x-access-token:%s", o->token);
        memcpy(header, "Authorization: Basic ", 21);
        EVP_EncodeBlock((unsigned char *)header + 21, (const unsigned char *)creds, (int)strlen(creds));
        int rc = env_config(g, "http.extraHeader", header);
        memset(creds, 0, sizeof creds);
        memset(header, 0, sizeof header);
        if (rc)
            return -1;
    }
    if (g->count && env_made(g, "GIT_CONFIG_COUNT=%d", g->count) != 0)
        return -1;
    g->env[g->k] = NULL;
    return 0;
}

/* In the child: no file larger than the cap (git's pack, a checked-out blob). */
static void limit_file_size(long long max_bytes)
{
    if (max_bytes <= 0)
        return;
    struct rlimit rl = {(rlim_t)max_bytes, (rlim_t)max_bytes};
    setrlimit(RLIMIT_FSIZE, &rl);
    signal(SIGXFSZ, SIG_DFL);
}

static void run_git(const struct repo_fetch_options *o, char *const argv[], const struct git_access *access,
                    struct git_run *r)
{
    struct git_env g;
    int pipefd[2];
    r->status = -1;
    r->out[0] = '\0';
    if (git_env(o, access, &g) != 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
        snprintf(r->out, sizeof r->out, "cannot start git: %s", strerror(errno));
        git_env_free(&g);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        setpgid(0, 0);
        limit_file_size(o->max_bytes);
        execvpe("git", argv, g.env);
        _exit(127);
    }
    close(pipefd[1]);
    git_env_free(&g);
    if (pid < 0) {
        close(pipefd[0]);
        snprintf(r->out, sizeof r->out, "cannot start git: %s", strerror(errno));
        return;
    }
    fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
    int64_t deadline = argus_monotonic_ms() + (int64_t)o->timeout_s * 1000;
    size_t used = 0;
    int status = 0, done = 0, timed_out = 0;
    while (!done) {
        char chunk[1024];
        ssize_t got;
        while ((got = read(pipefd[0], chunk, sizeof chunk)) > 0) {
            size_t take = (size_t)got < sizeof r->out - 1 - used ? (size_t)got : sizeof r->out - 1 - used;
            memcpy(r->out + used, chunk, take);
            used += take;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            done = 1;
        } else if (argus_monotonic_ms() > deadline) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            timed_out = done = 1;
        } else {
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    close(pipefd[0]);
    r->out[used] = '\0';
    r->status = timed_out ? 124 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int looks_like_sha(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 7 || n > 40)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* A ref that cannot be taken for an option or a refspec trick. */
static int safe_ref(const char *s)
{
    if (!s || !*s || *s == '-' || strstr(s, "..") || strchr(s, ':') || strlen(s) > 250)
        return 0;
    for (const char *p = s; *p; p++)
        if (isspace((unsigned char)*p) || *p == '\\' || *p == '~' || *p == '^' || *p == '?' || *p == '*' ||
            *p == '[')
            return 0;
    return 1;
}

/* Permanent failures: the event points at something that does not exist or refuses us. */
static void classify(const struct git_run *r, const char *what, struct argus_result *res)
{
    static const char *const permanent[] = {"not found", "does not appear to be a git repository",
                                            "Authentication failed", "could not read Username",
                                            "couldn't find remote ref", "not our ref", "unadvertised object",
                                            "Invalid username or password", "access denied", "403",
                                            "transport '", "reference is not a tree", "unknown revision",
                                            NULL};
    char msg[300];
    const char *line = r->out;
    while (*line == '\n')
        line++;
    snprintf(msg, sizeof msg, "%.299s", line);
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = ' ';
    argus_url_redact_text(msg, sizeof msg);   /* git may echo a URL with its credentials */
    if (r->status == 124) {
        argus_retry(res, ARGUS_ERR_TIMEOUT, "git %s: timed out", what);
        return;
    }
    if (r->status == 128 + SIGXFSZ || strstr(r->out, "File size limit exceeded") || strstr(r->out, "File too large") ||
        strstr(r->out, "died of signal 25")) {
        argus_reject(res, ARGUS_ERR_VALIDATION, "git %s: a file is larger than COGNEE_GIT_MAX_MB allows", what);
        return;
    }
    if (strstr(r->out, "The requested URL returned error: 30")) {
        /* a redirect would leave the address the guard checked: refused, as it will be next time */
        argus_reject(res, ARGUS_ERR_DESTINATION_REFUSED, "git %s: destination refused (redirect not followed): %s",
                     what, msg);
        return;
    }
    for (int i = 0; permanent[i]; i++)
        if (strstr(r->out, permanent[i])) {
            argus_reject(res, ARGUS_ERR_VALIDATION, "git %s: %s", what, msg);
            return;
        }
    argus_retry(res, ARGUS_ERR_CONNECTION, "git %s: exit %d: %s", what, r->status, msg);
}

/* file:// only when allowed (tests, local mirrors: no network); every other URL through the guard. */
static int check_url(const struct repo_fetch_options *o, const char *url, struct argus_url_target *t,
                     struct argus_result *res)
{
    memset(t, 0, sizeof *t);
    if (o->allow_file_urls && !strncmp(url, "file://", 7))
        return 0;
    return argus_url_check(o->guard, url, "repository_url", t, res) == ARGUS_OK ? 0 : -1;
}

/* The checkout of remote (the URL as checked) into the cache directory named after url. */
static int fetch_checkout(const struct repo_fetch_options *o, const char *url, const char *remote,
                          const struct git_access *remote_access, const char *branch, const char *sha, char *dir,
                          size_t dirlen, char sha_out[41], struct argus_result *res)
{
    /* One checkout per URL: sha1(url) names it. */
    char key[17];
    cognee_sha1_hex(url, strlen(url), key, 16);
    snprintf(dir, dirlen, "%s/%s", o->cache_dir, key);
    if (mkdirs(dir) != 0)
        return argus_retry(res, ARGUS_ERR_PROCESSING, "cannot create %s: %s", dir, strerror(errno)), -1;

    struct git_run r;
    char gitdir[1100];
    snprintf(gitdir, sizeof gitdir, "%s/.git", dir);
    if (access(gitdir, F_OK) != 0) {
        char *init[] = {"git", "init", "-q", dir, NULL};
        run_git(o, init, NULL, &r);
        if (r.status != 0)
            return classify(&r, "init", res), -1;
    }
    const char *ref = sha ? sha : branch ? branch : "HEAD";
    char *fetch[] = {"git", "-C", dir, "fetch", "--quiet", "--no-tags", "--depth", "1", "--", (char *)remote,
                     (char *)ref, NULL};
    run_git(o, fetch, remote_access, &r);
    if (r.status != 0 && sha && branch) {
        /* Servers that refuse fetching a bare commit: fetch the branch with history, then pick it. */
        char *deep[] = {"git", "-C", dir, "fetch", "--quiet", "--no-tags", "--", (char *)remote, (char *)branch, NULL};
        run_git(o, deep, remote_access, &r);
    }
    if (r.status != 0)
        return classify(&r, "fetch", res), -1;
    const char *target = sha ? sha : "FETCH_HEAD";
    char *checkout[] = {"git", "-C", dir, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--force",
                        "--detach", (char *)target, NULL};
    run_git(o, checkout, NULL, &r);
    if (r.status != 0 && target == sha) {
        char *tip[] = {"git", "-C", dir, "checkout", "--quiet", "--force", "--detach", "FETCH_HEAD", NULL};
        run_git(o, tip, NULL, &r);
    }
    if (r.status != 0)
        return classify(&r, "checkout", res), -1;
    char *clean[] = {"git", "-C", dir, "clean", "-qfdx", NULL};
    run_git(o, clean, NULL, &r);
    char *head[] = {"git", "-C", dir, "rev-parse", "HEAD", NULL};
    run_git(o, head, NULL, &r);
    if (r.status != 0 || strlen(r.out) < 40)
        return classify(&r, "rev-parse", res), -1;
    memcpy(sha_out, r.out, 40);
    sha_out[40] = '\0';
    if (sha && strncasecmp(sha_out, sha, strlen(sha)) != 0)
        return argus_reject(res, ARGUS_ERR_VALIDATION, "commit %s is not on %s", sha, branch ? branch : "HEAD"), -1;
    return 0;
}

int repo_fetch(const struct repo_fetch_options *o, const char *url, const char *branch, const char *sha,
               char *dir, size_t dirlen, char sha_out[41], struct argus_result *res)
{
    struct argus_url_target t;
    if (check_url(o, url, &t, res) != 0) {
        argus_url_target_free(&t);
        return -1;
    }
    int rc;
    if ((sha && !looks_like_sha(sha)) || (branch && !safe_ref(branch))) {
        argus_reject(res, ARGUS_ERR_VALIDATION, "commit_sha or branch is not a valid ref");
        rc = -1;
    } else {
        struct git_access access = {t.pin, !strcmp(t.scheme, "https")};
        rc = fetch_checkout(o, url, t.url ? t.url : url, t.url ? &access : NULL, branch, sha, dir, dirlen, sha_out,
                            res);
    }
    argus_url_target_free(&t);
    return rc;
}

int repo_name_from_url(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *colon = strchr(p, ':');          /* git@host:owner/name */
    const char *slash = strchr(p, '/');
    if (colon && (!slash || colon < slash))
        p = colon + 1;
    else if (slash && strncmp(url, "file://", 7))
        p = slash + 1;                           /* drop the host */
    size_t len = strlen(p);
    while (len && p[len - 1] == '/')
        len--;
    if (len > 4 && !strncmp(p + len - 4, ".git", 4))
        len -= 4;
    /* keep the last two segments: owner/name */
    size_t start = len, slashes = 0;
    while (start > 0) {
        if (p[start - 1] == '/' && ++slashes == 2)
            break;
        start--;
    }
    if (len == start || len - start >= n)
        return -1;
    memcpy(out, p + start, len - start);
    out[len - start] = '\0';
    return 0;
}
