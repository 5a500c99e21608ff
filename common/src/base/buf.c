/* Growable NUL-terminated byte buffer; see argus/buf.h. */
#include "argus/base/buf.h"
#include "argus/base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int buf_reserve(struct argus_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void argus_buf_append(struct argus_buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void argus_buf_puts(struct argus_buf *b, const char *s)
{
    argus_buf_append(b, s, strlen(s));
}

void argus_buf_putc(struct argus_buf *b, char c)
{
    argus_buf_append(b, &c, 1);
}

void argus_buf_vprintf(struct argus_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || buf_reserve(b, (size_t)n) != 0)
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void argus_buf_printf(struct argus_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    argus_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void argus_buf_json_escape(struct argus_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            argus_buf_putc(b, '\\');
            argus_buf_putc(b, (char)c);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': argus_buf_puts(b, "\\n"); break;
            case '\r': argus_buf_puts(b, "\\r"); break;
            case '\t': argus_buf_puts(b, "\\t"); break;
            default: argus_buf_printf(b, "\\u%04x", c); break;
            }
            i++;
        } else if (c < 0x80) {
            argus_buf_putc(b, (char)c);
            i++;
        } else {
            size_t len = argus_utf8_seq_len(p + i, n - i);
            if (len == 0) {
                argus_buf_puts(b, "\\ufffd");
                i++;
            } else {
                argus_buf_append(b, p + i, len);
                i += len;
            }
        }
    }
}

void argus_buf_reset(struct argus_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void argus_buf_free(struct argus_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

char *argus_buf_steal(struct argus_buf *b)
{
    if (b->oom) {
        argus_buf_free(b);
        return NULL;
    }
    char *s = b->data ? b->data : strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *argus_buf_str(const struct argus_buf *b)
{
    return b->data ? b->data : "";
}
