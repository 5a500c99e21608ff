/* git smart HTTP for tests: each request runs `git http-backend` as a CGI program (RFC 3875
 * variables in its environment, the request body on its stdin, headers and body on its stdout);
 * see git_http_server.h. */
#include "git_http_server.h"
#include "it_net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argus/base/buf.h"

extern char **environ;

struct git_http_server {
    struct MHD_Daemon *daemon;
    int port;
    char *root;
    char *redirect_to;
    atomic_uint requests;
};

struct upload {
    struct argus_buf body;
};

/* Runs http-backend with env, body on stdin; its whole output in out. 0, or -1. */
static int run_backend(char *const env[], const struct argus_buf *body, struct argus_buf *out)
{
    int in = memfd_create("git-request", MFD_CLOEXEC);
    int pipefd[2];
    if (in < 0 || (body->len && write(in, body->data, body->len) != (ssize_t)body->len) || lseek(in, 0, SEEK_SET) != 0 ||
        pipe2(pipefd, O_CLOEXEC) != 0) {
        if (in >= 0)
            close(in);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in, 0);
        dup2(pipefd[1], 1);
        char *argv[] = {"git", "http-backend", NULL};
        execvpe("git", argv, env);
        _exit(127);
    }
    close(in);
    close(pipefd[1]);
    char chunk[65536];
    ssize_t n;
    while ((n = read(pipefd[0], chunk, sizeof chunk)) > 0)
        argus_buf_append(out, chunk, (size_t)n);
    close(pipefd[0]);
    int status = 0;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The CGI environment of one request (strings in store, pointers in env). */
static char **cgi_env(const struct git_http_server *s, struct MHD_Connection *conn, const char *url, const char *method,
                      size_t body_len, char store[][600], size_t n_store)
{
    const char *service = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "service");
    const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    const char *encoding = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Encoding");
    const char *protocol = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Git-Protocol");
    const char *path = getenv("PATH");
    size_t k = 0;
    snprintf(store[k++], 600, "GIT_PROJECT_ROOT=%s", s->root);
    snprintf(store[k++], 600, "GIT_HTTP_EXPORT_ALL=1");
    snprintf(store[k++], 600, "REQUEST_METHOD=%s", method);
    snprintf(store[k++], 600, "PATH_INFO=%s", url);
    snprintf(store[k++], 600, "QUERY_STRING=%s%s", service ? "service=" : "", service ? service : "");
    snprintf(store[k++], 600, "CONTENT_TYPE=%s", type ? type : "");
    snprintf(store[k++], 600, "CONTENT_LENGTH=%zu", body_len);
    snprintf(store[k++], 600, "HTTP_CONTENT_ENCODING=%s", encoding ? encoding : "");
    snprintf(store[k++], 600, "GIT_PROTOCOL=%s", protocol ? protocol : "");
    snprintf(store[k++], 600, "REMOTE_ADDR=127.0.0.1");
    snprintf(store[k++], 600, "PATH=%s", path ? path : "/usr/bin:/bin");
    snprintf(store[k++], 600, "GIT_CONFIG_NOSYSTEM=1");
    char **env = calloc(n_store + 1, sizeof *env);
    for (size_t i = 0; env && i < k; i++)
        env[i] = store[i];
    return env;
}

/* "Status: 200 OK" and the other CGI headers, then the body. */
static enum MHD_Result reply_cgi(struct MHD_Connection *conn, const struct argus_buf *out)
{
    const char *data = out->data ? out->data : "";
    const char *sep = strstr(data, "\r\n\r\n");
    size_t skip = 4;
    if (!sep) {
        sep = strstr(data, "\n\n");
        skip = 2;
    }
    if (!sep)
        return MHD_NO;
    size_t head_len = (size_t)(sep - data);
    struct MHD_Response *r = MHD_create_response_from_buffer(out->len - head_len - skip, (void *)(sep + skip),
                                                             MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    unsigned status = 200;
    char *head = strndup(data, head_len);
    for (char *save = NULL, *line = strtok_r(head, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        const char *value = colon + 1 + strspn(colon + 1, " ");
        if (!strcasecmp(line, "Status"))
            status = (unsigned)atoi(value);
        else
            MHD_add_response_header(r, line, value);
    }
    free(head);
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result redirect(struct git_http_server *s, struct MHD_Connection *conn, const char *url)
{
    const char *service = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "service");
    char location[1024];
    snprintf(location, sizeof location, "%s%s%s%s", s->redirect_to, url, service ? "?service=" : "",
             service ? service : "");
    struct MHD_Response *r = MHD_create_response_from_buffer(5, (void *)"moved", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Location", location);
    enum MHD_Result ret = MHD_queue_response(conn, 302, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *data, size_t *data_size, void **con_cls)
{
    (void)version;
    struct git_http_server *s = cls;
    struct upload *up = *con_cls;
    if (!up) {
        if (!(up = calloc(1, sizeof *up)))
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size) {
        argus_buf_append(&up->body, data, *data_size);
        *data_size = 0;
        return MHD_YES;
    }
    atomic_fetch_add(&s->requests, 1);
    if (s->redirect_to)
        return redirect(s, conn, url);
    char store[16][600];
    char **env = cgi_env(s, conn, url, method, up->body.len, store, 16);
    struct argus_buf out = ARGUS_BUF_INIT;
    enum MHD_Result ret = env && run_backend(env, &up->body, &out) == 0 ? reply_cgi(conn, &out) : MHD_NO;
    argus_buf_free(&out);
    free(env);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct upload *up = *con_cls;
    if (up) {
        argus_buf_free(&up->body);
        free(up);
        *con_cls = NULL;
    }
}

struct git_http_server *git_http_server_start(const char *address, int port, const char *project_root,
                                              const char *redirect_to)
{
    struct git_http_server *s = calloc(1, sizeof *s);
    struct sockaddr_storage a;
    socklen_t len;
    if (!s || it_sockaddr(address, port, &a, &len) != 0) {
        free(s);
        return NULL;
    }
    s->root = strdup(project_root ? project_root : "/nonexistent");
    s->redirect_to = redirect_to ? strdup(redirect_to) : NULL;
    s->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                                     (a.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0), 0,
                                 NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
                                 (unsigned)30, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    s->port = info ? info->port : 0;
    if (!s->port) {
        git_http_server_stop(s);
        return NULL;
    }
    return s;
}

int git_http_server_port(const struct git_http_server *s)
{
    return s->port;
}

unsigned git_http_server_requests(const struct git_http_server *s)
{
    return atomic_load(&((struct git_http_server *)s)->requests);
}

void git_http_server_stop(struct git_http_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    free(s->root);
    free(s->redirect_to);
    free(s);
}
