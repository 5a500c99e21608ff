/* Failure fingerprints: the same failure seen with other numbers, ids or quoted values (a timeout of
 * 30000ms vs 31000ms, another element id) gets the same fingerprint, so SIMILAR_TO can link them. */
#include "cognee.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "argus/base/buf.h"
#include "digest.h"

static int is_hex_run(const char *p, size_t *len)
{
    size_t n = 0, letters = 0;
    while (isxdigit((unsigned char)p[n])) {
        letters += isalpha((unsigned char)p[n]) != 0;
        n++;
    }
    *len = n;
    return n >= 8 && letters > 0;
}

static void normalise(struct argus_buf *out, const char *s)
{
    int space = 0;
    for (const char *p = s ? s : ""; *p && out->len < 2048;) {
        unsigned char c = (unsigned char)*p;
        size_t hex;
        if (c == '"' || c == '\'' || c == '`') {
            const char *end = strchr(p + 1, (char)c);
            if (end) {
                argus_buf_puts(out, "\"*\"");
                p = end + 1;
                space = 0;
                continue;
            }
        }
        if (isspace(c)) {
            space = out->len > 0;
            p++;
            continue;
        }
        if (space) {
            argus_buf_putc(out, ' ');
            space = 0;
        }
        if (is_hex_run(p, &hex)) {
            argus_buf_putc(out, 'H');
            p += hex;
        } else if (isdigit(c)) {
            argus_buf_putc(out, '#');
            while (isdigit((unsigned char)*p) || *p == '.')
                p++;
        } else {
            argus_buf_putc(out, (char)tolower(c));
            p++;
        }
    }
}

void cognee_failure_fingerprint(const char *error_type, const char *message, char out[17])
{
    struct argus_buf b = ARGUS_BUF_INIT;
    normalise(&b, error_type ? error_type : "unknown");
    argus_buf_putc(&b, '\n');
    normalise(&b, message);
    cognee_sha1_hex(argus_buf_str(&b), b.len, out, 16);
    argus_buf_free(&b);
}

const char *cognee_status_class(const char *status)
{
    static const char *const passed[] = {"passed", "pass", "success", "succeeded", "ok", NULL};
    static const char *const failed[] = {"failed", "fail", "failure", "error", "errored", "timedout", "timeout",
                                         "broken", NULL};
    static const char *const skipped[] = {"skipped", "skip", "pending", "ignored", NULL};
    if (!status)
        return "unknown";
    for (int i = 0; passed[i]; i++)
        if (!strcasecmp(status, passed[i]))
            return "passed";
    for (int i = 0; failed[i]; i++)
        if (!strcasecmp(status, failed[i]))
            return "failed";
    for (int i = 0; skipped[i]; i++)
        if (!strcasecmp(status, skipped[i]))
            return "skipped";
    return status;
}

const char *cognee_selector_kind(const char *s)
{
    if (!strncmp(s, "xpath=", 6) || !strncmp(s, "//", 2) || !strncmp(s, "(//", 3))
        return "xpath";
    if (!strncmp(s, "text=", 5))
        return "text";
    if (!strncmp(s, "role=", 5))
        return "role";
    if (!strncmp(s, "data-testid=", 12) || !strncmp(s, "testid=", 7))
        return "testid";
    return "css";
}

int cognee_selector_id(const char *s, char *out, size_t n)
{
    int w = snprintf(out, n, "selector:%s:%s", cognee_selector_kind(s), s);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}
