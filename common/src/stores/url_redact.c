/* URLs made fit for logs and DLQ headers: credentials, query values and token-like path segments
 * (Slack, Discord and most webhook URLs carry their secret in the path) replaced by ***, also inside
 * free text such as git's error lines. See argus/stores/url_guard.h. No I/O here. */
#include "argus/stores/url_guard.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct out {
    char *p;
    size_t left;   /* bytes that still fit before the terminator */
};

static void put(struct out *o, const char *s, size_t n)
{
    if (n > o->left)
        n = o->left;
    memcpy(o->p, s, n);
    o->p += n;
    o->left -= n;
    *o->p = '\0';
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* 20 or more of [A-Za-z0-9_-], with letters and digits both present: a generated secret, not a
 * word or a number someone chose. */
static int token_like(const char *s, size_t n)
{
    if (n < 20)
        return 0;
    int alpha = 0, digit = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalpha(c))
            alpha = 1;
        else if (isdigit(c))
            digit = 1;
        else if (c != '-' && c != '_')
            return 0;
    }
    return alpha && digit;
}

/* A path segment or a query piece without a value: shown unless it looks like a token. */
static void put_piece(struct out *o, const char *s, size_t n)
{
    if (token_like(s, n))
        puts_(o, "***");
    else
        put(o, s, n);
}

/* A query piece "key=value": the key and "=", the value never. */
static void put_query_piece(struct out *o, const char *s, size_t n)
{
    const char *eq = memchr(s, '=', n);
    if (!eq) {
        put_piece(o, s, n);
        return;
    }
    put(o, s, (size_t)(eq - s) + 1);
    if (eq + 1 < s + n)
        puts_(o, "***");
}

/* The n bytes at s split at sep, each piece written by one, the separators kept. */
static void put_split(struct out *o, const char *s, size_t n, char sep,
                      void (*one)(struct out *o, const char *piece, size_t len))
{
    size_t i = 0;
    while (i < n) {
        const char *end = memchr(s + i, sep, n - i);
        size_t len = end ? (size_t)(end - (s + i)) : n - i;
        one(o, s + i, len);
        if (end)
            put(o, &sep, 1);
        i += len + 1;
    }
}

/* Redacts the n bytes of one URL at url. */
static void redact_one(struct out *o, const char *url, size_t n)
{
    const char *end = url + n;
    const char *sep = NULL;
    for (const char *p = url; p + 3 <= end; p++)
        if (!memcmp(p, "://", 3)) {
            sep = p;
            break;
        }
    const char *auth = sep ? sep + 3 : url;
    put(o, url, (size_t)(auth - url));
    const char *auth_end = auth;
    while (auth_end < end && *auth_end != '/' && *auth_end != '?' && *auth_end != '#')
        auth_end++;
    const char *at = NULL;
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    if (at) {
        puts_(o, "***@");
        auth = at + 1;
    }
    put(o, auth, (size_t)(auth_end - auth));
    const char *frag = memchr(auth_end, '#', (size_t)(end - auth_end));
    if (frag)
        end = frag;   /* fragments never reach the server: not worth showing */
    const char *query = memchr(auth_end, '?', (size_t)(end - auth_end));
    put_split(o, auth_end, (size_t)((query ? query : end) - auth_end), '/', put_piece);
    if (query) {
        put(o, "?", 1);
        put_split(o, query + 1, (size_t)(end - query - 1), '&', put_query_piece);
    }
}

void argus_url_redact(const char *url, char *out, size_t outlen)
{
    if (!outlen)
        return;
    struct out o = {out, outlen - 1};
    *out = '\0';
    if (url)
        redact_one(&o, url, strlen(url));
}

static int scheme_char(char c)
{
    return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}

static int url_char(char c)
{
    return c && !isspace((unsigned char)c) && c != '\'' && c != '"' && c != '<' && c != '>' && c != '`';
}

void argus_url_redact_text(char *text, size_t size)
{
    if (!text || !size)
        return;
    size_t len = strnlen(text, size - 1);
    char *copy = malloc(len + 1);
    if (!copy) {
        text[0] = '\0';   /* nothing shown beats a secret shown */
        return;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    struct out o = {text, size - 1};
    const char *p = copy, *done = copy;
    while ((p = strstr(p, "://")) != NULL) {
        const char *start = p;
        while (start > done && scheme_char(start[-1]))
            start--;
        const char *stop = p + 3;
        while (url_char(*stop))
            stop++;
        put(&o, done, (size_t)(start - done));
        redact_one(&o, start, (size_t)(stop - start));
        done = p = stop;
    }
    put(&o, done, strlen(done));
    free(copy);
}
