/* argus-topics: makes the broker's topics match config/topics.tsv (create missing topics, raise
 * partition counts), and checks or lists them. Used by scripts/create-topics.sh where rpk is absent. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "argus/base/cli.h"
#include "argus/base/config.h"
#include "argus/kafka/kafka_admin.h"
#include "argus/base/log.h"

static void usage(FILE *out)
{
    fputs("usage: argus-topics create|check|list [--file config/topics.tsv] [--replication-factor N]\n"
          "  create   create the table's missing topics, raise partition counts, set retention.ms,\n"
          "           max.message.bytes and cleanup.policy=delete where they differ (idempotent)\n"
          "  check    exit 1 unless every topic of the table exists with at least its partitions\n"
          "  list     print each topic of the table with its partition count on the broker\n"
          "  -f, --file FILE               topic table (default config/topics.tsv)\n"
          "  -r, --replication-factor N    for new topics (default $REPLICATION_FACTOR or 1; -1 = broker's)\n"
          "  -t, --timeout-ms N            per request (default 15000)\n"
          "Connection: KAFKA_BOOTSTRAP_SERVERS and the KAFKA_SASL_* / KAFKA_SECURITY_PROTOCOL settings.\n",
          out);
}

static void print_action(void *arg, const struct argus_topic_spec *s, enum argus_topic_action a, const char *d)
{
    (void)arg;
    static const char *const names[] = {"created", "ok", "partitions raised", "FAILED", "configs updated"};
    printf("%-32s %-18s %s\n", s->name, names[a], d);
}

static int check_or_list(rd_kafka_t *rk, const struct argus_topic_table *t, int timeout_ms, int check)
{
    int bad = 0;
    for (size_t i = 0; i < t->n; i++) {
        char err[512] = "";
        int have = argus_admin_partition_count(rk, t->topics[i].name, timeout_ms, err, sizeof err);
        const char *state = have < 0 ? err : have == 0 ? "missing"
                          : have < t->topics[i].partitions ? "too few partitions" : "ok";
        if (have < t->topics[i].partitions)
            bad++;
        if (!check || have < t->topics[i].partitions)
            printf("%-32s %3d/%-3d %s\n", t->topics[i].name, have < 0 ? 0 : have, t->topics[i].partitions, state);
    }
    return bad;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"file", required_argument, NULL, 'f'},
        {"replication-factor", required_argument, NULL, 'r'},
        {"timeout-ms", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *file = "config/topics.tsv";
    const char *rf_env = getenv("REPLICATION_FACTOR");
    long rf = 1, timeout_ms = 15000;
    if (rf_env && *rf_env && argus_cli_long("argus-topics", "REPLICATION_FACTOR", rf_env, -1, 32767, &rf))
        return EX_USAGE;
    int c;
    while ((c = getopt_long(argc, argv, "f:r:t:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'f': file = optarg; break;
        case 'r':
            if (argus_cli_long("argus-topics", "--replication-factor", optarg, -1, 32767, &rf)) return EX_USAGE;
            break;
        case 't':
            if (argus_cli_long("argus-topics", "--timeout-ms", optarg, 1, 3600000, &timeout_ms)) return EX_USAGE;
            break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("argus-topics %s\n", ARGUS_VERSION); return 0;
        default: usage(stderr); return EX_USAGE;
        }
    }
    if (rf == 0) {
        fputs("argus-topics: replication factor 0: expected -1 (the broker's default) or 1..32767\n", stderr);
        return EX_USAGE;
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[optind];
    if (strcmp(cmd, "create") && strcmp(cmd, "check") && strcmp(cmd, "list")) {
        usage(stderr);
        return EX_USAGE;
    }

    argus_log_init("argus-topics", ARGUS_LOG_ERROR);
    char err[512];
    struct argus_config cfg;
    if (argus_config_load(&cfg, NULL, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "argus-topics: config: %s\n", err);
        return 2;
    }
    struct argus_topic_table table;
    if (argus_topic_table_load(file, &table, err, sizeof err) != 0) {
        fprintf(stderr, "argus-topics: %s\n", err);
        argus_config_free(&cfg);
        return EX_DATAERR;
    }
    rd_kafka_t *rk = argus_admin_new(&cfg, err, sizeof err);
    if (!rk) {
        fprintf(stderr, "argus-topics: %s\n", err);
        argus_topic_table_free(&table);
        argus_config_free(&cfg);
        return EX_UNAVAILABLE;
    }
    int rc;
    if (!strcmp(cmd, "create")) {
        int failed = argus_admin_ensure_topics(rk, &table, rf, timeout_ms, print_action, NULL);
        if (failed)
            fprintf(stderr, "argus-topics: %d topic(s) failed\n", failed);
        rc = failed ? 1 : 0;
    } else {
        int bad = check_or_list(rk, &table, timeout_ms, !strcmp(cmd, "check"));
        if (bad && !strcmp(cmd, "check"))
            fprintf(stderr, "argus-topics: %d topic(s) missing or short of partitions\n", bad);
        rc = bad && !strcmp(cmd, "check") ? 1 : 0;
    }
    rd_kafka_destroy(rk);
    argus_topic_table_free(&table);
    argus_config_free(&cfg);
    return rc;
}
