/* PostgreSQL (Supabase) client over libpq: connects from DATABASE_URL (a postgresql:// URL or a
 * key=value conninfo) with a connect timeout and TCP keepalives, runs one statement at a time with
 * text parameters only, or many in pipeline mode, waits for every reply at most timeout_ms (the
 * connection is dropped after a timeout), reconnects after a connection loss, and classifies every
 * failure by SQLSTATE: connection errors, 08xxx, 40001/40P01, 53xxx, 57P0x, 55P03, 57014 and missing
 * schema objects (42P01, 42703, 42883, 3F000) retry; data and constraint errors (22xxx, 23xxx) and
 * other statement errors reject. The URL's password never appears in messages or logs.
 * Not thread-safe: one connection per thread. */
#ifndef ARGUS_PG_H
#define ARGUS_PG_H

#include <stddef.h>
#include <libpq-fe.h>

#include "argus/base/buf.h"
#include "argus/base/config.h"
#include "argus/base/outcome.h"

/* Flags for statements and batches. */
#define ARGUS_PG_IDEMPOTENT      0x1u  /* sent again once after a reconnect (upserts, reads) */
#define ARGUS_PG_ISOLATE_FAILURES 0x2u /* batch: statements rolled back or aborted only because of
                                          another one's failure are run again */

struct argus_pg {
    char *url;                 /* as configured: holds the password, never print it */
    char *redacted;            /* the URL with the password replaced: for messages */
    int timeout_ms;            /* connect timeout (libpq rounds to seconds, at least 2) and reply wait */
    PGconn *conn;              /* NULL while disconnected */
    unsigned long connects;    /* successful connects, the first included */
    char sqlstate[6];          /* SQLSTATE of the last failure, "" if none or not from the server */
};

/* Checks the URL and keeps it; connects on first use. 0, or -1 with a reason in err (no secret). */
int argus_pg_init(struct argus_pg *pg, const char *url, int timeout_ms, char *err, size_t errlen);
/* DATABASE_URL and STORE_TIMEOUT_MS from the loaded configuration. */
int argus_pg_init_config(struct argus_pg *pg, const struct argus_config *cfg, char *err, size_t errlen);
void argus_pg_close(struct argus_pg *pg);

/* Connects now unless connected. 0, or -1 with res = retry/connection_error. */
int argus_pg_connect(struct argus_pg *pg, struct argus_result *res);
void argus_pg_disconnect(struct argus_pg *pg);
/* Health probe: connects if needed and runs SELECT 1. 0, or -1 with a one-line reason in err. */
int argus_pg_ping(struct argus_pg *pg, char *err, size_t errlen);

/* One statement with $1..$n text parameters (a NULL entry is SQL NULL). out, when not NULL, receives
 * the result (PQclear it) on success. 0, or -1 with res classified and pg->sqlstate set. */
int argus_pg_exec(struct argus_pg *pg, const char *sql, int nparams, const char *const *params,
                  unsigned flags, PGresult **out, struct argus_result *res);
/* Several statements without parameters through the simple query protocol: only for trusted static
 * SQL (migration files), never for text that carries values. 0 or -1 with res. */
int argus_pg_exec_script(struct argus_pg *pg, const char *sql, struct argus_result *res);

/* Classifies a failure: sqlstate may be NULL or "" (then connection_lost decides between a
 * connection retry and a generic reject). message is the server's text. */
void argus_pg_classify(const char *sqlstate, const char *message, int connection_lost, struct argus_result *res);

/* Writes url with its password replaced by "***": the userinfo password of a URL, a password=
 * query parameter, or a password= entry of a key=value conninfo (quoted or not). */
void argus_pg_redact_url(const char *url, char *out, size_t outlen);

/* ---- pipeline batches ---- */

enum argus_pg_stmt_state {
    ARGUS_PG_PENDING = 0,      /* not sent (the run stopped before it) */
    ARGUS_PG_DONE,             /* committed */
    ARGUS_PG_FAILED,           /* the server refused it: see sqlstate */
    ARGUS_PG_ABORTED,          /* skipped: an earlier statement of its segment failed */
    ARGUS_PG_ROLLED_BACK,      /* ran, but its segment failed later, so it was rolled back */
    ARGUS_PG_UNKNOWN           /* sent, then the connection broke before its segment committed */
};

struct argus_pg_stmt_result {
    enum argus_pg_stmt_state state;
    long rows;                 /* rows affected or returned (DONE) */
    char sqlstate[6];          /* FAILED */
};

struct argus_pg_stmt;          /* private: where a statement's text and parameters are */

struct argus_pg_batch {
    struct argus_buf data;     /* statement texts and parameters, NUL-terminated one after another */
    struct argus_pg_stmt *stmts;
    size_t *params;            /* offsets into data; (size_t)-1 for NULL */
    size_t nparams, params_cap;
    size_t n, cap;
    struct argus_pg_stmt_result *results;   /* n entries after exec */
    size_t failed;             /* first FAILED statement, or n */
    char error[256];           /* its server message */
    size_t done, failures, aborted, rolled_back, unknown, pending;   /* counts after exec */
};

void argus_pg_batch_init(struct argus_pg_batch *b);
/* Copies the statement and its parameters. 0, or -1 if out of memory. */
int argus_pg_batch_add(struct argus_pg_batch *b, const char *sql, int nparams, const char *const *params);
/* Sends every statement in pipeline mode with a sync (one implicit transaction) every sync_every
 * statements, and collects every result. 0 when all are DONE; -1 with res otherwise: the first failed
 * statement's classification and what it took down with it ("statement 17 of 10000 failed: 23505 ...;
 * 983 aborted, 16 rolled back"), or a connection failure (res retry). Per-statement states are in
 * b->results. */
int argus_pg_batch_exec(struct argus_pg *pg, struct argus_pg_batch *b, int sync_every, unsigned flags,
                        struct argus_result *res);
void argus_pg_batch_reset(struct argus_pg_batch *b);
void argus_pg_batch_free(struct argus_pg_batch *b);
const char *argus_pg_stmt_state_name(enum argus_pg_stmt_state s);

#endif
