/* argus-event: prints the canonical view of one event read from stdin, exactly as a worker sees it,
 * or the reason a worker would dead-letter it (exit 65, EX_DATAERR). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "argus/base/buf.h"
#include "argus/base/event.h"

static void usage(FILE *out)
{
    fputs("usage: argus-event [--topic TOPIC] < event.json\n"
          "Reads one event (any producer shape) from stdin and prints the canonical view as JSON.\n"
          "  -t, --topic TOPIC  the topic it came from (names the type of flat events)\n"
          "  -h, --help         this text\n"
          "  -V, --version      version\n"
          "Exit: 0 parsed, 65 the event is bad (reason on stderr), 64 usage, 74 read error.\n",
          out);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"topic", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *topic = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "t:hV", opts, NULL)) != -1) {
        switch (c) {
        case 't': topic = optarg; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("argus-event %s\n", ARGUS_VERSION); return 0;
        default: usage(stderr); return EX_USAGE;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return EX_USAGE;
    }

    struct argus_buf in = ARGUS_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        argus_buf_append(&in, chunk, n);
    if (ferror(stdin) || in.oom) {
        fprintf(stderr, "argus-event: cannot read stdin\n");
        argus_buf_free(&in);
        return EX_IOERR;
    }

    struct argus_event ev;
    char err[512];
    if (argus_event_parse(topic, in.data, in.len, &ev, err, sizeof err) != 0) {
        fprintf(stderr, "argus-event: %s\n", err);
        argus_buf_free(&in);
        return EX_DATAERR;
    }
    char *json = argus_event_to_json(&ev);
    int rc = 0;
    if (json)
        puts(json);
    else
        rc = EX_SOFTWARE;
    free(json);
    argus_event_free(&ev);
    argus_buf_free(&in);
    return rc;
}
