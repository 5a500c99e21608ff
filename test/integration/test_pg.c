/* Integration tests for the PostgreSQL client and the migration runner against a real server
 * (DATABASE_URL): parameters stored literally, a 10k-row pipeline, a failing statement reported with
 * what it aborted and rolled back, failure isolation, SQLSTATE classes, timeouts, reconnects (a killed
 * backend, and a server restart when ARGUS_DEVSTACK is set), and migrations (apply, no-op re-run,
 * changed file refused, failed file rolled back, two runners at once). Each test works in its own
 * schema, so runs never collide and the project's own tables are left alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argus/stores/migrate.h"
#include "argus/stores/pg.h"
#include "it_env.h"

static struct argus_config cfg;
static char schema[64];
static struct argus_pg pg;   /* connected with search_path = schema */

/* DATABASE_URL with search_path set to s (URL and key=value forms). */
static void url_with_schema(char *out, size_t outlen, const char *s)
{
    const char *url = cfg.database_url;
    if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
        snprintf(out, outlen, "%s%coptions=-csearch_path%%3D%s", url, strchr(url, '?') ? '&' : '?', s);
    else
        snprintf(out, outlen, "%s options='-csearch_path=%s'", url, s);
}

static void must(struct argus_pg *p, const char *sql)
{
    struct argus_result res;
    if (argus_pg_exec(p, sql, 0, NULL, 0, NULL, &res) != 0)
        fail_msg("%s: %s", sql, res.message);
}

static long long scalar(struct argus_pg *p, const char *sql)
{
    struct argus_result res;
    PGresult *r = NULL;
    if (argus_pg_exec(p, sql, 0, NULL, ARGUS_PG_IDEMPOTENT, &r, &res) != 0)
        fail_msg("%s: %s", sql, res.message);
    long long v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

static int setup(void **state)
{
    (void)state;
    char err[256], url[1024];
    it_unique_name(schema, sizeof schema, "argus_test");
    struct argus_pg admin;
    assert_int_equal(argus_pg_init_config(&admin, &cfg, err, sizeof err), 0);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    must(&admin, sql);
    argus_pg_close(&admin);
    url_with_schema(url, sizeof url, schema);
    assert_int_equal(argus_pg_init(&pg, url, cfg.store_timeout_ms, err, sizeof err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char err[256], sql[128];
    argus_pg_close(&pg);
    struct argus_pg admin;
    assert_int_equal(argus_pg_init_config(&admin, &cfg, err, sizeof err), 0);
    snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", schema);
    must(&admin, sql);
    argus_pg_close(&admin);
    return 0;
}

static void parameters_are_stored_literally(void **state)
{
    (void)state;
    struct argus_result res;
    must(&pg, "CREATE TABLE lit (i int PRIMARY KEY, v text)");
    const char *values[] = {
        "' OR 1=1 --", "'); DROP TABLE lit; --", "\\'", "\\", "$1", "$$ quoted $$", "E'\\x41'",
        "\"double\"", "caf\xc3\xa9 \xf0\x9f\x98\x80", "line\nbreak\ttab\r", "%s %n %%", "", NULL,
    };
    size_t n = sizeof values / sizeof values[0];
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "%zu", i);
        const char *params[] = {id, values[i]};
        if (argus_pg_exec(&pg, "INSERT INTO lit (i, v) VALUES ($1, $2)", 2, params, 0, NULL, &res) != 0)
            fail_msg("insert %zu: %s", i, res.message);
    }
    PGresult *r = NULL;
    assert_int_equal(argus_pg_exec(&pg, "SELECT i, v FROM lit ORDER BY i", 0, NULL, 0, &r, &res), 0);
    assert_int_equal(PQntuples(r), (int)n);
    for (size_t i = 0; i < n; i++) {
        if (!values[i]) {
            assert_true(PQgetisnull(r, (int)i, 1));
            continue;
        }
        assert_string_equal(PQgetvalue(r, (int)i, 1), values[i]);
    }
    PQclear(r);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM lit"), (long long)n);   /* the table survived */
}

static void add_rows(struct argus_pg_batch *b, int from, int to, int dup_at)
{
    for (int i = from; i < to; i++) {
        char id[16], v[32];
        snprintf(id, sizeof id, "%d", i == dup_at ? 0 : i);
        snprintf(v, sizeof v, "row '%d'", i);
        const char *params[] = {id, v};
        assert_int_equal(argus_pg_batch_add(b, "INSERT INTO rows (id, v) VALUES ($1, $2)", 2, params), 0);
    }
}

static void pipeline_of_10k_rows(void **state)
{
    (void)state;
    struct argus_result res;
    struct argus_pg_batch b;
    must(&pg, "CREATE TABLE rows (id int PRIMARY KEY, v text NOT NULL)");
    argus_pg_batch_init(&b);
    add_rows(&b, 0, 10000, -1);
    unsigned long connects = pg.connects;
    double t0 = it_now_ms();
    if (argus_pg_batch_exec(&pg, &b, 1000, 0, &res) != 0)
        fail_msg("batch: %s", res.message);
    double ms = it_now_ms() - t0;
    assert_int_equal(b.done, 10000);
    for (size_t i = 0; i < b.n; i++) {
        assert_int_equal(b.results[i].state, ARGUS_PG_DONE);
        assert_int_equal(b.results[i].rows, 1);
    }
    assert_int_equal(pg.connects, connects);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM rows"), 10000);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM rows WHERE v = 'row ''9999'''"), 1);
    printf("    10000 rows in pipeline mode: %.0f ms\n", ms);

    /* statements returning rows, and an empty batch */
    argus_pg_batch_reset(&b);
    const char *p[] = {"5"};
    argus_pg_batch_add(&b, "SELECT id FROM rows WHERE id < $1", 1, p);
    argus_pg_batch_add(&b, "UPDATE rows SET v = 'x' WHERE id < $1", 1, p);
    assert_int_equal(argus_pg_batch_exec(&pg, &b, 1000, 0, &res), 0);
    assert_int_equal(b.results[0].rows, 5);
    assert_int_equal(b.results[1].rows, 5);
    /* runs of one statement and changes between statements (the unnamed statement is reused only
     * within a run): A A B A A B B, in segments of 3 */
    argus_pg_batch_reset(&b);
    const char *kinds = "AABAABB";
    for (int i = 0; kinds[i]; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", 20000 + i);
        const char *pa[] = {id, "a"};
        const char *pb[] = {id};
        if (kinds[i] == 'A')
            argus_pg_batch_add(&b, "INSERT INTO rows (id, v) VALUES ($1, $2)", 2, pa);
        else
            argus_pg_batch_add(&b, "INSERT INTO rows (id, v) VALUES ($1, 'b')", 1, pb);
    }
    assert_int_equal(argus_pg_batch_exec(&pg, &b, 3, 0, &res), 0);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM rows WHERE id >= 20000 AND v = 'a'"), 4);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM rows WHERE id >= 20000 AND v = 'b'"), 3);
    argus_pg_batch_reset(&b);
    assert_int_equal(argus_pg_batch_exec(&pg, &b, 1000, 0, &res), 0);
    argus_pg_batch_free(&b);
}

static void failure_in_a_segment_is_reported(void **state)
{
    (void)state;
    struct argus_result res;
    struct argus_pg_batch b;
    must(&pg, "CREATE TABLE rows (id int PRIMARY KEY, v text NOT NULL)");
    argus_pg_batch_init(&b);
    /* 25 statements, segments of 10: statement 13 (index 12) repeats id 0 */
    add_rows(&b, 0, 25, 12);
    assert_int_equal(argus_pg_batch_exec(&pg, &b, 10, 0, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_string_equal(res.error_class, ARGUS_ERR_DATABASE);
    assert_non_null(strstr(res.message, "statement 13 of 25"));
    assert_non_null(strstr(res.message, "23505"));
    assert_non_null(strstr(res.message, "7 aborted, 2 rolled back"));
    assert_null(strstr(res.message, "row '"));   /* no row values in messages */
    assert_string_equal(pg.sqlstate, "23505");
    assert_int_equal(b.failed, 12);
    for (size_t i = 0; i < 25; i++) {
        enum argus_pg_stmt_state want = i < 10 ? ARGUS_PG_DONE : i < 12 ? ARGUS_PG_ROLLED_BACK
                                      : i == 12 ? ARGUS_PG_FAILED : i < 20 ? ARGUS_PG_ABORTED : ARGUS_PG_DONE;
        if (b.results[i].state != want)
            fail_msg("statement %zu: %s, expected %s", i, argus_pg_stmt_state_name(b.results[i].state),
                     argus_pg_stmt_state_name(want));
    }
    assert_string_equal(b.results[12].sqlstate, "23505");
    assert_int_equal(b.done, 15);
    /* what the report says is what the table holds */
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM rows"), 15);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM rows WHERE id BETWEEN 10 AND 19"), 0);
    /* the connection is usable afterwards */
    assert_int_equal(scalar(&pg, "SELECT 41 + 1"), 42);

    /* with isolation, only the bad statement is left out */
    must(&pg, "TRUNCATE rows");
    assert_int_equal(argus_pg_batch_exec(&pg, &b, 10, ARGUS_PG_ISOLATE_FAILURES, &res), -1);
    assert_int_equal(b.done, 24);
    assert_int_equal(b.failures, 1);
    assert_int_equal(b.results[12].state, ARGUS_PG_FAILED);
    assert_non_null(strstr(res.message, "0 aborted, 0 rolled back"));
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM rows"), 24);
    argus_pg_batch_free(&b);
}

static void errors_are_classified(void **state)
{
    (void)state;
    struct argus_result res;
    must(&pg, "CREATE TABLE c (i int PRIMARY KEY)");
    const char *one[] = {"1"}, *bad[] = {"not-a-number"};
    assert_int_equal(argus_pg_exec(&pg, "INSERT INTO c VALUES ($1)", 1, one, 0, NULL, &res), 0);
    assert_int_equal(argus_pg_exec(&pg, "INSERT INTO c VALUES ($1)", 1, one, 0, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_string_equal(pg.sqlstate, "23505");
    assert_int_equal(argus_pg_exec(&pg, "INSERT INTO c VALUES ($1)", 1, bad, 0, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_string_equal(pg.sqlstate, "22P02");
    assert_int_equal(argus_pg_exec(&pg, "SELECT * FROM no_such_table", 0, NULL, 0, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_RETRY);   /* schema not migrated yet: not the event's fault */
    assert_string_equal(pg.sqlstate, "42P01");
    assert_int_equal(argus_pg_exec(&pg, "SELEC 1", 0, NULL, 0, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_string_equal(pg.sqlstate, "42601");
    assert_int_equal(argus_pg_exec_script(&pg, "SELECT 1; SELECT 1/0; SELECT 2", &res), -1);
    assert_string_equal(pg.sqlstate, "22012");
    assert_int_equal(scalar(&pg, "SELECT 1"), 1);
}

static void wrong_password_is_a_connection_retry(void **state)
{
    (void)state;
    char err[512], url[1024];
    struct argus_pg bad;
    struct argus_result res;
    /* the configured URL with the password swapped for a wrong one */
    const char *url0 = cfg.database_url;
    const char *at = strrchr(url0, '@');
    const char *colon = at && !strncmp(url0, "postgresql://", 13) ? memchr(url0 + 13, ':', (size_t)(at - url0 - 13))
                                                                   : NULL;
    if (!colon)
        skip();   /* no password in DATABASE_URL */
    snprintf(url, sizeof url, "%.*s:wrong-secret-pw%s", (int)(colon - url0), url0, at);
    assert_int_equal(argus_pg_init(&bad, url, 3000, err, sizeof err), 0);
    if (argus_pg_ping(&bad, err, sizeof err) == 0) {
        argus_pg_close(&bad);
        skip();   /* the server does not check passwords (trust) */
    }
    assert_non_null(strstr(err, "password authentication failed"));
    assert_null(strstr(err, "wrong-secret-pw"));
    assert_int_equal(argus_pg_exec(&bad, "SELECT 1", 0, NULL, 0, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    argus_pg_close(&bad);
}

static void bad_urls_and_unreachable_servers(void **state)
{
    (void)state;
    char err[512];
    struct argus_pg bad;
    struct argus_result res;
    assert_int_equal(argus_pg_init(&bad, "postgresql://u:leaky-pw@[::1/db", 3000, err, sizeof err), -1);
    assert_null(strstr(err, "leaky-pw"));
    assert_int_equal(argus_pg_init(&bad, "host=localhost password=leaky-pw bogus=1", 3000, err, sizeof err), -1);
    assert_non_null(strstr(err, "bogus"));
    assert_null(strstr(err, "leaky-pw"));

    /* nothing listens on port 1 */
    assert_int_equal(argus_pg_init(&bad, "postgresql://u:pw@127.0.0.1:1/db", 3000, err, sizeof err), 0);
    assert_int_equal(argus_pg_exec(&bad, "SELECT 1", 0, NULL, ARGUS_PG_IDEMPOTENT, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    assert_non_null(strstr(res.message, "postgresql://u:***@127.0.0.1:1/db"));
    assert_int_equal(argus_pg_ping(&bad, err, sizeof err), -1);
    argus_pg_close(&bad);
}

static void slow_statement_times_out(void **state)
{
    (void)state;
    struct argus_result res;
    pg.timeout_ms = 300;
    double t0 = it_now_ms();
    assert_int_equal(argus_pg_exec(&pg, "SELECT pg_sleep(3)", 0, NULL, ARGUS_PG_IDEMPOTENT, NULL, &res), -1);
    double ms = it_now_ms() - t0;
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_TIMEOUT);
    assert_true(ms < 1500);   /* not resent after a timeout, and not waiting for the sleep */
    assert_null(pg.conn);
    pg.timeout_ms = cfg.store_timeout_ms;
    assert_int_equal(scalar(&pg, "SELECT 7"), 7);
}

static void kill_backend_of(struct argus_pg *victim)
{
    char err[256], sql[128];
    long long pid = scalar(victim, "SELECT pg_backend_pid()");
    struct argus_pg killer;
    assert_int_equal(argus_pg_init_config(&killer, &cfg, err, sizeof err), 0);
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", pid);
    must(&killer, sql);
    argus_pg_close(&killer);
    usleep(100 * 1000);   /* let the backend's FATAL reach the client's socket */
}

static void reconnects_after_backend_killed(void **state)
{
    (void)state;
    struct argus_result res;
    must(&pg, "CREATE TABLE k (i int)");
    unsigned long before = pg.connects;
    kill_backend_of(&pg);
    /* noticed before sending: even a plain insert goes through on a new connection */
    if (argus_pg_exec(&pg, "INSERT INTO k VALUES (1)", 0, NULL, 0, NULL, &res) != 0)
        fail_msg("insert after kill: %s", res.message);
    assert_int_equal(pg.connects, before + 1);

    /* a batch after a kill */
    kill_backend_of(&pg);
    struct argus_pg_batch b;
    argus_pg_batch_init(&b);
    for (int i = 0; i < 100; i++)
        argus_pg_batch_add(&b, "INSERT INTO k VALUES (2)", 0, NULL);
    assert_int_equal(argus_pg_batch_exec(&pg, &b, 30, ARGUS_PG_IDEMPOTENT, &res), 0);
    argus_pg_batch_free(&b);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM k"), 101);
}

/* A real restart, with the test stack's own script: only where the runner provides it. */
static void reconnects_after_server_restart(void **state)
{
    (void)state;
    const char *devstack = getenv("ARGUS_DEVSTACK");
    if (!devstack || !*devstack || !getenv("ARGUS_STATE_DIR"))
        skip();
    struct argus_result res;
    assert_int_equal(scalar(&pg, "SELECT 1"), 1);
    unsigned long before = pg.connects;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "\"%s\" stop postgres >/dev/null && \"%s\" start postgres >/dev/null", devstack,
             devstack);
    assert_int_equal(system(cmd), 0);
    /* a read is idempotent: reconnected and sent again without the caller seeing the restart */
    PGresult *r = NULL;
    if (argus_pg_exec(&pg, "SELECT 5", 0, NULL, ARGUS_PG_IDEMPOTENT, &r, &res) != 0)
        fail_msg("after restart: %s", res.message);
    assert_string_equal(PQgetvalue(r, 0, 0), "5");
    PQclear(r);
    assert_true(pg.connects > before);
}

/* ---- migrations ---- */

static char mig_dir[128];

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", mig_dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int mig_setup(void **state)
{
    snprintf(mig_dir, sizeof mig_dir, "/tmp/argus-migrations-XXXXXX");
    assert_non_null(mkdtemp(mig_dir));
    return setup(state);
}

static int mig_teardown(void **state)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", mig_dir);
    assert_int_equal(system(cmd), 0);
    return teardown(state);
}

static void project_migrations_apply(void **state)
{
    (void)state;
    char err[512];
    int applied = -1;
    const char *dir = getenv("ARGUS_MIGRATIONS_DIR") && *getenv("ARGUS_MIGRATIONS_DIR")
                          ? getenv("ARGUS_MIGRATIONS_DIR") : "migrations";
    if (argus_migrate_run(&pg, dir, 0, &applied, err, sizeof err) != 0)
        fail_msg("migrations: %s", err);
    assert_true(applied >= 1);
    assert_int_equal(argus_migrate_run(&pg, dir, 0, &applied, err, sizeof err), 0);
    assert_int_equal(applied, 0);
    /* the healing worker's table, with its generated confidence and natural key */
    must(&pg, "INSERT INTO healing_patterns (fingerprint, original_selector, healed_selector, error_type, "
              "success_count, failure_count) VALUES ('fp1', '#old', '#new', 'selector_changed', 3, 1)");
    assert_int_equal(scalar(&pg, "SELECT (confidence * 100)::int FROM healing_patterns"), 75);
    struct argus_result res;
    assert_int_equal(argus_pg_exec(&pg, "INSERT INTO healing_patterns (fingerprint, original_selector, "
                                        "healed_selector, error_type) VALUES ('fp1', 'a', 'b', 'c')",
                                   0, NULL, 0, NULL, &res), -1);
    assert_string_equal(pg.sqlstate, "23505");
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM healing_patterns WHERE healing_source = 'unknown'"), 1);
}

static void migrations_apply_once_and_refuse_changes(void **state)
{
    (void)state;
    char err[512];
    int applied = -1;
    write_file("0001_first.sql", "CREATE TABLE m1 (i int);\nINSERT INTO m1 VALUES (1);\n");
    write_file("0002_second.sql", "-- a comment; with a semicolon\nCREATE TABLE m2 (s text DEFAULT 'a;b');\n");
    write_file("notes.txt", "not a migration");
    assert_int_equal(argus_migrate_run(&pg, mig_dir, 0, &applied, err, sizeof err), 0);
    assert_int_equal(applied, 2);
    assert_int_equal(argus_migrate_run(&pg, mig_dir, 0, &applied, err, sizeof err), 0);
    assert_int_equal(applied, 0);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM argus_schema_migrations"), 2);

    /* a new file: only it runs */
    write_file("0010_third.sql", "ALTER TABLE m1 ADD COLUMN j int;\n");
    assert_int_equal(argus_migrate_run(&pg, mig_dir, 0, &applied, err, sizeof err), 0);
    assert_int_equal(applied, 1);

    /* an applied file changed: refused, and nothing else is applied in that run */
    write_file("0001_first.sql", "CREATE TABLE m1 (i bigint);\n");
    write_file("0011_fourth.sql", "CREATE TABLE m4 (i int);\n");
    assert_int_equal(argus_migrate_run(&pg, mig_dir, 0, &applied, err, sizeof err), -1);
    assert_non_null(strstr(err, "0001_first.sql was changed"));
    assert_int_equal(applied, 0);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM pg_tables WHERE tablename = 'm4'"), 0);

    struct argus_migration *m = NULL;
    size_t n = 0;
    assert_int_equal(argus_migrate_status(&pg, mig_dir, &m, &n, err, sizeof err), 0);
    assert_int_equal(n, 4);
    assert_true(m[0].applied && m[0].changed);
    assert_true(m[1].applied && !m[1].changed);
    assert_int_equal(m[2].version, 10);
    assert_true(!m[3].applied && m[3].has_file);
    assert_string_equal(m[3].name, "0011_fourth");
    free(m);
}

static void failed_migration_is_rolled_back(void **state)
{
    (void)state;
    char err[512];
    int applied = -1;
    write_file("0001_ok.sql", "CREATE TABLE ok1 (i int);\n");
    write_file("0002_bad.sql", "CREATE TABLE half (i int);\nSELEC 1;\n");
    write_file("0003_later.sql", "CREATE TABLE later (i int);\n");
    assert_int_equal(argus_migrate_run(&pg, mig_dir, 0, &applied, err, sizeof err), -1);
    assert_int_equal(applied, 1);
    assert_non_null(strstr(err, "0002_bad"));
    assert_non_null(strstr(err, "42601"));
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM pg_tables WHERE tablename IN ('half', 'later')"), 0);
    assert_int_equal(scalar(&pg, "SELECT max(version) FROM argus_schema_migrations"), 1);
    /* fixed: the run picks up where it stopped */
    write_file("0002_bad.sql", "CREATE TABLE half (i int);\n");
    assert_int_equal(argus_migrate_run(&pg, mig_dir, 0, &applied, err, sizeof err), 0);
    assert_int_equal(applied, 2);
}

struct runner {
    char url[1024];
    int rc, applied;
    char err[512];
};

static void *run_migrations(void *arg)
{
    struct runner *r = arg;
    struct argus_pg p;
    char err[256];
    if (argus_pg_init(&p, r->url, cfg.store_timeout_ms, err, sizeof err) != 0) {
        r->rc = -2;
        return NULL;
    }
    r->rc = argus_migrate_run(&p, mig_dir, 30000, &r->applied, r->err, sizeof r->err);
    argus_pg_close(&p);
    return NULL;
}

static void concurrent_runners_do_not_race(void **state)
{
    (void)state;
    write_file("0001_slow.sql", "CREATE TABLE slow (i int);\nSELECT pg_sleep(0.5);\n");
    write_file("0002_next.sql", "INSERT INTO slow VALUES (1);\n");
    struct runner a = {0}, b = {0};
    url_with_schema(a.url, sizeof a.url, schema);
    url_with_schema(b.url, sizeof b.url, schema);
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, run_migrations, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, run_migrations, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    if (a.rc || b.rc)
        fail_msg("runner failed: %s / %s", a.err, b.err);
    assert_int_equal(a.applied + b.applied, 2);
    assert_int_equal(scalar(&pg, "SELECT count(*) FROM slow"), 1);
}

int main(void)
{
    it_config_load(&cfg);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(parameters_are_stored_literally, setup, teardown),
        cmocka_unit_test_setup_teardown(pipeline_of_10k_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(failure_in_a_segment_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_are_classified, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_password_is_a_connection_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_urls_and_unreachable_servers, setup, teardown),
        cmocka_unit_test_setup_teardown(slow_statement_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(reconnects_after_backend_killed, setup, teardown),
        cmocka_unit_test_setup_teardown(reconnects_after_server_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(project_migrations_apply, mig_setup, mig_teardown),
        cmocka_unit_test_setup_teardown(migrations_apply_once_and_refuse_changes, mig_setup, mig_teardown),
        cmocka_unit_test_setup_teardown(failed_migration_is_rolled_back, mig_setup, mig_teardown),
        cmocka_unit_test_setup_teardown(concurrent_runners_do_not_race, mig_setup, mig_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    argus_config_free(&cfg);
    return failed;
}
