/* Internal to the PostgreSQL client (pg.c, pg_batch.c): waiting on the connection's socket with the
 * reply timeout, and turning a failed result or a broken connection into an argus_result. */
#ifndef ARGUS_PG_IO_H
#define ARGUS_PG_IO_H

#ifndef ARGUS_LIBARGUS_INTERNAL
#error "pg_io.h is private to libargus's PostgreSQL client"
#endif

#include "argus/stores/pg.h"

/* Connects if needed and replaces a connection the server has closed while it sat idle. 0 or -1. */
int argus_pg_io_ready(struct argus_pg *pg, struct argus_result *res);
/* Sends everything libpq has buffered, reading replies meanwhile so neither side can block on a full
 * socket. 0, or -1 with res (connection dropped). */
int argus_pg_io_flush(struct argus_pg *pg, struct argus_result *res);
/* Waits until a result can be read without blocking (PQisBusy false). 0, or -1 with res after
 * timeout_ms without progress or a connection failure (connection dropped). */
int argus_pg_io_wait_result(struct argus_pg *pg, struct argus_result *res);
/* Classifies a failed result (NULL: the connection's error), records the SQLSTATE, and drops the
 * connection if it is broken. Returns 1 if the connection was lost, else 0. */
int argus_pg_io_failure(struct argus_pg *pg, const PGresult *r, const char *what, struct argus_result *res);

#endif
