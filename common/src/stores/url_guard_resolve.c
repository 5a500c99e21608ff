/* One bounded DNS lookup for the outbound guard. getaddrinfo() cannot be given a deadline, so the
 * lookup runs through glibc's getaddrinfo_a(): the caller waits at most timeout_ms; a lookup still
 * running then is abandoned, and whichever side finishes last (the caller or the completion
 * notification) frees it, so nothing leaks and nothing is used after free. */
#include "url_guard_internal.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "argus/base/timeutil.h"

struct lookup {
    struct gaicb cb;
    struct addrinfo hints;
    atomic_int holders;        /* the caller and the notification: the last one out frees */
    char host[];
};

static void lookup_release(struct lookup *l)
{
    if (atomic_fetch_sub(&l->holders, 1) != 1)
        return;
    if (l->cb.ar_result)
        freeaddrinfo(l->cb.ar_result);
    free(l);
}

static void on_lookup_done(union sigval v)
{
    lookup_release(v.sival_ptr);
}

static size_t take_addresses(const struct addrinfo *ai, int port, struct sockaddr_storage *out, size_t max)
{
    size_t n = 0;
    for (; ai && n < max; ai = ai->ai_next) {
        if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) || ai->ai_addrlen > sizeof out[0])
            continue;
        struct sockaddr_storage ss;
        memset(&ss, 0, sizeof ss);
        memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
        if (ss.ss_family == AF_INET)
            ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
        else
            ((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
        int dup = 0;
        for (size_t i = 0; i < n && !dup; i++)
            dup = !memcmp(&out[i], &ss, sizeof ss);
        if (!dup)
            out[n++] = ss;
    }
    return n;
}

int url_resolve(const char *host, int port, int timeout_ms, struct sockaddr_storage *out, size_t max, size_t *n)
{
    *n = 0;
    size_t hl = strlen(host);
    struct lookup *l = calloc(1, sizeof *l + hl + 1);
    if (!l)
        return EAI_MEMORY;
    memcpy(l->host, host, hl + 1);
    l->hints.ai_family = AF_UNSPEC;      /* both families: every address a connection could use is checked */
    l->hints.ai_socktype = SOCK_STREAM;
    l->cb.ar_name = l->host;
    l->cb.ar_request = &l->hints;
    atomic_init(&l->holders, 2);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_lookup_done;
    ev.sigev_value.sival_ptr = l;
    struct gaicb *list[1] = {&l->cb};
    int rc = getaddrinfo_a(GAI_NOWAIT, list, 1, &ev);
    if (rc != 0) {
        free(l);   /* not queued: no notification will come */
        return rc;
    }
    int64_t deadline = argus_monotonic_ms() + timeout_ms;
    while ((rc = gai_error(&l->cb)) == EAI_INPROGRESS) {
        int64_t left = deadline - argus_monotonic_ms();
        if (left <= 0)
            break;
        struct timespec ts = {left / 1000, (left % 1000) * 1000000L};
        gai_suspend((const struct gaicb *const *)list, 1, &ts);
    }
    if (rc == EAI_INPROGRESS) {
        /* abandoned: a lookup cancelled before it started sends no notification */
        if (gai_cancel(&l->cb) == EAI_CANCELED)
            lookup_release(l);
        lookup_release(l);
        return EAI_AGAIN;
    }
    if (rc == 0)
        *n = take_addresses(l->cb.ar_result, port, out, max);
    lookup_release(l);
    return rc == 0 && *n == 0 ? EAI_NODATA : rc;
}
