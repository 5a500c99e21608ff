/* Shallow checkouts of referenced repositories with the git command; see repo_fetch.h. git runs
 * without a shell, with prompts off, only the http(s) (and, when allowed, file) transports, and the
 * token passed as an HTTP header through GIT_CONFIG_* environment variables, never argv. */
#include "repo_fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "argus/base/buf.h"
#include "argus/base/timeutil.h"
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

/* The child's environment: ours minus inherited GIT_* settings, plus the fixed ones. */
static char **git_env(const struct repo_fetch_options *o, int https, struct argus_buf *store)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 12, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "GIT_", 4))
            env[k++] = environ[i];
    env[k++] = "GIT_TERMINAL_PROMPT=0";
    env[k++] = "GIT_CONFIG_NOSYSTEM=1";
    env[k++] = "GIT_ASKPASS=/bin/false";
    env[k++] = o->allow_file_urls ? "GIT_ALLOW_PROTOCOL=http:https:file" : "GIT_ALLOW_PROTOCOL=http:https";
    if (https && o->token && *o->token) {
        /* Basic x-access-token:<token> works for GitHub, GitLab (oauth2/any user) and Bitbucket. */
        char creds[600], b64[900];
        snprintf(creds, sizeof creds, "x-access-token:%s", o->token);
        EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)creds, (int)strlen(creds));
        argus_buf_printf(store, "GIT_CONFIG_VALUE_0=Authorization: Basic %s", b64);
        memset(creds, 0, sizeof creds);
        memset(b64, 0, sizeof b64);
        env[k++] = "GIT_CONFIG_COUNT=1";
        env[k++] = "GIT_CONFIG_KEY_0=http.extraHeader";
        env[k++] = store->data;
    }
    env[k] = NULL;
    return env;
}

static void run_git(const struct repo_fetch_options *o, char *const argv[], int https, struct git_run *r)
{
    struct argus_buf secret = ARGUS_BUF_INIT;
    char **env = git_env(o, https, &secret);
    int pipefd[2];
    r->status = -1;
    r->out[0] = '\0';
    if (!env || pipe2(pipefd, O_CLOEXEC) != 0) {
        snprintf(r->out, sizeof r->out, "cannot start git: %s", strerror(errno));
        free(env);
        argus_buf_free(&secret);
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
        execvpe("git", argv, env);
        _exit(127);
    }
    close(pipefd[1]);
    if (secret.data)
        memset(secret.data, 0, secret.len);
    argus_buf_free(&secret);
    free(env);
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
    if (r->status == 124) {
        argus_retry(res, ARGUS_ERR_TIMEOUT, "git %s: timed out", what);
        return;
    }
    for (int i = 0; permanent[i]; i++)
        if (strstr(r->out, permanent[i])) {
            argus_reject(res, ARGUS_ERR_VALIDATION, "git %s: %s", what, msg);
            return;
        }
    argus_retry(res, ARGUS_ERR_CONNECTION, "git %s: exit %d: %s", what, r->status, msg);
}

static int url_allowed(const struct repo_fetch_options *o, const char *url, int *https)
{
    *https = !strncmp(url, "https://", 8);
    if (*https || !strncmp(url, "http://", 7))
        return url[0] != '-';
    return o->allow_file_urls && !strncmp(url, "file://", 7);
}

int repo_fetch(const struct repo_fetch_options *o, const char *url, const char *branch, const char *sha,
               char *dir, size_t dirlen, char sha_out[41], struct argus_result *res)
{
    int https;
    if (!url_allowed(o, url, &https))
        return argus_reject(res, ARGUS_ERR_VALIDATION, "repository_url: only https:// (or allowed file://) URLs"), -1;
    if ((sha && !looks_like_sha(sha)) || (branch && !safe_ref(branch)))
        return argus_reject(res, ARGUS_ERR_VALIDATION, "commit_sha or branch is not a valid ref"), -1;

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
        run_git(o, init, 0, &r);
        if (r.status != 0)
            return classify(&r, "init", res), -1;
    }
    const char *ref = sha ? sha : branch ? branch : "HEAD";
    char *fetch[] = {"git", "-C", dir, "fetch", "--quiet", "--no-tags", "--depth", "1", "--", (char *)url,
                     (char *)ref, NULL};
    run_git(o, fetch, https, &r);
    if (r.status != 0 && sha && branch) {
        /* Servers that refuse fetching a bare commit: fetch the branch with history, then pick it. */
        char *deep[] = {"git", "-C", dir, "fetch", "--quiet", "--no-tags", "--", (char *)url, (char *)branch, NULL};
        run_git(o, deep, https, &r);
    }
    if (r.status != 0)
        return classify(&r, "fetch", res), -1;
    const char *target = sha ? sha : "FETCH_HEAD";
    char *checkout[] = {"git", "-C", dir, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--force",
                        "--detach", (char *)target, NULL};
    run_git(o, checkout, 0, &r);
    if (r.status != 0 && target == sha) {
        char *tip[] = {"git", "-C", dir, "checkout", "--quiet", "--force", "--detach", "FETCH_HEAD", NULL};
        run_git(o, tip, 0, &r);
    }
    if (r.status != 0)
        return classify(&r, "checkout", res), -1;
    char *clean[] = {"git", "-C", dir, "clean", "-qfdx", NULL};
    run_git(o, clean, 0, &r);
    char *head[] = {"git", "-C", dir, "rev-parse", "HEAD", NULL};
    run_git(o, head, 0, &r);
    if (r.status != 0 || strlen(r.out) < 40)
        return classify(&r, "rev-parse", res), -1;
    memcpy(sha_out, r.out, 40);
    sha_out[40] = '\0';
    if (sha && strncasecmp(sha_out, sha, strlen(sha)) != 0)
        return argus_reject(res, ARGUS_ERR_VALIDATION, "commit %s is not on %s", sha, branch ? branch : "HEAD"), -1;
    return 0;
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
