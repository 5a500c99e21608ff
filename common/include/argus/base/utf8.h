/* UTF-8 validation: overlong forms, surrogates and code points above U+10FFFF are invalid. */
#ifndef ARGUS_UTF8_H
#define ARGUS_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4; n > 0 bytes available), or 0 if it is not valid. */
size_t argus_utf8_seq_len(const unsigned char *s, size_t n);
/* Offset of the first byte that does not start a valid sequence, or -1 when all n bytes are valid. */
long argus_utf8_first_invalid(const unsigned char *s, size_t n);

#endif
