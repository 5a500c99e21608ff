/* argus-migrate: applies the pending schema migrations (migrations/NNNN_name.sql) to DATABASE_URL, or
 * shows which are applied. Safe to run from several workers at once (advisory lock). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "argus/base/cli.h"
#include "argus/base/config.h"
#include "argus/base/log.h"
#include "argus/stores/migrate.h"
#include "argus/stores/pg.h"

static void usage(FILE *out)
{
    fputs("usage: argus-migrate [--dir DIR] [--status] [--lock-wait-ms N]\n"
          "  Applies every pending DIR/NNNN_name.sql in version order, each in its own transaction,\n"
          "  recorded in argus_schema_migrations. Running it again is a no-op; a file changed after it\n"
          "  was applied is an error.\n"
          "  -d, --dir DIR          migrations directory (default $ARGUS_MIGRATIONS_DIR, $MIGRATIONS_DIR\n"
          "                         or ./migrations)\n"
          "  -s, --status           list the migrations and whether each is applied; change nothing\n"
          "  -w, --lock-wait-ms N   wait this long for another runner to finish (default 60000)\n"
          "Connection: DATABASE_URL (postgresql:// URL or key=value conninfo), STORE_TIMEOUT_MS.\n"
          "Exit status: 0 done, 1 a migration failed or was changed, 2 bad configuration, 69 no database.\n",
          out);
}

static int print_status(struct argus_pg *pg, const char *dir)
{
    struct argus_migration *m = NULL;
    size_t n = 0;
    char err[512];
    if (argus_migrate_status(pg, dir, &m, &n, err, sizeof err) != 0) {
        fprintf(stderr, "argus-migrate: %s\n", err);
        return 1;
    }
    int bad = 0;
    printf("%-8s %-40s %-10s %s\n", "version", "name", "state", "applied at");
    for (size_t i = 0; i < n; i++) {
        const char *state = m[i].changed ? "CHANGED" : m[i].applied && !m[i].has_file ? "no file"
                          : m[i].applied ? "applied" : "pending";
        bad |= m[i].changed;
        printf("%-8lld %-40s %-10s %s\n", m[i].version, m[i].name, state, m[i].applied_at);
    }
    free(m);
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"status", no_argument, NULL, 's'},
        {"lock-wait-ms", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *env_dir = getenv("ARGUS_MIGRATIONS_DIR");
    if (!env_dir || !*env_dir)
        env_dir = getenv("MIGRATIONS_DIR");
    const char *dir = env_dir && *env_dir ? env_dir : "migrations";
    int status = 0, c;
    long lock_wait_ms = 60000;
    while ((c = getopt_long(argc, argv, "d:sw:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 's': status = 1; break;
        case 'w':
            if (argus_cli_long("argus-migrate", "--lock-wait-ms", optarg, 1, 3600000, &lock_wait_ms)) return EX_USAGE;
            break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("argus-migrate %s\n", ARGUS_VERSION); return 0;
        default: usage(stderr); return EX_USAGE;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return EX_USAGE;
    }

    char err[512];
    struct argus_config cfg;
    if (argus_config_load(&cfg, NULL, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "argus-migrate: %s\n", err);
        return 2;
    }
    int level = argus_log_parse_level(cfg.log_level);
    argus_log_init("argus-migrate", level < 0 ? ARGUS_LOG_INFO : (enum argus_log_level)level);
    struct argus_pg pg;
    if (argus_pg_init_config(&pg, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "argus-migrate: %s\n", err);
        argus_config_free(&cfg);
        return 2;
    }
    argus_config_free(&cfg);
    struct argus_result res;
    if (argus_pg_connect(&pg, &res) != 0) {
        fprintf(stderr, "argus-migrate: %s\n", res.message);
        argus_pg_close(&pg);
        return EX_UNAVAILABLE;
    }
    int rc;
    if (status) {
        rc = print_status(&pg, dir);
    } else {
        int applied = 0;
        rc = argus_migrate_run(&pg, dir, lock_wait_ms, &applied, err, sizeof err) == 0 ? 0 : 1;
        if (rc)
            fprintf(stderr, "argus-migrate: %s\n", err);
        else
            printf("argus-migrate: %d migration(s) applied, database %s up to date\n", applied, pg.redacted);
    }
    argus_pg_close(&pg);
    return rc;
}
