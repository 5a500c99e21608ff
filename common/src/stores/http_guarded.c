/* argus_http_request_guarded(): HTTP to a URL from an event or a tenant. Every hop is checked by
 * the outbound guard (argus/stores/url_guard.h) before it is sent, pinned to the addresses that were
 * checked (CURLOPT_RESOLVE), and its socket refused at open time if curl ever aims elsewhere; the
 * guarded handle never uses a proxy and never follows a redirect by itself. See argus/stores/http.h. */
#include "http_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "argus/base/log.h"
#include "argus/base/timeutil.h"
#include "argus/stores/url_guard.h"

struct hop {
    const struct argus_url_target *target;
    const struct argus_url_guard *guard;
    struct curl_slist *resolve;
    int unchecked;                 /* curl tried an address the guard did not check */
};

static curl_socket_t open_checked_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct hop *hop = arg;
    if (purpose != CURLSOCKTYPE_IPCXN || !argus_url_target_has_address(hop->target, &a->addr)) {
        hop->unchecked = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static CURLcode setup_hop(CURL *c, void *arg)
{
    struct hop *hop = arg;
    CURLcode rc = curl_easy_setopt(c, CURLOPT_RESOLVE, hop->resolve);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, hop);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_PROXY, "");   /* no proxy from the environment */
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, argus_url_guard_allows_http(hop->guard) ? "http,https" : "https");
    return rc;
}

/* Same scheme, host and port: a hop that stays with the origin keeps its credentials. */
static int same_origin(const struct argus_url_target *a, const struct argus_url_target *b)
{
    return !strcmp(a->scheme, b->scheme) && !strcmp(a->host, b->host) && a->port == b->port;
}

/* The next hop's request: GET without a body after 301/302/303 (as browsers do), no credential
 * headers once the origin changes. headers is the storage for the filtered list. */
static void next_hop(struct argus_http_request *req, long status, int cross_origin, const char **headers)
{
    if (status == 301 || status == 302 || status == 303) {
        if (!req->method || strcmp(req->method, "HEAD") != 0)
            req->method = "GET";
        req->body = NULL;
        req->body_len = 0;
    }
    if (!cross_origin || !req->headers)
        return;
    size_t k = 0;
    for (const char *const *p = req->headers; *p; p++)
        if (!argus_http_header_is_secret(*p))
            headers[k++] = *p;
    headers[k] = NULL;
    req->headers = headers;
}

static size_t count_headers(const char *const *headers)
{
    size_t n = 0;
    while (headers && headers[n])
        n++;
    return n;
}

/* One hop to a checked target. */
static enum argus_outcome send_hop(struct argus_http *h, const struct argus_url_guard *guard,
                                   const struct argus_http_request *req, const struct argus_url_target *t,
                                   const char *label, struct argus_http_response *resp, struct argus_result *res)
{
    struct hop hop = {t, guard, NULL, 0};
    if (t->pin && !(hop.resolve = curl_slist_append(NULL, t->pin)))
        return argus_retry(res, ARGUS_ERR_PROCESSING, "%s: out of memory", label);
    struct http_hook hook = {setup_hop, &hop, 1, t->safe_url};
    struct argus_http_request one = *req;
    one.url = t->url;
    one.label = label;
    enum argus_outcome o = argus_http_perform(h, h->guarded_easy, &one, &hook, resp, res);
    curl_slist_free_all(hop.resolve);
    if (hop.unchecked) {
        argus_reject(res, ARGUS_ERR_DESTINATION_REFUSED, "%s: destination refused (address not checked): %s", label,
                     t->safe_url);
        argus_warn("outbound.refused", "%s", res->message);
        return ARGUS_REJECT;
    }
    argus_url_redact_text(res->message, sizeof res->message);
    return o;
}

enum argus_outcome argus_http_request_guarded(struct argus_http *h, const struct argus_url_guard *guard,
                                              const struct argus_http_request *req,
                                              struct argus_http_response *resp, struct argus_result *res)
{
    memset(resp, 0, sizeof *resp);
    if (!h->guarded_easy && !(h->guarded_easy = curl_easy_init()))
        return argus_retry(res, ARGUS_ERR_PROCESSING, "%s: out of memory", req->label ? req->label : "url");
    const char **filtered = calloc(count_headers(req->headers) + 1, sizeof *filtered);
    if (!filtered)
        return argus_retry(res, ARGUS_ERR_PROCESSING, "%s: out of memory", req->label ? req->label : "url");
    long budget = req->timeout_ms > 0 ? req->timeout_ms : h->timeout_ms;
    int64_t deadline = argus_monotonic_ms() + budget;
    struct argus_http_request cur = *req;
    struct argus_url_target prev = {0};
    char *next_url = NULL;         /* the Location being followed (owned) */
    char label[96];
    enum argus_outcome o;
    for (int n = 0;; n++) {
        snprintf(label, sizeof label, n ? "%s (redirect %d)" : "%s", req->label ? req->label : "url", n);
        struct argus_url_target t;
        o = argus_url_check(guard, cur.url, label, &t, res);
        int64_t left = deadline - argus_monotonic_ms();
        if (o == ARGUS_OK && left <= 0)
            o = argus_retry(res, ARGUS_ERR_TIMEOUT, "%s: timed out after %d redirect(s)", label, n);
        if (o == ARGUS_OK) {
            if (n && !same_origin(&prev, &t))
                next_hop(&cur, 0, 1, filtered);
            cur.timeout_ms = (long)left;
            o = send_hop(h, guard, &cur, &t, label, resp, res);
        }
        argus_url_target_free(&prev);
        prev = t;
        if (o == ARGUS_OK || !resp->redirect_url) {
            break;
        } else if (n >= req->max_redirects) {
            char where[512];
            argus_url_redact(resp->redirect_url, where, sizeof where);
            o = argus_reject(res, ARGUS_ERR_HTTP, "%s: HTTP %ld redirect to %s not followed (%d redirect(s) allowed)",
                             label, resp->status, where, req->max_redirects);
            break;
        }
        free(next_url);
        next_url = resp->redirect_url;
        resp->redirect_url = NULL;
        next_hop(&cur, resp->status, 0, filtered);
        cur.url = next_url;
        argus_http_response_free(resp);
    }
    argus_url_target_free(&prev);
    free(next_url);
    free(filtered);
    return o;
}
