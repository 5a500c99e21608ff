/* Schema migrations: versioned files DIR/NNNN_name.sql applied in version order, each in its own
 * transaction, recorded in argus_schema_migrations (version, name, checksum, applied_at). A session
 * advisory lock keeps two workers starting at once from racing; a file changed after it was applied
 * (checksum mismatch) stops the run before anything is applied; running again is a no-op.
 * Migration files must not contain BEGIN/COMMIT or statements that cannot run in a transaction
 * (CREATE INDEX CONCURRENTLY). Statements of a migration may run for up to 10 minutes. */
#ifndef ARGUS_MIGRATE_H
#define ARGUS_MIGRATE_H

#include <stddef.h>

#include "argus/stores/pg.h"

/* The advisory lock key (pg_advisory_lock) every runner takes: ASCII "argusmig". */
#define ARGUS_MIGRATE_LOCK_KEY "7021788523169409383"

struct argus_migration {
    long long version;
    char name[128];         /* the file name without ".sql", or the recorded name */
    char checksum[65];      /* SHA-256 (hex) of the file; "" when there is no file */
    int has_file;
    int applied;            /* recorded in argus_schema_migrations */
    int changed;            /* applied, and the file's checksum differs from the recorded one */
    char applied_at[40];    /* as the server prints it, "" when pending */
};

/* Applies every pending migration of dir. *applied (may be NULL) receives how many were applied.
 * 0, or -1 with a one-line reason in err naming the file. lock_wait_ms bounds the wait for another
 * runner (0: 60 s). */
int argus_migrate_run(struct argus_pg *pg, const char *dir, int lock_wait_ms, int *applied, char *err,
                      size_t errlen);

/* Every migration known from dir or the version table, in version order (free the array). 0 or -1. */
int argus_migrate_status(struct argus_pg *pg, const char *dir, struct argus_migration **out, size_t *n,
                         char *err, size_t errlen);

#endif
