/* Unit tests of the cognee code analysis on small inline sources: each framework convention the
 * fixture repository does not show (Fastify, Flask, Django, Cypress, Testing Library, Selenium for
 * JavaScript, pages/api, router.route chains, re-exports), the string conventions (selector
 * normalisation, request paths, route matching, Next.js routes, test-file names), and robustness
 * (syntax errors, binary and huge files, invalid UTF-8, deep nesting). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code_internal.h"

struct src {
    const char *path;
    const char *content;
};

static struct code_model *model_of(const struct src *files, size_t n)
{
    struct code_model *m = code_model_new("r");
    assert_non_null(m);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(code_analyze_file(m, files[i].path, files[i].content, strlen(files[i].content)), 0);
    assert_int_equal(code_model_resolve(m), 0);
    return m;
}
#define MODEL(...)                                                                                  \
    ({                                                                                              \
        static const struct src files_[] = {__VA_ARGS__};                                           \
        model_of(files_, sizeof files_ / sizeof files_[0]);                                         \
    })

static void assert_has(const struct code_model *m, enum code_rel t, const char *src, const char *dst)
{
    if (!code_model_has_rel(m, t, src, dst))
        fail_msg("missing %s %s -> %s", code_rel_name(t), src, dst);
}

static void assert_entity(const struct code_model *m, const char *id)
{
    if (!code_model_find(m, id))
        fail_msg("missing entity %s", id);
}

static void selector_normalisation(void **state)
{
    (void)state;
    struct code_arena a = {0};
    static const struct {
        const char *hint, *in, *kind, *out;
    } cases[] = {
        {"css", "#login", "css", "#login"},
        {"css", "  .btn.primary ", "css", ".btn.primary"},
        {"css", "[data-testid=\"save\"]", "testid", "save"},
        {"css", "[data-cy='submit']", "testid", "submit"},
        {"css", "[data-test=x] span", "css", "[data-test=x] span"},
        {"css", "xpath=//div[@id='a']", "xpath", "//div[@id='a']"},
        {"css", "//button", "xpath", "//button"},
        {"css", "text=\"Sign in\"", "text", "Sign in"},
        {"css", "id=main", "css", "#main"},
        {"css", "data-testid=cart", "testid", "cart"},
        {"css", "css=div > a", "css", "div > a"},
        {"id", "email", "css", "#email"},
        {"id", "1st field", "css", "[id=\"1st field\"]"},
        {"class", "primary", "css", ".primary"},
        {"name", "q", "css", "[name=\"q\"]"},
        {"tag", "button", "css", "button"},
        {"link", "Home", "text", "Home"},
        {"role", "button[name=Save]", "role", "button[name=Save]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *kind, *out;
        assert_int_equal(code_selector_normalise(&a, cases[i].hint, cases[i].in, &kind, &out), 0);
        assert_string_equal(kind, cases[i].kind);
        assert_string_equal(out, cases[i].out);
    }
    const char *kind, *out;
    assert_int_equal(code_selector_normalise(&a, "css", "   ", &kind, &out), -1);
    code_arena_free(&a);
}

static void url_paths(void **state)
{
    (void)state;
    struct code_arena a = {0};
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"/api/users", "/api/users"},
        {"/api/users/", "/api/users"},
        {"http://localhost:3000/api/x?y=1#z", "/api/x"},
        {"https://shop.example", "/"},
        {"/", "/"},
        {"/users/\x01/orders", "/users/*/orders"},
        {"\x01/api/items", "/api/items"},
        {"//double//slash", "/double/slash"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = code_url_path(&a, cases[i].in);
        assert_non_null(p);
        assert_string_equal(p, cases[i].out);
    }
    assert_null(code_url_path(&a, "users"));
    assert_null(code_url_path(&a, "\x01"));
    assert_null(code_url_path(&a, ""));
    code_arena_free(&a);
}

static void route_matching(void **state)
{
    (void)state;
    assert_true(code_route_match("/api/users", "/api/users") > 0);
    assert_true(code_route_match("/users/:id", "/users/42") > 0);
    assert_true(code_route_match("/users/{id}", "/users/*") > 0);
    assert_true(code_route_match("/users/<int:pk>", "/users/7") > 0);
    assert_true(code_route_match("/api/items/[id]", "/api/items/9") > 0);
    assert_true(code_route_match("/docs/[...slug]", "/docs/a/b") > 0);
    assert_int_equal(code_route_match("/docs/[...slug]", "/docs"), 0);
    assert_true(code_route_match("/docs/[[...slug]]", "/docs") > 0);
    assert_true(code_route_match("/files/{rest:path}", "/files/a/b/c") > 0);
    assert_true(code_route_match("/", "/") > 0);
    assert_int_equal(code_route_match("/users/me", "/users/*"), 0);   /* an unknown value is not "me" */
    assert_int_equal(code_route_match("/users/:id", "/users"), 0);
    assert_int_equal(code_route_match("/users", "/users/1"), 0);
    /* literal segments are more specific than parameters */
    assert_true(code_route_match("/users/me", "/users/me") > code_route_match("/users/:id", "/users/me"));
}

static void nextjs_routes(void **state)
{
    (void)state;
    struct code_arena a = {0};
    int pages;
    static const struct {
        const char *path, *route;
        int pages;
    } cases[] = {
        {"app/api/users/route.ts", "/api/users", 0},
        {"src/app/api/users/[id]/route.js", "/api/users/[id]", 0},
        {"apps/web/app/(shop)/cart/@modal/route.tsx", "/cart", 0},
        {"app/route.ts", "/", 0},
        {"pages/api/hello.ts", "/api/hello", 1},
        {"web/pages/api/users/index.js", "/api/users", 1},
        {"src/pages/api/users/[id].ts", "/api/users/[id]", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *r = code_nextjs_route(&a, cases[i].path, &pages);
        assert_non_null(r);
        assert_string_equal(r, cases[i].route);
        assert_int_equal(pages, cases[i].pages);
    }
    assert_null(code_nextjs_route(&a, "app/api/users/handler.ts", &pages));
    assert_null(code_nextjs_route(&a, "pages/about.tsx", &pages));
    assert_null(code_nextjs_route(&a, "app/api/route.py", &pages));
    code_arena_free(&a);
}

static void test_paths_and_languages(void **state)
{
    (void)state;
    assert_int_equal(code_path_is_test("src/cart.test.ts"), 2);
    assert_int_equal(code_path_is_test("e2e/login.spec.js"), 2);
    assert_int_equal(code_path_is_test("cypress/e2e/home.cy.ts"), 2);
    assert_int_equal(code_path_is_test("tests/test_api.py"), 2);
    assert_int_equal(code_path_is_test("pkg/api_test.py"), 2);
    assert_int_equal(code_path_is_test("tests/conftest.py"), 2);
    assert_int_equal(code_path_is_test("e2e/pages/login.page.ts"), 1);
    assert_int_equal(code_path_is_test("src/__tests__/helpers.js"), 1);
    assert_int_equal(code_path_is_test("src/testing.py"), 0);
    assert_int_equal(code_path_is_test("src/contest.ts"), 0);
    assert_string_equal(code_language_for_path("a/b.mjs"), "javascript");
    assert_string_equal(code_language_for_path("a/b.tsx"), "tsx");
    assert_string_equal(code_language_for_path("a/b.pyi"), "python");
    assert_string_equal(code_language_for_path("Dockerfile"), "dockerfile");
    assert_string_equal(code_language_for_path("x/README.MD"), "markdown");
    assert_string_equal(code_language_for_path("x/.env"), "unknown");
    assert_string_equal(code_language_for_path("x/noext"), "unknown");
}

static void fastify_and_route_chains(void **state)
{
    (void)state;
    struct code_model *m = MODEL({"srv.js", "const fastify = require('fastify')();\n"
                                            "fastify.get('/ping', async () => 'pong');\n"
                                            "fastify.route({ method: ['GET', 'POST'], url: '/things/:id', handler: thing });\n"
                                            "function thing(req) { return helper(req); }\n"
                                            "function helper(x) { return x; }\n"
                                            "router.route('/book').get(getBook).post((req, res) => res.end());\n"
                                            "function getBook() {}\n"
                                            "axios.get('/not/a/route', { params: 1 });\n"});
    assert_entity(m, "r:srv.js#endpoint:GET /ping");
    assert_string_equal(code_model_find(m, "r:srv.js#endpoint:GET /ping")->framework, "fastify");
    assert_has(m, CODE_HANDLES, "r:srv.js#fn:GET /ping", "r:srv.js#endpoint:GET /ping");
    assert_has(m, CODE_HANDLES, "r:srv.js#fn:thing", "r:srv.js#endpoint:GET /things/:id");
    assert_has(m, CODE_HANDLES, "r:srv.js#fn:thing", "r:srv.js#endpoint:POST /things/:id");
    assert_has(m, CODE_CALLS, "r:srv.js#fn:thing", "r:srv.js#fn:helper");
    assert_has(m, CODE_HANDLES, "r:srv.js#fn:getBook", "r:srv.js#endpoint:GET /book");
    assert_has(m, CODE_HANDLES, "r:srv.js#fn:POST /book", "r:srv.js#endpoint:POST /book");
    assert_int_equal(code_model_count(m, CODE_ENDPOINT), 5);   /* not the axios call */
    code_model_free(m);
}

static void flask_and_django(void **state)
{
    (void)state;
    struct code_model *m = MODEL(
        {"shop/views.py", "from flask import Blueprint\n"
                          "bp = Blueprint('shop', __name__, url_prefix='/shop')\n"
                          "@bp.route('/cart', methods=['GET', 'POST'])\n"
                          "def cart():\n    return total()\n"
                          "@bp.route('/about')\n"
                          "def about():\n    pass\n"
                          "def total():\n    return 1\n"},
        {"site/urls.py", "from django.urls import path, include\n"
                         "from . import views\n"
                         "urlpatterns = [\n"
                         "    path('users/<int:pk>/', views.user_detail),\n"
                         "    path('api/', include('site.api_urls')),\n"
                         "]\n"},
        {"site/views.py", "def user_detail(request, pk):\n    return None\n"},
        {"site/api_urls.py", "from django.urls import path\nfrom .views import user_detail\n"
                             "urlpatterns = [path('me/', user_detail)]\n"},
        {"tests/test_site.py", "def test_user(client):\n    client.get('/users/3/')\n"
                               "def test_cart(client):\n    client.post('/shop/cart')\n"
                               "def test_me(client):\n    client.get('/api/me/')\n"});
    assert_has(m, CODE_HANDLES, "r:shop/views.py#fn:cart", "r:shop/views.py#endpoint:GET /shop/cart");
    assert_has(m, CODE_HANDLES, "r:shop/views.py#fn:cart", "r:shop/views.py#endpoint:POST /shop/cart");
    assert_has(m, CODE_HANDLES, "r:shop/views.py#fn:about", "r:shop/views.py#endpoint:GET /shop/about");
    assert_has(m, CODE_CALLS, "r:shop/views.py#fn:cart", "r:shop/views.py#fn:total");
    assert_string_equal(code_model_find(m, "r:shop/views.py#endpoint:GET /shop/cart")->framework, "flask");
    assert_has(m, CODE_HANDLES, "r:site/views.py#fn:user_detail", "r:site/urls.py#endpoint:ANY /users/<int:pk>/");
    assert_has(m, CODE_HANDLES, "r:site/views.py#fn:user_detail", "r:site/api_urls.py#endpoint:ANY /me/");
    assert_string_equal(code_model_find(m, "r:site/api_urls.py#endpoint:ANY /me/")->route, "/api/me/");
    assert_has(m, CODE_COVERS, "r:tests/test_site.py#test:test_user", "r:site/urls.py#endpoint:ANY /users/<int:pk>/");
    assert_has(m, CODE_COVERS, "r:tests/test_site.py#test:test_cart", "r:shop/views.py#endpoint:POST /shop/cart");
    assert_has(m, CODE_COVERS, "r:tests/test_site.py#test:test_me", "r:site/api_urls.py#endpoint:ANY /me/");
    code_model_free(m);
}

static void cypress_testing_library_selenium(void **state)
{
    (void)state;
    struct code_model *m = MODEL(
        {"cypress/e2e/cart.cy.js", "describe('cart', () => {\n"
                                   "  it('adds', () => {\n"
                                   "    cy.visit('/shop');\n"
                                   "    cy.get('[data-cy=add]').click();\n"
                                   "    cy.get('form').find('input.qty').type('2');\n"
                                   "    cy.contains('Added');\n"
                                   "    cy.request('POST', '/api/cart');\n"
                                   "  });\n"
                                   "  it.skip('later', () => {});\n"
                                   "});\n"},
        {"src/Button.test.jsx", "import { render, screen } from '@testing-library/react';\n"
                                "test('renders', () => {\n"
                                "  screen.getByRole('button', { name: /save/i });\n"
                                "  screen.queryAllByTestId('row');\n"
                                "  screen.findByLabelText('Email');\n"
                                "  screen.getByPlaceholderText('Search');\n"
                                "});\n"},
        {"test/web.spec.js", "const { Builder, By } = require('selenium-webdriver');\n"
                             "it('logs in', async () => {\n"
                             "  await driver.findElement(By.id('user')).sendKeys('a');\n"
                             "  await driver.findElement(By.css('button[type=submit]')).click();\n"
                             "  await driver.findElement(By.xpath('//h1'));\n"
                             "});\n"},
        {"api/cart.js", "app.post('/api/cart', (req, res) => res.end());\n"});
    const char *adds = "r:cypress/e2e/cart.cy.js#test:cart > adds";
    assert_has(m, CODE_USES_SELECTOR, adds, "r#selector:testid:add");
    assert_has(m, CODE_USES_SELECTOR, adds, "r#selector:css:form");
    assert_has(m, CODE_USES_SELECTOR, adds, "r#selector:css:input.qty");
    assert_has(m, CODE_USES_SELECTOR, adds, "r#selector:text:Added");
    assert_has(m, CODE_COVERS, adds, "r:api/cart.js#endpoint:POST /api/cart");
    assert_string_equal(code_model_find(m, adds)->framework, "cypress");
    assert_true(code_model_find(m, "r:cypress/e2e/cart.cy.js#test:cart > later")->flags & CODE_F_SKIPPED);
    const char *renders = "r:src/Button.test.jsx#test:renders";
    assert_has(m, CODE_USES_SELECTOR, renders, "r#selector:testid:row");
    assert_has(m, CODE_USES_SELECTOR, renders, "r#selector:label:Email");
    assert_has(m, CODE_USES_SELECTOR, renders, "r#selector:placeholder:Search");
    assert_has(m, CODE_USES_SELECTOR, renders, "r#selector:role:button");   /* a regex name is not kept */
    const char *logs = "r:test/web.spec.js#test:logs in";
    assert_has(m, CODE_USES_SELECTOR, logs, "r#selector:css:#user");
    assert_has(m, CODE_USES_SELECTOR, logs, "r#selector:css:button[type=submit]");
    assert_has(m, CODE_USES_SELECTOR, logs, "r#selector:xpath://h1");
    code_model_free(m);
}

static void imports_exports_and_calls(void **state)
{
    (void)state;
    struct code_model *m = MODEL(
        {"src/lib/math.ts", "export function add(a: number, b: number) { return a + b; }\n"
                            "export default function mul(a, b) { return a * b; }\n"
                            "function hidden() {}\nexport { hidden as visible };\n"},
        {"src/lib/index.ts", "export * from './math';\nexport { default as times } from './math';\n"},
        {"src/lib/util.js", "exports.twice = function (x) { return x * 2; };\n"},
        {"src/a.ts", "export function helper() {}\n"},
        {"src/b.ts", "export function helper() {}\n"},
        {"src/app.ts", "import { add, times } from './lib';\n"
                       "import mul from './lib/math.js';\n"
                       "import * as m from './lib/math';\n"
                       "import { visible } from '@/lib/math';\n"
                       "const util = require('./lib/util');\n"
                       "import { helper } from './a';\n"
                       "export class Calc {\n"
                       "  static make() { return new Calc(); }\n"
                       "  run() { add(1, 2); times(2, 3); mul(1, 1); m.add(1, 1); util.twice(2); visible(); helper(); this.run(); Calc.make(); }\n"
                       "}\n"
                       "function other() { unknownThing(); }\n"},
        {"src/c.ts", "export function use() { helper(); }\n"});
    const char *run = "r:src/app.ts#fn:Calc.run";
    assert_has(m, CODE_CALLS, run, "r:src/lib/math.ts#fn:add");
    assert_has(m, CODE_CALLS, run, "r:src/lib/math.ts#fn:mul");
    assert_has(m, CODE_CALLS, run, "r:src/lib/math.ts#fn:hidden");
    assert_has(m, CODE_CALLS, run, "r:src/lib/util.js#fn:twice");
    assert_has(m, CODE_CALLS, run, "r:src/a.ts#fn:helper");
    assert_has(m, CODE_CALLS, run, "r:src/app.ts#fn:Calc.make");
    assert_has(m, CODE_IMPORTS, "r:src/app.ts", "r:src/lib/index.ts");
    assert_has(m, CODE_IMPORTS, "r:src/lib/index.ts", "r:src/lib/math.ts");
    assert_true(code_model_find(m, "r:src/lib/math.ts#fn:hidden")->flags & CODE_F_EXPORTED);
    assert_true(code_model_find(m, "r:src/lib/util.js#fn:twice")->flags & CODE_F_EXPORTED);
    /* helper() in c.ts: defined in a.ts and b.ts, not imported: ambiguous */
    assert_false(code_model_has_rel(m, CODE_CALLS, "r:src/c.ts#fn:use", "r:src/a.ts#fn:helper"));
    assert_false(code_model_has_rel(m, CODE_CALLS, "r:src/c.ts#fn:use", "r:src/b.ts#fn:helper"));
    code_model_free(m);
}

static void nextjs_pages_api_and_python_modules(void **state)
{
    (void)state;
    struct code_model *m = MODEL(
        {"pages/api/hello.js", "export default function handler(req, res) { res.json({}); }\n"},
        {"app/api/items/[id]/route.ts", "export const GET = async (req: Request) => Response.json({});\n"
                                        "export function helper() {}\n"},
        {"src/pkg/core.py", "def run():\n    return _inner()\n\ndef _inner():\n    return 1\n"},
        {"src/pkg/__init__.py", ""},
        {"src/main.py", "import pkg.core\nfrom pkg import core as c2\n\ndef go():\n    pkg.core.run()\n    c2.run()\n"},
        {"e2e/items.spec.ts", "import { test } from '@playwright/test';\n"
                              "test('item', async ({ page, request }) => {\n"
                              "  await request.get(`${process.env.BASE}/api/items/${id}`);\n"
                              "  await page.request.fetch('/api/hello', { method: 'POST' });\n"
                              "});\n"});
    assert_has(m, CODE_HANDLES, "r:pages/api/hello.js#fn:handler", "r:pages/api/hello.js#endpoint:ANY /api/hello");
    assert_has(m, CODE_HANDLES, "r:app/api/items/[id]/route.ts#fn:GET",
               "r:app/api/items/[id]/route.ts#endpoint:GET /api/items/[id]");
    assert_int_equal(code_model_count(m, CODE_ENDPOINT), 2);
    assert_has(m, CODE_COVERS, "r:e2e/items.spec.ts#test:item", "r:app/api/items/[id]/route.ts#endpoint:GET /api/items/[id]");
    assert_has(m, CODE_COVERS, "r:e2e/items.spec.ts#test:item", "r:pages/api/hello.js#endpoint:ANY /api/hello");
    assert_has(m, CODE_IMPORTS, "r:src/main.py", "r:src/pkg/core.py");
    assert_has(m, CODE_CALLS, "r:src/main.py#fn:go", "r:src/pkg/core.py#fn:run");
    assert_has(m, CODE_CALLS, "r:src/pkg/core.py#fn:run", "r:src/pkg/core.py#fn:_inner");
    code_model_free(m);
}

static void syntax_errors_keep_what_parses(void **state)
{
    (void)state;
    struct code_model *m = MODEL({"broken.js", "function good(a) { return a; }\n"
                                               "function bad( { if (\n"
                                               "const ok = () => good(1);\n"},
                                 {"broken.py", "def fine():\n    return 1\n\ndef broken(:\n    pass\n\n"
                                               "class K:\n    def m(self):\n        return fine()\n"});
    const struct code_entity *f = code_model_find(m, "r:broken.js");
    assert_true(f->flags & CODE_F_SYNTAX_ERROR);
    assert_true(f->flags & CODE_F_PARSED);
    assert_entity(m, "r:broken.js#fn:good");
    assert_entity(m, "r:broken.py#fn:fine");
    assert_true(code_model_find(m, "r:broken.py")->flags & CODE_F_SYNTAX_ERROR);
    assert_entity(m, "r:broken.py#fn:K.m");
    assert_has(m, CODE_CALLS, "r:broken.py#fn:K.m", "r:broken.py#fn:fine");
    code_model_free(m);
}

static void hostile_content(void **state)
{
    (void)state;
    struct code_model *m = code_model_new("r");
    /* binary */
    static const char bin[] = "function a() {}\0\x01\x02\xff";
    assert_int_equal(code_analyze_file(m, "blob.js", bin, sizeof bin), 0);
    assert_true(code_model_find(m, "r:blob.js")->flags & CODE_F_BINARY);
    assert_null(code_model_find(m, "r:blob.js#fn:a"));
    /* too large */
    size_t big = CODE_FILE_MAX + 1;
    char *huge = malloc(big);
    memset(huge, 'x', big);
    memcpy(huge, "function z() {}\n", 16);
    assert_int_equal(code_analyze_file(m, "huge.js", huge, big), 0);
    const struct code_entity *h = code_model_find(m, "r:huge.js");
    assert_true(h->flags & CODE_F_TOO_LARGE);
    assert_int_equal(h->size, big);
    assert_null(code_model_find(m, "r:huge.js#fn:z"));
    free(huge);
    /* invalid UTF-8 in names and paths: stored as valid UTF-8 */
    static const char bad[] = "test('caf\xe9 \xff', () => {});\n";
    assert_int_equal(code_analyze_file(m, "t/\xfe.test.js", bad, strlen(bad)), 0);
    assert_non_null(code_model_find(m, "r:t/\xef\xbf\xbd.test.js#test:caf\xef\xbf\xbd \xef\xbf\xbd"));
    /* empty, deep nesting, the same path twice, odd paths */
    assert_int_equal(code_analyze_file(m, "empty.py", "", 0), 0);
    assert_int_equal(code_model_find(m, "r:empty.py")->lines, 0);
    size_t depth = 20000;
    char *deep = malloc(depth * 2 + 1);
    for (size_t i = 0; i < depth; i++) {
        deep[i] = '[';
        deep[depth * 2 - 1 - i] = ']';
    }
    deep[depth * 2] = '\0';
    assert_int_equal(code_analyze_file(m, "deep.js", deep, depth * 2), 0);
    free(deep);
    assert_int_equal(code_analyze_file(m, "./empty.py", "x = 1", 5), 0);   /* same file: first kept */
    assert_int_equal(code_model_find(m, "r:empty.py")->size, 0);
    assert_int_equal(code_analyze_file(m, "/", "", 0), 0);
    assert_int_equal(code_model_resolve(m), 0);
    assert_int_equal(code_model_resolve(m), 0);   /* a second call does nothing */
    code_model_free(m);
}

static void file_hash_is_git_blob_id(void **state)
{
    (void)state;
    struct code_model *m = code_model_new("r");
    assert_int_equal(code_analyze_file(m, "hello.txt", "hello\n", 6), 0);
    /* git hash-object of "hello\n" */
    assert_string_equal(code_model_find(m, "r:hello.txt")->hash, "ce013625030ba8dba906f756967f9e9ca394464a");
    assert_int_equal(code_model_find(m, "r:hello.txt")->lines, 1);
    code_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(selector_normalisation),
        cmocka_unit_test(url_paths),
        cmocka_unit_test(route_matching),
        cmocka_unit_test(nextjs_routes),
        cmocka_unit_test(test_paths_and_languages),
        cmocka_unit_test(fastify_and_route_chains),
        cmocka_unit_test(flask_and_django),
        cmocka_unit_test(cypress_testing_library_selenium),
        cmocka_unit_test(imports_exports_and_calls),
        cmocka_unit_test(nextjs_pages_api_and_python_modules),
        cmocka_unit_test(syntax_errors_keep_what_parses),
        cmocka_unit_test(hostile_content),
        cmocka_unit_test(file_hash_is_git_blob_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
