/* A local OpenAI-compatible embeddings API for the semantic layer's integration tests (libmicrohttpd):
 * POST /v1/embeddings with {"model", "input": text or [texts]} answers
 * {"object":"list","data":[{"object":"embedding","index":i,"embedding":[...]}],"model","usage"} with
 * the data in reverse order (clients must sort by index). Vectors are deterministic: a bag of words,
 * each lower-cased word adding 1 to the dimension its hash picks, normalised, so identical texts get
 * identical vectors and texts sharing words are close by cosine.
 *
 * Errors on request, by a marker anywhere in an input: "[[429]]" 429 with Retry-After: 3, "[[500]]"
 * 500, "[[garbage]]" 200 with a body that is not JSON, "[[short]]" 200 with one embedding fewer than
 * inputs, "[[dim]]" 200 with vectors one longer. A wrong Bearer key gets 401, a bad request 400,
 * another path 404, each with OpenAI's error object. */
#ifndef ARGUS_EMBEDDINGS_STUB_H
#define ARGUS_EMBEDDINGS_STUB_H

#include <stddef.h>

struct embeddings_stub;

/* Starts on 127.0.0.1 on a free port. api_key NULL: any or no Authorization is accepted. NULL on failure. */
struct embeddings_stub *embeddings_stub_start(int dim, const char *api_key);
/* "http://127.0.0.1:<port>/v1/embeddings" */
void embeddings_stub_url(const struct embeddings_stub *s, char *out, size_t n);
unsigned embeddings_stub_requests(const struct embeddings_stub *s);   /* requests answered 200 */
unsigned embeddings_stub_inputs(const struct embeddings_stub *s);     /* texts embedded */
unsigned embeddings_stub_max_batch(const struct embeddings_stub *s);  /* most inputs in one request */
/* While set, every request is answered 503 (OpenAI's "overloaded" error object), as in an outage. */
void embeddings_stub_set_unavailable(struct embeddings_stub *s, int unavailable);
unsigned embeddings_stub_refused(const struct embeddings_stub *s);      /* requests answered 503 so */
void embeddings_stub_stop(struct embeddings_stub *s);

/* The vector the stub gives text. */
void embeddings_stub_vector(const char *text, int dim, float *out);

#endif
