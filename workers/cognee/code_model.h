/* The code model: what the cognee worker knows about a repository's source after analysis. Files go
 * in one at a time (code_analyze_file: one tree-sitter parse and one walk per file); after the last
 * one, code_model_resolve() runs the repository-level passes (imports to files, calls to definitions,
 * handler references to functions, test requests to endpoints). The result is two flat arrays,
 * entities and relations, ready to be written to the graph one label / one relationship type at a
 * time. Everything is deterministic: the same files in the same order give the same arrays.
 *
 * Ids are readable strings, stable across runs and commits (no line numbers in them):
 *   File        <repo>:<path>
 *   Class       <repo>:<path>#class:<qualified name>            e.g. acme/shop:src/cart.ts#class:Cart
 *   Function    <repo>:<path>#fn:<qualified name>               e.g. ...#fn:formatUser, ...#fn:outer.inner
 *   Method      <repo>:<path>#fn:<Class.method>                 e.g. ...#fn:Cart.add
 *   Endpoint    <repo>:<path>#endpoint:<METHOD> <route>         the file that registers the route
 *   (an inline route handler is a Function named after its endpoint: ...#fn:GET /api/x)
 *   TestSuite   <repo>:<path>#suite:<qualified name>            describe blocks, pytest Test* classes
 *   TestCase    <repo>:<path>#test:<qualified name>             "Outer > Inner > name"
 *   Module      <repo>#module:<import target>                   imports that are not repository files
 *   Selector    <repo>#selector:<kind>:<value>                  e.g. acme/shop#selector:testid:save
 * Qualified names of classes and functions join scopes with '.', those of tests with " > ".
 * Strings are valid UTF-8 (invalid bytes become U+FFFD) and capped (CODE_NAME_MAX bytes). */
#ifndef ARGUS_COGNEE_CODE_MODEL_H
#define ARGUS_COGNEE_CODE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define CODE_FILE_MAX   (2u * 1024 * 1024)  /* larger files become a File node only (CODE_F_TOO_LARGE) */
#define CODE_NAME_MAX   512                 /* longest name, selector value or route kept */

enum code_kind {
    CODE_FILE,
    CODE_MODULE,
    CODE_CLASS,
    CODE_FUNCTION,
    CODE_METHOD,
    CODE_ENDPOINT,
    CODE_TEST_SUITE,
    CODE_TEST_CASE,
    CODE_SELECTOR,
    CODE_KIND_COUNT
};

enum code_rel {
    CODE_CONTAINS,      /* File->Class|Function|TestSuite|TestCase, Class->Method, Function->nested
                           Function, TestSuite->TestSuite|TestCase */
    CODE_DEFINES,       /* File->Endpoint: the file that registers the route */
    CODE_IMPORTS,       /* File->File (resolved) or File->Module (anything else) */
    CODE_CALLS,         /* Function|Method->Function|Method, resolved only when unambiguous; also
                           TestCase|TestSuite->Function|Method when the callee is test code (a
                           helper or page object: in a test file or directory, or a module that
                           imports a UI test library) */
    CODE_HANDLES,       /* Function|Method->Endpoint: the route's handler */
    CODE_COVERS,        /* TestCase|TestSuite->Function|Method: called directly by the test and
                           not test code; TestCase|TestSuite->Endpoint: requested by the test
                           (a helper Function in test code requesting an endpoint also COVERS it).
                           Suites own what their hooks (beforeEach ...) do. Transitive coverage
                           (test -> helper -> app code) is left to graph queries over CALLS. */
    CODE_USES_SELECTOR, /* TestCase|TestSuite|Function|Method|File->Selector: the innermost
                           enclosing entity of the locator call (page objects: their methods) */
    CODE_REL_COUNT
};

/* Entity flags. */
#define CODE_F_TEST         0x0001u  /* File: a test file (path convention or test framework import) */
#define CODE_F_PARSED       0x0002u  /* File: parsed with tree-sitter */
#define CODE_F_SYNTAX_ERROR 0x0004u  /* File: the parse had errors; what parsed was kept */
#define CODE_F_TOO_LARGE    0x0008u  /* File: over CODE_FILE_MAX, not parsed */
#define CODE_F_BINARY       0x0010u  /* File: NUL bytes in the first 8 KiB, not parsed */
#define CODE_F_ASYNC        0x0020u  /* Function/Method/TestCase */
#define CODE_F_EXPORTED     0x0040u  /* Function/Class: exported from its module (JS/TS export,
                                        CommonJS exports; Python: top-level name without leading _) */
#define CODE_F_ANONYMOUS    0x0080u  /* Function: an inline route handler, named after its route */
#define CODE_F_SKIPPED      0x0100u  /* TestCase/TestSuite: .skip / .todo / pytest skip marker */
#define CODE_F_EXTERNAL     0x0200u  /* Module: a package, not a path inside the repository */

/* One node. Fields that do not apply to a kind are NULL or 0. All strings belong to the model. */
struct code_entity {
    enum code_kind kind;
    uint32_t flags;              /* CODE_F_* */
    const char *id;              /* stable id, see the top of this file */
    const char *name;            /* File: base name; Module: import target; Class/Function/Test*:
                                    simple name; Endpoint: "<METHOD> <path>"; Selector: value */
    const char *qname;           /* qualified name (Class, Function, Method, TestSuite, TestCase) */
    const char *path;            /* repository-relative path of the file it lives in (NULL: Module,
                                    Selector) */
    const char *language;        /* javascript, typescript, tsx, python, or a guess for other files */
    uint32_t start_line;         /* 1-based, inclusive; 0 when not applicable */
    uint32_t end_line;
    uint32_t params;             /* Function/Method: declared parameters */
    uint64_t size;               /* File: bytes */
    uint32_t lines;              /* File: number of lines */
    const char *hash;            /* File: git blob id (hex SHA-1 of "blob <size>\0" + content) */
    const char *http_method;     /* Endpoint: GET POST PUT PATCH DELETE HEAD OPTIONS or ANY */
    const char *route;           /* Endpoint: full path as served, e.g. /api/users/:id, after router
                                    prefixes (APIRouter(prefix=), app.use('/api', router),
                                    include_router, register_blueprint, Django include()); the
                                    id and name keep the path as registered in the file, so they
                                    do not change when a mount elsewhere changes */
    const char *framework;       /* Endpoint: express, fastify, nextjs, fastapi, flask, django;
                                    TestCase/TestSuite: playwright, jest, pytest, ... */
    const char *selector_kind;   /* Selector: css, xpath, testid, role, text, label, placeholder,
                                    alt, title, name, class, link */
};

struct code_relation {
    enum code_rel type;
    uint32_t src;                /* index into entities */
    uint32_t dst;
    uint32_t line;               /* first source line where it was seen; 0 when not applicable */
};

struct code_model_internal;

struct code_model {
    struct code_entity *entities;
    size_t n_entities;
    struct code_relation *relations;
    size_t n_relations;
    struct code_model_internal *in;
};

/* A model for one repository; repo is the repository identifier used in ids (e.g. "org/name").
 * NULL when out of memory. */
struct code_model *code_model_new(const char *repo);
void code_model_free(struct code_model *m);

/* Adds one file. path is repository-relative with '/' separators ("./" and leading '/' are dropped).
 * The language follows the extension: .js .mjs .cjs .jsx javascript, .ts .mts .cts typescript, .tsx
 * tsx, .py .pyi python; any other file becomes a File node with a guessed language. Adding the same
 * path twice keeps the first. Returns 0, or -1 when out of memory (the model stays usable and
 * freeable, but incomplete). Never fails on content: syntax errors, NUL bytes, invalid UTF-8 and huge
 * files are recorded in flags. */
int code_analyze_file(struct code_model *m, const char *path, const char *content, size_t len);

/* Several files at once, parsed by up to `threads` threads (tree-sitter parsing is most of the cost)
 * while this thread walks the trees in input order: the model is the same as adding the files one by
 * one with code_analyze_file(). threads <= 1 is sequential. Returns 0 or -1 (out of memory). */
struct code_source {
    const char *path;
    const char *content;
    size_t len;
};
int code_analyze_files(struct code_model *m, const struct code_source *files, size_t n, int threads);

/* Repository-level passes, once after all files: IMPORTS, CALLS, HANDLES by reference, COVERS.
 * Returns 0 or -1 when out of memory. Calling it again does nothing. */
int code_model_resolve(struct code_model *m);

/* Lookups and counts. */
const struct code_entity *code_model_find(const struct code_model *m, const char *id);
long code_model_index(const struct code_model *m, const char *id);   /* -1 when absent */
size_t code_model_count(const struct code_model *m, enum code_kind kind);
size_t code_model_count_rel(const struct code_model *m, enum code_rel type);
/* 1 when the relation type from src id to dst id exists. */
int code_model_has_rel(const struct code_model *m, enum code_rel type, const char *src_id, const char *dst_id);

/* Graph label and relationship type names: "File", "Function", ..., "USES_SELECTOR". */
const char *code_kind_name(enum code_kind kind);
const char *code_rel_name(enum code_rel type);

/* Language of a path by its extension (or base name): "javascript", "typescript", "tsx", "python",
 * "markdown", "json", ..., "unknown". Static strings. */
const char *code_language_for_path(const char *path);

#endif
