/* HTTP outcome rules: curl errors and statuses to ok/retry/reject, Retry-After and X-RateLimit-Reset
 * to a wait, and URLs made safe for messages; see argus/http.h. No I/O here. */
#include "argus/stores/http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds from outside input (a header, a far-off date) can be anything: bound them before scaling. */
static long seconds_to_capped_ms(long long seconds)
{
    if (seconds <= 0)
        return 0;
    if (seconds > ARGUS_HTTP_RETRY_AFTER_MAX_MS / 1000)
        return ARGUS_HTTP_RETRY_AFTER_MAX_MS;
    return (long)(seconds * 1000);
}

long argus_http_parse_retry_after(const char *value, time_t now)
{
    if (!value)
        return -1;
    while (isspace((unsigned char)*value))
        value++;
    if (!*value)
        return -1;
    if (isdigit((unsigned char)*value)) {
        char *end;
        long long seconds = strtoll(value, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (*end)
            return -1;
        return seconds_to_capped_ms(seconds);
    }
    time_t when = curl_getdate(value, &now);
    if (when == (time_t)-1)
        return -1;
    if (when < now)
        return 0;
    return seconds_to_capped_ms((long long)(when - now));
}

void argus_http_safe_url(const char *url, char *out, size_t outlen)
{
    if (!outlen)
        return;
    if (!url)
        url = "";
    const char *scheme_end = strstr(url, "://");
    const char *host = scheme_end ? scheme_end + 3 : url;
    size_t auth_len = strcspn(host, "/?#");
    const char *at = NULL;
    for (const char *p = host; p < host + auth_len; p++)
        if (*p == '@')
            at = p;
    const char *host_start = at ? at + 1 : host;
    const char *path = host + auth_len;
    size_t path_len = strcspn(path, "?#");
    snprintf(out, outlen, "%.*s%.*s%.*s", (int)(host - url), url, (int)(host + auth_len - host_start),
             host_start, (int)path_len, path);
}

/* Network failures are the destination being unreachable: retry. A URL curl cannot use is the
 * event's (or the configuration's) fault: reject. */
static int curl_error_is_permanent(CURLcode code)
{
    switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_BAD_CONTENT_ENCODING:
        return 1;
    default:
        return 0;
    }
}

/* A short, printable piece of the response body for the message (APIs explain 4xx there). */
static void body_snippet(const struct argus_http_response *resp, char *out, size_t outlen)
{
    size_t n = resp ? resp->body.len : 0;
    size_t max = outlen > 1 ? outlen - 1 : 0;
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)resp->body.data[i];
        out[i] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
    }
    if (outlen)
        out[n] = '\0';
}

/* GitHub answers an exhausted quota with 403 (or 429) and X-RateLimit-Remaining: 0. */
static long ratelimit_reset_ms(const struct argus_http_response *resp, time_t now)
{
    if (!resp || strcmp(resp->ratelimit_remaining, "0") != 0 || !resp->ratelimit_reset[0])
        return -1;
    char *end;
    long long reset = strtoll(resp->ratelimit_reset, &end, 10);
    if (*end || reset <= 0)
        return -1;
    return seconds_to_capped_ms(reset - (long long)now);
}

enum argus_outcome argus_http_classify(CURLcode code, const struct argus_http_response *resp, const char *method,
                                       const char *url, const char *label, time_t now, struct argus_result *res)
{
    char where[320];
    char safe[256];
    argus_http_safe_url(url, safe, sizeof safe);
    snprintf(where, sizeof where, "%s%s%s %s", label ? label : "", label ? ": " : "", method ? method : "GET", safe);
    long status = resp ? resp->status : 0;

    if (code == CURLE_OPERATION_TIMEDOUT)
        return argus_retry(res, ARGUS_ERR_TIMEOUT, "%.280s: timed out", where);
    if (code != CURLE_OK && curl_error_is_permanent(code))
        return argus_reject(res, ARGUS_ERR_HTTP, "%.280s: %s", where, curl_easy_strerror(code));
    if (code != CURLE_OK)
        return argus_retry(res, ARGUS_ERR_CONNECTION, "%.280s: %s", where, curl_easy_strerror(code));

    if (status >= 200 && status < 300) {
        argus_result_ok(res);
        return ARGUS_OK;
    }
    long wait = resp ? argus_http_parse_retry_after(resp->retry_after, now) : -1;
    long reset = ratelimit_reset_ms(resp, now);
    if (status == 429 || (status == 403 && (reset >= 0 || wait >= 0))) {
        argus_retry(res, ARGUS_ERR_RATE_LIMITED, "%.280s: HTTP %ld, rate limited", where, status);
        res->retry_after_ms = (int)(wait >= 0 ? wait : reset >= 0 ? reset : 0);
        return ARGUS_RETRY;
    }
    if (status == 408 || status == 425 || status >= 500) {
        argus_retry(res, ARGUS_ERR_HTTP, "%.280s: HTTP %ld", where, status);
        res->retry_after_ms = (int)(wait >= 0 ? wait : 0);
        return ARGUS_RETRY;
    }
    char snippet[121];
    body_snippet(resp, snippet, sizeof snippet);
    return argus_reject(res, ARGUS_ERR_HTTP, "%.180s: HTTP %ld%s%.120s", where, status, snippet[0] ? ": " : "",
                        snippet);
}
