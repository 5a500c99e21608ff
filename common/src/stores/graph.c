/* FalkorDB queries with CYPHER-prefix parameters, pipelined query batches, index creation, graph
 * deletion and tenant graph names; see argus/graph.h. Reply parsing is in graph_result.c. */
#include "argus/stores/graph.h"
#include "argus/stores/cypher.h"

#include <stdio.h>
#include <string.h>

int argus_graph_init(struct argus_graph *g, const char *host, int port, const char *password, int timeout_ms)
{
    return argus_redis_init(&g->redis, "falkordb", ARGUS_ERR_GRAPH, host, port, password, timeout_ms);
}

int argus_graph_init_config(struct argus_graph *g, const struct argus_config *cfg)
{
    return argus_graph_init(g, cfg->falkordb_host, cfg->falkordb_port, cfg->falkordb_password,
                            cfg->store_timeout_ms);
}

void argus_graph_close(struct argus_graph *g)
{
    argus_redis_close(&g->redis);
}

int argus_graph_ping(struct argus_graph *g, char *err, size_t errlen)
{
    return argus_redis_ping(&g->redis, err, errlen);
}

static int name_byte_is_plain(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static void append_name_part(struct argus_buf *b, const char *part)
{
    for (const unsigned char *p = (const unsigned char *)part; *p; p++) {
        if (name_byte_is_plain(*p))
            argus_buf_putc(b, (char)*p);
        else
            argus_buf_printf(b, "_%02X", *p);
    }
}

int argus_graph_name(char *out, size_t outlen, const char *org, const char *project)
{
    if (!org || !*org)
        return -1;
    struct argus_buf b = ARGUS_BUF_INIT;
    argus_buf_puts(&b, "argus_");
    append_name_part(&b, org);
    if (project && *project) {
        argus_buf_puts(&b, "__");
        append_name_part(&b, project);
    }
    int len = b.oom || b.len >= outlen ? -1 : (int)b.len;
    if (len >= 0)
        memcpy(out, b.data, b.len + 1);
    argus_buf_free(&b);
    return len;
}

/* Argument vector of one query: GRAPH.QUERY <graph> <text> [TIMEOUT <ms>]. */
struct query_args {
    const char *argv[5];
    size_t argvlen[5];
    int argc;
    char timeout[24];
};

static int build_query(struct argus_buf *text, struct query_args *q, const char *graph, const char *cypher,
                       const cJSON *params, unsigned flags, int timeout_ms, struct argus_result *res)
{
    char err[200];
    argus_buf_reset(text);
    if (!graph || !*graph) {
        argus_reject(res, ARGUS_ERR_GRAPH, "falkordb: empty graph name");
        return -1;
    }
    if (argus_cypher_build(text, cypher, params, err, sizeof err) != 0) {
        argus_reject(res, ARGUS_ERR_GRAPH, "falkordb: cannot encode query parameters: %s", err);
        return -1;
    }
    int ro = (flags & ARGUS_GRAPH_READONLY) != 0;
    q->argv[0] = ro ? "GRAPH.RO_QUERY" : "GRAPH.QUERY";
    q->argv[1] = graph;
    q->argv[2] = text->data;
    q->argvlen[0] = strlen(q->argv[0]);
    q->argvlen[1] = strlen(graph);
    q->argvlen[2] = text->len;
    q->argc = 3;
    if (ro && timeout_ms > 0) {
        /* the server stops a read that would outlive our socket timeout */
        snprintf(q->timeout, sizeof q->timeout, "%d", timeout_ms);
        q->argv[3] = "TIMEOUT";
        q->argv[4] = q->timeout;
        q->argvlen[3] = 7;
        q->argvlen[4] = strlen(q->timeout);
        q->argc = 5;
    }
    return 0;
}

static unsigned redis_flags(unsigned flags)
{
    return (flags & (ARGUS_GRAPH_IDEMPOTENT | ARGUS_GRAPH_READONLY)) ? ARGUS_REDIS_IDEMPOTENT : 0;
}

int argus_graph_query_flags(struct argus_graph *g, const char *graph, const char *cypher,
                            const cJSON *params, unsigned flags, struct argus_graph_result *out,
                            struct argus_result *res)
{
    struct argus_graph_result scratch = ARGUS_GRAPH_RESULT_INIT;
    struct argus_graph_result *target = out ? out : &scratch;
    memset(target, 0, sizeof *target);

    struct argus_buf text = ARGUS_BUF_INIT;
    struct query_args q;
    if (build_query(&text, &q, graph, cypher, params, flags, g->redis.timeout_ms, res) != 0) {
        argus_buf_free(&text);
        return -1;
    }
    redisReply *reply = argus_redis_command(&g->redis, redis_flags(flags), res, q.argc, q.argv, q.argvlen);
    argus_buf_free(&text);
    if (!reply && (flags & ARGUS_GRAPH_READONLY) && strstr(g->redis.server_error, "empty key")) {
        /* GRAPH.RO_QUERY on a graph nobody wrote yet: an empty result, as GRAPH.QUERY would give */
        argus_result_ok(res);
        return 0;
    }
    if (!reply)
        return -1;
    int rc = argus_graph_result_parse(reply, target, res);
    if (!out)
        argus_graph_result_free(&scratch);
    return rc;
}

int argus_graph_query(struct argus_graph *g, const char *graph, const char *cypher, const cJSON *params,
                      struct argus_graph_result *out, struct argus_result *res)
{
    return argus_graph_query_flags(g, graph, cypher, params, 0, out, res);
}

int argus_graph_ro_query(struct argus_graph *g, const char *graph, const char *cypher, const cJSON *params,
                         struct argus_graph_result *out, struct argus_result *res)
{
    return argus_graph_query_flags(g, graph, cypher, params, ARGUS_GRAPH_READONLY, out, res);
}

/* ---- batches ---- */

void argus_graph_batch_init(struct argus_graph_batch *b)
{
    argus_redis_batch_init(&b->rb);
    b->text = (struct argus_buf)ARGUS_BUF_INIT;
}

int argus_graph_batch_add(struct argus_graph_batch *b, const char *graph, const char *cypher,
                          const cJSON *params, unsigned flags, struct argus_result *res)
{
    struct query_args q;
    /* no server TIMEOUT in batches: they are bounded by the socket timeout as a whole */
    if (build_query(&b->text, &q, graph, cypher, params, flags, 0, res) != 0)
        return -1;
    if (argus_redis_batch_add(&b->rb, q.argc, q.argv, q.argvlen) != 0) {
        argus_retry(res, ARGUS_ERR_GRAPH, "falkordb: out of memory adding query %zu", b->rb.n + 1);
        return -1;
    }
    argus_result_ok(res);
    return 0;
}

size_t argus_graph_batch_count(const struct argus_graph_batch *b)
{
    return b->rb.n;
}

/* An error element inside a result array: FalkorDB reports some run-time errors after the header. */
static const redisReply *embedded_error(const redisReply *reply)
{
    for (size_t i = 0; reply->type == REDIS_REPLY_ARRAY && i < reply->elements; i++)
        if (reply->element[i]->type == REDIS_REPLY_ERROR)
            return reply->element[i];
    return NULL;
}

/* GRAPH.RO_QUERY on a graph nobody has written yet: an empty result, not a failure. */
static int is_missing_graph(const redisReply *reply)
{
    return reply->type == REDIS_REPLY_ERROR && strstr(reply->str, "empty key") != NULL;
}

int argus_graph_batch_exec(struct argus_graph *g, struct argus_graph_batch *b, unsigned flags,
                           struct argus_result *res)
{
    if (argus_redis_batch_exec(&g->redis, &b->rb, redis_flags(flags), res) != 0 && b->rb.nreplies != b->rb.n)
        return -1;   /* transport failure: no replies */
    for (size_t i = 0; i < b->rb.nreplies; i++) {
        const redisReply *reply = b->rb.replies[i];
        const redisReply *err = reply->type == REDIS_REPLY_ERROR ? reply : embedded_error(reply);
        if (!err || is_missing_graph(reply))
            continue;
        struct argus_result one;
        argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH, err->str, &one);
        *res = one;
        snprintf(res->message, sizeof res->message, "query %zu of %zu: %.280s", i + 1, b->rb.n, one.message);
        return -1;
    }
    argus_result_ok(res);
    return 0;
}

int argus_graph_batch_result(struct argus_graph_batch *b, size_t i, struct argus_graph_result *out,
                             struct argus_result *res)
{
    struct argus_graph_result scratch = ARGUS_GRAPH_RESULT_INIT;
    struct argus_graph_result *target = out ? out : &scratch;
    memset(target, 0, sizeof *target);
    if (i >= b->rb.nreplies || !b->rb.replies[i]) {
        argus_reject(res, ARGUS_ERR_GRAPH, "falkordb: no result %zu in this batch", i);
        return -1;
    }
    redisReply *reply = argus_redis_batch_take(&b->rb, i);
    int rc;
    if (is_missing_graph(reply)) {
        freeReplyObject(reply);
        argus_result_ok(res);
        rc = 0;
    } else if (reply->type == REDIS_REPLY_ERROR) {
        argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH, reply->str, res);
        freeReplyObject(reply);
        rc = -1;
    } else {
        rc = argus_graph_result_parse(reply, target, res);
    }
    if (!out)
        argus_graph_result_free(&scratch);
    return rc;
}

void argus_graph_batch_reset(struct argus_graph_batch *b)
{
    argus_redis_batch_reset(&b->rb);
    argus_buf_reset(&b->text);
}

void argus_graph_batch_free(struct argus_graph_batch *b)
{
    argus_redis_batch_free(&b->rb);
    argus_buf_free(&b->text);
}

/* ---- schema helpers ---- */

int argus_graph_create_index(struct argus_graph *g, const char *graph, const char *label,
                             const char *property, struct argus_result *res)
{
    struct argus_buf q = ARGUS_BUF_INIT;
    char err[200];
    argus_buf_puts(&q, "CREATE INDEX FOR (n:");
    int rc = argus_cypher_encode_name(&q, label, err, sizeof err);
    argus_buf_puts(&q, ") ON (n.");
    if (rc == 0)
        rc = argus_cypher_encode_name(&q, property, err, sizeof err);
    argus_buf_puts(&q, ")");
    if (rc != 0) {
        argus_buf_free(&q);
        argus_reject(res, ARGUS_ERR_GRAPH, "falkordb: index on %s: %s", graph, err);
        return -1;
    }
    rc = argus_graph_query_flags(g, graph, argus_buf_str(&q), NULL, ARGUS_GRAPH_IDEMPOTENT, NULL, res);
    argus_buf_free(&q);
    if (rc != 0 && strstr(g->redis.server_error, "already indexed")) {
        argus_result_ok(res);
        rc = 0;
    }
    return rc;
}

int argus_graph_delete(struct argus_graph *g, const char *graph, struct argus_result *res)
{
    redisReply *reply = argus_redis_commandf(&g->redis, ARGUS_REDIS_IDEMPOTENT, res, "GRAPH.DELETE %s", graph);
    if (reply) {
        freeReplyObject(reply);
        return 0;
    }
    if (strstr(g->redis.server_error, "empty key")) {
        argus_result_ok(res);
        return 0;
    }
    return -1;
}
