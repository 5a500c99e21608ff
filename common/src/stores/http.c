/* libcurl client: one reused easy handle per client (keep-alive), timeouts on every request, a
 * capped body, the headers that say when to come back, and classification (http_classify.c);
 * see argus/http.h. */
#include "argus/stores/http.h"
#include "http_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int argus_http_init(struct argus_http *h, const char *user_agent, long connect_timeout_ms, long timeout_ms)
{
    memset(h, 0, sizeof *h);
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK)
        return -1;
    h->easy = curl_easy_init();
    h->user_agent = strdup(user_agent ? user_agent : "argus/" ARGUS_VERSION);
    h->connect_timeout_ms = connect_timeout_ms > 0 ? connect_timeout_ms : 5000;
    h->timeout_ms = timeout_ms > 0 ? timeout_ms : 30000;
    h->max_body = ARGUS_HTTP_DEFAULT_MAX_BODY;
    if (!h->easy || !h->user_agent) {
        argus_http_close(h);
        return -1;
    }
    return 0;
}

void argus_http_close(struct argus_http *h)
{
    if (h->easy)
        curl_easy_cleanup(h->easy);
    if (h->guarded_easy)
        curl_easy_cleanup(h->guarded_easy);
    free(h->user_agent);
    memset(h, 0, sizeof *h);
}

void argus_http_response_free(struct argus_http_response *resp)
{
    argus_buf_free(&resp->body);
    free(resp->redirect_url);
    memset(resp, 0, sizeof *resp);
}

struct transfer {
    struct argus_http_response *resp;
    size_t max_body;
    int stop_at_max;           /* a guarded request: never read more than max_body */
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
    struct transfer *t = arg;
    size_t n = size * nmemb;
    size_t room = t->resp->body.len < t->max_body ? t->max_body - t->resp->body.len : 0;
    size_t keep = n < room ? n : room;
    if (keep)
        argus_buf_append(&t->resp->body, data, keep);
    if (keep < n) {
        t->resp->truncated = 1;
        if (t->stop_at_max)
            return 0;             /* the transfer ends here (CURLE_WRITE_ERROR, undone by the caller) */
    }
    return n;                     /* read on and drop, so the connection stays reusable */
}

/* Copies the value of "Name: value" into out when the line is that header. */
static void take_header(const char *line, size_t len, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return;
    const char *v = line + nl + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    snprintf(out, outlen, "%.*s", (int)(end - v), v);
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *arg)
{
    struct transfer *t = arg;
    size_t n = size * nmemb;
    struct argus_http_response *r = t->resp;
    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* a new response (after 100 Continue or a redirect): only the last one's headers count */
        r->content_type[0] = r->retry_after[0] = r->ratelimit_remaining[0] = r->ratelimit_reset[0] = '\0';
        return n;
    }
    take_header(line, n, "Content-Type", r->content_type, sizeof r->content_type);
    take_header(line, n, "Retry-After", r->retry_after, sizeof r->retry_after);
    take_header(line, n, "X-RateLimit-Remaining", r->ratelimit_remaining, sizeof r->ratelimit_remaining);
    take_header(line, n, "X-RateLimit-Reset", r->ratelimit_reset, sizeof r->ratelimit_reset);
    return n;
}

int argus_http_header_is_secret(const char *h)
{
    static const char *const names[] = {"authorization:", "proxy-authorization:", "cookie:", "x-api-key:",
                                        "api-key:", "x-auth-token:", NULL};
    for (const char *const *n = names; *n; n++)
        if (!strncasecmp(h, *n, strlen(*n)))
            return 1;
    /* and any header whose name says token, secret or signature (X-Slack-Signature, ...) */
    const char *colon = strchr(h, ':');
    size_t name_len = colon ? (size_t)(colon - h) : 0;
    static const char *const words[] = {"token", "secret", "signature", "password", NULL};
    for (size_t i = 0; i < name_len; i++)
        for (const char *const *w = words; *w; w++)
            if (i + strlen(*w) <= name_len && !strncasecmp(h + i, *w, strlen(*w)))
                return 1;
    return 0;
}

/* A server may echo what it was sent: replace credential values in the message. */
static void scrub(struct argus_result *res, const char *const *headers)
{
    for (const char *const *h = headers; h && *h; h++) {
        if (!argus_http_header_is_secret(*h))
            continue;
        const char *v = strchr(*h, ':') + 1;
        while (*v == ' ')
            v++;
        /* the credential, and its last word alone ("Bearer xoxb-..." -> "xoxb-...") */
        const char *last = strrchr(v, ' ');
        const char *needles[2] = {v, last ? last + 1 : NULL};
        for (int k = 0; k < 2; k++) {
            size_t nl = needles[k] ? strlen(needles[k]) : 0;
            if (nl < 4)
                continue;
            char *hit;
            while ((hit = strstr(res->message, needles[k])) != NULL) {
                memmove(hit + 3, hit + nl, strlen(hit + nl) + 1);
                memcpy(hit, "***", 3);
            }
        }
    }
}

static CURLcode set_method(CURL *c, const struct argus_http_request *req, const char **method)
{
    CURLcode rc = CURLE_OK;
    *method = req->method ? req->method : req->body ? "POST" : "GET";
    if (!strcmp(*method, "GET") && !req->body) {
        rc = curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (!strcmp(*method, "HEAD")) {
        rc = curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        if (strcmp(*method, "POST") != 0)
            rc = curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, *method);
        if (rc == CURLE_OK && (req->body || strcmp(*method, "DELETE") != 0)) {
            rc = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? req->body_len : 0));
            if (rc == CURLE_OK)
                rc = curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        }
    }
    return rc;
}

enum argus_outcome argus_http_request(struct argus_http *h, const struct argus_http_request *req,
                                      struct argus_http_response *resp, struct argus_result *res)
{
    return argus_http_perform(h, h->easy, req, NULL, resp, res);
}

enum argus_outcome argus_http_perform(struct argus_http *h, CURL *c, const struct argus_http_request *req,
                                      const struct http_hook *hook, struct argus_http_response *resp,
                                      struct argus_result *res)
{
    memset(resp, 0, sizeof *resp);
    /* a reset keeps the connection cache: the next request to the same host reuses the socket */
    curl_easy_reset(c);
    struct transfer t = {resp, req->max_body ? req->max_body : h->max_body, hook && hook->stop_at_max_body};
    struct curl_slist *headers = curl_slist_append(NULL, "Expect:");   /* no 1 s wait on big bodies */
    for (const char *const *p = req->headers; p && *p && headers; p++)
        headers = curl_slist_append(headers, *p);
    const char *method = "GET";
    char errbuf[CURL_ERROR_SIZE] = "";
    CURLcode rc = headers ? CURLE_OK : CURLE_OUT_OF_MEMORY;
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_URL, req->url ? req->url : "");
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                                              req->connect_timeout_ms > 0 ? req->connect_timeout_ms : h->connect_timeout_ms);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : h->timeout_ms);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (rc == CURLE_OK) rc = set_method(c, req, &method);
    if (rc == CURLE_OK && hook && hook->setup) rc = hook->setup(c, hook->arg);
    if (rc == CURLE_OK)
        rc = curl_easy_perform(c);
    if (rc == CURLE_WRITE_ERROR && t.stop_at_max && resp->truncated)
        rc = CURLE_OK;            /* stopped at the cap on purpose: the status decides */
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    char *location = NULL;
    if (resp->status >= 300 && resp->status < 400 &&
        curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
        resp->redirect_url = strdup(location);
    double total = 0;
    if (curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &total) == CURLE_OK)
        resp->total_ms = total * 1000.0;
    /* nothing may keep pointers into this call's stack or header list */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    curl_slist_free_all(headers);
    if (resp->body.oom) {
        rc = CURLE_OUT_OF_MEMORY;
        argus_buf_reset(&resp->body);
    }
    const char *shown = hook && hook->shown_url ? hook->shown_url : req->url;
    enum argus_outcome o = argus_http_classify(rc, resp, method, shown, req->label, time(NULL), res);
    if (rc != CURLE_OK && errbuf[0]) {
        /* curl's detail ("Could not resolve host: api.slack.com") names hosts, never queries */
        size_t used = strlen(res->message);
        snprintf(res->message + used, sizeof res->message - used, " (%s)", errbuf);
    }
    scrub(res, req->headers);
    return o;
}
