/* Fetching a referenced repository at one commit into a local cache with git: shallow, no shell,
 * a token (when configured) only in git's environment, a time limit, and a classification of
 * failures (network and timeouts retry; an unknown repository, ref or refused credentials reject).
 * The URL passes the outbound guard first; git then connects only to the address the guard checked
 * (http.curloptResolve), follows no redirect, uses no proxy and writes no file larger than the cap. */
#ifndef ARGUS_COGNEE_REPO_FETCH_H
#define ARGUS_COGNEE_REPO_FETCH_H

#include <stddef.h>

#include "argus/base/outcome.h"

struct argus_url_guard;

struct repo_fetch_options {
    const char *cache_dir;
    const char *token;         /* NULL or "": none */
    int timeout_s;
    long long max_bytes;       /* largest file git may write (the pack, a checked-out blob); 0: no cap */
    int allow_file_urls;       /* file:// URLs (tests, local mirrors) */
    const struct argus_url_guard *guard;   /* every other URL passes it (argus/stores/url_guard.h) */
};

/* Checks out url at sha (or the tip of branch, or HEAD) into a directory of the cache. On success
 * returns 0 with the directory in dir and the commit checked out in sha_out (40 hex). */
int repo_fetch(const struct repo_fetch_options *o, const char *url, const char *branch, const char *sha,
               char *dir, size_t dirlen, char sha_out[41], struct argus_result *res);

/* "owner/name" from an https/ssh/file URL ("https://github.com/acme/shop.git" -> "acme/shop"). */
int repo_name_from_url(const char *url, char *out, size_t n);

#endif
