/* One bounded DNS lookup for the outbound guard. getaddrinfo() cannot be given a deadline, so the
 * lookup runs through glibc's getaddrinfo_a(): the caller waits at most timeout_ms. A lookup still
 * running then cannot be freed (glibc's worker writes into it when it ends): it is kept on a list of
 * abandoned lookups and freed by a later call once it has ended, so nothing leaks and nothing is
 * used after free, without a notification thread per lookup. */
#include "url_guard_internal.h"

#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "argus/base/timeutil.h"

struct lookup {
    struct gaicb cb;
    struct addrinfo hints;
    struct lookup *next;       /* on the abandoned list */
    char host[];
};

static pthread_mutex_t abandoned_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lookup *abandoned;

static void lookup_free(struct lookup *l)
{
    if (l->cb.ar_result)
        freeaddrinfo(l->cb.ar_result);
    free(l);
}

/* Frees the abandoned lookups that have ended since. */
static void reap_abandoned(void)
{
    pthread_mutex_lock(&abandoned_lock);
    for (struct lookup **p = &abandoned; *p;) {
        struct lookup *l = *p;
        if (gai_error(&l->cb) == EAI_INPROGRESS) {
            p = &l->next;
            continue;
        }
        *p = l->next;
        lookup_free(l);
    }
    pthread_mutex_unlock(&abandoned_lock);
}

static void abandon(struct lookup *l)
{
    if (gai_cancel(&l->cb) == EAI_CANCELED) {   /* it never started */
        lookup_free(l);
        return;
    }
    pthread_mutex_lock(&abandoned_lock);
    l->next = abandoned;
    abandoned = l;
    pthread_mutex_unlock(&abandoned_lock);
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
    reap_abandoned();
    size_t hl = strlen(host);
    struct lookup *l = calloc(1, sizeof *l + hl + 1);
    if (!l)
        return EAI_MEMORY;
    memcpy(l->host, host, hl + 1);
    l->hints.ai_family = AF_UNSPEC;      /* both families: every address a connection could use is checked */
    l->hints.ai_socktype = SOCK_STREAM;
    l->cb.ar_name = l->host;
    l->cb.ar_request = &l->hints;
    struct gaicb *list[1] = {&l->cb};
    int rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
    if (rc != 0) {
        free(l);
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
        abandon(l);
        return EAI_AGAIN;
    }
    if (rc == 0)
        *n = take_addresses(l->cb.ar_result, port, out, max);
    lookup_free(l);
    return rc == 0 && *n == 0 ? EAI_NODATA : rc;
}
