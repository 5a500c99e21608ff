/* The embeddings API client of the semantic layer: request bodies, batching, the HTTP exchange over
 * argus_http (its classification decides retry or reject), and a strict parser of the answer. */
#include "embeddings.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>

#include "argus/base/buf.h"
#include "argus/stores/http.h"
#include "embeddings_internal.h"

int cognee_embed_enabled(const struct cognee_embed_config *cfg)
{
    return cfg && cfg->url && *cfg->url;
}

struct cognee_embedder *cognee_embedder_new(const struct cognee_embed_config *cfg)
{
    if (!cognee_embed_enabled(cfg))
        return NULL;
    struct cognee_embedder *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->url = strdup(cfg->url);
    e->model = strdup(cfg->model && *cfg->model ? cfg->model : "text-embedding-3-small");
    if (cfg->api_key && *cfg->api_key) {
        size_t n = strlen(cfg->api_key) + 32;
        e->auth_header = malloc(n);
        if (e->auth_header)
            snprintf(e->auth_header, n, "Authorization: Bearer %s", cfg->api_key);
    }
    e->batch = cfg->batch ? cfg->batch : COGNEE_EMBED_BATCH;
    long timeout = cfg->timeout_ms > 0 ? cfg->timeout_ms : COGNEE_EMBED_TIMEOUT_MS;
    if (!e->url || !e->model || (cfg->api_key && *cfg->api_key && !e->auth_header) ||
        argus_http_init(&e->http, "argus-cognee/" ARGUS_VERSION, 10000, timeout) != 0) {
        free(e->url);
        free(e->model);
        free(e->auth_header);
        free(e);
        return NULL;
    }
    e->http.max_body = COGNEE_EMBED_MAX_BODY;
    return e;
}

void cognee_embedder_free(struct cognee_embedder *e)
{
    if (!e)
        return;
    argus_http_close(&e->http);
    if (e->auth_header) /* the key: not left in freed memory */
        memset(e->auth_header, 0, strlen(e->auth_header));
    free(e->auth_header);
    free(e->url);
    free(e->model);
    for (size_t i = 0; i < e->nindexed; i++)
        free(e->indexed[i]);
    free(e->indexed);
    free(e);
}

size_t cognee_embedder_dimension(const struct cognee_embedder *e)
{
    return e->dim;
}

const struct cognee_embed_stats *cognee_embedder_stats(const struct cognee_embedder *e)
{
    return &e->stats;
}

const char *cognee_embedder_model(const struct cognee_embedder *e)
{
    return e->model;
}

void cognee_vectors_free(struct cognee_vectors *v)
{
    free(v->data);
    memset(v, 0, sizeof *v);
}

/* Longest prefix of s of at most max bytes that does not split a UTF-8 sequence. */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

void cognee_embed_request_body(struct argus_buf *out, const char *model, const char *const *texts, size_t n)
{
    argus_buf_puts(out, "{\"model\":\"");
    argus_buf_json_escape(out, model, strlen(model));
    argus_buf_puts(out, "\",\"input\":[");
    for (size_t i = 0; i < n; i++) {
        argus_buf_puts(out, i ? ",\"" : "\"");
        argus_buf_json_escape(out, texts[i], utf8_prefix(texts[i], COGNEE_EMBED_TEXT_MAX));
        argus_buf_putc(out, '"');
    }
    argus_buf_puts(out, "]}");
}

void cognee_embed_key(const char *model, const char *text, char out[17])
{
    /* FNV-1a 64: a change detector, not a security boundary. */
    uint64_t h = 14695981039346656037ull;
    const char *parts[2] = {model, text};
    for (int p = 0; p < 2; p++) {
        for (const unsigned char *s = (const unsigned char *)parts[p]; *s; s++) {
            h ^= *s;
            h *= 1099511628211ull;
        }
        h ^= 0xff; /* separator: ("ab","c") and ("a","bc") differ */
        h *= 1099511628211ull;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* An error object in a 2xx answer: its type or code (identifiers only: the message may quote input). */
static void api_error(const cJSON *err, char *out, size_t outlen)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(err, "code");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(err, "type");
    const char *what = cJSON_IsString(code) ? code->valuestring : cJSON_IsString(type) ? type->valuestring : NULL;
    snprintf(out, outlen, "the answer is an error (%.60s)", what ? what : "no code");
}

static int parse_vector(const cJSON *emb, size_t i, size_t *dim, float **data, size_t n, char *err, size_t errlen)
{
    if (!cJSON_IsArray(emb)) {
        snprintf(err, errlen, "data[%zu].embedding is not a list of numbers", i);
        return -1;
    }
    size_t len = (size_t)cJSON_GetArraySize(emb);
    if (len == 0 || len > COGNEE_EMBED_MAX_DIM) {
        snprintf(err, errlen, "data[%zu].embedding has %zu numbers (expected 1..%d)", i, len, COGNEE_EMBED_MAX_DIM);
        return -1;
    }
    if (*dim == 0)
        *dim = len;
    if (len != *dim) {
        snprintf(err, errlen, "data[%zu].embedding has %zu numbers, expected %zu", i, len, *dim);
        return -1;
    }
    if (!*data && !(*data = calloc(n * len, sizeof **data))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int cognee_embed_parse(const char *body, size_t len, size_t n, size_t expected_dim, struct cognee_vectors *out,
                       char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "the answer is not a JSON object");
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (!data && cJSON_IsObject(error)) {
        api_error(error, err, errlen);
        cJSON_Delete(root);
        return -1;
    }
    if (!cJSON_IsArray(data) || (size_t)cJSON_GetArraySize(data) != n) {
        if (cJSON_IsArray(data))
            snprintf(err, errlen, "data: %d embeddings for %zu inputs", cJSON_GetArraySize(data), n);
        else
            snprintf(err, errlen, "data: no list of embeddings");
        cJSON_Delete(root);
        return -1;
    }
    size_t dim = expected_dim;
    float *vec = NULL;
    bool *seen = calloc(n ? n : 1, sizeof *seen);
    size_t i = 0;
    int rc = seen ? 0 : -1;
    if (!seen)
        snprintf(err, errlen, "out of memory");
    const cJSON *item;
    cJSON_ArrayForEach(item, data)
    {
        if (rc != 0)
            break;
        const cJSON *index = cJSON_GetObjectItemCaseSensitive(item, "index");
        double at = cJSON_IsNumber(index) ? index->valuedouble : (double)i;
        if (!cJSON_IsObject(item) || (index && !cJSON_IsNumber(index)) || at < 0 || at >= (double)n ||
            at != floor(at) || seen[(size_t)at]) {
            snprintf(err, errlen, "data[%zu].index is missing, out of range or repeated", i);
            rc = -1;
            break;
        }
        size_t row = (size_t)at;
        seen[row] = true;
        const cJSON *emb = cJSON_GetObjectItemCaseSensitive(item, "embedding");
        if (parse_vector(emb, i, &dim, &vec, n, err, errlen) != 0) {
            rc = -1;
            break;
        }
        size_t j = 0;
        const cJSON *x;
        cJSON_ArrayForEach(x, emb)
        {
            if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble) || fabs(x->valuedouble) > 3.0e38) {
                snprintf(err, errlen, "data[%zu].embedding[%zu] is not a finite number", i, j);
                rc = -1;
                break;
            }
            vec[row * dim + j++] = (float)x->valuedouble;
        }
        i++;
    }
    free(seen);
    cJSON_Delete(root);
    if (rc != 0) {
        free(vec);
        return -1;
    }
    out->data = vec;
    out->n = n;
    out->dim = dim;
    return 0;
}

/* One request for n texts; out gets their vectors. */
static int request_batch(struct cognee_embedder *e, const char *const *texts, size_t n, struct cognee_vectors *out,
                         struct argus_result *res)
{
    struct argus_buf body = ARGUS_BUF_INIT;
    cognee_embed_request_body(&body, e->model, texts, n);
    if (body.oom) {
        argus_buf_free(&body);
        return argus_retry(res, ARGUS_ERR_PROCESSING, "out of memory building an embeddings request"), -1;
    }
    const char *headers[] = {"Content-Type: application/json", "Accept: application/json", e->auth_header, NULL};
    struct argus_http_request req = {
        .method = "POST", .url = e->url, .headers = headers, .body = body.data, .body_len = body.len,
        .label = "embeddings",
    };
    struct argus_http_response resp;
    memset(&resp, 0, sizeof resp);
    enum argus_outcome o = argus_http_request(&e->http, &req, &resp, res);
    argus_buf_free(&body);
    int rc = o == ARGUS_OK ? 0 : -1;
    if (rc == 0) {
        char safe[256], err[200];
        argus_http_safe_url(e->url, safe, sizeof safe);
        if (resp.truncated) {
            argus_reject(res, ARGUS_ERR_HTTP, "embeddings: POST %s: answer larger than %u bytes", safe,
                         COGNEE_EMBED_MAX_BODY);
            rc = -1;
        } else if (cognee_embed_parse(argus_buf_str(&resp.body), resp.body.len, n, e->dim, out, err, sizeof err) != 0) {
            argus_reject(res, ARGUS_ERR_HTTP, "embeddings: POST %s: malformed answer: %s", safe, err);
            rc = -1;
        } else {
            e->dim = out->dim;
            e->stats.requests++;
            e->stats.texts += n;
        }
    }
    argus_http_response_free(&resp);
    return rc;
}

int cognee_embed_texts(struct cognee_embedder *e, const char *const *texts, size_t n, struct cognee_vectors *out,
                       struct argus_result *res)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (!texts[i] || !*texts[i])
            return argus_reject(res, ARGUS_ERR_VALIDATION, "embeddings: input %zu is empty", i), -1;
    for (size_t start = 0; start < n; start += e->batch) {
        size_t count = n - start < e->batch ? n - start : e->batch;
        struct cognee_vectors part;
        if (request_batch(e, texts + start, count, &part, res) != 0) {
            cognee_vectors_free(out);
            return -1;
        }
        if (!out->data) {
            out->dim = part.dim;
            out->n = n;
            out->data = malloc(n * part.dim * sizeof *out->data);
            if (!out->data) {
                cognee_vectors_free(&part);
                return argus_retry(res, ARGUS_ERR_PROCESSING, "out of memory for %zu embeddings", n), -1;
            }
        }
        memcpy(out->data + start * out->dim, part.data, count * out->dim * sizeof *out->data);
        cognee_vectors_free(&part);
    }
    argus_result_ok(res);
    return 0;
}
