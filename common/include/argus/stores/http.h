/* Outbound HTTP over libcurl (Slack, GitHub, Jira, LLM and embedding APIs): one request function
 * with connect and total timeouts, a capped response body, the rate-limit headers, and the outcome:
 * 2xx ok; 408, 425, 429, 5xx and network failures (DNS, refused, reset, timeout, TLS) retry, 429 and
 * GitHub's exhausted-quota 403 as rate_limited with the server's wait from Retry-After (seconds or
 * HTTP-date) or X-RateLimit-Reset; other statuses reject. Messages name the method and the URL
 * without its query string or credentials, never a header value.
 * One client per thread: its curl handle keeps connections alive between requests.
 * URLs that come from events or tenants go through argus_http_request_guarded (the SSRF guard). */
#ifndef ARGUS_HTTP_H
#define ARGUS_HTTP_H

#include <stddef.h>
#include <time.h>
#include <curl/curl.h>

#include "argus/base/buf.h"
#include "argus/base/outcome.h"

/* Longest wait a server can ask for: beyond it the consumer's own backoff takes over. */
#define ARGUS_HTTP_RETRY_AFTER_MAX_MS (15 * 60 * 1000)
#define ARGUS_HTTP_DEFAULT_MAX_BODY   (1024 * 1024)

struct argus_http {
    CURL *easy;
    CURL *guarded_easy;        /* requests to URLs from events and tenants: their own DNS and connection
                                  caches (argus_http_request_guarded), made on first use */
    char *user_agent;
    long connect_timeout_ms;   /* defaults for requests that leave theirs at 0 */
    long timeout_ms;
    size_t max_body;           /* response bytes kept; the rest is read and dropped */
};

struct argus_http_request {
    const char *method;            /* NULL: GET, or POST when there is a body */
    const char *url;
    const char *const *headers;    /* "Name: value" strings, NULL-terminated; may be NULL */
    const char *body;              /* may be NULL */
    size_t body_len;
    long connect_timeout_ms;       /* 0: the client's */
    long timeout_ms;               /* whole request; 0: the client's */
    const char *label;             /* destination in messages ("slack"); NULL: none */
    size_t max_body;               /* response bytes kept; 0: the client's. A guarded request stops
                                      reading there (truncated set), others read on and drop the rest */
    int max_redirects;             /* argus_http_request_guarded only: 3xx hops followed, each checked
                                      again; 0: a 3xx is the answer (its Location in redirect_url) */
};

struct argus_http_response {
    long status;                   /* 0 when no response arrived */
    struct argus_buf body;
    int truncated;                 /* the body was longer than max_body */
    char content_type[128];
    char retry_after[64];          /* raw headers of the final response, "" when absent */
    char ratelimit_remaining[32];
    char ratelimit_reset[32];
    char *redirect_url;            /* absolute Location of a 3xx that was not followed, else NULL */
    double total_ms;
};

/* curl_global_init runs once per process (thread-safe) on the first init. 0, or -1. */
int argus_http_init(struct argus_http *h, const char *user_agent, long connect_timeout_ms, long timeout_ms);
void argus_http_close(struct argus_http *h);

/* Performs the request and classifies it into res (also returned). resp is filled as far as the
 * exchange went; free it with argus_http_response_free. */
enum argus_outcome argus_http_request(struct argus_http *h, const struct argus_http_request *req,
                                      struct argus_http_response *resp, struct argus_result *res);
void argus_http_response_free(struct argus_http_response *resp);

struct argus_url_guard;
/* The entry point for every URL an event or a tenant supplies (a page snapshot, a webhook, a GitHub
 * Enterprise, GitLab or Jira host): argus_url_check first (scheme, internal destinations, allow and
 * deny lists; a refusal is ARGUS_REJECT with class destination_refused and nothing is sent), then the
 * request on the checked addresses only: pinned with CURLOPT_RESOLVE and checked again when the
 * socket opens, no proxy, the body capped at max_body (the transfer stops there), redirects
 * followed up to max_redirects with each hop checked like the first (301/302/303 turn a POST into
 * a GET; credentials headers are dropped when a hop leaves the origin), the timeout covering all
 * hops. Messages show the URL redacted. */
enum argus_outcome argus_http_request_guarded(struct argus_http *h, const struct argus_url_guard *guard,
                                              const struct argus_http_request *req,
                                              struct argus_http_response *resp, struct argus_result *res);

/* ---- the pieces, usable on their own ---- */

/* Retry-After as milliseconds from now: delay-seconds or an HTTP-date (IMF-fixdate, RFC 850,
 * asctime); a date in the past is 0; capped at ARGUS_HTTP_RETRY_AFTER_MAX_MS. -1 if unparseable. */
long argus_http_parse_retry_after(const char *value, time_t now);

/* Classifies a finished exchange: curl's result, then the status and headers. method/url/label only
 * feed the message (the URL is shown without query or credentials). */
enum argus_outcome argus_http_classify(CURLcode code, const struct argus_http_response *resp, const char *method,
                                       const char *url, const char *label, time_t now, struct argus_result *res);

/* scheme://host[:port]/path of url: no user info, query or fragment. */
void argus_http_safe_url(const char *url, char *out, size_t outlen);

#endif
