/* SHA-1 in hex through OpenSSL's EVP interface (the low-level SHA1() is deprecated in OpenSSL 3). */
#ifndef ARGUS_COGNEE_DIGEST_H
#define ARGUS_COGNEE_DIGEST_H

#include <stddef.h>

/* The first hex_chars hex digits (at most 40) of SHA-1(data) into out (hex_chars + 1 bytes). */
void cognee_sha1_hex(const void *data, size_t len, char *out, size_t hex_chars);

#endif
