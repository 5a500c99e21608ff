/* Growable byte buffer, always NUL-terminated: the one string builder of the project
 * (JSON logs, Cypher parameter text, HTTP bodies, metrics pages). */
#ifndef ARGUS_BUF_H
#define ARGUS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct argus_buf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
    int oom;      /* set when an allocation failed; further appends are ignored */
};

#define ARGUS_BUF_INIT {NULL, 0, 0, 0}

void argus_buf_append(struct argus_buf *b, const void *p, size_t n);
void argus_buf_puts(struct argus_buf *b, const char *s);
void argus_buf_putc(struct argus_buf *b, char c);
void argus_buf_printf(struct argus_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void argus_buf_vprintf(struct argus_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s as the inside of a JSON string (no surrounding quotes); invalid UTF-8 bytes become U+FFFD. */
void argus_buf_json_escape(struct argus_buf *b, const char *s, size_t n);
void argus_buf_reset(struct argus_buf *b);          /* len = 0, keeps memory */
void argus_buf_free(struct argus_buf *b);
/* Hands the string to the caller (who frees it); the buffer is left empty. NULL if oom. */
char *argus_buf_steal(struct argus_buf *b);
/* data or "" when nothing was appended. */
const char *argus_buf_str(const struct argus_buf *b);

#endif
