/* Unit tests of the cognee code analysis on the fixture repository test/fixtures/repo: exact counts
 * of every entity kind and relation type, specific edges, unresolved ambiguity, properties, and
 * determinism. Run from the repository root (scripts/run-tests does), or set COGNEE_FIXTURE.
 *
 * Expected model of the fixture, to check by hand against the files:
 *
 *   Entity     n   which
 *   File      20   every file (README.md and package.json too); TestFile flag on the 5 test files
 *                  backend/tests/test_api.py, backend/tests/test_ui.py, e2e/api.spec.ts,
 *                  e2e/login.spec.ts, web/lib/cart.test.ts
 *   Module     8   fastapi, fastapi.testclient, playwright.sync_api, selenium.webdriver.common.by,
 *                  @playwright/test, express, next/server, vitest
 *   Class      2   PriceBook (services.py), Cart (cart.ts)
 *   Function  22   main.py: status, checkout | items.py: read_item, list_items, quote |
 *                  services.py: compute_total, find_item, _label | app.js: "GET /api/health" and
 *                  "GET /api/users/:id" (inline handlers), createUser | dates.js: formatDate |
 *                  orders.js: "GET /:orderId" (inline), listOrders | users.js: formatUser,
 *                  normaliseName, loadUser | route.ts: GET, POST | format.ts: formatPrice, formatDate |
 *                  report.ts: buildReport
 *   Method     6   PriceBook.__init__/lookup/_get, Cart.add/total/sum
 *   Endpoint  12   main.py: GET /status, POST /checkout | items.py (APIRouter prefix /items, mounted
 *                  under /v1): GET /v1/items/{item_id}, GET /v1/items, POST /v1/items/quote |
 *                  app.js: GET /api/health, GET /api/users/:id, POST /api/users | orders.js (mounted
 *                  under /api/orders): GET /api/orders, GET /api/orders/:orderId |
 *                  route.ts (Next.js): GET /api/cart, POST /api/cart
 *   TestSuite  3   TestCheckout, login, Cart (vitest describe)
 *   TestCase  13   test_api.py: test_status, test_read_item, TestCheckout > test_checkout_total,
 *                  TestCheckout > test_compute_total | test_ui.py: test_login_page,
 *                  test_legacy_login | api.spec.ts: 3 tests | login.spec.ts: login > shows the form,
 *                  login > signs in | cart.test.ts: Cart > sums items, Cart > formats prices
 *   Selector   9   role:button[name=Sign in], testid:login-form, css:#email (page.fill and
 *                  By.ID), testid:password ([data-testid="password"]), label:Remember me,
 *                  text:Sign in (text=Sign in), text:Welcome, css:#checkout, css:button.primary
 *
 *   Relation       n   which
 *   CONTAINS      46   file -> its 36 top-level definitions (functions, classes, suites, tests),
 *                      PriceBook -> 3, Cart -> 3, TestCheckout -> 2, login -> 2, Cart suite -> 2
 *   DEFINES       12   file -> each endpoint it registers
 *   IMPORTS       23   main.py 3, items.py 2, test_api.py 3, test_ui.py 2, api.spec.ts 1,
 *                      login.spec.ts 1, app.js 3, orders.js 2, route.ts 2, cart.test.ts 3, cart.ts 1
 *   CALLS         13   checkout->compute_total, read_item->find_item, list_items->find_item,
 *                      quote->compute_total, find_item->_label, PriceBook.lookup->_get,
 *                      "GET /api/users/:id"->loadUser and ->formatUser, createUser->formatUser,
 *                      "GET /:orderId"->formatDate (server/dates.js, through require),
 *                      formatUser->normaliseName, Cart.total->formatPrice, Cart.total->Cart.sum;
 *                      NOT buildReport->formatDate (two definitions, no import: ambiguous)
 *   HANDLES       12   one handler per endpoint (inline, by name, decorated, Next.js export)
 *   COVERS        11   9 test->endpoint: test_status, test_read_item, test_checkout_total,
 *                      health endpoint answers, creates and reads a user (POST /api/users and
 *                      GET /api/users/:id), lists orders and opens the cart (GET /api/orders,
 *                      GET /api/orders/:orderId, GET /api/cart); 2 test->function:
 *                      test_compute_total->compute_total, formats prices->formatPrice
 *   USES_SELECTOR 12   test_ui.py 4, api.spec.ts 1, login.spec.ts 7
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code_model.h"
#include "code_tree.h"

#define R "shop:"

static const char *fixture_dir(void)
{
    const char *d = getenv("COGNEE_FIXTURE");
    return d ? d : "test/fixtures/repo";
}

static struct code_model *load_fixture(int threads)
{
    struct code_model *m = code_model_new("shop");
    assert_non_null(m);
    struct code_tree_stats st;
    assert_int_equal(code_analyze_tree(m, fixture_dir(), threads, &st), 0);
    assert_int_equal(st.files, 20);
    assert_int_equal(st.unreadable, 0);
    assert_int_equal(code_model_resolve(m), 0);
    return m;
}

static int setup(void **state)
{
    *state = load_fixture(1);
    return 0;
}

static int teardown(void **state)
{
    code_model_free(*state);
    return 0;
}

static void exact_counts(void **state)
{
    const struct code_model *m = *state;
    static const size_t kinds[CODE_KIND_COUNT] = {
        [CODE_FILE] = 20, [CODE_MODULE] = 8, [CODE_CLASS] = 2, [CODE_FUNCTION] = 22, [CODE_METHOD] = 6,
        [CODE_ENDPOINT] = 12, [CODE_TEST_SUITE] = 3, [CODE_TEST_CASE] = 13, [CODE_SELECTOR] = 9,
    };
    static const size_t rels[CODE_REL_COUNT] = {
        [CODE_CONTAINS] = 46, [CODE_DEFINES] = 12, [CODE_IMPORTS] = 23, [CODE_CALLS] = 13,
        [CODE_HANDLES] = 12, [CODE_COVERS] = 11, [CODE_USES_SELECTOR] = 12,
    };
    for (int k = 0; k < CODE_KIND_COUNT; k++) {
        size_t got = code_model_count(m, (enum code_kind)k);
        if (got != kinds[k])
            fail_msg("%s: expected %zu, got %zu", code_kind_name((enum code_kind)k), kinds[k], got);
    }
    for (int r = 0; r < CODE_REL_COUNT; r++) {
        size_t got = code_model_count_rel(m, (enum code_rel)r);
        if (got != rels[r])
            fail_msg("%s: expected %zu, got %zu", code_rel_name((enum code_rel)r), rels[r], got);
    }
    size_t test_files = 0;
    for (size_t i = 0; i < m->n_entities; i++)
        test_files += m->entities[i].kind == CODE_FILE && (m->entities[i].flags & CODE_F_TEST);
    assert_int_equal(test_files, 5);
}

struct edge {
    enum code_rel type;
    const char *src, *dst;
};

static void assert_edges(const struct code_model *m, const struct edge *edges, size_t n, int present)
{
    for (size_t i = 0; i < n; i++) {
        int has = code_model_has_rel(m, edges[i].type, edges[i].src, edges[i].dst);
        if (has != present)
            fail_msg("%s %s -> %s: expected %s", code_rel_name(edges[i].type), edges[i].src, edges[i].dst,
                     present ? "present" : "absent");
    }
}

static void specific_edges(void **state)
{
    const struct code_model *m = *state;
    static const struct edge edges[] = {
        /* tests covering endpoints, with path parameters, base URLs, mounts and Next.js routes */
        {CODE_COVERS, R "e2e/api.spec.ts#test:health endpoint answers", R "server/app.js#endpoint:GET /api/health"},
        {CODE_COVERS, R "e2e/api.spec.ts#test:creates and reads a user", R "server/app.js#endpoint:GET /api/users/:id"},
        {CODE_COVERS, R "e2e/api.spec.ts#test:creates and reads a user", R "server/app.js#endpoint:POST /api/users"},
        {CODE_COVERS, R "e2e/api.spec.ts#test:lists orders and opens the cart", R "server/routes/orders.js#endpoint:GET /"},
        {CODE_COVERS, R "e2e/api.spec.ts#test:lists orders and opens the cart",
         R "server/routes/orders.js#endpoint:GET /:orderId"},
        {CODE_COVERS, R "e2e/api.spec.ts#test:lists orders and opens the cart",
         R "web/app/api/cart/route.ts#endpoint:GET /api/cart"},
        {CODE_COVERS, R "backend/tests/test_api.py#test:test_status", R "backend/app/main.py#endpoint:GET /status"},
        {CODE_COVERS, R "backend/tests/test_api.py#test:test_read_item",
         R "backend/app/routers/items.py#endpoint:GET /items/{item_id}"},
        {CODE_COVERS, R "backend/tests/test_api.py#test:TestCheckout > test_checkout_total",
         R "backend/app/main.py#endpoint:POST /checkout"},
        /* tests covering functions they call through an import */
        {CODE_COVERS, R "backend/tests/test_api.py#test:TestCheckout > test_compute_total",
         R "backend/app/services.py#fn:compute_total"},
        {CODE_COVERS, R "web/lib/cart.test.ts#test:Cart > formats prices", R "web/lib/format.ts#fn:formatPrice"},
        /* selectors, normalised and shared across languages */
        {CODE_USES_SELECTOR, R "e2e/login.spec.ts#test:login > shows the form", "shop#selector:role:button[name=Sign in]"},
        {CODE_USES_SELECTOR, R "e2e/login.spec.ts#test:login > shows the form", "shop#selector:testid:login-form"},
        {CODE_USES_SELECTOR, R "e2e/login.spec.ts#test:login > signs in", "shop#selector:css:#email"},
        {CODE_USES_SELECTOR, R "e2e/login.spec.ts#test:login > signs in", "shop#selector:testid:password"},
        {CODE_USES_SELECTOR, R "e2e/login.spec.ts#test:login > signs in", "shop#selector:label:Remember me"},
        {CODE_USES_SELECTOR, R "e2e/login.spec.ts#test:login > signs in", "shop#selector:text:Sign in"},
        {CODE_USES_SELECTOR, R "backend/tests/test_ui.py#test:test_legacy_login", "shop#selector:css:#email"},
        {CODE_USES_SELECTOR, R "backend/tests/test_ui.py#test:test_login_page", "shop#selector:role:button[name=Sign in]"},
        {CODE_USES_SELECTOR, R "e2e/api.spec.ts#test:lists orders and opens the cart", "shop#selector:css:#checkout"},
        /* calls: same file, through require/import (incl. Python relative and submodule imports), self */
        {CODE_CALLS, R "server/users.js#fn:formatUser", R "server/users.js#fn:normaliseName"},
        {CODE_CALLS, R "server/app.js#fn:GET /api/users/:id", R "server/users.js#fn:loadUser"},
        {CODE_CALLS, R "server/app.js#fn:createUser", R "server/users.js#fn:formatUser"},
        {CODE_CALLS, R "server/routes/orders.js#fn:GET /:orderId", R "server/dates.js#fn:formatDate"},
        {CODE_CALLS, R "web/lib/cart.ts#fn:Cart.total", R "web/lib/format.ts#fn:formatPrice"},
        {CODE_CALLS, R "web/lib/cart.ts#fn:Cart.total", R "web/lib/cart.ts#fn:Cart.sum"},
        {CODE_CALLS, R "backend/app/routers/items.py#fn:read_item", R "backend/app/services.py#fn:find_item"},
        {CODE_CALLS, R "backend/app/main.py#fn:checkout", R "backend/app/services.py#fn:compute_total"},
        {CODE_CALLS, R "backend/app/services.py#fn:PriceBook.lookup", R "backend/app/services.py#fn:PriceBook._get"},
        /* handlers: inline, by name (declared later in the file), decorated, Next.js exports */
        {CODE_HANDLES, R "server/app.js#fn:GET /api/health", R "server/app.js#endpoint:GET /api/health"},
        {CODE_HANDLES, R "server/app.js#fn:createUser", R "server/app.js#endpoint:POST /api/users"},
        {CODE_HANDLES, R "server/routes/orders.js#fn:listOrders", R "server/routes/orders.js#endpoint:GET /"},
        {CODE_HANDLES, R "backend/app/routers/items.py#fn:quote", R "backend/app/routers/items.py#endpoint:POST /items/quote"},
        {CODE_HANDLES, R "web/app/api/cart/route.ts#fn:POST", R "web/app/api/cart/route.ts#endpoint:POST /api/cart"},
        /* structure */
        {CODE_DEFINES, R "server/app.js", R "server/app.js#endpoint:GET /api/health"},
        {CODE_CONTAINS, R "backend/app/services.py#class:PriceBook", R "backend/app/services.py#fn:PriceBook.lookup"},
        {CODE_CONTAINS, R "e2e/login.spec.ts#suite:login", R "e2e/login.spec.ts#test:login > signs in"},
        {CODE_CONTAINS, R "backend/tests/test_api.py#suite:TestCheckout",
         R "backend/tests/test_api.py#test:TestCheckout > test_compute_total"},
        {CODE_IMPORTS, R "backend/tests/test_api.py", R "backend/app/main.py"},
        {CODE_IMPORTS, R "backend/app/main.py", R "backend/app/routers/items.py"},
        {CODE_IMPORTS, R "web/app/api/cart/route.ts", R "web/lib/cart.ts"},
        {CODE_IMPORTS, R "server/app.js", R "server/routes/orders.js"},
        {CODE_IMPORTS, R "server/app.js", "shop#module:express"},
    };
    assert_edges(m, edges, sizeof edges / sizeof edges[0], 1);
    static const struct edge absent[] = {
        /* formatDate is defined twice and report.ts imports neither: never guessed */
        {CODE_CALLS, R "web/lib/report.ts#fn:buildReport", R "web/lib/format.ts#fn:formatDate"},
        {CODE_CALLS, R "web/lib/report.ts#fn:buildReport", R "server/dates.js#fn:formatDate"},
        /* a GET request never covers a POST route */
        {CODE_COVERS, R "backend/tests/test_api.py#test:test_read_item",
         R "backend/app/routers/items.py#endpoint:POST /items/quote"},
    };
    assert_edges(m, absent, sizeof absent / sizeof absent[0], 0);
    /* buildReport calls nothing it can be sure of */
    long br = code_model_index(m, R "web/lib/report.ts#fn:buildReport");
    assert_true(br >= 0);
    for (size_t i = 0; i < m->n_relations; i++)
        assert_false(m->relations[i].type == CODE_CALLS && m->relations[i].src == (uint32_t)br);
}

static void properties(void **state)
{
    const struct code_model *m = *state;
    const struct code_entity *e = code_model_find(m, R "README.md");
    assert_non_null(e);
    assert_string_equal(e->language, "markdown");
    assert_int_equal(e->lines, 6);
    assert_false(e->flags & CODE_F_PARSED);
    e = code_model_find(m, R "server/users.js");
    assert_non_null(e);
    assert_string_equal(e->language, "javascript");
    assert_true(e->flags & CODE_F_PARSED);
    assert_false(e->flags & CODE_F_SYNTAX_ERROR);
    assert_int_equal(strlen(e->hash), 40);

    e = code_model_find(m, R "server/users.js#fn:loadUser");
    assert_non_null(e);
    assert_int_equal(e->start_line, 9);
    assert_int_equal(e->end_line, 11);
    assert_int_equal(e->params, 1);
    assert_true(e->flags & CODE_F_ASYNC);
    assert_true(e->flags & CODE_F_EXPORTED);
    e = code_model_find(m, R "server/users.js#fn:normaliseName");
    assert_false(e->flags & CODE_F_EXPORTED);
    e = code_model_find(m, R "web/lib/format.ts#fn:formatPrice");
    assert_int_equal(e->params, 2);
    e = code_model_find(m, R "backend/app/services.py#fn:PriceBook.lookup");
    assert_int_equal(e->kind, CODE_METHOD);
    assert_string_equal(e->qname, "PriceBook.lookup");
    assert_int_equal(e->params, 1);   /* self is not counted */

    e = code_model_find(m, R "backend/app/routers/items.py#endpoint:GET /items/{item_id}");
    assert_non_null(e);
    assert_string_equal(e->http_method, "GET");
    assert_string_equal(e->route, "/v1/items/{item_id}");
    assert_string_equal(e->framework, "fastapi");
    e = code_model_find(m, R "server/routes/orders.js#endpoint:GET /:orderId");
    assert_string_equal(e->route, "/api/orders/:orderId");
    assert_string_equal(e->framework, "express");
    e = code_model_find(m, R "web/app/api/cart/route.ts#endpoint:POST /api/cart");
    assert_string_equal(e->framework, "nextjs");
    e = code_model_find(m, R "server/app.js#fn:GET /api/users/:id");
    assert_true(e->flags & CODE_F_ANONYMOUS);

    e = code_model_find(m, R "e2e/login.spec.ts#test:login > signs in");
    assert_string_equal(e->framework, "playwright");
    assert_true(e->flags & CODE_F_ASYNC);
    e = code_model_find(m, R "web/lib/cart.test.ts#test:Cart > sums items");
    assert_string_equal(e->framework, "vitest");
    e = code_model_find(m, R "backend/tests/test_ui.py#test:test_login_page");
    assert_string_equal(e->framework, "pytest");
    e = code_model_find(m, "shop#selector:testid:password");
    assert_string_equal(e->selector_kind, "testid");
    assert_string_equal(e->name, "password");
    e = code_model_find(m, "shop#module:express");
    assert_true(e->flags & CODE_F_EXTERNAL);
}

/* Same input twice (sequential, then on parse threads): identical arrays. Input in another order:
 * the same ids and edges. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **edge_keys(const struct code_model *m)
{
    char **keys = calloc(m->n_relations, sizeof *keys);
    assert_non_null(keys);
    for (size_t i = 0; i < m->n_relations; i++) {
        const struct code_relation *r = &m->relations[i];
        size_t n = strlen(m->entities[r->src].id) + strlen(m->entities[r->dst].id) + 32;
        keys[i] = malloc(n);
        snprintf(keys[i], n, "%s|%s|%s", code_rel_name(r->type), m->entities[r->src].id, m->entities[r->dst].id);
    }
    qsort(keys, m->n_relations, sizeof *keys, cmp_str);
    return keys;
}

static void free_keys(char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

static void deterministic(void **state)
{
    const struct code_model *a = *state;
    struct code_model *b = load_fixture(3);   /* parsed on 3 threads: still the same model */
    assert_int_equal(a->n_entities, b->n_entities);
    assert_int_equal(a->n_relations, b->n_relations);
    for (size_t i = 0; i < a->n_entities; i++)
        assert_string_equal(a->entities[i].id, b->entities[i].id);
    for (size_t i = 0; i < a->n_relations; i++) {
        assert_int_equal(a->relations[i].type, b->relations[i].type);
        assert_int_equal(a->relations[i].src, b->relations[i].src);
        assert_int_equal(a->relations[i].dst, b->relations[i].dst);
        assert_int_equal(a->relations[i].line, b->relations[i].line);
    }
    code_model_free(b);

    /* The files of the fixture in reverse order (the CLI/tree order reversed). */
    struct code_model *c = code_model_new("shop");
    for (size_t i = a->n_entities; i-- > 0;) {
        const struct code_entity *f = &a->entities[i];
        if (f->kind != CODE_FILE)
            continue;
        char full[1024];
        snprintf(full, sizeof full, "%s/%s", fixture_dir(), f->path);
        FILE *fp = fopen(full, "rb");
        assert_non_null(fp);
        char *buf = malloc(f->size + 1);
        assert_int_equal(fread(buf, 1, f->size, fp), f->size);
        fclose(fp);
        assert_int_equal(code_analyze_file(c, f->path, buf, f->size), 0);
        free(buf);
    }
    assert_int_equal(code_model_resolve(c), 0);
    assert_int_equal(c->n_entities, a->n_entities);
    assert_int_equal(c->n_relations, a->n_relations);
    for (size_t i = 0; i < a->n_entities; i++)
        assert_non_null(code_model_find(c, a->entities[i].id));
    char **ka = edge_keys(a), **kc = edge_keys(c);
    for (size_t i = 0; i < a->n_relations; i++)
        assert_string_equal(ka[i], kc[i]);
    free_keys(ka, a->n_relations);
    free_keys(kc, c->n_relations);
    code_model_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(exact_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(specific_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(properties, setup, teardown),
        cmocka_unit_test_setup_teardown(deterministic, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
