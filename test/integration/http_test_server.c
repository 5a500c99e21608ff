/* Local HTTP test server for outbound HTTP tests; see http_test_server.h. */
#include "http_test_server.h"
#include "it_net.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct http_test_server {
    struct MHD_Daemon *daemon;
    int port;
    atomic_uint connections;
};

struct upload {
    char *data;
    size_t len;
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body, size_t len,
                             const char *const *headers)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    for (const char *const *h = headers; h && h[0]; h += 2)
        MHD_add_response_header(r, h[0], h[1]);
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
    return reply(conn, status, text, strlen(text), NULL);
}

static enum MHD_Result route(struct MHD_Connection *conn, const char *url, const char *method,
                             const struct upload *up)
{
    if (!strcmp(url, "/ok"))
        return reply_text(conn, 200, "hello");
    if (!strcmp(url, "/echo")) {
        const char *x = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Test");
        char head[256];
        snprintf(head, sizeof head, "%s %s|", method, x ? x : "-");
        size_t hl = strlen(head);
        char *body = malloc(hl + up->len + 1);
        if (!body)
            return MHD_NO;
        memcpy(body, head, hl);
        if (up->len)
            memcpy(body + hl, up->data, up->len);
        enum MHD_Result r = reply(conn, 200, body, hl + up->len, NULL);
        free(body);
        return r;
    }
    if (!strcmp(url, "/missing")) {
        const char *h[] = {"Content-Type", "application/json", NULL};
        const char *b = "{\"ok\":false,\"error\":\"channel_not_found\"}";
        return reply(conn, 404, b, strlen(b), h);
    }
    if (!strcmp(url, "/ratelimited")) {
        const char *h[] = {"Retry-After", "7", NULL};
        return reply(conn, 429, "slow down", 9, h);
    }
    if (!strcmp(url, "/ratelimited-date")) {
        char date[64];
        time_t when = time(NULL) + 5;
        struct tm tm;
        gmtime_r(&when, &tm);
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        const char *h[] = {"Retry-After", date, NULL};
        return reply(conn, 429, "", 0, h);
    }
    if (!strcmp(url, "/unavailable"))
        return reply_text(conn, 503, "maintenance");
    if (!strcmp(url, "/slow")) {
        sleep(2);
        return reply_text(conn, 200, "late");
    }
    if (!strcmp(url, "/close"))
        return MHD_NO;   /* microhttpd drops the connection without a response */
    if (!strcmp(url, "/big")) {
        size_t n = 3 * 1024 * 1024;
        char *big = malloc(n);
        if (!big)
            return MHD_NO;
        memset(big, 'x', n);
        enum MHD_Result r = reply(conn, 200, big, n, NULL);
        free(big);
        return r;
    }
    if (!strcmp(url, "/quota")) {
        char reset[32];
        snprintf(reset, sizeof reset, "%lld", (long long)time(NULL) + 30);
        const char *h[] = {"X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset, NULL};
        return reply(conn, 403, "API rate limit exceeded", 23, h);
    }
    if (!strcmp(url, "/forbidden"))
        return reply_text(conn, 403, "Resource not accessible by integration");
    if (!strcmp(url, "/redirect")) {
        const char *to = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "to");
        const char *status = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "status");
        const char *h[] = {"Location", to ? to : "/", NULL};
        return reply(conn, status ? (unsigned)atoi(status) : 302, "moved", 5, h);
    }
    if (!strcmp(url, "/echo-auth")) {
        const char *a = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
        char body[512];
        snprintf(body, sizeof body, "bad credentials: %s", a ? a : "(none)");
        return reply_text(conn, 401, body);
    }
    return reply_text(conn, 404, "no such route");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *data, size_t *data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct upload *up = *con_cls;
    if (!up) {
        /* first call: headers only */
        up = calloc(1, sizeof *up);
        if (!up)
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size) {
        char *grown = realloc(up->data, up->len + *data_size);
        if (!grown)
            return MHD_NO;
        memcpy(grown + up->len, data, *data_size);
        up->data = grown;
        up->len += *data_size;
        *data_size = 0;
        return MHD_YES;
    }
    return route(conn, url, method, up);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct upload *up = *con_cls;
    if (up) {
        free(up->data);
        free(up);
        *con_cls = NULL;
    }
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)conn;
    (void)socket_context;
    struct http_test_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&s->connections, 1);
}

struct http_test_server *http_test_server_start(void)
{
    return http_test_server_start_on("127.0.0.1", 0);
}

struct http_test_server *http_test_server_start_on(const char *address, int port)
{
    struct http_test_server *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    struct sockaddr_storage addr;
    socklen_t len;
    if (it_sockaddr(address, port, &addr, &len) != 0) {
        free(s);
        return NULL;
    }
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                     (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                                 MHD_OPTION_END);
    if (!s->daemon) {
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    if (!s->port) {
        http_test_server_stop(s);
        return NULL;
    }
    return s;
}

int http_test_server_port(const struct http_test_server *s)
{
    return s->port;
}

unsigned http_test_server_connections(const struct http_test_server *s)
{
    return atomic_load(&((struct http_test_server *)s)->connections);
}

void http_test_server_stop(struct http_test_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    free(s);
}
