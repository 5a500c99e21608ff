/* Blocking hiredis connection with timeouts, AUTH, one reconnect, an idempotent resend and failure
 * classification; shared by the FalkorDB and Valkey clients. See argus/redis_conn.h. */
#include "argus/stores/redis_conn.h"
#include "argus/base/log.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static pthread_once_t sigpipe_once = PTHREAD_ONCE_INIT;

/* hiredis writes with write(2), not send(MSG_NOSIGNAL): a write to a socket the server closed would
 * kill the process with SIGPIPE. Respect a handler the program installed itself. */
static void ignore_sigpipe(void)
{
    struct sigaction current;
    if (sigaction(SIGPIPE, NULL, &current) == 0 && current.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int argus_redis_init(struct argus_redis *r, const char *name, const char *error_class, const char *host,
                     int port, const char *password, int timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->name = name ? name : "redis";
    r->error_class = error_class ? error_class : ARGUS_ERR_CACHE;
    r->host = strdup(host ? host : "localhost");
    r->password = dup_or_null(password && *password ? password : NULL);
    r->port = port;
    r->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
    if (!r->host || (password && *password && !r->password)) {
        argus_redis_close(r);
        return -1;
    }
    return 0;
}

void argus_redis_disconnect(struct argus_redis *r)
{
    if (r->ctx) {
        redisFree(r->ctx);
        r->ctx = NULL;
    }
}

void argus_redis_close(struct argus_redis *r)
{
    argus_redis_disconnect(r);
    free(r->host);
    if (r->password) {
        /* do not leave the secret in freed heap memory */
        memset(r->password, 0, strlen(r->password));
        free(r->password);
    }
    r->host = r->password = NULL;
}

static struct timeval ms_to_timeval(int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return tv;
}

/* A transport failure: hiredis' errstr is strerror() text or "Server closed the connection"; it never
 * contains the password. */
static void transport_failure(struct argus_redis *r, const char *during, struct argus_result *res)
{
    const char *why = r->ctx && r->ctx->errstr[0] ? r->ctx->errstr : "cannot allocate a connection";
    /* a reply that does not come in time (SO_RCVTIMEO: EAGAIN) is a timeout; failing to connect,
     * slowly or not, is a connection error */
    int timed_out = strcmp(during, "connect") != 0 &&
                    (strstr(why, "temporarily unavailable") || strstr(why, "timed out"));
    argus_retry(res, timed_out ? ARGUS_ERR_TIMEOUT : ARGUS_ERR_CONNECTION, "%s %s:%d: %s: %s", r->name,
                r->host, r->port, during, why);
    argus_redis_disconnect(r);
}

/* "without any password configured": the server has no password; carry on rather than refuse to run
 * against a development server. */
static int auth(struct argus_redis *r, struct argus_result *res)
{
    redisReply *reply = redisCommand(r->ctx, "AUTH %s", r->password);
    if (!reply) {
        transport_failure(r, "AUTH", res);
        return -1;
    }
    int rc = 0;
    if (reply->type == REDIS_REPLY_ERROR) {
        if (strstr(reply->str, "without any password configured")) {
            argus_warn("store.auth_unneeded", "%s %s:%d has no password set; a password is configured",
                       r->name, r->host, r->port);
        } else {
            argus_retry(res, ARGUS_ERR_CONNECTION, "%s %s:%d: authentication failed: %.160s", r->name,
                        r->host, r->port, reply->str);
            argus_redis_disconnect(r);
            rc = -1;
        }
    }
    freeReplyObject(reply);
    return rc;
}

int argus_redis_connect(struct argus_redis *r, struct argus_result *res)
{
    if (r->ctx && !r->ctx->err)
        return 0;
    argus_redis_disconnect(r);
    pthread_once(&sigpipe_once, ignore_sigpipe);

    struct timeval tv = ms_to_timeval(r->timeout_ms);
    r->ctx = redisConnectWithTimeout(r->host, r->port, tv);
    if (!r->ctx || r->ctx->err) {
        transport_failure(r, "connect", res);
        return -1;
    }
    /* the connect timeout does not cover replies: set the socket timeouts too */
    if (redisSetTimeout(r->ctx, tv) != REDIS_OK || redisEnableKeepAlive(r->ctx) != REDIS_OK) {
        transport_failure(r, "socket options", res);
        return -1;
    }
    if (r->password && auth(r, res) != 0)
        return -1;
    r->connects++;
    if (r->connects > 1)
        argus_info("store.reconnected", "%s %s:%d: reconnected", r->name, r->host, r->port);
    argus_result_ok(res);
    return 0;
}

/* Outside pub/sub a RESP2 server never speaks first: a readable idle socket means the server closed
 * it (idle timeout, restart). Finding that before sending lets even non-idempotent commands go out
 * on a fresh connection. */
static int connection_is_stale(const redisContext *c)
{
    struct pollfd p = {c->fd, POLLIN, 0};
    return poll(&p, 1, 0) != 0;
}

static int starts_with_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    return strncmp(text, word, n) == 0 && (text[n] == ' ' || text[n] == '\0');
}

void argus_redis_classify_error(const char *name, const char *error_class, const char *text,
                                struct argus_result *res)
{
    static const char *const transient_words[] = {"LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN",
                                                  "CLUSTERDOWN", "OOM", "READONLY", "MISCONF",
                                                  "NOREPLICAS", NULL};
    static const char *const auth_words[] = {"NOAUTH", "WRONGPASS", "NOPERM", NULL};
    static const char *const transient_phrases[] = {"Query timed out", "Max pending queries exceeded",
                                                    "unknown command", "max number of clients", NULL};
    /* FalkorDB appends " errCtx: <query text>" (parameters included) to parse errors */
    int keep = (int)strcspn(text, "\n");
    const char *ctx = strstr(text, " errCtx: ");
    if (ctx && ctx - text < keep)
        keep = (int)(ctx - text);
    if (keep > 240)
        keep = 240;

    for (const char *const *w = auth_words; *w; w++) {
        if (starts_with_word(text, *w)) {
            argus_retry(res, ARGUS_ERR_CONNECTION, "%s: not authorized: %.*s", name, keep, text);
            return;
        }
    }
    int transient = 0;
    for (const char *const *w = transient_words; *w && !transient; w++)
        transient = starts_with_word(text, *w);
    for (const char *const *p = transient_phrases; *p && !transient; p++)
        transient = strcasestr(text, *p) != NULL;
    if (transient)
        argus_retry(res, error_class, "%s: %.*s", name, keep, text);
    else
        argus_reject(res, error_class, "%s: %.*s", name, keep, text);
}

/* After an error reply some states need a new connection: a replica that became read-only after a
 * failover, or a server that now wants AUTH. */
static void after_error_reply(struct argus_redis *r, const char *text)
{
    snprintf(r->server_error, sizeof r->server_error, "%s", text);
    if (starts_with_word(text, "READONLY") || starts_with_word(text, "NOAUTH"))
        argus_redis_disconnect(r);
}

static void free_replies(redisReply **replies, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (replies[i])
            freeReplyObject(replies[i]);
        replies[i] = NULL;
    }
}

/* One attempt: writes the formatted commands and reads n replies. 0, or -1 after a transport failure
 * (replies freed, connection dropped, res set). */
static int send_and_read(struct argus_redis *r, const char *cmds, size_t len, size_t n,
                         redisReply **replies, struct argus_result *res)
{
    if (redisAppendFormattedCommand(r->ctx, cmds, len) != REDIS_OK) {
        transport_failure(r, "send", res);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        void *reply = NULL;
        if (redisGetReply(r->ctx, &reply) != REDIS_OK || !reply) {
            free_replies(replies, i);
            if (r->ctx && r->ctx->err == REDIS_ERR_PROTOCOL) {
                /* the same reply would break the next connection too: the command is at fault */
                argus_reject(res, r->error_class, "%s: unreadable reply: %s", r->name, r->ctx->errstr);
                argus_redis_disconnect(r);
                return -2;
            }
            transport_failure(r, "reply", res);
            return -1;
        }
        replies[i] = reply;
    }
    return 0;
}

/* Connects if needed and sends; on a broken connection reconnects and sends once more, only when the
 * commands are idempotent (a lost reply says nothing about whether they ran). */
static int exec_formatted(struct argus_redis *r, const char *cmds, size_t len, size_t n,
                          redisReply **replies, unsigned flags, struct argus_result *res)
{
    r->server_error[0] = '\0';
    r->last_call_resent = 0;
    if (r->ctx && (r->ctx->err || connection_is_stale(r->ctx)))
        argus_redis_disconnect(r);
    for (int attempt = 0;; attempt++) {
        if (argus_redis_connect(r, res) != 0)
            return -1;
        int rc = send_and_read(r, cmds, len, n, replies, res);
        if (rc == 0) {
            argus_result_ok(res);
            return 0;
        }
        /* not resent: the next call connects again */
        if (rc == -2 || attempt > 0 || !(flags & ARGUS_REDIS_IDEMPOTENT))
            return -1;
        r->last_call_resent = 1;
        argus_warn("store.resend", "%s: connection lost (%s); reconnecting and sending again", r->name,
                   res->message);
    }
}

/* Sends one formatted command (and frees it); an error reply becomes NULL with res classified. */
static redisReply *run_single(struct argus_redis *r, char *cmd, int len, unsigned flags,
                              struct argus_result *res)
{
    if (len < 0) {
        argus_reject(res, r->error_class, "%s: cannot format command", r->name);
        return NULL;
    }
    redisReply *reply = NULL;
    int rc = exec_formatted(r, cmd, (size_t)len, 1, &reply, flags, res);
    redisFreeCommand(cmd);
    if (rc != 0)
        return NULL;
    if (reply->type == REDIS_REPLY_ERROR) {
        after_error_reply(r, reply->str);
        argus_redis_classify_error(r->name, r->error_class, reply->str, res);
        freeReplyObject(reply);
        return NULL;
    }
    return reply;
}

redisReply *argus_redis_command(struct argus_redis *r, unsigned flags, struct argus_result *res, int argc,
                                const char **argv, const size_t *argvlen)
{
    char *cmd = NULL;
    int len = redisFormatCommandArgv(&cmd, argc, argv, argvlen);
    return run_single(r, cmd, len, flags, res);
}

redisReply *argus_redis_commandf(struct argus_redis *r, unsigned flags, struct argus_result *res,
                                 const char *fmt, ...)
{
    char *cmd = NULL;
    va_list ap;
    va_start(ap, fmt);
    int len = redisvFormatCommand(&cmd, fmt, ap);
    va_end(ap);
    return run_single(r, cmd, len, flags, res);
}

int argus_redis_ping(struct argus_redis *r, char *err, size_t errlen)
{
    struct argus_result res;
    redisReply *reply = argus_redis_commandf(r, ARGUS_REDIS_IDEMPOTENT, &res, "PING");
    if (!reply) {
        snprintf(err, errlen, "%s", res.message);
        return -1;
    }
    int ok = reply->type == REDIS_REPLY_STATUS && strcmp(reply->str, "PONG") == 0;
    if (!ok)
        snprintf(err, errlen, "%s %s:%d: unexpected PING reply", r->name, r->host, r->port);
    freeReplyObject(reply);
    return ok ? 0 : -1;
}

/* ---- batches ---- */

void argus_redis_batch_init(struct argus_redis_batch *b)
{
    memset(b, 0, sizeof *b);
}

static int batch_append(struct argus_redis_batch *b, char *cmd, int len)
{
    if (len < 0)
        return -1;
    argus_buf_append(&b->cmds, cmd, (size_t)len);
    redisFreeCommand(cmd);
    if (b->cmds.oom)
        return -1;
    b->n++;
    return 0;
}

int argus_redis_batch_add(struct argus_redis_batch *b, int argc, const char **argv, const size_t *argvlen)
{
    char *cmd = NULL;
    int len = redisFormatCommandArgv(&cmd, argc, argv, argvlen);
    return batch_append(b, cmd, len);
}

int argus_redis_batch_addf(struct argus_redis_batch *b, const char *fmt, ...)
{
    char *cmd = NULL;
    va_list ap;
    va_start(ap, fmt);
    int len = redisvFormatCommand(&cmd, fmt, ap);
    va_end(ap);
    return batch_append(b, cmd, len);
}

int argus_redis_batch_exec(struct argus_redis *r, struct argus_redis_batch *b, unsigned flags,
                           struct argus_result *res)
{
    free_replies(b->replies, b->nreplies);
    b->nreplies = 0;
    b->first_error = b->n;
    if (b->n == 0) {
        argus_result_ok(res);
        return 0;
    }
    redisReply **replies = realloc(b->replies, b->n * sizeof *replies);
    if (!replies) {
        argus_retry(res, r->error_class, "%s: out of memory for %zu replies", r->name, b->n);
        return -1;
    }
    b->replies = replies;
    memset(replies, 0, b->n * sizeof *replies);
    if (exec_formatted(r, b->cmds.data, b->cmds.len, b->n, replies, flags, res) != 0)
        return -1;
    b->nreplies = b->n;
    for (size_t i = 0; i < b->n; i++) {
        if (replies[i]->type != REDIS_REPLY_ERROR)
            continue;
        b->first_error = i;
        after_error_reply(r, replies[i]->str);
        struct argus_result one;
        argus_redis_classify_error(r->name, r->error_class, replies[i]->str, &one);
        *res = one;
        snprintf(res->message, sizeof res->message, "command %zu of %zu: %.280s", i + 1, b->n, one.message);
        return -1;
    }
    return 0;
}

const redisReply *argus_redis_batch_reply(const struct argus_redis_batch *b, size_t i)
{
    return i < b->nreplies ? b->replies[i] : NULL;
}

redisReply *argus_redis_batch_take(struct argus_redis_batch *b, size_t i)
{
    if (i >= b->nreplies)
        return NULL;
    redisReply *reply = b->replies[i];
    b->replies[i] = NULL;
    return reply;
}

void argus_redis_batch_reset(struct argus_redis_batch *b)
{
    free_replies(b->replies, b->nreplies);
    b->nreplies = 0;
    b->n = 0;
    b->first_error = 0;
    argus_buf_reset(&b->cmds);
}

void argus_redis_batch_free(struct argus_redis_batch *b)
{
    argus_redis_batch_reset(b);
    free(b->replies);
    argus_buf_free(&b->cmds);
    memset(b, 0, sizeof *b);
}
