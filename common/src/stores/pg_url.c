/* Password redaction for PostgreSQL connection strings (URL and key=value forms), so a DATABASE_URL
 * can be logged; see argus_pg_redact_url in argus/pg.h. */
#include "argus/stores/pg.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_secret_key(const char *key, size_t len)
{
    return (len == 8 && !strncasecmp(key, "password", 8)) || (len == 11 && !strncasecmp(key, "sslpassword", 11));
}

/* "?a=1&password=x" -> "?a=1&password=***" */
static void redact_query(struct argus_buf *b, const char *q)
{
    while (*q) {
        size_t len = strcspn(q, "&");
        const char *eq = memchr(q, '=', len);
        if (eq && is_secret_key(q, (size_t)(eq - q))) {
            argus_buf_append(b, q, (size_t)(eq - q) + 1);
            argus_buf_puts(b, "***");
        } else {
            argus_buf_append(b, q, len);
        }
        q += len;
        if (*q == '&')
            argus_buf_putc(b, *q++);
    }
}

static void redact_uri(struct argus_buf *b, const char *url, size_t scheme_len)
{
    argus_buf_append(b, url, scheme_len);
    const char *auth = url + scheme_len;
    size_t auth_len = strcspn(auth, "/?#");
    /* the last '@' ends the userinfo: a raw '@' in a password must not leak its tail */
    const char *at = NULL;
    for (const char *p = auth; p < auth + auth_len; p++)
        if (*p == '@')
            at = p;
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon) {
            argus_buf_append(b, auth, (size_t)(colon - auth) + 1);
            argus_buf_puts(b, "***");
            argus_buf_append(b, at, (size_t)(auth + auth_len - at));
        } else {
            argus_buf_append(b, auth, auth_len);
        }
    } else {
        argus_buf_append(b, auth, auth_len);
    }
    const char *rest = auth + auth_len;
    const char *query = strchr(rest, '?');
    if (!query) {
        argus_buf_puts(b, rest);
        return;
    }
    argus_buf_append(b, rest, (size_t)(query - rest) + 1);
    redact_query(b, query + 1);
}

/* key = value pairs; values may be 'quoted', with backslash escapes inside. */
static void redact_conninfo(struct argus_buf *b, const char *s)
{
    const char *p = s;
    while (*p) {
        const char *start = p;
        while (isspace((unsigned char)*p))
            p++;
        const char *key = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t key_len = (size_t)(p - key);
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '=') {
            argus_buf_append(b, start, (size_t)(p - start));
            if (*p)
                argus_buf_putc(b, *p++);
            continue;
        }
        p++;
        while (isspace((unsigned char)*p))
            p++;
        const char *value = p;
        if (*p == '\'') {
            /* libpq escapes with a backslash; a doubled quote is hidden too, to err on the safe side */
            for (p++; *p; p++) {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '\'' && p[1] == '\'')
                    p++;
                else if (*p == '\'')
                    break;
            }
            if (*p == '\'')
                p++;
        } else {
            while (*p && !isspace((unsigned char)*p))
                p++;
        }
        argus_buf_append(b, start, (size_t)(value - start));
        if (is_secret_key(key, key_len))
            argus_buf_puts(b, "***");
        else
            argus_buf_append(b, value, (size_t)(p - value));
    }
}

void argus_pg_redact_url(const char *url, char *out, size_t outlen)
{
    if (!outlen)
        return;
    struct argus_buf b = ARGUS_BUF_INIT;
    if (!url)
        url = "";
    if (!strncmp(url, "postgresql://", 13))
        redact_uri(&b, url, 13);
    else if (!strncmp(url, "postgres://", 11))
        redact_uri(&b, url, 11);
    else
        redact_conninfo(&b, url);
    snprintf(out, outlen, "%s", b.oom ? "(unprintable)" : argus_buf_str(&b));
    argus_buf_free(&b);
}
