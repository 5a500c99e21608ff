/* JavaScript regular expressions on POSIX regcomp (see jsregex.h). */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsregex.h"
#include "textutil.h"

struct text_regex {
    regex_t re;
};

static int translate_escape(struct text_buf *b, char c, int in_class)
{
    const char *rep = NULL;
    switch (c) {
    case 'd': rep = in_class ? "0-9" : "[0-9]"; break;
    case 'w': rep = in_class ? "A-Za-z0-9_" : "[A-Za-z0-9_]"; break;
    case 's': rep = in_class ? "[:space:]" : "[[:space:]]"; break;
    case 'D': rep = in_class ? NULL : "[^0-9]"; break;
    case 'W': rep = in_class ? NULL : "[^A-Za-z0-9_]"; break;
    case 'S': rep = in_class ? NULL : "[^[:space:]]"; break;
    case 'n': rep = "\n"; break;
    case 't': rep = "\t"; break;
    case 'b': case 'B': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
    case 'k': case 'p': case 'P': case 'u': case 'x': case 'c': case '0':
        return -1;
    default:
        break;
    }
    if (rep) {
        text_buf_puts(b, rep);
        return 0;
    }
    if (in_class && (c == 'D' || c == 'W' || c == 'S'))
        return -1;
    if (in_class) {
        if (c == ']' || c == '\\' || c == '-' || c == '^') {
            /* POSIX brackets have no escapes: a literal ']' must come first; keep it simple */
            if (c == '-' || c == '^' || c == ']')
                return -1;
        }
        text_buf_putc(b, c);
        return 0;
    }
    if (strchr(".[]()*+?{}|^$\\", c)) {
        text_buf_putc(b, '\\');
        text_buf_putc(b, c);
    } else {
        text_buf_putc(b, c);
    }
    return 0;
}

struct text_regex *text_regex_compile(const char *p, const char *flags, char *err, size_t errlen)
{
    struct text_buf b = TEXT_BUF_INIT;
    int in_class = 0;
    for (size_t i = 0; p[i]; i++) {
        char c = p[i];
        if (c == '\\') {
            if (!p[i + 1] || translate_escape(&b, p[++i], in_class) < 0) {
                snprintf(err, errlen, "regular expression escape \\%c is not supported", p[i] ? p[i] : ' ');
                text_buf_free(&b);
                return NULL;
            }
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = 0;
            text_buf_putc(&b, c);
            continue;
        }
        if (c == '[') {
            in_class = 1;
            text_buf_putc(&b, c);
            if (p[i + 1] == '^')
                text_buf_putc(&b, p[++i]);
            continue;
        }
        if (c == '(' && p[i + 1] == '?') {
            if (p[i + 2] != ':') {
                snprintf(err, errlen, "regular expression lookarounds and named groups are not supported");
                text_buf_free(&b);
                return NULL;
            }
            text_buf_putc(&b, '(');
            i += 2;
            continue;
        }
        if ((c == '*' || c == '+' || c == '?' || c == '}') && p[i + 1] == '?') {
            snprintf(err, errlen, "lazy quantifiers are not supported in regular expressions");
            text_buf_free(&b);
            return NULL;
        }
        text_buf_putc(&b, c);
    }
    struct text_regex *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    int cflags = REG_EXTENDED | REG_NOSUB | (flags && strchr(flags, 'i') ? REG_ICASE : 0);
    int rc = regcomp(&r->re, b.data ? b.data : "", cflags);
    text_buf_free(&b);
    if (rc != 0) {
        char msg[128];
        regerror(rc, &r->re, msg, sizeof msg);
        snprintf(err, errlen, "bad regular expression: %s", msg);
        free(r);
        return NULL;
    }
    return r;
}

int text_regex_test(const struct text_regex *r, const char *s)
{
    return regexec(&r->re, s, 0, NULL, 0) == 0;
}

void text_regex_free(struct text_regex *r)
{
    if (!r)
        return;
    regfree(&r->re);
    free(r);
}
