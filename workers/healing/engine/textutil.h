/* Text helpers of the engine: a growable byte buffer, whitespace normalisation and case folding
 * as JavaScript does them (Unicode white space, ASCII + Latin-1 + Latin Extended-A + Greek +
 * Cyrillic case pairs), and UTF-8 decoding. */
#ifndef HEAL_TEXTUTIL_H
#define HEAL_TEXTUTIL_H

#include <stddef.h>
#include <stdint.h>

struct text_buf {
    char *data;
    size_t len, cap;
};
#define TEXT_BUF_INIT { NULL, 0, 0 }

void text_buf_putn(struct text_buf *b, const char *s, size_t n);
void text_buf_puts(struct text_buf *b, const char *s);
void text_buf_putc(struct text_buf *b, char c);
void text_buf_printf(struct text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *text_buf_steal(struct text_buf *b);   /* never NULL ("" when empty); buffer reset */
void text_buf_free(struct text_buf *b);

int text_is_ascii_space(char c);
/* Decodes one UTF-8 code point at s (n bytes left); returns its length (invalid byte: 1, U+FFFD). */
size_t text_utf8_next(const char *s, size_t n, uint32_t *cp);
void text_utf8_put(struct text_buf *b, uint32_t cp);
int text_cp_is_space(uint32_t cp);          /* JavaScript \s */
uint32_t text_cp_lower(uint32_t cp);
uint32_t text_cp_upper(uint32_t cp);

char *text_normalize(const char *s);        /* Playwright normalizeWhiteSpace; malloc'd */
char *text_lower(const char *s);            /* malloc'd */
int text_icontains(const char *hay, const char *needle);   /* case-insensitive substring */
int text_iequal(const char *a, const char *b);
int text_is_blank(const char *s);
char *text_xstrdup(const char *s);          /* strdup that aborts on out of memory */

#endif
