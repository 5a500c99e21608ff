/* libmicrohttpd server for /health, /ready and /metrics, plus a tiny local HTTP GET for probes. */
#include "argus/runtime/health.h"
#include "argus/base/buf.h"
#include "argus/base/metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct argus_health {
    struct MHD_Daemon *daemon;
    argus_health_check_fn live;
    argus_health_check_fn ready;
    void *arg;
    int port;
};

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, const char *type, char *body,
                               size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result respond_check(struct MHD_Connection *conn, argus_health_check_fn check, void *arg,
                                     const char *good, const char *bad)
{
    char why[256] = "";
    int ok = check ? check(arg, why, sizeof why) : 1;
    struct argus_buf b = ARGUS_BUF_INIT;
    argus_buf_printf(&b, "{\"status\":\"%s\"", ok ? good : bad);
    if (!ok && *why) {
        argus_buf_puts(&b, ",\"reason\":\"");
        argus_buf_json_escape(&b, why, strlen(why));
        argus_buf_putc(&b, '"');
    }
    argus_buf_puts(&b, "}\n");
    size_t len = b.len;
    char *body = argus_buf_steal(&b);
    if (!body)
        return MHD_NO;
    return respond(conn, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, "application/json", body, len);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)con_cls;
    struct argus_health *h = cls;
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return respond(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", strdup("method not allowed\n"), 19);
    if (!strcmp(url, "/health") || !strcmp(url, "/livez") || !strcmp(url, "/healthz"))
        return respond_check(conn, h->live, h->arg, "healthy", "unhealthy");
    if (!strcmp(url, "/ready") || !strcmp(url, "/readyz"))
        return respond_check(conn, h->ready, h->arg, "ready", "not_ready");
    if (!strcmp(url, "/metrics")) {
        struct argus_buf b = ARGUS_BUF_INIT;
        argus_metrics_render(&b);
        size_t len = b.len;
        char *body = argus_buf_steal(&b);
        if (!body)
            return MHD_NO;
        return respond(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", body, len);
    }
    return respond(conn, MHD_HTTP_NOT_FOUND, "text/plain", strdup("not found\n"), 10);
}

struct argus_health *argus_health_start(const char *host, int port, argus_health_check_fn live,
                                        argus_health_check_fn ready, void *arg, char *err, size_t errlen)
{
    struct argus_health *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h->live = live;
    h->ready = ready;
    h->arg = arg;

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host && *host ? host : "0.0.0.0", &addr.sin_addr) != 1) {
        snprintf(err, errlen, "HEALTH_HOST=%s: not an IPv4 address", host);
        free(h);
        return NULL;
    }
    h->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL,
                                 handle, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10, MHD_OPTION_CONNECTION_LIMIT,
                                 (unsigned int)64, MHD_OPTION_END);
    if (!h->daemon) {
        snprintf(err, errlen, "cannot listen on %s:%d (port in use?)", host, port);
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : port;
    return h;
}

int argus_health_port(const struct argus_health *h)
{
    return h->port;
}

void argus_health_stop(struct argus_health *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->daemon);
    free(h);
}

static int wait_fd(int fd, short events, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    return poll(&p, 1, timeout_ms) == 1 ? 0 : -1;
}

int argus_http_get_local(int port, const char *path, int timeout_ms, char *body, size_t bodylen)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    if (n < 0 || (size_t)n >= sizeof req || write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    struct argus_buf resp = ARGUS_BUF_INIT;
    char chunk[4096];
    for (;;) {
        if (wait_fd(fd, POLLIN, timeout_ms) != 0)
            break;
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r <= 0)
            break;
        argus_buf_append(&resp, chunk, (size_t)r);
        if (resp.len > 1 << 20)
            break;
    }
    close(fd);
    int status = -1;
    const char *text = argus_buf_str(&resp);
    if (sscanf(text, "HTTP/%*d.%*d %d", &status) != 1)
        status = -1;
    if (body && bodylen) {
        const char *sep = strstr(text, "\r\n\r\n");
        snprintf(body, bodylen, "%s", sep ? sep + 4 : "");
    }
    argus_buf_free(&resp);
    return status;
}
