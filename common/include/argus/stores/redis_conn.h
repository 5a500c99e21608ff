/* One blocking hiredis connection to a Redis-protocol server (FalkorDB or Valkey): connect with a
 * timeout and AUTH, commands and pipelined batches that notice a broken connection, reconnect once
 * and, for commands the caller marks idempotent, send again once. Every failure is classified into an
 * argus_result: transport problems and server states that pass (LOADING, BUSY, OOM, ...) are
 * ARGUS_RETRY; error replies about the command itself are ARGUS_REJECT.
 *
 * hiredis 0.14.1 speaks RESP2 only (never send HELLO 3) and cannot parse replies nested deeper than
 * 7 levels: such a reply is a protocol error that closes the connection; it is classified as a reject.
 * Writing to a socket the server closed raises SIGPIPE: the first connect sets SIGPIPE to SIG_IGN if it
 * still has its default action, so a store restart never kills the process. Not thread-safe: one
 * connection per thread. */
#ifndef ARGUS_REDIS_CONN_H
#define ARGUS_REDIS_CONN_H

#include <stddef.h>
#include <hiredis/hiredis.h>

#include "argus/base/buf.h"
#include "argus/base/outcome.h"

/* Flag for commands and batches: safe to send twice (GET, SET, MERGE, ...). Only these are sent again
 * after the connection broke while their reply was outstanding. */
#define ARGUS_REDIS_IDEMPOTENT 0x1u

struct argus_redis {
    char *host;
    int port;
    char *password;           /* NULL or "": no AUTH */
    int timeout_ms;           /* connect timeout and the longest wait for any reply */
    const char *name;         /* "falkordb", "valkey": first word of every message */
    const char *error_class;  /* class of error replies: ARGUS_ERR_GRAPH, ARGUS_ERR_CACHE */
    redisContext *ctx;        /* NULL while disconnected */
    char server_error[256];   /* full text of the last error reply ("" if the last call had none) */
    unsigned long connects;   /* successful connects, the first one included */
    int last_call_resent;     /* 1 if the last command or batch was sent a second time */
};

/* Copies the settings; connects lazily on the first command (so a worker can start while the store
 * is down). Returns 0, or -1 if out of memory. */
int argus_redis_init(struct argus_redis *r, const char *name, const char *error_class, const char *host,
                     int port, const char *password, int timeout_ms);
/* Disconnects and frees the settings. */
void argus_redis_close(struct argus_redis *r);

/* Connects now (and AUTHs) unless already connected. 0, or -1 with res = retry/connection_error. */
int argus_redis_connect(struct argus_redis *r, struct argus_result *res);
void argus_redis_disconnect(struct argus_redis *r);

/* Health probe: connects if needed and sends PING. 0 when the server answers PONG, else -1 with a
 * one-line reason in err (never the password). */
int argus_redis_ping(struct argus_redis *r, char *err, size_t errlen);

/* Sends one command. Returns its reply (free with freeReplyObject) with res ok, or NULL with res set:
 * transport failures retry/connection_error or timeout; an error reply is classified by
 * argus_redis_classify_error and its full text kept in r->server_error. */
redisReply *argus_redis_command(struct argus_redis *r, unsigned flags, struct argus_result *res, int argc,
                                const char **argv, const size_t *argvlen);
/* The same with a hiredis format string ("SET %s %b", key, val, len): every %s/%b is one argument. */
redisReply *argus_redis_commandf(struct argus_redis *r, unsigned flags, struct argus_result *res,
                                 const char *fmt, ...);

/* Classifies an error reply text: LOADING, BUSY, TRYAGAIN, MASTERDOWN, CLUSTERDOWN, OOM, READONLY,
 * MISCONF, NOREPLICAS, "Query timed out", "Max pending queries exceeded", "unknown command" and
 * authentication errors (NOAUTH, WRONGPASS, NOPERM) are retries; anything else rejects with
 * error_class. The message is "<name>: <text>" with FalkorDB's errCtx (a copy of the query text and
 * its parameter values) cut off. */
void argus_redis_classify_error(const char *name, const char *error_class, const char *text,
                                struct argus_result *res);

/* Pipelined batch: commands are formatted into one buffer when added and sent with one write; the
 * replies are read back in order. One round trip for N commands. */
struct argus_redis_batch {
    struct argus_buf cmds;    /* RESP-formatted commands */
    size_t n;                 /* commands added */
    redisReply **replies;     /* after exec: n replies (a slot is NULL once taken) */
    size_t nreplies;
    size_t first_error;       /* after exec: index of the first error reply, or n */
};

void argus_redis_batch_init(struct argus_redis_batch *b);
/* Both return 0, or -1 if the command cannot be formatted (out of memory, bad format). */
int argus_redis_batch_add(struct argus_redis_batch *b, int argc, const char **argv, const size_t *argvlen);
int argus_redis_batch_addf(struct argus_redis_batch *b, const char *fmt, ...);
/* Sends every command and reads every reply. Returns 0 when the round trip worked and no reply is an
 * error; -1 with res otherwise: a transport failure (no replies kept) or the classification of the
 * first error reply ("command 3 of 10: ..."; the replies are all kept, so each can be inspected). */
int argus_redis_batch_exec(struct argus_redis *r, struct argus_redis_batch *b, unsigned flags,
                           struct argus_result *res);
/* Reply i after exec (NULL if out of range or taken). */
const redisReply *argus_redis_batch_reply(const struct argus_redis_batch *b, size_t i);
/* Hands reply i to the caller (who frees it). */
redisReply *argus_redis_batch_take(struct argus_redis_batch *b, size_t i);
/* Forgets commands and replies; keeps memory for the next batch. */
void argus_redis_batch_reset(struct argus_redis_batch *b);
void argus_redis_batch_free(struct argus_redis_batch *b);

#endif
