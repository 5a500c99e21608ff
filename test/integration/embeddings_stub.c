/* Local OpenAI-compatible embeddings API for the integration tests; see embeddings_stub.h. */
#include "embeddings_stub.h"

#include <arpa/inet.h>
#include <cJSON.h>
#include <ctype.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/buf.h"

struct embeddings_stub {
    struct MHD_Daemon *daemon;
    int port;
    int dim;
    char *auth;                 /* "Bearer <key>" or NULL */
    atomic_uint requests, inputs, max_batch;
    atomic_uint refused;        /* requests answered 503 while unavailable */
    atomic_int unavailable;
};

struct upload {
    struct argus_buf body;
};

static uint32_t word_hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 16777619u;
    }
    return h;
}

void embeddings_stub_set_unavailable(struct embeddings_stub *s, int unavailable)
{
    atomic_store(&s->unavailable, unavailable);
}

unsigned embeddings_stub_refused(const struct embeddings_stub *s)
{
    return atomic_load(&s->refused);
}

void embeddings_stub_vector(const char *text, int dim, float *out)
{
    memset(out, 0, (size_t)dim * sizeof *out);
    char word[128];
    size_t n = 0;
    for (const char *p = text;; p++) {
        if (*p && isalnum((unsigned char)*p)) {
            if (n < sizeof word)
                word[n++] = (char)tolower((unsigned char)*p);
            continue;
        }
        if (n)
            out[word_hash(word, n) % (uint32_t)dim] += 1.0f;
        n = 0;
        if (!*p)
            break;
    }
    double norm = 0;
    for (int i = 0; i < dim; i++)
        norm += (double)out[i] * out[i];
    if (norm == 0) {
        out[0] = 1.0f;
        return;
    }
    for (int i = 0; i < dim; i++)
        out[i] = (float)(out[i] / sqrt(norm));
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body, const char *retry_after)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (retry_after)
        MHD_add_response_header(r, "Retry-After", retry_after);
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* OpenAI's error object. */
static enum MHD_Result reply_error(struct MHD_Connection *conn, unsigned status, const char *type, const char *code,
                                   const char *message, const char *retry_after)
{
    char body[512];
    snprintf(body, sizeof body, "{\"error\":{\"message\":\"%s\",\"type\":\"%s\",\"param\":null,\"code\":\"%s\"}}",
             message, type, code);
    return reply(conn, status, body, retry_after);
}

static int any_input_has(const cJSON *inputs, const char *marker)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, inputs)
    if (strstr(t->valuestring, marker))
        return 1;
    return 0;
}

static void note_batch(struct embeddings_stub *s, unsigned n)
{
    unsigned seen = atomic_load(&s->max_batch);
    while (n > seen && !atomic_compare_exchange_weak(&s->max_batch, &seen, n)) {
    }
}

static enum MHD_Result answer(struct embeddings_stub *s, struct MHD_Connection *conn, const cJSON *model,
                              const cJSON *inputs)
{
    if (any_input_has(inputs, "[[429]]"))
        return reply_error(conn, 429, "requests", "rate_limit_exceeded", "Rate limit reached", "3");
    if (any_input_has(inputs, "[[500]]"))
        return reply_error(conn, 500, "server_error", "server_error", "The server had an error", NULL);
    if (any_input_has(inputs, "[[garbage]]"))
        return reply(conn, 200, "<html>this is not the API</html>", NULL);
    int n = cJSON_GetArraySize(inputs);
    int count = any_input_has(inputs, "[[short]]") ? n - 1 : n;
    int dim = s->dim + any_input_has(inputs, "[[dim]]");
    float *v = malloc((size_t)dim * sizeof *v);
    struct argus_buf b = ARGUS_BUF_INIT;
    argus_buf_puts(&b, "{\"object\":\"list\",\"data\":[");
    for (int i = count - 1; i >= 0; i--) { /* reverse order: clients must use index */
        embeddings_stub_vector(cJSON_GetArrayItem(inputs, i)->valuestring, dim, v);
        argus_buf_printf(&b, "%s{\"object\":\"embedding\",\"index\":%d,\"embedding\":[", i == count - 1 ? "" : ",", i);
        for (int j = 0; j < dim; j++)
            argus_buf_printf(&b, "%s%.9g", j ? "," : "", (double)v[j]);
        argus_buf_puts(&b, "]}");
    }
    argus_buf_puts(&b, "],\"model\":\"");
    argus_buf_json_escape(&b, model->valuestring, strlen(model->valuestring));
    argus_buf_printf(&b, "\",\"usage\":{\"prompt_tokens\":%d,\"total_tokens\":%d}}", n, n);
    atomic_fetch_add(&s->requests, 1);
    atomic_fetch_add(&s->inputs, (unsigned)n);
    note_batch(s, (unsigned)n);
    enum MHD_Result r = reply(conn, 200, argus_buf_str(&b), NULL);
    argus_buf_free(&b);
    free(v);
    return r;
}

static enum MHD_Result route(struct embeddings_stub *s, struct MHD_Connection *conn, const char *url,
                             const char *method, const struct upload *up)
{
    if (atomic_load(&s->unavailable)) {
        atomic_fetch_add(&s->refused, 1);
        return reply_error(conn, 503, "server_error", "service_unavailable",
                           "The engine is currently overloaded, please try again later", NULL);
    }
    if (strcmp(url, "/v1/embeddings") != 0)
        return reply_error(conn, 404, "invalid_request_error", "unknown_url", "Unknown request URL", NULL);
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (s->auth && (!auth || strcmp(auth, s->auth) != 0))
        return reply_error(conn, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided", NULL);
    cJSON *req = strcmp(method, "POST") == 0 ? cJSON_ParseWithLength(argus_buf_str(&up->body), up->body.len) : NULL;
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(req, "model");
    cJSON *input = cJSON_GetObjectItemCaseSensitive(req, "input");
    if (cJSON_IsString(input)) { /* the API takes one string too */
        cJSON *list = cJSON_CreateArray();
        cJSON_AddItemToArray(list, cJSON_CreateString(input->valuestring));
        cJSON_ReplaceItemInObjectCaseSensitive(req, "input", list);
        input = list;
    }
    int ok = cJSON_IsString(model) && cJSON_IsArray(input) && cJSON_GetArraySize(input) > 0 &&
             cJSON_GetArraySize(input) <= 2048;
    const cJSON *t;
    cJSON_ArrayForEach(t, input)
    ok = ok && cJSON_IsString(t) && *t->valuestring;
    enum MHD_Result r = ok ? answer(s, conn, model, input)
                           : reply_error(conn, 400, "invalid_request_error", "invalid_input",
                                         "'input' must be a non-empty string or list of non-empty strings", NULL);
    cJSON_Delete(req);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *data, size_t *data_size, void **con_cls)
{
    (void)version;
    struct upload *up = *con_cls;
    if (!up) {
        up = calloc(1, sizeof *up);
        if (!up)
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size) {
        argus_buf_append(&up->body, data, *data_size);
        *data_size = 0;
        return up->body.oom ? MHD_NO : MHD_YES;
    }
    return route(cls, conn, url, method, up);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct upload *up = *con_cls;
    if (up) {
        argus_buf_free(&up->body);
        free(up);
        *con_cls = NULL;
    }
}

struct embeddings_stub *embeddings_stub_start(int dim, const char *api_key)
{
    struct embeddings_stub *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->dim = dim;
    if (api_key) {
        size_t n = strlen(api_key) + 8;
        s->auth = malloc(n);
        if (s->auth)
            snprintf(s->auth, n, "Bearer %s", api_key);
    }
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
                                 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
                                 (unsigned)30, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    s->port = info ? info->port : 0;
    if (!s->port || (api_key && !s->auth)) {
        embeddings_stub_stop(s);
        return NULL;
    }
    return s;
}

void embeddings_stub_url(const struct embeddings_stub *s, char *out, size_t n)
{
    snprintf(out, n, "http://127.0.0.1:%d/v1/embeddings", s->port);
}

unsigned embeddings_stub_requests(const struct embeddings_stub *s)
{
    return atomic_load(&((struct embeddings_stub *)s)->requests);
}

unsigned embeddings_stub_inputs(const struct embeddings_stub *s)
{
    return atomic_load(&((struct embeddings_stub *)s)->inputs);
}

unsigned embeddings_stub_max_batch(const struct embeddings_stub *s)
{
    return atomic_load(&((struct embeddings_stub *)s)->max_batch);
}

void embeddings_stub_stop(struct embeddings_stub *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    free(s->auth);
    free(s);
}
