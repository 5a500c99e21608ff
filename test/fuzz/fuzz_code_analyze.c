/* libFuzzer target for the cognee code analysis: arbitrary bytes as a source file (the first byte
 * picks the path, hence the language and the conventions applied: tests, routes, Next.js, Django),
 * analysed next to a small fixed repository, then resolved and freed. Must never crash, leak or
 * trip a sanitizer. Build and run (see workers/cognee/worker.mk):
 *   make cognee-fuzz
 *   build/fuzz/fuzz_code_analyze -max_len=65536 -max_total_time=300 build/fuzz/corpus test/fixtures/repo */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "code_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
    "src/app.js", "src/app.ts", "src/App.tsx", "app/main.py", "e2e/login.spec.ts", "tests/test_api.py",
    "web/app/api/items/route.ts", "pages/api/users/[id].js", "site/urls.py", "src/util.test.jsx",
    "README.md", "cypress/e2e/a.cy.js", "src/lib/index.mjs", "pkg/__init__.py",
};

static const struct {
    const char *path, *content;
} repo[] = {
    {"src/lib/index.mjs", "export * from './util';\nexport function a(x) { return b(x); }\nfunction b() {}\n"},
    {"src/util.js", "exports.u = function () {};\nmodule.exports.v = () => 1;\n"},
    {"app/routers/items.py", "from fastapi import APIRouter\nrouter = APIRouter(prefix='/items')\n"
                             "@router.get('/{id}')\ndef item(id):\n    return id\n"},
    {"pkg/mod.py", "def f():\n    return g()\n\ndef g():\n    pass\n"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct code_model *m = code_model_new("fuzz");
    if (!m)
        return 0;
    for (size_t i = 0; i < sizeof repo / sizeof repo[0]; i++)
        code_analyze_file(m, repo[i].path, repo[i].content, strlen(repo[i].content));
    const char *path = paths[data[0] % (sizeof paths / sizeof paths[0])];
    code_analyze_file(m, path, (const char *)data + 1, size - 1);
    code_model_resolve(m);
    /* Touch every string so the sanitizers see any dangling or unterminated one. */
    size_t total = 0;
    for (size_t i = 0; i < m->n_entities; i++) {
        const struct code_entity *e = &m->entities[i];
        total += strlen(e->id) + (e->name ? strlen(e->name) : 0) + (e->qname ? strlen(e->qname) : 0) +
                 (e->route ? strlen(e->route) : 0);
    }
    for (size_t i = 0; i < m->n_relations; i++)
        if (m->relations[i].src >= m->n_entities || m->relations[i].dst >= m->n_entities)
            __builtin_trap();
    code_model_free(m);
    return total == (size_t)-1;
}
