/* libFuzzer target for the embeddings API's answers (the semantic layer of the cognee worker): any
 * bytes as the body of a 2xx answer for 1 to 4 inputs, with or without an expected dimension (the
 * first byte picks both). A refusal must say why; an acceptance must give n vectors of one dimension
 * with finite values. Must never crash, leak or trip a sanitizer. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "embeddings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t n = 1 + data[0] % 4;
    size_t expected_dim = (data[0] / 4) % 2 ? 3 : 0;
    struct cognee_vectors v;
    char err[256] = "";
    if (cognee_embed_parse((const char *)data + 1, size - 1, n, expected_dim, &v, err, sizeof err) != 0) {
        if (!err[0])
            abort();
        return 0;
    }
    if (v.n != n || v.dim == 0 || (expected_dim && v.dim != expected_dim) || v.dim > COGNEE_EMBED_MAX_DIM)
        abort();
    for (size_t i = 0; i < v.n * v.dim; i++)
        if (!isfinite(v.data[i]))
            abort();
    cognee_vectors_free(&v);
    return 0;
}
