/* SHA-1 hex digests; see digest.h. */
#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>

void cognee_sha1_hex(const void *data, size_t len, char *out, size_t hex_chars)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (hex_chars > 40)
        hex_chars = 40;
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha1(), NULL) != 1)
        mdlen = 0;
    size_t i = 0;
    for (; i < hex_chars / 2 && i < mdlen; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[2 * i] = '\0';
}
