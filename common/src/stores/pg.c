/* PostgreSQL connection, single statements with parameters, timeouts on every wait, reconnects and
 * SQLSTATE classification; see argus/pg.h. Pipeline batches are in pg_batch.c. */
#include "argus/stores/pg.h"
#include "argus/base/log.h"
#include "pg_io.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* libpq's own defaults let a dead peer hang a connection for hours: these bound it to about a
 * minute unless the URL says otherwise. */
static const char *const default_keywords[] = {"keepalives", "keepalives_idle", "keepalives_interval",
                                               "keepalives_count", "fallback_application_name", NULL};
static const char *const default_values[] = {"1", "30", "10", "3", "argus", NULL};

static void one_line(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
}

int argus_pg_init(struct argus_pg *pg, const char *url, int timeout_ms, char *err, size_t errlen)
{
    memset(pg, 0, sizeof *pg);
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(url ? url : "", &perr);
    if (!opts) {
        /* libpq ends URI errors with ' in URI: "<the whole URI>"', password included: cut it off */
        char why[256];
        snprintf(why, sizeof why, "%s", perr ? perr : "cannot be parsed");
        char *in_uri = strstr(why, " in URI");
        if (in_uri)
            *in_uri = '\0';
        one_line(why);
        char redacted[256];
        argus_pg_redact_url(url, redacted, sizeof redacted);
        snprintf(err, errlen, "DATABASE_URL=%s: %s", redacted, why);
        PQfreemem(perr);
        return -1;
    }
    PQconninfoFree(opts);
    char redacted[512];
    argus_pg_redact_url(url, redacted, sizeof redacted);
    pg->url = strdup(url);
    pg->redacted = strdup(redacted);
    pg->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
    if (!pg->url || !pg->redacted) {
        argus_pg_close(pg);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int argus_pg_init_config(struct argus_pg *pg, const struct argus_config *cfg, char *err, size_t errlen)
{
    return argus_pg_init(pg, cfg->database_url, cfg->store_timeout_ms, err, errlen);
}

void argus_pg_disconnect(struct argus_pg *pg)
{
    if (pg->conn) {
        PQfinish(pg->conn);
        pg->conn = NULL;
    }
}

void argus_pg_close(struct argus_pg *pg)
{
    argus_pg_disconnect(pg);
    if (pg->url) {
        memset(pg->url, 0, strlen(pg->url));
        free(pg->url);
    }
    free(pg->redacted);
    pg->url = pg->redacted = NULL;
}

/* The URL's own settings win; ours fill the gaps (connect_timeout from timeout_ms, keepalives). */
static PGconn *connect_with_defaults(const struct argus_pg *pg)
{
    PQconninfoOption *opts = PQconninfoParse(pg->url, NULL);
    if (!opts)
        return NULL;
    size_t n = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        n++;
    const char **keys = calloc(n + 8, sizeof *keys);
    const char **vals = calloc(n + 8, sizeof *vals);
    char timeout[16];
    /* libpq reads connect_timeout in whole seconds and treats 1 as 2 */
    snprintf(timeout, sizeof timeout, "%d", (pg->timeout_ms + 999) / 1000 < 2 ? 2 : (pg->timeout_ms + 999) / 1000);
    PGconn *conn = NULL;
    if (keys && vals) {
        size_t k = 0;
        int has_timeout = 0;
        for (PQconninfoOption *o = opts; o->keyword; o++) {
            if (!o->val)
                continue;
            keys[k] = o->keyword;
            vals[k++] = o->val;
            has_timeout |= strcmp(o->keyword, "connect_timeout") == 0;
        }
        if (!has_timeout) {
            keys[k] = "connect_timeout";
            vals[k++] = timeout;
        }
        for (size_t d = 0; default_keywords[d]; d++) {
            int set = 0;
            for (size_t i = 0; i < k && !set; i++)
                set = strcmp(keys[i], default_keywords[d]) == 0;
            if (!set) {
                keys[k] = default_keywords[d];
                vals[k++] = default_values[d];
            }
        }
        conn = PQconnectdbParams(keys, vals, 0);
    }
    free(keys);
    free(vals);
    PQconninfoFree(opts);
    return conn;
}

/* Server notices ("relation already exists, skipping") are debug logs, not stderr noise. */
static void log_notice(void *arg, const char *message)
{
    (void)arg;
    char line[256];
    snprintf(line, sizeof line, "%s", message);
    one_line(line);
    argus_debug("store.notice", "postgres: %s", line);
}

int argus_pg_connect(struct argus_pg *pg, struct argus_result *res)
{
    if (pg->conn && PQstatus(pg->conn) == CONNECTION_OK)
        return 0;
    if (pg->conn)
        PQreset(pg->conn);   /* same parameters, new socket */
    else
        pg->conn = connect_with_defaults(pg);
    if (!pg->conn || PQstatus(pg->conn) != CONNECTION_OK) {
        char why[256];
        snprintf(why, sizeof why, "%s", pg->conn ? PQerrorMessage(pg->conn) : "out of memory");
        one_line(why);
        argus_retry(res, ARGUS_ERR_CONNECTION, "postgres %s: connect: %s", pg->redacted, why);
        pg->sqlstate[0] = '\0';
        argus_pg_disconnect(pg);
        return -1;
    }
    PQsetNoticeProcessor(pg->conn, log_notice, NULL);
    if (PQsetnonblocking(pg->conn, 1) != 0) {
        argus_retry(res, ARGUS_ERR_CONNECTION, "postgres %s: cannot make the connection non-blocking",
                    pg->redacted);
        argus_pg_disconnect(pg);
        return -1;
    }
    pg->connects++;
    if (pg->connects > 1)
        argus_info("store.reconnected", "postgres %s: reconnected", pg->redacted);
    argus_result_ok(res);
    return 0;
}

/* ---- waiting with a timeout ---- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The connection failed under us: always a connection retry, and the connection is dropped. */
static int lost(struct argus_pg *pg, const char *what, struct argus_result *res)
{
    char why[200];
    snprintf(why, sizeof why, "%s", pg->conn ? PQerrorMessage(pg->conn) : "");
    one_line(why);
    argus_retry(res, ARGUS_ERR_CONNECTION, "postgres %s: %s: %s", pg->redacted, what,
                why[0] ? why : "connection lost");
    pg->sqlstate[0] = '\0';
    argus_pg_disconnect(pg);
    return -1;
}

/* Waits for the socket; events are POLLIN and/or POLLOUT. 0 ready, -1 timeout or error (res set). */
static int wait_socket(struct argus_pg *pg, short events, struct argus_result *res)
{
    int fd = PQsocket(pg->conn);
    if (fd < 0)
        return lost(pg, "socket", res);
    long long deadline = now_ms() + pg->timeout_ms;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            /* the reply may still come: this connection can never be trusted again */
            PGcancel *cancel = PQgetCancel(pg->conn);
            char ignored[64];
            if (cancel) {
                PQcancel(cancel, ignored, sizeof ignored);
                PQfreeCancel(cancel);
            }
            argus_retry(res, ARGUS_ERR_TIMEOUT, "postgres %s: no reply within %d ms", pg->redacted,
                        pg->timeout_ms);
            pg->sqlstate[0] = '\0';
            argus_pg_disconnect(pg);
            return -1;
        }
        struct pollfd p = {fd, events, 0};
        int n = poll(&p, 1, (int)left);
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return lost(pg, "poll", res);
    }
}

int argus_pg_io_flush(struct argus_pg *pg, struct argus_result *res)
{
    for (;;) {
        int rc = PQflush(pg->conn);
        if (rc == 0)
            return 0;
        if (rc < 0)
            return lost(pg, "send", res);
        if (wait_socket(pg, POLLIN | POLLOUT, res) != 0)
            return -1;
        /* the server may be blocked writing replies to us: read them so it can go on reading */
        if (!PQconsumeInput(pg->conn))
            return lost(pg, "receive", res);
    }
}

int argus_pg_io_wait_result(struct argus_pg *pg, struct argus_result *res)
{
    if (argus_pg_io_flush(pg, res) != 0)
        return -1;
    while (PQisBusy(pg->conn)) {
        if (wait_socket(pg, POLLIN, res) != 0)
            return -1;
        if (!PQconsumeInput(pg->conn))
            return lost(pg, "receive", res);
    }
    return 0;
}

int argus_pg_io_ready(struct argus_pg *pg, struct argus_result *res)
{
    if (pg->conn && PQstatus(pg->conn) == CONNECTION_OK) {
        /* we never LISTEN, so the server speaks on an idle connection only to say it is going away
         * (57P01 on restart or pg_terminate_backend), and libpq would only notice after we sent
         * the next statement: start over on a new connection instead */
        int fd = PQsocket(pg->conn);
        struct pollfd p = {fd, POLLIN, 0};
        if (fd < 0 || poll(&p, 1, 0) != 0)
            argus_pg_disconnect(pg);
    }
    return argus_pg_connect(pg, res);
}

int argus_pg_io_failure(struct argus_pg *pg, const PGresult *r, const char *what, struct argus_result *res)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    /* the primary message only: DETAIL lines quote row values ("Key (id)=(...) already exists") */
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[256];
    snprintf(msg, sizeof msg, "%s", primary ? primary : r ? PQresultErrorMessage(r)
                                              : pg->conn ? PQerrorMessage(pg->conn) : "");
    one_line(msg);
    int connection_lost = !pg->conn || PQstatus(pg->conn) != CONNECTION_OK;
    snprintf(pg->sqlstate, sizeof pg->sqlstate, "%s", state ? state : "");
    struct argus_result inner;
    argus_pg_classify(state, msg[0] ? msg : "connection lost", connection_lost, &inner);
    *res = inner;
    snprintf(res->message, sizeof res->message, "postgres: %s: %.280s", what, inner.message);
    if (connection_lost)
        argus_pg_disconnect(pg);
    return connection_lost;
}

/* ---- classification ---- */

void argus_pg_classify(const char *sqlstate, const char *message, int connection_lost, struct argus_result *res)
{
    static const char *const retry_exact[] = {"40001", "40P01", "55P03", "42P01", "42703", "42883",
                                              "3F000", "3D000", NULL};
    const char *s = sqlstate && *sqlstate ? sqlstate : NULL;
    const char *text = message ? message : "";
    if (!s) {
        if (connection_lost)
            argus_retry(res, ARGUS_ERR_CONNECTION, "%s", text);
        else
            argus_reject(res, ARGUS_ERR_DATABASE, "%s", text);
        return;
    }
    if (!strncmp(s, "08", 2) || !strncmp(s, "57P", 3) || !strncmp(s, "28", 2)) {
        argus_retry(res, ARGUS_ERR_CONNECTION, "%s %s", s, text);
        return;
    }
    if (!strcmp(s, "57014")) {   /* canceled: statement_timeout or our own cancel */
        argus_retry(res, ARGUS_ERR_TIMEOUT, "%s %s", s, text);
        return;
    }
    int retry = !strncmp(s, "53", 2) || !strncmp(s, "58", 2);
    for (const char *const *e = retry_exact; *e && !retry; e++)
        retry = strcmp(s, *e) == 0;
    if (retry)
        argus_retry(res, ARGUS_ERR_DATABASE, "%s %s", s, text);
    else if (connection_lost)
        argus_retry(res, ARGUS_ERR_CONNECTION, "%s %s", s, text);
    else
        argus_reject(res, ARGUS_ERR_DATABASE, "%s %s", s, text);
}

/* ---- statements ---- */

/* Reads every result of the statement in flight; keeps the first failure or the last result. */
static int collect(struct argus_pg *pg, const char *what, PGresult **out, struct argus_result *res)
{
    PGresult *keep = NULL;
    int failed = 0, lost_conn = 0;
    for (;;) {
        if (argus_pg_io_wait_result(pg, res) != 0) {
            PQclear(keep);
            return -2;   /* timeout or connection failure: res is set */
        }
        PGresult *r = PQgetResult(pg->conn);
        if (!r)
            break;
        ExecStatusType st = PQresultStatus(r);
        if (!failed && (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE || st == PGRES_NONFATAL_ERROR)) {
            failed = 1;
            lost_conn = argus_pg_io_failure(pg, r, what, res);
            PQclear(keep);
            keep = NULL;
            PQclear(r);
            if (lost_conn)
                return -2;
            continue;
        }
        if (failed || st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
            PQclear(r);
            continue;
        }
        PQclear(keep);
        keep = r;
    }
    if (failed)
        return -1;
    pg->sqlstate[0] = '\0';
    if (out)
        *out = keep;
    else
        PQclear(keep);
    argus_result_ok(res);
    return 0;
}

static int run_once(struct argus_pg *pg, const char *sql, int nparams, const char *const *params,
                    int simple, PGresult **out, struct argus_result *res)
{
    if (argus_pg_io_ready(pg, res) != 0)
        return -3;   /* nothing sent: nothing to send again */
    int sent = simple ? PQsendQuery(pg->conn, sql)
                      : PQsendQueryParams(pg->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    if (!sent) {
        if (argus_pg_io_failure(pg, NULL, "send", res))
            return -2;
        return -1;
    }
    return collect(pg, simple ? "script" : "statement", out, res);
}

static int run(struct argus_pg *pg, const char *sql, int nparams, const char *const *params, int simple,
               unsigned flags, PGresult **out, struct argus_result *res)
{
    if (out)
        *out = NULL;
    int rc = run_once(pg, sql, nparams, params, simple, out, res);
    /* after a lost connection, not after a timeout: the statement may still be running */
    if (rc == -2 && (flags & ARGUS_PG_IDEMPOTENT) && !strcmp(res->error_class, ARGUS_ERR_CONNECTION)) {
        argus_warn("store.resend", "postgres: %s; reconnecting and sending again", res->message);
        rc = run_once(pg, sql, nparams, params, simple, out, res);
    }
    return rc == 0 ? 0 : -1;
}

int argus_pg_exec(struct argus_pg *pg, const char *sql, int nparams, const char *const *params,
                  unsigned flags, PGresult **out, struct argus_result *res)
{
    return run(pg, sql, nparams, params, 0, flags, out, res);
}

int argus_pg_exec_script(struct argus_pg *pg, const char *sql, struct argus_result *res)
{
    return run(pg, sql, 0, NULL, 1, 0, NULL, res);
}

int argus_pg_ping(struct argus_pg *pg, char *err, size_t errlen)
{
    struct argus_result res;
    if (argus_pg_exec(pg, "SELECT 1", 0, NULL, ARGUS_PG_IDEMPOTENT, NULL, &res) != 0) {
        snprintf(err, errlen, "%s", res.message);
        return -1;
    }
    return 0;
}
