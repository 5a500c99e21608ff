/* The Cypher of argus-cognee-query, one row per query (see query_table.h), and the document section
 * generated from it. Every query is read-only and takes its values as parameters.
 *
 * FalkorDB 4.x quirk, measured: a variable returned by a CALL {} subquery is not treated as bound by
 * an OPTIONAL MATCH that follows directly (it matches every node again); a WITH in between fixes it,
 * hence the `WITH ...` lines after the subqueries. */
#include "query_table.h"

#include <string.h>

/* The functions and endpoints a `covers` question is about: by file, by function (id, qualified or
 * simple name) or by endpoint (id, "METHOD /route as registered", or the served route with an
 * optional method), optionally within one repository of the tenant graph. */
#define COVERS_TARGETS                                                                                        \
    "CALL {\n"                                                                                                \
    "  MATCH (x:Function)\n"                                                                                  \
    "  WHERE ($repo IS NULL OR x.repo = $repo)\n"                                                             \
    "    AND (x.path = $file OR x.id = $function OR x.qname = $function OR x.name = $function)\n"            \
    "  RETURN x\n"                                                                                            \
    "  UNION\n"                                                                                               \
    "  MATCH (x:Endpoint)\n"                                                                                  \
    "  WHERE ($repo IS NULL OR x.repo = $repo)\n"                                                             \
    "    AND (x.path = $file OR x.id = $endpoint OR x.name = $endpoint\n"                                     \
    "         OR (x.route = $route AND ($method IS NULL OR x.method = $method OR x.method = 'ANY')))\n"      \
    "  RETURN x\n"                                                                                            \
    "}\n"
#define TARGET_KIND "CASE WHEN x:Endpoint THEN 'Endpoint' WHEN x:Method THEN 'Method' ELSE 'Function' END"
#define TARGET_NAME "CASE WHEN x:Endpoint THEN x.method + ' ' + x.route ELSE x.qname END"

#define COVERS_PARAMS                                                                                         \
    {"file", "repository-relative path of a source file (`--file`), else null", "'backend/app/services.py'"}, \
        {"function", "function id, qualified name or name (`--function`), else null", "null"},               \
        {"endpoint", "endpoint id or name as registered, `METHOD /path` (`--endpoint`), else null", "null"},  \
        {"route", "route as served, `/api/users/:id` (`--endpoint`), else null", "null"},                     \
        {"method", "HTTP method given with the route, else null (any method)", "null"},                       \
        {"repo", "only this repository of the tenant graph (`--repo`), else null", "null"}

static const struct cognee_query_param covers_params[] = {
    COVERS_PARAMS,
    {"limit", "most rows returned (`--limit`, default 200)", "200"},
    {NULL, NULL, NULL},
};

static const struct cognee_query_column covers_columns[] = {
    {"test", COGNEE_COL_TEXT},        {"kind", COGNEE_COL_TEXT},   {"test_file", COGNEE_COL_TEXT},
    {"target_kind", COGNEE_COL_TEXT}, {"target", COGNEE_COL_TEXT}, {"target_file", COGNEE_COL_TEXT},
    {"how", COGNEE_COL_TEXT},         {"via", COGNEE_COL_TEXT},    {NULL, 0},
};

static const struct cognee_query_column targets_columns[] = {
    {"kind", COGNEE_COL_TEXT}, {"target", COGNEE_COL_TEXT}, {"file", COGNEE_COL_TEXT}, {"id", COGNEE_COL_TEXT},
    {NULL, 0},
};

static const struct cognee_query_param selector_params[] = {
    {"selector", "the selector value (`#email`, `login-form`, `text=Sign in`)", "'#email'"},
    {"like", "true: every selector whose value contains $selector (`--like`)", "false"},
    {"limit", "most rows returned", "200"},
    {NULL, NULL, NULL},
};

static const struct cognee_query_column selector_columns[] = {
    {"selector", COGNEE_COL_TEXT}, {"selector_kind", COGNEE_COL_TEXT}, {"kind", COGNEE_COL_TEXT},
    {"user", COGNEE_COL_TEXT},     {"file", COGNEE_COL_TEXT},          {"id", COGNEE_COL_TEXT},
    {NULL, 0},
};

static const struct cognee_query_param similar_params[] = {
    {"failure", "id of the failure (its `failure_id`, else the test.failed event id)", "'f-123'"},
    {"limit", "most rows returned", "200"},
    {NULL, NULL, NULL},
};

static const struct cognee_query_column similar_columns[] = {
    {"failure", COGNEE_COL_TEXT},   {"at", COGNEE_COL_TIME_MS},    {"test", COGNEE_COL_TEXT},
    {"test_name", COGNEE_COL_TEXT}, {"error_type", COGNEE_COL_TEXT}, {"message", COGNEE_COL_TEXT},
    {"same_fingerprint", COGNEE_COL_BOOL}, {NULL, 0},
};

static const struct cognee_query_param flaky_params[] = {
    {"min_runs", "only tests with at least this many runs (`--min-runs`, default 2)", "2"},
    {"min_flips", "only tests whose status changed at least this often (`--min-flips`, default 1)", "1"},
    {"limit", "most rows returned", "200"},
    {NULL, NULL, NULL},
};

static const struct cognee_query_column flaky_columns[] = {
    {"test", COGNEE_COL_TEXT},   {"name", COGNEE_COL_TEXT},      {"runs", COGNEE_COL_NUMBER},
    {"passes", COGNEE_COL_NUMBER}, {"fails", COGNEE_COL_NUMBER}, {"flips", COGNEE_COL_NUMBER},
    {"flip_rate", COGNEE_COL_NUMBER}, {"last_status", COGNEE_COL_TEXT}, {NULL, 0},
};

static const struct cognee_query_param healed_params[] = {
    {"selector", "the selector that broke, as the healing event named it", "'#email'"},
    {"like", "true: every selector whose value contains $selector (`--like`)", "false"},
    {"limit", "most rows returned", "200"},
    {NULL, NULL, NULL},
};

static const struct cognee_query_column healed_columns[] = {
    {"selector", COGNEE_COL_TEXT},   {"healed_to", COGNEE_COL_TEXT}, {"confidence", COGNEE_COL_NUMBER},
    {"strategy", COGNEE_COL_TEXT},   {"at", COGNEE_COL_TIME_MS},     {"pattern", COGNEE_COL_TEXT},
    {NULL, 0},
};

static const struct cognee_query_param no_params[] = {{NULL, NULL, NULL}};

static const struct cognee_query_column stats_columns[] = {
    {"kind", COGNEE_COL_TEXT}, {"name", COGNEE_COL_TEXT}, {"count", COGNEE_COL_NUMBER}, {NULL, 0},
};

static const struct cognee_query_param index_params[] = {
    {"label", "`Failure`, `Function` or `TestCase` (vectors are on `<label>Embedding` nodes)", "'Failure'"},
    {NULL, NULL, NULL},
};

static const struct cognee_query_column index_columns[] = {{"dimension", COGNEE_COL_NUMBER}, {NULL, 0}};

static const struct cognee_query_param semantic_params[] = {
    {"label", "`Failure` (default), `Function` or `TestCase` (`--label`)", "'Failure'"},
    {"k", "neighbours returned (`--k`, default 10)", "10"},
    {"vector", "the embedding of the question text from the same model (EMBEDDINGS_MODEL)",
     "[0.0123, -0.0456, ...]"},
    {NULL, NULL, NULL},
};

static const struct cognee_query_column semantic_columns[] = {
    {"id", COGNEE_COL_TEXT}, {"name", COGNEE_COL_TEXT}, {"detail", COGNEE_COL_TEXT},
    {"similarity", COGNEE_COL_NUMBER}, {NULL, 0},
};

const struct cognee_query cognee_queries[] = {
    {"covers",
     "Tests (TestCase, TestSuite) that cover a file's functions and endpoints, a function or an endpoint: "
     "directly (`direct`: the test calls the function or requests the endpoint) or through one hop: "
     "`helper` (the test calls a test helper that covers it), `calls` (the test covers a function that "
     "calls it), `endpoint` (the test requests an endpoint the function handles), `endpoint-calls` (the "
     "test requests an endpoint whose handler calls it), `handler` (the test calls the endpoint's handler). "
     "`via` names the intermediate function or endpoint.",
     "argus-cognee-query --org acme --project shop covers --file backend/app/services.py",
     COVERS_TARGETS
     "CALL {\n"
     "  WITH x MATCH (t)-[:COVERS]->(x)\n"
     "  RETURN t, 'direct' AS how, NULL AS via\n"
     "  UNION\n"
     "  WITH x MATCH (t)-[:CALLS]->(h:Function)-[:COVERS]->(x)\n"
     "  RETURN t, 'helper' AS how, h.qname AS via\n"
     "  UNION\n"
     "  WITH x MATCH (t)-[:COVERS]->(f:Function)-[:CALLS]->(x)\n"
     "  RETURN t, 'calls' AS how, f.qname AS via\n"
     "  UNION\n"
     "  WITH x MATCH (t)-[:COVERS]->(e:Endpoint)<-[:HANDLES]-(x)\n"
     "  RETURN t, 'endpoint' AS how, e.method + ' ' + e.route AS via\n"
     "  UNION\n"
     "  WITH x MATCH (t)-[:COVERS]->(e:Endpoint)<-[:HANDLES]-(h:Function)-[:CALLS]->(x)\n"
     "  RETURN t, 'endpoint-calls' AS how, e.method + ' ' + e.route + ' -> ' + h.qname AS via\n"
     "  UNION\n"
     "  WITH x MATCH (t)-[:COVERS]->(h:Function)-[:HANDLES]->(x)\n"
     "  RETURN t, 'handler' AS how, h.qname AS via\n"
     "}\n"
     "WITH t, x, how, via\n"
     "WHERE t:TestCase OR t:TestSuite\n"
     "RETURN t.qname AS test, labels(t)[0] AS kind, t.path AS test_file,\n"
     "       " TARGET_KIND " AS target_kind,\n"
     "       " TARGET_NAME " AS target,\n"
     "       x.path AS target_file, how, via\n"
     "ORDER BY test_file, test, target_file, target, how, via\n"
     "LIMIT $limit",
     covers_params, covers_columns},

    {"covers-targets",
     "What a `covers` question matched (run when `covers` finds no test, to tell \"nothing matches\" from "
     "\"nothing covers it\"). Same parameters as `covers`.",
     NULL,
     COVERS_TARGETS
     "WITH x\n"
     "RETURN " TARGET_KIND " AS kind,\n"
     "       " TARGET_NAME " AS target,\n"
     "       x.path AS file, x.id AS id\n"
     "ORDER BY file, target\n"
     "LIMIT $limit",
     covers_params, targets_columns},

    {"selector",
     "Who uses a selector: code (TestCase, TestSuite, Function such as page objects, File) and Argus tests "
     "(Test, from test.created `selectors`). Selector values are stored as written in the code "
     "(`#email`, `login-form` for getByTestId) or in the event (`text=Sign in`); use `like` for a substring.",
     "argus-cognee-query --org acme --project shop selector '#email'",
     "MATCH (s:Selector)\n"
     "WHERE s.value = $selector OR ($like AND s.value CONTAINS $selector)\n"
     "MATCH (u)-[:USES_SELECTOR]->(s)\n"
     "WHERE NOT u:HealingPattern\n"
     "RETURN s.value AS selector, s.kind AS selector_kind, labels(u)[0] AS kind,\n"
     "       coalesce(u.qname, u.name, u.id) AS user, u.path AS file, u.id AS id\n"
     "ORDER BY selector, kind, file, user\n"
     "LIMIT $limit",
     selector_params, selector_columns},

    {"similar",
     "Failures like a given one: the same normalised fingerprint (error type and message with numbers, "
     "quoted strings and ids folded) or linked by SIMILAR_TO, newest first, with the test that failed. "
     "`at` is epoch milliseconds.",
     "argus-cognee-query --org acme --project shop similar f-123",
     "MATCH (f:Failure {id: $failure})\n"
     "CALL {\n"
     "  WITH f MATCH (g:Failure {fingerprint: f.fingerprint}) WHERE g.id <> f.id\n"
     "  RETURN g\n"
     "  UNION\n"
     "  WITH f MATCH (f)-[:SIMILAR_TO]-(g:Failure)\n"
     "  RETURN g\n"
     "}\n"
     "WITH f, g\n"
     "OPTIONAL MATCH (t:Test)-[:FAILED_WITH]->(g)\n"
     "RETURN g.id AS failure, g.at AS at, t.id AS test, t.name AS test_name,\n"
     "       g.error_type AS error_type, g.message AS message,\n"
     "       g.fingerprint = f.fingerprint AS same_fingerprint\n"
     "ORDER BY at DESC, failure, test\n"
     "LIMIT $limit",
     similar_params, similar_columns},

    {"flaky",
     "Argus tests by flip rate: `flips` counts status changes between consecutive runs (passed <-> failed), "
     "`flip_rate` = flips / runs.",
     "argus-cognee-query --org acme --project shop flaky --min-runs 5",
     "MATCH (t:Test)\n"
     "WHERE t.runs >= $min_runs AND t.flips >= $min_flips\n"
     "RETURN t.id AS test, t.name AS name, t.runs AS runs, t.passes AS passes, t.fails AS fails,\n"
     "       t.flips AS flips, toFloat(t.flips) / t.runs AS flip_rate, t.last_status AS last_status\n"
     "ORDER BY flip_rate DESC, flips DESC, test\n"
     "LIMIT $limit",
     flaky_params, flaky_columns},

    {"healed",
     "What a selector healed to (HEALED_TO from healing.completed), best confidence first; `pattern` is the "
     "HealingPattern id.",
     "argus-cognee-query --org acme --project shop healed '#email'",
     "MATCH (a:Selector)-[h:HEALED_TO]->(b:Selector)\n"
     "WHERE a.value = $selector OR ($like AND a.value CONTAINS $selector)\n"
     "RETURN a.value AS selector, b.value AS healed_to, h.confidence AS confidence,\n"
     "       h.strategy AS strategy, h.at AS at, h.pattern AS pattern\n"
     "ORDER BY selector, confidence DESC, at DESC, healed_to\n"
     "LIMIT $limit",
     healed_params, healed_columns},

    {"stats",
     "Nodes per label (a node counts once for each of its labels: a Method is also a Function) and "
     "relationships per type.",
     "argus-cognee-query --org acme --project shop stats",
     "CALL {\n"
     "  MATCH (n) UNWIND labels(n) AS name\n"
     "  RETURN 'node' AS kind, name, count(*) AS count\n"
     "  UNION ALL\n"
     "  MATCH ()-[r]->()\n"
     "  RETURN 'relationship' AS kind, type(r) AS name, count(*) AS count\n"
     "}\n"
     "RETURN kind, name, count\n"
     "ORDER BY kind, name",
     no_params, stats_columns},

    {"semantic-index",
     "The dimension of the vector index of a label's embeddings (no row or null: nothing was embedded for "
     "it in this graph). `semantic` checks it first.",
     NULL,
     "CALL db.indexes() YIELD label, options\n"
     "WHERE label = $label + 'Embedding'\n"
     "RETURN options.embedding.dimension AS dimension",
     index_params, index_columns},

    {"semantic",
     "Nearest neighbours of a text by embedding (optional semantic layer): the text is embedded with the "
     "configured model and looked up in the vector index of the label's embeddings (`<label>Embedding` "
     "nodes, each -EMBEDS-> the node it describes); `similarity` is the cosine similarity (1 - the index's "
     "cosine distance). The lookup asks for more than k: FalkorDB's index gives one result fewer for every "
     "vector replaced since it was built (measured on 4.16), and embeddings of removed code are dropped by "
     "the MATCH until they are pruned.",
     "argus-cognee-query --org acme --project shop semantic 'timeout waiting for the login button'",
     "CALL db.idx.vector.queryNodes($label + 'Embedding', 'embedding', 2 * $k + 10, vecf32($vector))\n"
     "YIELD node, score\n"
     "MATCH (node)-[:EMBEDS]->(n)\n"
     "RETURN n.id AS id, coalesce(n.qname, n.error_type, n.name) AS name,\n"
     "       coalesce(n.message, n.path) AS detail, 1 - score AS similarity\n"
     "ORDER BY similarity DESC, id\n"
     "LIMIT $k",
     semantic_params, semantic_columns},

    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct cognee_query *cognee_query_find(const char *name)
{
    for (const struct cognee_query *q = cognee_queries; q->name; q++)
        if (strcmp(q->name, name) == 0)
            return q;
    return NULL;
}

enum cognee_column_format cognee_query_column_format(const struct cognee_query *q, const char *name)
{
    for (const struct cognee_query_column *c = q->columns; c && c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c->format;
    return COGNEE_COL_TEXT;
}

void cognee_query_doc_markdown(struct argus_buf *out)
{
    argus_buf_puts(out, COGNEE_QUERY_DOC_BEGIN "\n");
    for (const struct cognee_query *q = cognee_queries; q->name; q++) {
        argus_buf_printf(out, "\n### `%s`\n\n%s\n\n", q->name, q->summary);
        if (q->example)
            argus_buf_printf(out, "```sh\n%s\n```\n\n", q->example);
        if (q->params[0].name) {
            argus_buf_puts(out, "| parameter | meaning | example |\n|---|---|---|\n");
            for (const struct cognee_query_param *p = q->params; p->name; p++)
                argus_buf_printf(out, "| `$%s` | %s | `%s` |\n", p->name, p->meaning, p->example);
            argus_buf_putc(out, '\n');
        }
        argus_buf_printf(out, "```cypher\n%s\n```\n", q->cypher);
    }
    argus_buf_puts(out, "\n" COGNEE_QUERY_DOC_END "\n");
}
