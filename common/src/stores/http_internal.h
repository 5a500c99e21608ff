/* Between the HTTP client (http.c) and its guarded entry point (http_guarded.c): one transfer on a
 * given handle with extra options (the pin, the connect-time check) applied after the common ones.
 * Not part of the public API (see argus/stores/http.h). */
#ifndef ARGUS_HTTP_INTERNAL_H
#define ARGUS_HTTP_INTERNAL_H

#ifndef ARGUS_LIBARGUS_INTERNAL
#error "http_internal.h is private to libargus's HTTP client"
#endif

#include "argus/stores/http.h"

struct http_hook {
    CURLcode (*setup)(CURL *c, void *arg);   /* after the common options, before the transfer */
    void *arg;
    int stop_at_max_body;                     /* stop reading at max_body instead of draining */
    const char *shown_url;                    /* the URL in messages (already redacted); NULL: req->url */
};

/* One exchange on c (h->easy or h->guarded_easy), classified as argus_http_request does. */
enum argus_outcome argus_http_perform(struct argus_http *h, CURL *c, const struct argus_http_request *req,
                                      const struct http_hook *hook, struct argus_http_response *resp,
                                      struct argus_result *res);

/* "Authorization: ...", "Cookie: ...", "X-Api-Key: ..." and any header named *token*, *secret*,
 * *signature*, *password*. */
int argus_http_header_is_secret(const char *header);

#endif
