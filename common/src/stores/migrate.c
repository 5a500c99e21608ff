/* Migration runner: reads DIR/NNNN_name.sql, checks applied files against their recorded checksums,
 * applies the pending ones in version order under an advisory lock; see argus/migrate.h. */
#include "argus/stores/migrate.h"
#include "argus/base/log.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIGRATION_TIMEOUT_MS 600000

static const char create_table_sql[] =
    "CREATE TABLE IF NOT EXISTS argus_schema_migrations ("
    " version bigint PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

/* The checksum is computed by the server from the exact text that will run. */
static const char checksum_sql[] = "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')";

struct file_list {
    struct argus_migration *items;
    char **texts;              /* file contents, parallel to items */
    size_t n, cap;
};

static void files_free(struct file_list *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->texts ? f->texts[i] : NULL);
    free(f->texts);
    free(f->items);
    memset(f, 0, sizeof *f);
}

/* "0001_healing_patterns.sql" -> version 1, name "0001_healing_patterns". */
static int parse_file_name(const char *file, long long *version, char *name, size_t namelen)
{
    size_t len = strlen(file);
    if (len < 6 || strcmp(file + len - 4, ".sql") != 0 || !isdigit((unsigned char)file[0]))
        return -1;
    const char *p = file;
    long long v = 0;
    while (isdigit((unsigned char)*p)) {
        if (v > 100000000000LL)
            return -1;
        v = v * 10 + (*p++ - '0');
    }
    if (*p != '_' || p + 1 == file + len - 4)
        return -1;
    for (const char *c = p + 1; c < file + len - 4; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
            return -1;
    if (len - 4 >= namelen)
        return -1;
    *version = v;
    memcpy(name, file, len - 4);
    name[len - 4] = '\0';
    return 0;
}

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct argus_buf b = ARGUS_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        argus_buf_append(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.oom) {
        snprintf(err, errlen, "%s: cannot read", path);
        argus_buf_free(&b);
        return NULL;
    }
    if (memchr(argus_buf_str(&b), '\0', b.len)) {
        snprintf(err, errlen, "%s: contains a NUL byte", path);
        argus_buf_free(&b);
        return NULL;
    }
    return argus_buf_steal(&b);
}

static int cmp_version(const void *a, const void *b)
{
    long long x = ((const struct argus_migration *)a)->version, y = ((const struct argus_migration *)b)->version;
    return x < y ? -1 : x > y;
}

static int list_files(const char *dir, struct file_list *f, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "migrations directory %s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        struct argus_migration m = {0};
        if (parse_file_name(e->d_name, &m.version, m.name, sizeof m.name) != 0) {
            if (strlen(e->d_name) > 4 && !strcmp(e->d_name + strlen(e->d_name) - 4, ".sql"))
                argus_warn("migrate.ignored", "%s/%s: not named NNNN_name.sql, ignored", dir, e->d_name);
            continue;
        }
        if (f->n == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : 16;
            struct argus_migration *items = realloc(f->items, cap * sizeof *items);
            if (!items) {
                rc = -1;
                snprintf(err, errlen, "out of memory");
                break;
            }
            f->items = items;
            f->cap = cap;
        }
        m.has_file = 1;
        f->items[f->n++] = m;
    }
    closedir(d);
    if (rc != 0)
        return -1;
    qsort(f->items, f->n, sizeof *f->items, cmp_version);
    for (size_t i = 1; i < f->n; i++) {
        if (f->items[i].version == f->items[i - 1].version) {
            snprintf(err, errlen, "%s and %s have the same version %lld", f->items[i - 1].name, f->items[i].name,
                     f->items[i].version);
            return -1;
        }
    }
    f->texts = calloc(f->n ? f->n : 1, sizeof *f->texts);
    if (!f->texts) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < f->n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.sql", dir, f->items[i].name);
        if (!(f->texts[i] = read_file(path, err, errlen)))
            return -1;
    }
    return 0;
}

static int fail_res(char *err, size_t errlen, const char *what, const struct argus_result *res)
{
    snprintf(err, errlen, "%s: %s", what, res->message);
    return -1;
}

static int checksum_of(struct argus_pg *pg, const char *text, char out[65], char *err, size_t errlen)
{
    struct argus_result res;
    PGresult *r = NULL;
    if (argus_pg_exec(pg, checksum_sql, 1, &text, ARGUS_PG_IDEMPOTENT, &r, &res) != 0)
        return fail_res(err, errlen, "checksum", &res);
    snprintf(out, 65, "%s", PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    return 0;
}

/* Reads the version table into the file list: marks applied files, compares checksums, and appends
 * recorded versions that have no file. */
static int merge_applied(struct argus_pg *pg, struct file_list *f, char *err, size_t errlen)
{
    struct argus_result res;
    PGresult *r = NULL;
    if (argus_pg_exec(pg, "SELECT version, name, checksum, applied_at::text FROM argus_schema_migrations "
                          "ORDER BY version", 0, NULL, ARGUS_PG_IDEMPOTENT, &r, &res) != 0)
        return fail_res(err, errlen, "reading argus_schema_migrations", &res);
    size_t base = f->n;
    for (int row = 0; row < PQntuples(r); row++) {
        long long version = strtoll(PQgetvalue(r, row, 0), NULL, 10);
        struct argus_migration *m = NULL;
        for (size_t i = 0; i < base && !m; i++)
            if (f->items[i].version == version)
                m = &f->items[i];
        if (!m) {
            if (f->n == f->cap) {
                size_t cap = f->cap ? f->cap * 2 : 16;
                struct argus_migration *items = realloc(f->items, cap * sizeof *items);
                char **texts = items ? realloc(f->texts, cap * sizeof *texts) : NULL;
                if (!items || !texts) {
                    if (items)
                        f->items = items;
                    PQclear(r);
                    snprintf(err, errlen, "out of memory");
                    return -1;
                }
                f->items = items;
                f->texts = texts;
                f->cap = cap;
            }
            m = &f->items[f->n];
            f->texts[f->n++] = NULL;
            memset(m, 0, sizeof *m);
            m->version = version;
            snprintf(m->name, sizeof m->name, "%s", PQgetvalue(r, row, 1));
        }
        m->applied = 1;
        snprintf(m->applied_at, sizeof m->applied_at, "%s", PQgetvalue(r, row, 3));
        m->changed = m->has_file && strcmp(m->checksum, PQgetvalue(r, row, 2)) != 0;
    }
    PQclear(r);
    /* versions without a file were appended: insertion sort keeps texts parallel to items */
    for (size_t i = 1; i < f->n; i++) {
        for (size_t j = i; j > 0 && f->items[j - 1].version > f->items[j].version; j--) {
            struct argus_migration tm = f->items[j];
            f->items[j] = f->items[j - 1];
            f->items[j - 1] = tm;
            char *tt = f->texts[j];
            f->texts[j] = f->texts[j - 1];
            f->texts[j - 1] = tt;
        }
    }
    return 0;
}

static int load(struct argus_pg *pg, const char *dir, struct file_list *f, char *err, size_t errlen)
{
    struct argus_result res;
    if (list_files(dir, f, err, errlen) != 0)
        return -1;
    if (argus_pg_exec_script(pg, create_table_sql, &res) != 0)
        return fail_res(err, errlen, "creating argus_schema_migrations", &res);
    for (size_t i = 0; i < f->n; i++)
        if (checksum_of(pg, f->texts[i], f->items[i].checksum, err, errlen) != 0)
            return -1;
    return merge_applied(pg, f, err, errlen);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* pg_try_advisory_lock in a loop rather than pg_advisory_lock: no statement waits longer than the
 * reply timeout, and the wait has a bound. */
static int take_lock(struct argus_pg *pg, int wait_ms, char *err, size_t errlen)
{
    const char *key = ARGUS_MIGRATE_LOCK_KEY;
    for (int waited = 0;; waited += 200) {
        struct argus_result res;
        PGresult *r = NULL;
        if (argus_pg_exec(pg, "SELECT pg_try_advisory_lock($1::bigint)", 1, &key, 0, &r, &res) != 0)
            return fail_res(err, errlen, "advisory lock", &res);
        int got = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        PQclear(r);
        if (got)
            return 0;
        if (waited == 0)
            argus_info("migrate.waiting", "another migration runner holds the lock; waiting");
        if (waited >= wait_ms) {
            snprintf(err, errlen, "another migration runner held the lock for %d ms", wait_ms);
            return -1;
        }
        sleep_ms(200);
    }
}

static void release_lock(struct argus_pg *pg)
{
    const char *key = ARGUS_MIGRATE_LOCK_KEY;
    struct argus_result res;
    argus_pg_exec(pg, "SELECT pg_advisory_unlock($1::bigint)", 1, &key, 0, NULL, &res);
}

static int apply_one(struct argus_pg *pg, const struct argus_migration *m, const char *text, char *err,
                     size_t errlen)
{
    struct argus_result res;
    char version[24];
    snprintf(version, sizeof version, "%lld", m->version);
    const char *params[] = {version, m->name, m->checksum};
    if (argus_pg_exec_script(pg, "BEGIN", &res) != 0)
        return fail_res(err, errlen, m->name, &res);
    if (argus_pg_exec_script(pg, text, &res) != 0 ||
        argus_pg_exec(pg, "INSERT INTO argus_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                      3, params, 0, NULL, &res) != 0) {
        struct argus_result ignored;
        if (pg->conn)
            argus_pg_exec_script(pg, "ROLLBACK", &ignored);
        return fail_res(err, errlen, m->name, &res);
    }
    if (argus_pg_exec_script(pg, "COMMIT", &res) != 0)
        return fail_res(err, errlen, m->name, &res);
    return 0;
}

static int run_locked(struct argus_pg *pg, const char *dir, int *applied, char *err, size_t errlen)
{
    struct file_list f = {0};
    unsigned long session = pg->connects;
    int rc = load(pg, dir, &f, err, errlen);
    for (size_t i = 0; rc == 0 && i < f.n; i++) {
        if (f.items[i].changed) {
            snprintf(err, errlen, "%s.sql was changed after it was applied (recorded checksum differs); "
                     "add a new migration instead", f.items[i].name);
            rc = -1;
        } else if (f.items[i].applied && !f.items[i].has_file) {
            argus_warn("migrate.unknown_version", "version %lld (%s) is applied but has no file in %s",
                       f.items[i].version, f.items[i].name, dir);
        }
    }
    for (size_t i = 0; rc == 0 && i < f.n; i++) {
        if (f.items[i].applied || !f.items[i].has_file)
            continue;
        if (pg->connects != session) {
            /* the advisory lock went with the old session */
            snprintf(err, errlen, "connection lost during the migration run; run it again");
            rc = -1;
            break;
        }
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = apply_one(pg, &f.items[i], f.texts[i], err, errlen);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc == 0) {
            (*applied)++;
            argus_info("migrate.applied", "%s applied in %ld ms", f.items[i].name,
                       (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
        }
    }
    files_free(&f);
    return rc;
}

int argus_migrate_run(struct argus_pg *pg, const char *dir, int lock_wait_ms, int *applied, char *err,
                      size_t errlen)
{
    int count = 0;
    int saved_timeout = pg->timeout_ms;
    if (take_lock(pg, lock_wait_ms > 0 ? lock_wait_ms : 60000, err, errlen) != 0)
        return -1;
    pg->timeout_ms = saved_timeout > MIGRATION_TIMEOUT_MS ? saved_timeout : MIGRATION_TIMEOUT_MS;
    int rc = run_locked(pg, dir, &count, err, errlen);
    pg->timeout_ms = saved_timeout;
    /* a lost connection released the lock with the session */
    if (pg->conn && rc == 0)
        release_lock(pg);
    else
        argus_pg_disconnect(pg);
    if (applied)
        *applied = count;
    return rc;
}

int argus_migrate_status(struct argus_pg *pg, const char *dir, struct argus_migration **out, size_t *n,
                         char *err, size_t errlen)
{
    struct file_list f = {0};
    *out = NULL;
    *n = 0;
    if (load(pg, dir, &f, err, errlen) != 0) {
        files_free(&f);
        return -1;
    }
    *out = f.items;
    *n = f.n;
    f.items = NULL;
    files_free(&f);
    return 0;
}
