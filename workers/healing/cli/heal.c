/* argus-heal: heals a UI test's selector against a page, from the command line. Prints one JSON
 * object on stdout and exits 0 whether it healed or refused; unreadable input exits 65 with one line
 * on stderr, a bad option 2.
 *
 *   argus-heal --selector S --syntax css|xpath|playwright --new NEW.html [--old OLD.html]
 *              [--error-type selector|timeout] [--test-id-attribute data-testid]
 *   argus-heal --select S --syntax ... --new PAGE.html    the elements S matches: {"matches":[i,...]}
 *   argus-heal --dump-tree --new PAGE.html                element tags in document order, one a line */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heal.h"

#define EXIT_USAGE 2
#define EXIT_DATAERR 65

static const char *prog = "argus-heal";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s --selector S --syntax css|xpath|playwright --new NEW.html [--old OLD.html]\n"
            "                  [--error-type selector|timeout] [--test-id-attribute NAME]\n"
            "       %s --select S --syntax css|xpath|playwright --new PAGE.html\n"
            "       %s --dump-tree --new PAGE.html\n"
            "Prints one JSON object; exit 0 (healed or refused), 65 unreadable input, 2 bad usage.\n",
            prog, prog, prog);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            abort();
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > HEAL_PAGE_MAX) {
            fprintf(stderr, "%s: %s: larger than %u bytes\n", prog, path, HEAL_PAGE_MAX);
            fclose(f);
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: %s: read error\n", prog, path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static heal_doc *load_page(const char *path)
{
    size_t len = 0;
    char *html = read_file(path, &len);
    if (!html)
        return NULL;
    char err[256];
    heal_doc *doc = heal_doc_parse(html, len, err, sizeof err);
    free(html);
    if (!doc)
        fprintf(stderr, "%s: %s: %s\n", prog, path, err);
    return doc;
}

static void json_string(const char *s)
{
    if (!s) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", stdout);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void print_result(const struct heal_result *r)
{
    printf("{\"success\":%s,\"selector\":", r->success ? "true" : "false");
    json_string(r->selector);
    printf(",\"syntax\":\"%s\",\"confidence\":%.2f,\"strategy\":", heal_syntax_name(r->syntax), r->confidence);
    json_string(r->strategy);
    fputs(",\"reason\":", stdout);
    json_string(r->reason);
    printf(",\"changed\":%s,\"element\":%ld,\"candidates\":[", r->changed ? "true" : "false", r->element);
    for (size_t i = 0; i < r->n_candidates; i++) {
        const struct heal_candidate *c = &r->candidates[i];
        printf("%s{\"element\":%zu,\"score\":%.3f,\"selector\":", i ? "," : "", c->element, c->score);
        json_string(c->selector);
        fputs(",\"description\":", stdout);
        json_string(c->description);
        putchar('}');
    }
    puts("]}");
}

struct args {
    const char *selector, *select, *syntax, *new_page, *old_page, *error_type, *testid;
    int dump_tree;
};

static int parse_args(int argc, char **argv, struct args *a)
{
    static const struct option opts[] = {
        { "selector", required_argument, NULL, 's' }, { "syntax", required_argument, NULL, 'x' },
        { "new", required_argument, NULL, 'n' },      { "old", required_argument, NULL, 'o' },
        { "error-type", required_argument, NULL, 'e' }, { "test-id-attribute", required_argument, NULL, 't' },
        { "select", required_argument, NULL, 'S' },   { "dump-tree", no_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },           { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's': a->selector = optarg; break;
        case 'x': a->syntax = optarg; break;
        case 'n': a->new_page = optarg; break;
        case 'o': a->old_page = optarg; break;
        case 'e': a->error_type = optarg; break;
        case 't': a->testid = optarg; break;
        case 'S': a->select = optarg; break;
        case 'D': a->dump_tree = 1; break;
        case 'h': usage(stdout); exit(0);
        case 'V': printf("%s %s\n", prog, ARGUS_VERSION); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind < argc || !a->new_page || (!a->dump_tree && !a->selector && !a->select)) {
        usage(stderr);
        return -1;
    }
    return 0;
}

static int dump_tree(heal_doc *doc)
{
    for (size_t i = 0; i < heal_doc_element_count(doc); i++)
        puts(heal_doc_tag(doc, i));
    return 0;
}

static int run_select(heal_doc *doc, enum heal_syntax syntax, const char *sel, const char *testid)
{
    struct heal_matches m;
    char err[256];
    if (heal_select(doc, syntax, sel, testid, &m, err, sizeof err) < 0) {
        fprintf(stderr, "%s: --select: %s\n", prog, err);
        return EXIT_DATAERR;
    }
    fputs("{\"matches\":[", stdout);
    for (size_t i = 0; i < m.count; i++)
        printf("%s%zu", i ? "," : "", m.items[i]);
    puts("]}");
    heal_matches_free(&m);
    return 0;
}

int main(int argc, char **argv)
{
    struct args a = { 0 };
    if (parse_args(argc, argv, &a) < 0)
        return EXIT_USAGE;
    int syntax = heal_syntax_parse(a.syntax ? a.syntax : "css");
    if (syntax < 0) {
        fprintf(stderr, "%s: --syntax %s: expected css, xpath or playwright\n", prog, a.syntax);
        return EXIT_USAGE;
    }
    struct heal_options opt = HEAL_OPTIONS_INIT;
    opt.syntax = (enum heal_syntax)syntax;
    opt.test_id_attribute = a.testid;
    if (a.error_type && strcmp(a.error_type, "selector") && strcmp(a.error_type, "timeout")) {
        fprintf(stderr, "%s: --error-type %s: expected selector or timeout\n", prog, a.error_type);
        return EXIT_USAGE;
    }
    opt.error_type = a.error_type && !strcmp(a.error_type, "timeout") ? HEAL_ERROR_TIMEOUT : HEAL_ERROR_SELECTOR;
    heal_doc *now = load_page(a.new_page);
    if (!now)
        return EXIT_DATAERR;
    int rc = 0;
    if (a.dump_tree) {
        rc = dump_tree(now);
    } else if (a.select) {
        rc = run_select(now, opt.syntax, a.select, a.testid);
    } else {
        heal_doc *then = NULL;
        if (a.old_page && !(then = load_page(a.old_page))) {
            heal_doc_free(now);
            return EXIT_DATAERR;
        }
        struct heal_result r;
        char err[256];
        if (heal_selector(a.selector, &opt, now, then, &r, err, sizeof err) < 0) {
            fprintf(stderr, "%s: --selector: %s\n", prog, err);
            rc = EXIT_DATAERR;
        } else {
            print_result(&r);
            heal_result_free(&r);
        }
        heal_doc_free(then);
    }
    heal_doc_free(now);
    return rc;
}
