/* A DNS responder for tests (RFC 1035 messages over UDP); see dns_stub.h. */
#include "dns_stub.h"
#include "it_net.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_RECORDS 64
#define MAX_NAMES   64

struct record {
    char name[256];
    int type;
    uint8_t rdata[16];
    enum dns_when when;
};

struct counter {
    char name[256];
    int type;
    unsigned n;
};

struct dns_stub {
    int fd;
    pthread_t thread;
    atomic_int stop, silent;
    pthread_mutex_t lock;
    struct record records[MAX_RECORDS];
    size_t n_records;
    struct counter counters[MAX_NAMES];
    size_t n_counters;
};

/* The question's name in lower case ("a.b.test"), its type, and where the question ends. */
static int read_question(const uint8_t *m, size_t len, char *name, size_t n, int *type, size_t *end)
{
    size_t p = 12, o = 0;
    while (p < len && m[p]) {
        size_t l = m[p++];
        if (l > 63 || p + l > len || o + l + 2 > n)
            return -1;
        if (o)
            name[o++] = '.';
        for (size_t i = 0; i < l; i++)
            name[o++] = (char)tolower(m[p + i]);
        p += l;
    }
    name[o] = '\0';
    if (p + 5 > len)
        return -1;
    *type = m[p + 1] << 8 | m[p + 2];
    *end = p + 5;
    return 0;
}

static unsigned count_query(struct dns_stub *s, const char *name, int type)
{
    for (size_t i = 0; i < s->n_counters; i++)
        if (s->counters[i].type == type && !strcmp(s->counters[i].name, name))
            return ++s->counters[i].n;
    if (s->n_counters == MAX_NAMES)
        return 0;
    struct counter *c = &s->counters[s->n_counters++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->type = type;
    return c->n = 1;
}

/* The answer to one query in out; its length. */
static size_t answer(struct dns_stub *s, const uint8_t *q, size_t qend, const char *name, int type, uint8_t *out,
                     size_t cap)
{
    pthread_mutex_lock(&s->lock);
    unsigned nth = count_query(s, name, type);
    int known = 0;
    uint16_t count = 0;
    memcpy(out, q, qend);
    size_t p = qend;
    for (size_t i = 0; i < s->n_records; i++) {
        const struct record *r = &s->records[i];
        if (strcmp(r->name, name) != 0)
            continue;
        known = 1;
        size_t rdlen = r->type == DNS_A ? 4 : 16;
        if (r->type != type || (r->when == DNS_FIRST && nth != 1) || (r->when == DNS_LATER && nth == 1) ||
            p + 12 + rdlen > cap)
            continue;
        const uint8_t rr[] = {0xc0, 12, 0, (uint8_t)type, 0, 1, 0, 0, 0, 0 /* TTL 0 */, 0, (uint8_t)rdlen};
        memcpy(out + p, rr, sizeof rr);
        memcpy(out + p + sizeof rr, r->rdata, rdlen);
        p += sizeof rr + rdlen;
        count++;
    }
    pthread_mutex_unlock(&s->lock);
    out[2] = 0x84 | (q[2] & 0x01);       /* response, authoritative, RD copied */
    out[3] = 0x80 | (known ? 0 : 3);     /* RA; NXDOMAIN for names it does not know */
    out[6] = (uint8_t)(count >> 8);
    out[7] = (uint8_t)count;
    memset(out + 8, 0, 4);               /* no authority or additional records */
    return p;
}

static void *serve(void *arg)
{
    struct dns_stub *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd pfd = {s->fd, POLLIN, 0};
        if (poll(&pfd, 1, 100) <= 0)
            continue;
        uint8_t q[512], out[1024];
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(s->fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
        char name[256];
        int type;
        size_t qend;
        if (n < 12 || read_question(q, (size_t)n, name, sizeof name, &type, &qend) != 0)
            continue;
        size_t len = answer(s, q, qend, name, type, out, sizeof out);   /* counted even when silent */
        if (!atomic_load(&s->silent))
            sendto(s->fd, out, len, 0, (struct sockaddr *)&from, fl);
    }
    return NULL;
}

struct dns_stub *dns_stub_start(const char *address, int port)
{
    struct dns_stub *s = calloc(1, sizeof *s);
    struct sockaddr_storage a;
    socklen_t len;
    if (!s || it_sockaddr(address, port, &a, &len) != 0) {
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    s->fd = socket(a.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, len) != 0 || pthread_create(&s->thread, NULL, serve, s) != 0) {
        if (s->fd >= 0)
            close(s->fd);
        free(s);
        return NULL;
    }
    return s;
}

void dns_stub_answer(struct dns_stub *s, const char *name, const char *address, enum dns_when when)
{
    pthread_mutex_lock(&s->lock);
    if (s->n_records < MAX_RECORDS) {
        struct record *r = &s->records[s->n_records];
        memset(r, 0, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", name);
        r->when = when;
        if (inet_pton(AF_INET, address, r->rdata) == 1)
            r->type = DNS_A;
        else if (inet_pton(AF_INET6, address, r->rdata) == 1)
            r->type = DNS_AAAA;
        if (r->type)
            s->n_records++;
    }
    pthread_mutex_unlock(&s->lock);
}

unsigned dns_stub_queries(struct dns_stub *s, const char *name, int type)
{
    unsigned n = 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n_counters; i++)
        if (s->counters[i].type == type && !strcasecmp(s->counters[i].name, name))
            n = s->counters[i].n;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void dns_stub_silent(struct dns_stub *s, int silent)
{
    atomic_store(&s->silent, silent);
}

void dns_stub_stop(struct dns_stub *s)
{
    if (!s)
        return;
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
    close(s->fd);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
