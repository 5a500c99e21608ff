/* A TCP listener that counts the connections it is offered; see tcp_recorder.h. */
#include "tcp_recorder.h"
#include "it_net.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct tcp_recorder {
    int fd, port;
    pthread_t thread;
    atomic_int stop;
    atomic_uint connections;
};

static void *accept_loop(void *arg)
{
    struct tcp_recorder *r = arg;
    while (!atomic_load(&r->stop)) {
        struct pollfd pfd = {r->fd, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0)
            continue;
        int c = accept4(r->fd, NULL, NULL, SOCK_CLOEXEC);
        if (c >= 0) {
            atomic_fetch_add(&r->connections, 1);
            close(c);
        }
    }
    return NULL;
}

struct tcp_recorder *tcp_recorder_start(const char *address, int port)
{
    struct tcp_recorder *r = calloc(1, sizeof *r);
    struct sockaddr_storage ss;
    socklen_t len;
    if (!r || it_sockaddr(address, port, &ss, &len) != 0) {
        free(r);
        return NULL;
    }
    r->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1, off = 0;
    if (r->fd >= 0) {
        setsockopt(r->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (ss.ss_family == AF_INET6)
            setsockopt(r->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);   /* IPv4 too, as ::ffff:a.b.c.d */
    }
    if (r->fd < 0 || bind(r->fd, (struct sockaddr *)&ss, len) != 0 || listen(r->fd, 64) != 0 ||
        getsockname(r->fd, (struct sockaddr *)&ss, &len) != 0 || pthread_create(&r->thread, NULL, accept_loop, r) != 0) {
        if (r->fd >= 0)
            close(r->fd);
        free(r);
        return NULL;
    }
    r->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                            : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return r;
}

int tcp_recorder_port(const struct tcp_recorder *r)
{
    return r->port;
}

unsigned tcp_recorder_connections(const struct tcp_recorder *r)
{
    return atomic_load(&((struct tcp_recorder *)r)->connections);
}

void tcp_recorder_stop(struct tcp_recorder *r)
{
    if (!r)
        return;
    atomic_store(&r->stop, 1);
    pthread_join(r->thread, NULL);
    close(r->fd);
    free(r);
}
