/* argus-dlq: lists and inspects dead-lettered records and replays chosen ones to their original
 * topic (original key, value and headers, plus a replay count; records replayed too often are
 * quarantined: listed, never replayed again). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "argus/base/cli.h"
#include "argus/base/config.h"
#include "argus/kafka/dlq.h"
#include "argus/base/log.h"
#include "argus/kafka/producer.h"
#include "argus/base/timeutil.h"
#include "argus/kafka/topic_scan.h"

struct filter {
    const char *topic;
    const char *worker;
    const char *error_class;
    int64_t since_us, until_us;      /* 0 = open */
    int record_partition;            /* --record P:O, -1 = any */
    long long record_offset;
    long max;                        /* most records acted on, 0 = all */
    long quarantine_after;
};

struct run {
    const struct filter *f;
    enum { CMD_LIST, CMD_SHOW, CMD_REPLAY } cmd;
    int dry_run;
    int json;
    struct argus_producer *producer;
    struct argus_delivery delivery;
    long matched, replayed, quarantined, failed;
};

static void usage(FILE *out)
{
    fputs("usage: argus-dlq list|show|replay [options]\n"
          "  list                       one line per dead-lettered record (filters below)\n"
          "  show --record P:O          one record with all headers and its value\n"
          "  replay [filters]           produce matching records back to their original topic\n"
          "Filters:\n"
          "  --topic T        original topic          --worker W     worker that dead-lettered it\n"
          "  --error CLASS    error class             --record P:O   one DLQ record (partition:offset)\n"
          "  --since ISO      failed at or after      --until ISO    failed before\n"
          "Replay:\n"
          "  --dry-run        say what would be replayed, produce nothing\n"
          "  --max N          replay at most N records\n"
          "  --quarantine-after N   never replay a record already replayed N times (default 3)\n"
          "Other: --dlq-topic T (default $KAFKA_DLQ_TOPIC or argus.dlq), --json (list), --help, --version\n"
          "Connection: KAFKA_BOOTSTRAP_SERVERS and the KAFKA_SASL_* / KAFKA_SECURITY_PROTOCOL settings.\n",
          out);
}

static int matches(const struct filter *f, const rd_kafka_message_t *m, const struct argus_dlq_record *r)
{
    if (f->record_partition >= 0 && (m->partition != f->record_partition || m->offset != f->record_offset))
        return 0;
    if (f->topic && strcmp(f->topic, r->topic))
        return 0;
    if (f->worker && strcmp(f->worker, r->worker))
        return 0;
    if (f->error_class && strcmp(f->error_class, r->error_class))
        return 0;
    if (f->since_us && r->failed_at_us < f->since_us)
        return 0;
    if (f->until_us && r->failed_at_us >= f->until_us)
        return 0;
    return 1;
}

static void print_line(struct run *run, const rd_kafka_message_t *m, const struct argus_dlq_record *r,
                       const char *state)
{
    char when[40];
    argus_format_iso8601_ms(r->failed_at_us, when, sizeof when);
    if (run->json) {
        printf("{\"dlq_partition\":%d,\"dlq_offset\":%lld,\"topic\":\"%s\",\"partition\":%d,\"offset\":%lld,"
               "\"worker\":\"%s\",\"error_class\":\"%s\",\"attempts\":%d,\"replay_count\":%d,\"failed_at\":\"%s\","
               "\"state\":\"%s\"}\n",
               (int)m->partition, (long long)m->offset, r->topic, (int)r->partition, (long long)r->offset, r->worker,
               r->error_class, r->attempts, r->replay_count, when, state);
        return;
    }
    printf("%d:%-8lld %s  %s[%d]@%lld  %s  %s  attempts=%d replays=%d  %s  %s\n", (int)m->partition,
           (long long)m->offset, when, r->topic, (int)r->partition, (long long)r->offset, r->worker, r->error_class,
           r->attempts, r->replay_count, state, r->error_message);
}

static void print_record(const rd_kafka_message_t *m)
{
    printf("dlq record %d:%lld\nkey: ", (int)m->partition, (long long)m->offset);
    if (m->key)
        fwrite(m->key, 1, m->key_len, stdout);
    else
        fputs("(null)", stdout);
    puts("\nheaders:");
    rd_kafka_headers_t *h = NULL;
    const char *name;
    const void *val;
    size_t size;
    if (rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR)
        for (size_t i = 0; rd_kafka_header_get_all(h, i, &name, &val, &size) == 0; i++) {
            int printable = 1;
            for (size_t j = 0; j < size; j++)
                if (((const unsigned char *)val)[j] < 0x20)
                    printable = 0;
            printf("  %s: ", name);
            if (printable)
                fwrite(val, 1, size, stdout);
            else
                for (size_t j = 0; j < size; j++)
                    printf("%02x", ((const unsigned char *)val)[j]);
            putchar('\n');
        }
    puts("value:");
    fwrite(m->payload, 1, m->len, stdout);
    putchar('\n');
}

/* The original record back on its topic: provenance headers dropped, replay count raised. */
static int replay_one(struct run *run, const rd_kafka_message_t *m, const struct argus_dlq_record *r)
{
    rd_kafka_headers_t *orig = NULL;
    if (rd_kafka_message_headers(m, &orig) != RD_KAFKA_RESP_ERR_NO_ERROR)
        orig = NULL;
    rd_kafka_headers_t *h = argus_dlq_replay_headers(orig, m->partition, m->offset);
    char err[256];
    /* the original's time, so that consumers ordering by event time see when it happened */
    if (argus_produce_at(run->producer, r->topic, m->key, m->key_len, m->payload, m->len,
                         r->timestamp_ms > 0 ? r->timestamp_ms : 0, h, &run->delivery, err, sizeof err) != 0) {
        fprintf(stderr, "argus-dlq: %s\n", err);
        return -1;
    }
    return 0;
}

static int on_record(void *arg, const rd_kafka_message_t *m)
{
    struct run *run = arg;
    struct argus_dlq_record r;
    if (argus_dlq_record_read(m, &r) != 0) {
        memset(&r, 0, sizeof r);
        snprintf(r.topic, sizeof r.topic, "?");
        snprintf(r.error_class, sizeof r.error_class, "(no provenance headers)");
        if (run->cmd == CMD_REPLAY || run->f->topic || run->f->worker || run->f->error_class)
            return 0;
    }
    if (!matches(run->f, m, &r))
        return 0;
    run->matched++;
    int quarantined = r.replay_count >= run->f->quarantine_after;
    switch (run->cmd) {
    case CMD_LIST:
        print_line(run, m, &r, quarantined ? "quarantined" : "dead");
        break;
    case CMD_SHOW:
        print_record(m);
        return 1;
    case CMD_REPLAY:
        if (quarantined) {
            run->quarantined++;
            print_line(run, m, &r, "quarantined (not replayed)");
            break;
        }
        if (run->dry_run) {
            print_line(run, m, &r, "would replay");
        } else if (replay_one(run, m, &r) == 0) {
            run->replayed++;
            print_line(run, m, &r, "replayed");
        } else {
            run->failed++;
        }
        if (run->f->max && run->replayed + (run->dry_run ? run->matched - run->quarantined : 0) >= run->f->max)
            return 1;
        break;
    }
    return 0;
}

static int parse_record(const char *s, struct filter *f)
{
    int p;
    long long o;
    char extra;
    if (sscanf(s, "%d:%lld%c", &p, &o, &extra) != 2 || p < 0 || o < 0)
        return -1;
    f->record_partition = p;
    f->record_offset = o;
    return 0;
}

static int parse_time(const char *s, int64_t *out)
{
    return argus_parse_iso8601(s, out);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"topic", required_argument, NULL, 't'},      {"worker", required_argument, NULL, 'w'},
        {"error", required_argument, NULL, 'e'},      {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},      {"record", required_argument, NULL, 'r'},
        {"max", required_argument, NULL, 'm'},        {"quarantine-after", required_argument, NULL, 'q'},
        {"dry-run", no_argument, NULL, 'n'},          {"dlq-topic", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},             {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},          {NULL, 0, NULL, 0},
    };
    struct filter f = {.record_partition = -1, .quarantine_after = 3};
    struct run run = {.f = &f};
    const char *dlq_topic = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "t:w:e:s:u:r:m:q:nd:jhV", opts, NULL)) != -1) {
        switch (c) {
        case 't': f.topic = optarg; break;
        case 'w': f.worker = optarg; break;
        case 'e': f.error_class = optarg; break;
        case 's':
            if (parse_time(optarg, &f.since_us)) { fprintf(stderr, "argus-dlq: --since %s: not ISO-8601\n", optarg); return EX_USAGE; }
            break;
        case 'u':
            if (parse_time(optarg, &f.until_us)) { fprintf(stderr, "argus-dlq: --until %s: not ISO-8601\n", optarg); return EX_USAGE; }
            break;
        case 'r':
            if (parse_record(optarg, &f)) { fprintf(stderr, "argus-dlq: --record %s: expected P:O\n", optarg); return EX_USAGE; }
            break;
        case 'm':
            if (argus_cli_long("argus-dlq", "--max", optarg, 1, LONG_MAX, &f.max)) return EX_USAGE;
            break;
        case 'q':
            if (argus_cli_long("argus-dlq", "--quarantine-after", optarg, 1, 1000000, &f.quarantine_after)) return EX_USAGE;
            break;
        case 'n': run.dry_run = 1; break;
        case 'd': dlq_topic = optarg; break;
        case 'j': run.json = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("argus-dlq %s\n", ARGUS_VERSION); return 0;
        default: usage(stderr); return EX_USAGE;
        }
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[optind];
    if (!strcmp(cmd, "list"))
        run.cmd = CMD_LIST;
    else if (!strcmp(cmd, "show") && f.record_partition >= 0)
        run.cmd = CMD_SHOW;
    else if (!strcmp(cmd, "replay"))
        run.cmd = CMD_REPLAY;
    else {
        usage(stderr);
        return EX_USAGE;
    }

    argus_log_init("argus-dlq", ARGUS_LOG_ERROR);
    struct argus_config cfg;
    char err[512];
    if (argus_config_load(&cfg, NULL, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "argus-dlq: config: %s\n", err);
        return 2;
    }
    if (!dlq_topic)
        dlq_topic = cfg.dlq_topic;
    int rc = 0;
    if (run.cmd == CMD_REPLAY && !run.dry_run) {
        run.producer = argus_producer_new(&cfg, "dlq-replay", err, sizeof err);
        if (!run.producer) {
            fprintf(stderr, "argus-dlq: %s\n", err);
            argus_config_free(&cfg);
            return EX_UNAVAILABLE;
        }
    }
    long seen = argus_topic_scan(&cfg, dlq_topic, f.record_partition, f.record_partition >= 0 ? f.record_offset : -1,
                                 15000, on_record, &run, err, sizeof err);
    if (seen < 0) {
        fprintf(stderr, "argus-dlq: %s\n", err);
        rc = EX_UNAVAILABLE;
    }
    if (run.producer) {
        if (argus_producer_flush(run.producer, 30000) != 0 || run.delivery.failed) {
            fprintf(stderr, "argus-dlq: %d replayed record(s) not acknowledged: %s\n",
                    run.delivery.failed + run.delivery.pending, run.delivery.error);
            rc = 1;
        }
        argus_producer_free(run.producer);
    }
    if (run.cmd == CMD_SHOW && run.matched == 0 && rc == 0) {
        fprintf(stderr, "argus-dlq: no record %d:%lld in %s\n", f.record_partition, f.record_offset, dlq_topic);
        rc = 1;
    }
    if (run.cmd == CMD_REPLAY)
        fprintf(stderr, "argus-dlq: %ld matched, %ld %s, %ld quarantined, %ld failed\n", run.matched,
                run.dry_run ? run.matched - run.quarantined : run.replayed, run.dry_run ? "would replay" : "replayed",
                run.quarantined, run.failed);
    if (run.failed)
        rc = 1;
    argus_config_free(&cfg);
    return rc;
}
