/* Integration tests of argus-cognee-query against a graph the real worker built: argus-cognee-worker
 * consumes, from private topics, an inline codebase.ingested of the fixture repository
 * (test/fixtures/repo, its exact edges in test/unit/test_cognee_analyze.c) and test.created,
 * test.executed, test.failed and healing.completed events for two tenants; then every command's exact
 * answer is checked (coverage direct and through one hop, selector users in code and tests, similar
 * failures newest first, flip rates, healed selectors, statistics), tenant isolation, the limit, the
 * printed Cypher running as it is, and the exit statuses (no results 1, usage 2, FalkorDB down 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argus/stores/graph.h"
#include "it_cognee.h"
#include "it_env.h"
#include "it_kafka.h"
#include "it_proc.h"

#define FIXTURE "test/fixtures/repo"
#define TOOL "argus-cognee-query"

static struct argus_config cfg;
static char org_a[64], org_b[64];      /* tenant A (project shop) has the code; B only test events */
static char graph_a[256], graph_b[256];

/* ---- building the graph with the worker ---- */

static void send_event(rd_kafka_t *p, const char *topic, const char *type, const char *org, const char *project,
                 const char *id, const char *at, cJSON *data)
{
    char ts[64];
    snprintf(ts, sizeof ts, "2026-01-25T%s.000000+00:00", at);
    char *ev = it_gateway_event(type, org, project, id, ts, data);
    it_produce(p, topic, org, ev, strlen(ev), NULL);
    free(ev);
}

static cJSON *data_of(const char *json)
{
    cJSON *d = cJSON_Parse(json);
    assert_non_null(d);
    return d;
}

static void tenant_a_events(rd_kafka_t *p, const char *topic)
{
    const char *o = org_a, *pr = "shop";
    send_event(p, topic, "codebase.ingested", o, pr, "a-ingest", "11:00:00",
         it_inline_ingest_data(FIXTURE, "shop", "1111111111111111111111111111111111111111"));
    send_event(p, topic, "test.created", o, pr, "a-c1", "12:00:00",
         data_of("{\"test_id\":\"t-login\",\"test_name\":\"Login flow\",\"selectors\":[\"#email\",\"text=Sign in\"]}"));
    send_event(p, topic, "test.created", o, pr, "a-c2", "12:00:01",
         data_of("{\"test_id\":\"t-cart\",\"test_name\":\"Cart checkout\",\"selectors\":[\"#checkout\"]}"));
    /* t-login: passed, failed, passed, failed (3 flips in 4 runs); t-cart: 3 passes */
    static const char *const login[] = {"passed", "failed", "passed", "failed"};
    for (int i = 0; i < 4; i++) {
        char id[16], at[16], data[160];
        snprintf(id, sizeof id, "a-el%d", i);
        snprintf(at, sizeof at, "12:1%d:00", i);
        snprintf(data, sizeof data, "{\"test_id\":\"t-login\",\"run_id\":\"r%d\",\"status\":\"%s\",\"duration_ms\":%d}", i,
                 login[i], 1000 + i);
        send_event(p, topic, "test.executed", o, pr, id, at, data_of(data));
        if (i < 3) {
            snprintf(id, sizeof id, "a-ec%d", i);
            snprintf(at, sizeof at, "12:1%d:30", i);
            snprintf(data, sizeof data, "{\"test_id\":\"t-cart\",\"run_id\":\"r%d\",\"status\":\"passed\"}", i);
            send_event(p, topic, "test.executed", o, pr, id, at, data_of(data));
        }
    }
    /* Failures: f1, f2 and f4 share a fingerprint (numbers and quoted strings folded), f3 does not.
     * A failure's event time becomes its run's time: right after the run it failed. */
    send_event(p, topic, "test.failed", o, pr, "a-f1", "12:11:01",
         data_of("{\"test_id\":\"t-login\",\"failure_id\":\"f1\",\"run_id\":\"r1\",\"error_type\":\"TimeoutError\","
                 "\"error_message\":\"Timeout 30000ms exceeded waiting for locator('#email')\","
                 "\"failed_selector\":\"#email\"}"));
    send_event(p, topic, "test.failed", o, pr, "a-f2", "12:13:01",
         data_of("{\"test_id\":\"t-login\",\"failure_id\":\"f2\",\"run_id\":\"r3\",\"error_type\":\"TimeoutError\","
                 "\"error_message\":\"Timeout 5000ms exceeded waiting for locator('#email')\"}"));
    send_event(p, topic, "test.failed", o, pr, "a-f3", "12:14:00",
         data_of("{\"test_id\":\"t-cart\",\"failure_id\":\"f3\",\"error_type\":\"AssertionError\","
                 "\"error_message\":\"expected 3 items, got 2\"}"));
    send_event(p, topic, "test.failed", o, pr, "a-f4", "12:15:00",
         data_of("{\"test_id\":\"t-cart\",\"failure_id\":\"f4\",\"error_type\":\"TimeoutError\","
                 "\"error_message\":\"Timeout 10000ms exceeded waiting for locator('#checkout')\"}"));
    send_event(p, topic, "healing.completed", o, pr, "a-h1", "12:16:00",
         data_of("{\"test_id\":\"t-login\",\"original_selector\":\"#email\",\"healed_selector\":\"[data-testid=email]\","
                 "\"confidence\":0.92,\"strategy_used\":\"testid\",\"success\":true}"));
    send_event(p, topic, "healing.completed", o, pr, "a-h2", "12:17:00",
         data_of("{\"test_id\":\"t-login\",\"original_selector\":\"#email\",\"healed_selector\":\"#login-email\","
                 "\"confidence\":0.71,\"strategy_used\":\"attribute\",\"success\":true}"));
    send_event(p, topic, "healing.completed", o, pr, "a-h3", "12:18:00",
         data_of("{\"test_id\":\"t-cart\",\"original_selector\":\"#checkout\",\"healed_selector\":\"button.checkout\","
                 "\"confidence\":0.88,\"strategy_used\":\"css\",\"success\":true}"));
}

/* Tenant B: the same selector, a failure with f1's fingerprint, another healing: never in A's answers. */
static void tenant_b_events(rd_kafka_t *p, const char *topic)
{
    send_event(p, topic, "test.created", org_b, NULL, "b-c1", "12:00:00",
         data_of("{\"test_id\":\"t-b\",\"test_name\":\"Other tenant login\",\"selectors\":[\"#email\"]}"));
    send_event(p, topic, "test.failed", org_b, NULL, "b-f1", "12:30:00",
         data_of("{\"test_id\":\"t-b\",\"failure_id\":\"fb1\",\"error_type\":\"TimeoutError\","
                 "\"error_message\":\"Timeout 1000ms exceeded waiting for locator('#email')\"}"));
    send_event(p, topic, "healing.completed", org_b, NULL, "b-h1", "12:31:00",
         data_of("{\"test_id\":\"t-b\",\"original_selector\":\"#email\",\"healed_selector\":\"#b-email\","
                 "\"confidence\":0.99,\"success\":true}"));
}

static int setup(void **state)
{
    (void)state;
    it_config_load(&cfg);
    it_unique_name(org_a, sizeof org_a, "acme");
    it_unique_name(org_b, sizeof org_b, "other");
    assert_true(argus_graph_name(graph_a, sizeof graph_a, org_a, "shop") > 0);
    assert_true(argus_graph_name(graph_b, sizeof graph_b, org_b, NULL) > 0);

    struct it_cognee_worker w;
    /* one partition: events handled in the order sent */
    it_cognee_start(&w, &cfg, "cq", 1, 16 * 1024 * 1024, NULL);
    tenant_a_events(w.producer, w.in);
    tenant_b_events(w.producer, w.in);
    it_producer_flush(w.producer);
    /* Everything handled (offsets are committed only after the batch's graph writes). */
    long long lag = -1;
    for (int i = 0; i < 300 && lag != 0; i++) {
        usleep(100 * 1000);
        lag = it_group_lag(&cfg, w.group, w.in);
    }
    if (lag != 0)
        fail_msg("the worker did not consume everything (lag %lld, log: %s)", lag, w.proc.log);
    assert_int_equal(it_wait_records(&cfg, w.analyzed, 1, 10000), 1);
    assert_int_equal(it_wait_records(&cfg, w.dlq, 0, 0), 0);
    it_cognee_stop(&w);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    struct argus_graph g;
    struct argus_result res;
    assert_int_equal(argus_graph_init_config(&g, &cfg), 0);
    argus_graph_delete(&g, graph_a, &res);
    argus_graph_delete(&g, graph_b, &res);
    argus_graph_close(&g);
    argus_config_free(&cfg);
    return 0;
}

/* ---- running the tool ---- */

static char out[65536];

/* Runs the tool for tenant A (or B) with args; returns its exit status, output in `out`. */
static int run(int tenant_b, const char *const *args)
{
    const char *argv[32];
    size_t n = 0;
    argv[n++] = "--org";
    argv[n++] = tenant_b ? org_b : org_a;
    if (!tenant_b) {
        argv[n++] = "--project";
        argv[n++] = "shop";
    }
    for (size_t i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return it_run_tool(TOOL, argv, out, sizeof out);
}

/* The JSON lines of `out`, each reduced to "k1|k2|..." (null as "-"), compared with want in order. */
static void expect_rows(const char *keys, const char *const *want)
{
    size_t n = 0;
    char *copy = strdup(out), *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
        cJSON *row = cJSON_Parse(line);
        if (!row)
            fail_msg("not a JSON line: %s", line);
        char got[1024] = "", keybuf[256];
        snprintf(keybuf, sizeof keybuf, "%s", keys);
        char *ksave = NULL;
        for (char *k = strtok_r(keybuf, ",", &ksave); k; k = strtok_r(NULL, ",", &ksave)) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, k);
            char cell[256];
            if (cJSON_IsString(v))
                snprintf(cell, sizeof cell, "%s", v->valuestring);
            else if (cJSON_IsNumber(v))
                snprintf(cell, sizeof cell, "%.15g", v->valuedouble);
            else if (cJSON_IsBool(v))
                snprintf(cell, sizeof cell, "%s", cJSON_IsTrue(v) ? "true" : "false");
            else if (cJSON_IsNull(v))
                snprintf(cell, sizeof cell, "-");
            else
                fail_msg("no key %s in %s", k, line);
            strncat(got, *got ? "|" : "", sizeof got - strlen(got) - 1);
            strncat(got, cell, sizeof got - strlen(got) - 1);
        }
        cJSON_Delete(row);
        if (!want[n])
            fail_msg("unexpected row %zu: %s", n, got);
        if (strcmp(got, want[n]) != 0)
            fail_msg("row %zu: got \"%s\", want \"%s\"", n, got, want[n]);
    }
    free(copy);
    if (want[n])
        fail_msg("missing row %zu: %s (output: %s)", n, want[n], out);
}

static void json_query(int tenant_b, const char *const *args, const char *keys, const char *const *want)
{
    const char *argv[24] = {"--json"};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 23; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int rc = run(tenant_b, argv);
    if (rc != 0)
        fail_msg("%s %s: exit %d: %s", args[0], args[1] ? args[1] : "", rc, out);
    expect_rows(keys, want);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ROWS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define COVER_KEYS "test,kind,test_file,target_kind,target,target_file,how,via"

/* ---- the answers ---- */

static void covers_file(void **state)
{
    (void)state;
    json_query(0, ARGS("covers", "--file", "backend/app/services.py"), COVER_KEYS,
               ROWS("TestCheckout > test_checkout_total|TestCase|backend/tests/test_api.py|Function|compute_total|"
                    "backend/app/services.py|endpoint-calls|POST /checkout -> checkout",
                    "TestCheckout > test_compute_total|TestCase|backend/tests/test_api.py|Function|compute_total|"
                    "backend/app/services.py|direct|-",
                    "test_read_item|TestCase|backend/tests/test_api.py|Function|find_item|backend/app/services.py|"
                    "endpoint-calls|GET /v1/items/{item_id} -> read_item"));
    /* a file that defines routes: its endpoints directly, their handlers through the endpoint */
    json_query(0, ARGS("covers", "--file", "server/app.js"), "test,target_kind,target,how,via",
               ROWS("creates and reads a user|Endpoint|GET /api/users/:id|direct|-",
                    "creates and reads a user|Function|GET /api/users/:id|endpoint|GET /api/users/:id",
                    "creates and reads a user|Endpoint|POST /api/users|direct|-",
                    "creates and reads a user|Function|createUser|endpoint|POST /api/users",
                    "health endpoint answers|Endpoint|GET /api/health|direct|-",
                    "health endpoint answers|Function|GET /api/health|endpoint|GET /api/health"));
}

static void covers_function(void **state)
{
    (void)state;
    json_query(0, ARGS("covers", "--function", "formatUser"), "test,test_file,target,how,via",
               ROWS("creates and reads a user|e2e/api.spec.ts|formatUser|endpoint-calls|GET /api/users/:id -> GET "
                    "/api/users/:id",
                    "creates and reads a user|e2e/api.spec.ts|formatUser|endpoint-calls|POST /api/users -> createUser"));
    json_query(0, ARGS("covers", "--function", "status"), "test,target,how,via",
               ROWS("test_status|status|endpoint|GET /status"));
    /* by qualified name and by id */
    json_query(0, ARGS("covers", "--function", "formatPrice"), "test,kind,test_file,how",
               ROWS("Cart > formats prices|TestCase|web/lib/cart.test.ts|direct"));
    json_query(0, ARGS("covers", "--function", "shop:backend/app/services.py#fn:compute_total"), "test,how",
               ROWS("TestCheckout > test_checkout_total|endpoint-calls", "TestCheckout > test_compute_total|direct"));
    /* nothing matches / nothing covers what matches: both "no results", told apart */
    assert_int_equal(run(0, ARGS("covers", "--function", "noSuchFunction")), 1);
    assert_non_null(strstr(out, "no function or endpoint"));
    assert_int_equal(run(0, ARGS("covers", "--function", "buildReport")), 1);
    assert_non_null(strstr(out, "1 function(s)/endpoint(s) match, no test covers them"));
}

static void covers_endpoint(void **state)
{
    (void)state;
    /* by method and served route (the method in any case), by route alone, by the registered name */
    json_query(0, ARGS("covers", "--endpoint", "get /api/users/:id"), COVER_KEYS,
               ROWS("creates and reads a user|TestCase|e2e/api.spec.ts|Endpoint|GET /api/users/:id|server/app.js|"
                    "direct|-"));
    json_query(0, ARGS("covers", "--endpoint", "/api/orders/:orderId"), "test,target,target_file,how",
               ROWS("lists orders and opens the cart|GET /api/orders/:orderId|server/routes/orders.js|direct"));
    json_query(0, ARGS("covers", "--endpoint", "GET /:orderId"), "test,target",
               ROWS("lists orders and opens the cart|GET /api/orders/:orderId"));
    json_query(0, ARGS("covers", "--endpoint", "/v1/items/{item_id}", "--repo", "shop"), "test,how",
               ROWS("test_read_item|direct"));
    /* a POST route is not covered by a GET request */
    assert_int_equal(run(0, ARGS("covers", "--endpoint", "POST /v1/items/quote")), 1);
    assert_int_equal(run(0, ARGS("covers", "--endpoint", "/v1/items/{item_id}", "--repo", "another")), 1);
}

static void selector_users(void **state)
{
    (void)state;
    /* code test cases and the Argus test, not tenant B's test */
    json_query(0, ARGS("selector", "#email"), "selector,selector_kind,kind,user,file",
               ROWS("#email|css|Test|Login flow|-", "#email|css|TestCase|test_legacy_login|backend/tests/test_ui.py",
                    "#email|css|TestCase|login > signs in|e2e/login.spec.ts"));
    json_query(0, ARGS("selector", "Sign", "--like"), "selector,kind,user",
               ROWS("Sign in|TestCase|login > signs in", "button[name=Sign in]|TestCase|test_login_page",
                    "button[name=Sign in]|TestCase|login > shows the form", "text=Sign in|Test|Login flow"));
    json_query(1, ARGS("selector", "#email"), "kind,user,id", ROWS("Test|Other tenant login|t-b"));
    assert_int_equal(run(0, ARGS("selector", "Sign")), 1); /* exact match by default */
}

static void similar_failures(void **state)
{
    (void)state;
    json_query(0, ARGS("similar", "f2"), "failure,at,test,test_name,error_type,same_fingerprint",
               ROWS("f4|1769343300000|t-cart|Cart checkout|TimeoutError|true",
                    "f1|1769343061000|t-login|Login flow|TimeoutError|true"));
    assert_int_equal(run(0, ARGS("similar", "f2")), 0);
    assert_non_null(strstr(out, "f4       2026-01-25T12:15:00.000Z  t-cart")); /* text: times in ISO-8601 */
    assert_int_equal(run(0, ARGS("similar", "f3")), 1); /* its fingerprint is its own */
    /* B's failure has f1's fingerprint, but A's failures are in another graph */
    assert_int_equal(run(1, ARGS("similar", "fb1")), 1);
}

static void flaky_tests(void **state)
{
    (void)state;
    json_query(0, ARGS("flaky"), "test,name,runs,passes,fails,flips,flip_rate,last_status",
               ROWS("t-login|Login flow|4|2|2|3|0.75|failed"));
    json_query(0, ARGS("flaky", "--min-flips", "0"), "test,runs,flips,flip_rate",
               ROWS("t-login|4|3|0.75", "t-cart|3|0|0"));
    assert_int_equal(run(0, ARGS("flaky", "--min-runs", "5")), 1);
}

static void healed_selectors(void **state)
{
    (void)state;
    /* best confidence first; tenant B's healing of the same selector is not A's */
    json_query(0, ARGS("healed", "#email"), "selector,healed_to,confidence,strategy,at",
               ROWS("#email|[data-testid=email]|0.92|testid|1769343360000",
                    "#email|#login-email|0.71|attribute|1769343420000"));
    char pattern[2][64];
    for (int i = 0; i < 2; i++) {
        const char *p = strstr(out, "\"pattern\":\"");
        assert_non_null(p);
        p += strlen("\"pattern\":\"");
        snprintf(pattern[i], sizeof pattern[i], "%.*s", (int)strcspn(p, "\""), p);
        memmove(out, p, strlen(p) + 1); /* on to the next row */
    }
    json_query(0, ARGS("healed", "check", "--like"), "selector,healed_to,confidence",
               ROWS("#checkout|button.checkout|0.88"));
    json_query(1, ARGS("healed", "#email"), "healed_to,confidence,strategy", ROWS("#b-email|0.99|-"));

    /* the text form, exactly: aligned by the widest cell, times in ISO-8601 */
    char want[1024];
    snprintf(want, sizeof want,
             "selector  healed_to            confidence  strategy   at                        pattern\n"
             "#email    [data-testid=email]  0.92        testid     2026-01-25T12:16:00.000Z  %s\n"
             "#email    #login-email         0.71        attribute  2026-01-25T12:17:00.000Z  %s\n",
             pattern[0], pattern[1]);
    assert_int_equal(run(0, ARGS("healed", "#email")), 0);
    assert_string_equal(out, want);
}

static void statistics(void **state)
{
    (void)state;
    json_query(0, ARGS("stats"), "kind,name,count",
               ROWS("node|Class|2", "node|Commit|1", "node|Endpoint|12", "node|Failure|4", "node|File|20",
                    "node|Function|28", "node|HealingPattern|3", "node|Method|6", "node|Module|8",
                    "node|Repository|1", "node|Run|4", "node|Selector|15", "node|Test|2", "node|TestCase|13",
                    "node|TestFile|5", "node|TestSuite|3", "relationship|CALLS|13", "relationship|CONTAINS|67",
                    "relationship|COVERS|11", "relationship|DEFINES|12", "relationship|FAILED_WITH|4",
                    "relationship|HANDLES|12", "relationship|HEALED_TO|3", "relationship|IMPORTS|23",
                    "relationship|RAN|7", "relationship|SIMILAR_TO|3", "relationship|USES_SELECTOR|18"));
    json_query(1, ARGS("stats"), "kind,name,count",
               ROWS("node|Failure|1", "node|HealingPattern|1", "node|Selector|2", "node|Test|1",
                    "relationship|FAILED_WITH|1", "relationship|HEALED_TO|1", "relationship|USES_SELECTOR|2"));
    assert_int_equal(run(1, ARGS("covers", "--file", "server/app.js")), 1); /* B has no code */
}

/* --limit cuts and says so; --cypher prints what runs, and it runs as it is in a plain client. */
static void limit_and_cypher(void **state)
{
    (void)state;
    assert_int_equal(run(0, ARGS("--json", "--limit", "2", "covers", "--file", "server/app.js")), 0);
    assert_non_null(strstr(out, "more than 2 rows; --limit N shows more"));
    size_t json_lines = 0;
    for (const char *p = out; (p = strstr(p, "{\"test\"")) != NULL; p++)
        json_lines++;
    assert_int_equal(json_lines, 2);

    assert_int_equal(run(0, ARGS("covers", "--file", "server/app.js", "--cypher")), 0);
    assert_int_equal(strncmp(out, "CYPHER file=\"server/app.js\" function=null endpoint=null route=null method=null "
                                  "repo=null limit=201 CALL {",
                             strlen("CYPHER file=\"server/app.js\" function=null endpoint=null route=null "
                                    "method=null repo=null limit=201 CALL {")),
                     0);
    struct argus_graph g;
    struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
    struct argus_result res;
    assert_int_equal(argus_graph_init_config(&g, &cfg), 0);
    if (argus_graph_ro_query(&g, graph_a, out, NULL, &r, &res) != 0)
        fail_msg("the printed query does not run: %s", res.message);
    assert_int_equal(r.nrows, 6);
    argus_graph_result_free(&r);
    argus_graph_close(&g);
}

/* The hops the fixture has no example of, on a graph written by hand: a test that calls a helper which
 * covers an endpoint (`helper`), a test that covers a function calling the target (`calls`) and a test
 * that calls an endpoint's handler directly (`handler`). */
static void covers_hops_by_hand(void **state)
{
    (void)state;
    char org[64], g[256];
    it_unique_name(org, sizeof org, "hops");
    assert_true(argus_graph_name(g, sizeof g, org, NULL) > 0);
    struct argus_graph graph;
    struct argus_result res;
    assert_int_equal(argus_graph_init_config(&graph, &cfg), 0);
    const char *create =
        "CREATE (t1:TestCase {id: 't1', qname: 'uses helper', path: 'e2e/a.spec.ts'}),"
        " (h:Function {id: 'h', name: 'login', qname: 'pages.login', path: 'e2e/pages.ts'}),"
        " (e:Endpoint {id: 'e', name: 'POST /session', method: 'POST', route: '/api/session', path: 'srv/app.js'}),"
        " (hd:Function {id: 'hd', name: 'createSession', qname: 'createSession', path: 'srv/session.js'}),"
        " (t2:TestSuite {id: 't2', qname: 'unit', path: 'srv/session.test.js'}),"
        " (tok:Function {id: 'tok', name: 'newToken', qname: 'newToken', path: 'srv/token.js'}),"
        " (t1)-[:CALLS]->(h), (h)-[:COVERS]->(e), (hd)-[:HANDLES]->(e), (t2)-[:COVERS]->(hd),"
        " (hd)-[:CALLS]->(tok)";
    assert_int_equal(argus_graph_query(&graph, g, create, NULL, NULL, &res), 0);
    const char *argv[] = {"--graph", g, "--json", "covers", "--endpoint", "POST /api/session", NULL};
    assert_int_equal(it_run_tool(TOOL, argv, out, sizeof out), 0);
    expect_rows("test,kind,target,how,via",
                ROWS("uses helper|TestCase|POST /api/session|helper|pages.login",
                     "unit|TestSuite|POST /api/session|handler|createSession"));
    const char *argv2[] = {"--graph", g, "--json", "covers", "--function", "newToken", NULL};
    assert_int_equal(it_run_tool(TOOL, argv2, out, sizeof out), 0);
    /* one hop only: "uses helper" reaches newToken through the helper AND the handler, two hops */
    expect_rows("test,target,how,via", ROWS("unit|newToken|calls|createSession"));
    assert_int_equal(argus_graph_delete(&graph, g, &res), 0);
    argus_graph_close(&graph);
}

static void usage_and_failures(void **state)
{
    (void)state;
    const struct {
        const char *const *args;
        const char *says;
    } bad[] = {
        {ARGS("--org", "x"), "a command is needed"},
        {ARGS("--org", "x", "nonsense"), "nonsense: unknown command"},
        {ARGS("--org", "x", "covers"), "exactly one of --file, --function, --endpoint"},
        {ARGS("--org", "x", "covers", "--file", "a", "--function", "b"), "exactly one of"},
        {ARGS("--org", "x", "covers", "--file", "a", "--like"), "--like does not apply"},
        {ARGS("--org", "x", "stats", "--k", "3"), "--k does not apply"},
        {ARGS("--org", "x", "selector"), "selector needs an argument"},
        {ARGS("--org", "x", "stats", "extra"), "stats takes no argument"},
        {ARGS("--org", "x", "--graph", "y", "stats"), "give --org ORG [--project P] or --graph NAME"},
        {ARGS("stats"), "give --org"},
        {ARGS("--graph", "y", "--project", "p", "stats"), "--project needs --org"},
        {ARGS("--org", "x", "--limit", "0", "stats"), "--limit 0: expected 1..100000"},
        {ARGS("--org", "x", "semantic", "t", "--label", "Run"), "--label Run: expected"},
        {ARGS("--org", "x", "--bogus", "stats"), "--bogus: unknown option"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = it_run_tool(TOOL, bad[i].args, out, sizeof out);
        if (rc != 2 || !strstr(out, bad[i].says))
            fail_msg("case %zu: exit %d \"%s\", want 2 with \"%s\"", i, rc, out, bad[i].says);
    }
    assert_int_equal(it_run_tool(TOOL, ARGS("--help"), out, sizeof out), 0);
    assert_non_null(strstr(out, "usage: argus-cognee-query"));
    assert_int_equal(it_run_tool(TOOL, ARGS("--version"), out, sizeof out), 0);
    assert_int_equal(strncmp(out, "argus-cognee-query ", 19), 0);
    /* a bad setting is a configuration error; FalkorDB unreachable is a failure */
    setenv("FALKORDB_PORT", "notaport", 1);
    assert_int_equal(run(0, ARGS("stats")), 2);
    assert_non_null(strstr(out, "FALKORDB_PORT"));
    char port[16];
    snprintf(port, sizeof port, "%d", it_free_port());
    setenv("FALKORDB_PORT", port, 1);
    assert_int_equal(run(0, ARGS("stats")), 3);
    char real[16];
    snprintf(real, sizeof real, "%d", cfg.falkordb_port);
    setenv("FALKORDB_PORT", real, 1);
    assert_int_equal(run(0, ARGS("stats")), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(covers_file),      cmocka_unit_test(covers_function),  cmocka_unit_test(covers_endpoint),
        cmocka_unit_test(selector_users),   cmocka_unit_test(similar_failures), cmocka_unit_test(flaky_tests),
        cmocka_unit_test(healed_selectors), cmocka_unit_test(statistics),       cmocka_unit_test(limit_and_cypher),
        cmocka_unit_test(covers_hops_by_hand), cmocka_unit_test(usage_and_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
