/* argus-cognee-query: answers what people ask of the Argus knowledge graph of one tenant (which tests
 * cover a file, function or endpoint; who uses a selector; similar failures; flaky tests; what a
 * selector healed to; graph statistics; semantic neighbours). The Cypher of every command lives in
 * query_table.c and is documented in docs/knowledge-graph.md; queries are read-only (GRAPH.RO_QUERY).
 *
 * Exit status: 0 results printed, 1 no results, 2 bad usage or configuration, 3 the graph or the
 * embeddings API failed. */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/buf.h"
#include "argus/base/cli.h"
#include "argus/base/config.h"
#include "argus/stores/cypher.h"
#include "argus/stores/graph.h"
#include "argus/base/log.h"
#include "cognee.h"
#include "embeddings.h"
#include "query_format.h"
#include "query_table.h"

enum { EXIT_RESULTS = 0, EXIT_NONE = 1, EXIT_USAGE = 2, EXIT_FAILED = 3 };

#define DEFAULT_LIMIT 200
#define MAX_LIMIT     100000

static void usage(FILE *out)
{
    fputs("usage: argus-cognee-query (--org ORG [--project P] | --graph NAME) [options] COMMAND [ARG]\n"
          "Commands:\n"
          "  covers --file PATH            tests covering the functions and endpoints of a file\n"
          "  covers --function NAME        ... a function (id, qualified name or name)\n"
          "  covers --endpoint 'GET /api/users/:id' | --endpoint /api/users/:id (any method)\n"
          "         [--repo REPO]          only that repository of the tenant graph\n"
          "  selector VALUE [--like]       code and Argus tests that use a selector (--like: substring)\n"
          "  similar FAILURE_ID            failures with the same fingerprint or SIMILAR_TO, newest first\n"
          "  flaky [--min-runs N] [--min-flips N]   tests by flip rate (defaults 2 and 1)\n"
          "  healed SELECTOR [--like]      what a selector healed to, with confidence\n"
          "  stats                         nodes per label, relationships per type\n"
          "  semantic TEXT [--label Failure|Function|TestCase] [--k N]   nearest by embedding\n"
          "Options:\n"
          "  --json          JSON lines (one object per row) instead of aligned text\n"
          "  --limit N       most rows (default 200)\n"
          "  --cypher        print the query (CYPHER parameters + Cypher) instead of running it:\n"
          "                  redis-cli GRAPH.RO_QUERY GRAPH \"$(argus-cognee-query ... --cypher)\"\n"
          "  --doc-markdown  print the query reference of docs/knowledge-graph.md\n"
          "  --help, --version\n"
          "Exit status: 0 results, 1 no results, 2 bad usage or configuration, 3 graph or API failure.\n"
          "Environment: FALKORDB_HOST, FALKORDB_PORT, FALKORDB_PASSWORD, STORE_TIMEOUT_MS; for semantic:\n"
          "  EMBEDDINGS_URL (the worker's embeddings endpoint), EMBEDDINGS_API_KEY, EMBEDDINGS_MODEL.\n",
          out);
}

struct options {
    const char *org, *project, *graph;
    const char *file, *function, *endpoint, *repo, *label;
    int json, like, cypher, min_runs, min_flips, k;
    long limit;
    const char *command, *arg;
};

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("argus-cognee-query: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see --help)\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

enum {
    OPT_ORG = 256, OPT_PROJECT, OPT_GRAPH, OPT_JSON, OPT_LIMIT, OPT_CYPHER, OPT_DOC, OPT_FILE, OPT_FUNCTION,
    OPT_ENDPOINT, OPT_REPO, OPT_LIKE, OPT_MIN_RUNS, OPT_MIN_FLIPS, OPT_LABEL, OPT_K, OPT_HELP, OPT_VERSION
};

/* Which command may take which option: one letter per command in `commands` order. */
static const char *const commands[] = {"covers", "selector", "similar", "flaky", "healed", "stats", "semantic", NULL};
static const struct {
    int opt;
    const char *name;
    const char *allowed;   /* the commands, by name */
} command_options[] = {
    {OPT_FILE, "--file", "covers"},         {OPT_FUNCTION, "--function", "covers"},
    {OPT_ENDPOINT, "--endpoint", "covers"}, {OPT_REPO, "--repo", "covers"},
    {OPT_LIKE, "--like", "selector healed"}, {OPT_MIN_RUNS, "--min-runs", "flaky"},
    {OPT_MIN_FLIPS, "--min-flips", "flaky"}, {OPT_LABEL, "--label", "semantic"},
    {OPT_K, "--k", "semantic"},
};

static int option_allowed(const char *allowed, const char *command)
{
    size_t n = strlen(command);
    for (const char *p = allowed; (p = strstr(p, command)) != NULL; p += n)
        if ((p == allowed || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* 0, EXIT_USAGE, or -1 for --help/--version/--doc-markdown (done). */
static int parse_args(int argc, char **argv, struct options *o, int *seen)
{
    static const struct option longopts[] = {
        {"org", required_argument, NULL, OPT_ORG},        {"project", required_argument, NULL, OPT_PROJECT},
        {"graph", required_argument, NULL, OPT_GRAPH},    {"json", no_argument, NULL, OPT_JSON},
        {"limit", required_argument, NULL, OPT_LIMIT},    {"cypher", no_argument, NULL, OPT_CYPHER},
        {"doc-markdown", no_argument, NULL, OPT_DOC},     {"file", required_argument, NULL, OPT_FILE},
        {"function", required_argument, NULL, OPT_FUNCTION}, {"endpoint", required_argument, NULL, OPT_ENDPOINT},
        {"repo", required_argument, NULL, OPT_REPO},      {"like", no_argument, NULL, OPT_LIKE},
        {"min-runs", required_argument, NULL, OPT_MIN_RUNS}, {"min-flips", required_argument, NULL, OPT_MIN_FLIPS},
        {"label", required_argument, NULL, OPT_LABEL},    {"k", required_argument, NULL, OPT_K},
        {"help", no_argument, NULL, OPT_HELP},            {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    long v;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c >= OPT_ORG && c <= OPT_VERSION)
            seen[c - OPT_ORG] = 1;
        switch (c) {
        case OPT_ORG: o->org = optarg; break;
        case OPT_PROJECT: o->project = optarg; break;
        case OPT_GRAPH: o->graph = optarg; break;
        case OPT_JSON: o->json = 1; break;
        case OPT_CYPHER: o->cypher = 1; break;
        case OPT_FILE: o->file = optarg; break;
        case OPT_FUNCTION: o->function = optarg; break;
        case OPT_ENDPOINT: o->endpoint = optarg; break;
        case OPT_REPO: o->repo = optarg; break;
        case OPT_LIKE: o->like = 1; break;
        case OPT_LABEL: o->label = optarg; break;
        case OPT_LIMIT:
            if (argus_parse_long(optarg, 1, MAX_LIMIT, &o->limit) != 0)
                return bad_usage("--limit %s: expected 1..100000", optarg);
            break;
        case OPT_MIN_RUNS:
        case OPT_MIN_FLIPS:
            if (argus_parse_long(optarg, 0, 1000000000, &v) != 0)
                return bad_usage("%s: expected a count >= 0", optarg);
            *(c == OPT_MIN_RUNS ? &o->min_runs : &o->min_flips) = (int)v;
            break;
        case OPT_K:
            if (argus_parse_long(optarg, 1, 1000, &v) != 0)
                return bad_usage("--k %s: expected 1..1000", optarg);
            o->k = (int)v;
            break;
        case OPT_HELP: usage(stdout); return -1;
        case OPT_VERSION: printf("argus-cognee-query %s\n", ARGUS_VERSION); return -1;
        case OPT_DOC: {
            struct argus_buf b = ARGUS_BUF_INIT;
            cognee_query_doc_markdown(&b);
            fputs(argus_buf_str(&b), stdout);
            argus_buf_free(&b);
            return -1;
        }
        default:
            return bad_usage("%s: unknown option or missing value", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return bad_usage("a command is needed");
    o->command = argv[optind++];
    if (optind < argc)
        o->arg = argv[optind++];
    if (optind < argc)
        return bad_usage("%s: one argument too many", argv[optind]);
    return 0;
}

static int check_command(const struct options *o, const int *seen)
{
    int known = 0;
    for (size_t i = 0; commands[i]; i++)
        known |= strcmp(commands[i], o->command) == 0;
    if (!known)
        return bad_usage("%s: unknown command", o->command);
    for (size_t i = 0; i < sizeof command_options / sizeof command_options[0]; i++)
        if (seen[command_options[i].opt - OPT_ORG] && !option_allowed(command_options[i].allowed, o->command))
            return bad_usage("%s does not apply to this command", command_options[i].name);
    int needs_arg = !strcmp(o->command, "selector") || !strcmp(o->command, "similar") ||
                    !strcmp(o->command, "healed") || !strcmp(o->command, "semantic");
    if (needs_arg && (!o->arg || !*o->arg))
        return bad_usage("%s needs an argument", o->command);
    if (!needs_arg && o->arg)
        return bad_usage("%s takes no argument", o->command);
    if (!strcmp(o->command, "covers") && !!o->file + !!o->function + !!o->endpoint != 1)
        return bad_usage("covers needs exactly one of --file, --function, --endpoint");
    if (o->label && strcmp(o->label, "Failure") && strcmp(o->label, "Function") && strcmp(o->label, "TestCase"))
        return bad_usage("--label %s: expected Failure, Function or TestCase", o->label);
    if (!!o->graph == !!o->org)
        return bad_usage("give --org ORG [--project P] or --graph NAME");
    if (o->project && !o->org)
        return bad_usage("--project needs --org");
    return 0;
}

static void add_string_or_null(cJSON *params, const char *name, const char *value)
{
    if (value)
        cJSON_AddStringToObject(params, name, value);
    else
        cJSON_AddNullToObject(params, name);
}

/* --endpoint "get /api/x" -> method GET, route /api/x, name "GET /api/x"; "/api/x" -> route only;
 * anything else is an endpoint id or registered name. */
static void endpoint_params(cJSON *params, const char *arg)
{
    char method[16] = "", name[1024];
    const char *route = NULL;
    size_t mlen = strcspn(arg, " \t");
    if (arg[0] == '/') {
        route = arg;
    } else if (arg[mlen] && mlen < sizeof method) {
        for (size_t i = 0; i < mlen; i++)
            method[i] = (char)toupper((unsigned char)arg[i]);
        route = arg + mlen + strspn(arg + mlen, " \t");
        if (*route != '/')
            route = NULL;
    }
    if (method[0] && route) {
        snprintf(name, sizeof name, "%s %s", method, route);
        cJSON_AddStringToObject(params, "endpoint", name);
    } else {
        add_string_or_null(params, "endpoint", route ? NULL : arg);
    }
    add_string_or_null(params, "route", route);
    add_string_or_null(params, "method", method[0] && route ? method : NULL);
}

/* The table query of a command and its parameters ($vector of semantic is added later). */
static const struct cognee_query *command_query(const struct options *o, cJSON *params)
{
    long limit = (o->limit ? o->limit : DEFAULT_LIMIT) + 1; /* one more: tells that rows were left out */
    const char *name = o->command;
    if (!strcmp(name, "covers")) {
        add_string_or_null(params, "file", o->file);
        add_string_or_null(params, "function", o->function);
        if (o->endpoint)
            endpoint_params(params, o->endpoint);
        else {
            add_string_or_null(params, "endpoint", NULL);
            add_string_or_null(params, "route", NULL);
            add_string_or_null(params, "method", NULL);
        }
        add_string_or_null(params, "repo", o->repo);
    } else if (!strcmp(name, "selector") || !strcmp(name, "healed")) {
        cJSON_AddStringToObject(params, "selector", o->arg);
        cJSON_AddBoolToObject(params, "like", o->like);
    } else if (!strcmp(name, "similar")) {
        cJSON_AddStringToObject(params, "failure", o->arg);
    } else if (!strcmp(name, "flaky")) {
        cJSON_AddNumberToObject(params, "min_runs", o->min_runs);
        cJSON_AddNumberToObject(params, "min_flips", o->min_flips);
    } else if (!strcmp(name, "semantic")) {
        cJSON_AddStringToObject(params, "label", o->label ? o->label : "Failure");
        cJSON_AddNumberToObject(params, "k", o->k);
        return cognee_query_find(name);
    }
    if (strcmp(name, "stats") != 0)
        cJSON_AddNumberToObject(params, "limit", (double)limit);
    return cognee_query_find(name);
}

static void print_rows(const struct options *o, const struct cognee_query *q, const struct argus_graph_result *r)
{
    size_t limit = (size_t)(o->limit ? o->limit : DEFAULT_LIMIT);
    struct argus_buf out = ARGUS_BUF_INIT;
    cognee_format_result(&out, q, r, limit, o->json);
    fwrite(argus_buf_str(&out), 1, out.len, stdout);
    argus_buf_free(&out);
    if (r->nrows > limit && strcmp(o->command, "semantic") != 0)
        fprintf(stderr, "argus-cognee-query: more than %zu rows; --limit N shows more\n", limit);
}

/* covers found nothing: say whether nothing matched or nothing covers what matched. */
static void explain_no_cover(struct argus_graph *g, const char *graph, const cJSON *params)
{
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    struct argus_result res;
    if (argus_graph_ro_query(g, graph, cognee_query_find("covers-targets")->cypher, params, &r, &res) == 0) {
        if (r.nrows == 0)
            fprintf(stderr, "argus-cognee-query: no function or endpoint in %s matches\n", graph);
        else
            fprintf(stderr, "argus-cognee-query: %zu function(s)/endpoint(s) match, no test covers them\n", r.nrows);
    }
    argus_graph_result_free(&r);
}

static int print_cypher(const struct cognee_query *q, const cJSON *params)
{
    struct argus_buf text = ARGUS_BUF_INIT;
    char err[256];
    if (argus_cypher_build(&text, q->cypher, params, err, sizeof err) != 0) {
        fprintf(stderr, "argus-cognee-query: %s\n", err);
        argus_buf_free(&text);
        return EXIT_USAGE;
    }
    printf("%s\n", argus_buf_str(&text));
    argus_buf_free(&text);
    return EXIT_RESULTS;
}

/* semantic: the embedder from the environment, read with the worker's own settings table (so the
 * names, defaults and checks are the worker's); NULL (with a message) when the layer is off. Free the
 * settings with argus_env_free(cognee_env, &cognee_settings). */
static struct cognee_embedder *open_embedder(int *status)
{
    char err[256];
    if (argus_env_load(cognee_env, &cognee_settings, err, sizeof err) != 0) {
        fprintf(stderr, "argus-cognee-query: %s\n", err);
        *status = EXIT_USAGE;
        return NULL;
    }
    struct cognee_embed_config ec = {.url = cognee_settings.embeddings_url,
                                     .api_key = cognee_settings.embeddings_api_key,
                                     .model = cognee_settings.embeddings_model};
    if (!cognee_embed_enabled(&ec)) {
        fputs("argus-cognee-query: the semantic layer is off: set EMBEDDINGS_URL (and EMBEDDINGS_API_KEY, "
              "EMBEDDINGS_MODEL) to the embeddings endpoint the cognee worker uses\n",
              stderr);
        *status = EXIT_USAGE;
        return NULL;
    }
    struct cognee_embedder *e = cognee_embedder_new(&ec);
    if (!e) {
        fputs("argus-cognee-query: out of memory\n", stderr);
        *status = EXIT_FAILED;
    }
    return e;
}

/* semantic --cypher: the query with the text's embedding as $vector, ready to paste. */
static int print_semantic_cypher(const struct options *o, const cJSON *params)
{
    int status = EXIT_RESULTS;
    struct cognee_embedder *e = open_embedder(&status);
    if (e) {
        struct cognee_vectors v;
        struct argus_result res;
        if (cognee_embed_texts(e, &o->arg, 1, &v, &res) != 0) {
            fprintf(stderr, "argus-cognee-query: %s\n", res.message);
            status = EXIT_FAILED;
        } else {
            cJSON *full = cognee_semantic_params(cJSON_GetObjectItem(params, "label")->valuestring, o->k, v.data, v.dim);
            status = print_cypher(cognee_query_find("semantic"), full);
            cJSON_Delete(full);
            cognee_vectors_free(&v);
        }
        cognee_embedder_free(e);
    }
    argus_env_free(cognee_env, &cognee_settings);
    return status;
}

static int run_semantic(const struct options *o, struct argus_graph *g, const char *graph, cJSON *params)
{
    int status = EXIT_RESULTS;
    struct cognee_embedder *e = open_embedder(&status);
    if (e) {
        struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
        struct argus_result res;
        const char *label = cJSON_GetObjectItem(params, "label")->valuestring;
        int rc = cognee_semantic_search(e, g, graph, label, o->arg, o->k, &r, &res);
        if (rc != 0) {
            fprintf(stderr, "argus-cognee-query: %s\n", res.message);
            status = rc == 1 ? EXIT_NONE : EXIT_FAILED;
        } else if (r.nrows == 0) {
            fprintf(stderr, "argus-cognee-query: no %s node has an embedding in %s\n", label, graph);
            status = EXIT_NONE;
        } else {
            print_rows(o, cognee_query_find("semantic"), &r);
        }
        argus_graph_result_free(&r);
        cognee_embedder_free(e);
    }
    argus_env_free(cognee_env, &cognee_settings);
    return status;
}

static int run_query(const struct options *o, struct argus_graph *g, const char *graph,
                     const struct cognee_query *q, const cJSON *params)
{
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    struct argus_result res;
    int status;
    if (argus_graph_ro_query(g, graph, q->cypher, params, &r, &res) != 0) {
        fprintf(stderr, "argus-cognee-query: %s: %s\n", graph, res.message);
        status = EXIT_FAILED;
    } else if (r.nrows == 0) {
        if (!strcmp(o->command, "covers"))
            explain_no_cover(g, graph, params);
        else
            fprintf(stderr, "argus-cognee-query: no results in %s\n", graph);
        status = EXIT_NONE;
    } else {
        print_rows(o, q, &r);
        status = EXIT_RESULTS;
    }
    argus_graph_result_free(&r);
    return status;
}

int main(int argc, char **argv)
{
    argus_log_init("argus-cognee-query", ARGUS_LOG_OFF); /* logs would mix with the results on stdout */
    struct options o = {.k = 10, .min_runs = 2, .min_flips = 1};
    int seen[OPT_VERSION - OPT_ORG + 1] = {0};
    int rc = parse_args(argc, argv, &o, seen);
    if (rc != 0)
        return rc < 0 ? EXIT_RESULTS : rc;
    if ((rc = check_command(&o, seen)) != 0)
        return rc;

    char graph[512];
    if (o.graph)
        snprintf(graph, sizeof graph, "%s", o.graph);
    else if (argus_graph_name(graph, sizeof graph, o.org, o.project) < 0)
        return bad_usage("--org %s: cannot name a graph for it", o.org);

    cJSON *params = cJSON_CreateObject();
    const struct cognee_query *q = command_query(&o, params);
    if (o.cypher) {
        rc = strcmp(o.command, "semantic") ? print_cypher(q, params) : print_semantic_cypher(&o, params);
        cJSON_Delete(params);
        return rc;
    }

    struct argus_config cfg;
    char err[256];
    if (argus_config_load(&cfg, NULL, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "argus-cognee-query: %s\n", err);
        cJSON_Delete(params);
        return EXIT_USAGE;
    }
    struct argus_graph g;
    if (argus_graph_init_config(&g, &cfg) != 0) {
        fputs("argus-cognee-query: out of memory\n", stderr);
        rc = EXIT_FAILED;
    } else {
        rc = !strcmp(o.command, "semantic") ? run_semantic(&o, &g, graph, params) : run_query(&o, &g, graph, q, params);
        argus_graph_close(&g);
    }
    argus_config_free(&cfg);
    cJSON_Delete(params);
    return rc;
}
