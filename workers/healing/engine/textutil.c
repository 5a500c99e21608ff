/* Text helpers (see textutil.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textutil.h"

static void buf_reserve(struct text_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs("heal: out of memory\n", stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void text_buf_putn(struct text_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void text_buf_puts(struct text_buf *b, const char *s)
{
    text_buf_putn(b, s, strlen(s));
}

void text_buf_putc(struct text_buf *b, char c)
{
    text_buf_putn(b, &c, 1);
}

void text_buf_printf(struct text_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *text_buf_steal(struct text_buf *b)
{
    char *s = b->data ? b->data : text_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void text_buf_free(struct text_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *text_xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p) {
        fputs("heal: out of memory\n", stderr);
        abort();
    }
    return p;
}

int text_is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

size_t text_utf8_next(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (!len || len > n || s[0] > 0xF4)
        goto bad;
    uint32_t c = s[0] & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
        goto bad;
    *cp = c;
    return len;
bad:
    *cp = 0xFFFD;
    return 1;
}

void text_utf8_put(struct text_buf *b, uint32_t c)
{
    char o[4];
    size_t n;
    if (c < 0x80) {
        o[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        o[0] = (char)(0xF0 | (c >> 18));
        o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    text_buf_putn(b, o, n);
}

int text_cp_is_space(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

uint32_t text_cp_lower(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 32;
    if (c >= 0x100 && c <= 0x17F && c != 0x178 && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x17F) {
        int odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (odd_upper ? (c & 1) : !(c & 1))
            return c + 1;
        return c;
    }
    if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

uint32_t text_cp_upper(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 32;
    if ((c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    if (c >= 0x100 && c <= 0x17F && text_cp_lower(c - 1) == c)
        return c - 1;
    return c;
}

char *text_normalize(const char *s)
{
    struct text_buf b = TEXT_BUF_INIT;
    size_t n = strlen(s);
    int pending_space = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        unsigned char a = (unsigned char)s[i];
        if (a < 0x80 && a != ' ' && (a < 0x09 || a > 0x0D)) {   /* plain ASCII: copy the run */
            size_t st = i;
            while (i < n && (unsigned char)s[i] < 0x80 && s[i] != ' ' && ((unsigned char)s[i] < 0x09 || s[i] > 0x0D))
                i++;
            if (pending_space)
                text_buf_putc(&b, ' ');
            pending_space = 0;
            text_buf_putn(&b, s + st, i - st);
            continue;
        }
        i += text_utf8_next(s + i, n - i, &c);
        if (c == 0x200B || c == 0xAD)
            continue;
        if (text_cp_is_space(c)) {
            pending_space = b.len > 0;
            continue;
        }
        if (pending_space)
            text_buf_putc(&b, ' ');
        pending_space = 0;
        text_utf8_put(&b, c);
    }
    return text_buf_steal(&b);
}

char *text_lower(const char *s)
{
    struct text_buf b = TEXT_BUF_INIT;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t c;
        if ((unsigned char)s[i] < 0x80) {
            char a = s[i++];
            text_buf_putc(&b, a >= 'A' && a <= 'Z' ? (char)(a + 32) : a);
            continue;
        }
        i += text_utf8_next(s + i, n - i, &c);
        text_utf8_put(&b, text_cp_lower(c));
    }
    return text_buf_steal(&b);
}

int text_icontains(const char *hay, const char *needle)
{
    char *h = text_lower(hay), *nd = text_lower(needle);
    int r = strstr(h, nd) != NULL;
    free(h);
    free(nd);
    return r;
}

int text_iequal(const char *a, const char *b)
{
    char *x = text_lower(a), *y = text_lower(b);
    int r = strcmp(x, y) == 0;
    free(x);
    free(y);
    return r;
}

int text_is_blank(const char *s)
{
    char *n = text_normalize(s ? s : "");
    int r = n[0] == '\0';
    free(n);
    return r;
}
