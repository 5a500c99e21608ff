/* Internals of the code model shared by the analyzers (code_js.c, code_py.c), the model store
 * (code_model.c) and the repository passes (code_resolve.c): the facts a file walk records that can
 * only be resolved once every file is known, and the per-file walk context. */
#ifndef ARGUS_COGNEE_CODE_INTERNAL_H
#define ARGUS_COGNEE_CODE_INTERNAL_H

#include <tree_sitter/api.h>

#include "code_model.h"
#include "code_util.h"

#define CODE_NONE  UINT32_MAX        /* no entity */
#define CODE_AMBIG (UINT32_MAX - 1)  /* more than one candidate: never resolved */

enum code_lang { LANG_NONE, LANG_JS, LANG_TS, LANG_TSX, LANG_PY };

/* Node types the walkers look at, mapped once per grammar from tree-sitter symbols (code_nt). */
#define CODE_NODE_TYPES(X)                                                                          \
    X(program) X(function_declaration) X(generator_function_declaration) X(function_expression)     \
    X(function) X(arrow_function) X(method_definition) X(class_declaration)                         \
    X(abstract_class_declaration) X(class) X(class_body) X(variable_declarator) X(export_statement) \
    X(call_expression) X(member_expression) X(import_statement) X(string) X(template_string)        \
    X(template_substitution) X(identifier) X(property_identifier) X(this) X(object) X(pair)         \
    X(assignment_expression) X(public_field_definition) X(field_definition) X(arguments)            \
    X(shorthand_property_identifier) X(export_clause) X(export_specifier) X(array) X(comment)       \
    X(import_clause) X(named_imports) X(namespace_import) X(import_specifier) X(namespace_export)   \
    X(lexical_declaration) X(variable_declaration) X(formal_parameters) X(import_require_clause)    \
    X(type_identifier) X(import) X(new_expression) X(await_expression)                             \
    X(module) X(function_definition) X(class_definition) X(decorated_definition) X(decorator)       \
    X(call) X(attribute) X(argument_list) X(keyword_argument) X(import_from_statement)              \
    X(dotted_name) X(aliased_import) X(relative_import) X(wildcard_import) X(list) X(tuple)        \
    X(interpolation) X(string_start) X(string_end) X(assignment) X(parameters) X(block)            \
    X(concatenated_string) X(expression_statement) X(escape_sequence) X(string_fragment)

enum code_node_type {
    NT_OTHER,
#define CODE_NT_ENUM(name) NT_##name,
    CODE_NODE_TYPES(CODE_NT_ENUM)
#undef CODE_NT_ENUM
    NT_COUNT
};

/* An import statement or one binding it creates. */
struct code_import {
    uint32_t file;          /* File entity */
    const char *spec;       /* module as written: "./util", "express", "app.models", "..models" */
    const char *local;      /* local name bound (NULL: side-effect import or re-export) */
    const char *imported;   /* "default", "*" (whole module), or an exported name */
    uint32_t line;
    uint8_t python;
    uint8_t reexport;       /* export ... from: imported is re-exported as local ("*": all) */
    uint32_t target;        /* resolved File entity or CODE_NONE (set by resolve) */
};

/* A call site, or a reference to a route handler (endpoint != CODE_NONE). */
struct code_call {
    uint32_t caller;        /* enclosing entity: function, method, test, suite or the file */
    uint32_t file;          /* File entity of the site */
    uint32_t cls;           /* enclosing class entity for this./self., or CODE_NONE */
    const char *name;       /* callee name (the property for obj.name()) */
    const char *receiver;   /* NULL for name(); "this"/"self"; else the receiver's dotted text */
    uint32_t line;
    uint32_t endpoint;      /* handler reference: the endpoint it handles */
};

/* An HTTP request or page visit made by a test. */
struct code_request {
    uint32_t scope;         /* test case or suite (or helper function) making it */
    uint32_t file;
    const char *method;     /* GET, POST, ... or ANY when unknown */
    const char *url;        /* normalised path; '*' segments stand for interpolations */
    uint32_t line;
    uint8_t python;
};

/* A router prefix applied to a module's routes: app.use('/api', router) / include_router(...). */
struct code_mount {
    uint32_t file;
    const char *prefix;
    const char *local;      /* the local name mounted (an import binding), or NULL */
    const char *spec;       /* or the module required inline */
};

struct code_file_info {
    uint32_t entity;
    uint8_t lang;
    const char *default_export;   /* local name exported as default / module.exports, or NULL */
    uint8_t test_code;            /* tests, test helpers, page objects: calls into it are not COVERS */
};

struct code_model_internal {
    struct code_arena arena;
    const char *repo;
    struct code_map ids;          /* id -> entity */
    struct code_map paths;        /* path -> File entity */
    struct code_map toplevel;     /* "<file>\x1f<name>" -> top-level function/class (or CODE_AMBIG) */
    struct code_map members;      /* "<class>\x1f<name>" -> method */
    struct code_map globals;      /* name -> the only top-level function of that name, or CODE_AMBIG */
    struct code_map bindings;     /* "<file>\x1f<local>" -> import index */
    struct code_set64 rels;       /* relation dedupe */
    size_t cap_entities, cap_relations;
    struct code_import *imports;
    size_t n_imports, cap_imports;
    struct code_call *calls;
    size_t n_calls, cap_calls;
    struct code_request *requests;
    size_t n_requests, cap_requests;
    struct code_mount *mounts;
    size_t n_mounts, cap_mounts;
    struct code_file_info *files;
    size_t n_files, cap_files;
    TSParser *parser;
    const TSLanguage *languages[5];
    uint8_t *node_types[5];       /* tree-sitter symbol -> enum code_node_type, per grammar */
    uint32_t n_node_types[5];
    int resolved;
};

/* Model store (code_model.c). */
/* Adds an entity unless its id exists; returns its index (the existing one on a duplicate) or
 * CODE_NONE when out of memory. The entity's strings must already be model-owned. */
uint32_t code_add_entity(struct code_model *m, const struct code_entity *e);
int code_add_rel(struct code_model *m, enum code_rel type, uint32_t src, uint32_t dst, uint32_t line);
int code_add_import(struct code_model *m, const struct code_import *imp);
int code_add_call(struct code_model *m, const struct code_call *call);
int code_add_request(struct code_model *m, const struct code_request *req);
int code_add_mount(struct code_model *m, const struct code_mount *mount);
/* Key "<index>\x1f<name>" for the toplevel/members/bindings maps, in the arena. */
char *code_scoped_key(struct code_model *m, uint32_t scope, const char *name);
/* Registers name as defined at top level of file (or as a member of a class). */
int code_register_toplevel(struct code_model *m, uint32_t file, const char *name, uint32_t entity, int function);
int code_register_member(struct code_model *m, uint32_t cls, const char *name, uint32_t entity);

/* Per-file walk context used by the language analyzers. */
#define CODE_SCOPE_MAX 256

struct code_scope {
    uint32_t entity;
    uint32_t depth;         /* tree depth of the node that opened it */
    enum code_kind kind;
};

struct code_ctx {
    struct code_model *m;
    struct code_model_internal *in;
    const char *src;
    size_t len;
    const char *path;
    const char *language;
    enum code_lang lang;
    uint32_t file;          /* File entity */
    uint32_t file_no;       /* index into in->files */
    int is_test;            /* test file: test cases, requests */
    int ui_tests;           /* selectors are recorded (test file or page objects) */
    int routes;             /* route registrations are recorded (not in test files) */
    const char *test_framework;
    struct code_scope scopes[CODE_SCOPE_MAX];
    int n_scopes;
    int overflow;           /* scopes deeper than CODE_SCOPE_MAX are not entities */
    uint32_t depth;
    const uint8_t *types;   /* symbol -> enum code_node_type */
    uint32_t n_types;
    const char *route_framework;   /* express, fastify, ... from the file's imports */
    const char *next_route;        /* Next.js route of this file, or NULL */
    int pages_api;                 /* next_route is a pages/api route (default export handles it) */
    const char *default_export;
    /* Same-file router prefixes: APIRouter(prefix=...), Blueprint(url_prefix=...). */
    struct {
        const char *var;
        const char *prefix;
    } prefixes[16];
    int n_prefixes;
    /* export { a as b } without a source, resolved against top-level names after the walk. */
    struct {
        const char *local;
        const char *exported;
    } *exports;
    size_t n_exports, cap_exports;
};

/* Generic depth-first walk with enter callbacks; scopes opened at a node close when it is left.
 * enter returns 0 to skip the node's children. */
void code_walk(struct code_ctx *c, TSNode root, int (*enter)(struct code_ctx *c, TSNode n));

/* Analysis with a tree parsed elsewhere (code_batch.c): parsed=1 means tree is the parse of content
 * (NULL when it failed); the tree is consumed. code_ts_language: the grammar a file would be parsed
 * with, or NULL (not a source file, too large, binary). */
int code_analyze_parsed(struct code_model *m, const char *path, const char *content, size_t len, TSTree *tree,
                        int parsed);
const TSLanguage *code_ts_language(const char *path, const char *content, size_t len);

/* Walk helpers (code_analyze.c). */
enum code_node_type code_nt(const struct code_ctx *c, TSNode n);
TSNode code_field(TSNode n, const char *name);
/* i-th argument (named, comments skipped) of an arguments/argument_list node, or a null node. */
TSNode code_arg(const struct code_ctx *c, TSNode args, uint32_t i);
uint32_t code_arg_count(const struct code_ctx *c, TSNode args);
char *code_text(struct code_ctx *c, TSNode n);                 /* node text, sanitised */
int code_text_eq(struct code_ctx *c, TSNode n, const char *s);
uint32_t code_line(TSNode n);                                   /* 1-based start line */
uint32_t code_end_line(TSNode n);
/* Innermost scope entity, innermost code scope (class/function) and innermost class. */
uint32_t code_scope_entity(const struct code_ctx *c);
const struct code_scope *code_scope_code(const struct code_ctx *c);
uint32_t code_scope_class(const struct code_ctx *c);
const struct code_scope *code_scope_suite(const struct code_ctx *c);
void code_push_scope(struct code_ctx *c, uint32_t entity, enum code_kind kind);
/* Adds a class/function/method/suite/test entity in the current scope (CONTAINS from the parent,
 * toplevel registration) and returns its index. qname built from the enclosing scopes. */
uint32_t code_define(struct code_ctx *c, enum code_kind kind, const char *name, TSNode node, uint32_t flags,
                     uint32_t params);
uint32_t code_define_endpoint(struct code_ctx *c, const char *method, const char *route, const char *framework,
                              uint32_t line);
uint32_t code_define_selector(struct code_ctx *c, const char *kind, const char *value, uint32_t line);
void code_record_call(struct code_ctx *c, const char *name, const char *receiver, uint32_t line, uint32_t endpoint);
void code_record_request(struct code_ctx *c, const char *method, const char *raw_url, uint32_t line);
void code_record_import(struct code_ctx *c, const char *spec, const char *local, const char *imported,
                        uint32_t line, int reexport);
/* Marks a test framework import ("@playwright/test", "cypress", "selenium", "pytest", ...). */
void code_note_module(struct code_ctx *c, const char *spec);

/* Language walkers. */
void code_walk_js(struct code_ctx *c, TSNode root);
void code_walk_py(struct code_ctx *c, TSNode root);

/* Patterns (code_patterns.c). */
int code_is_http_method(const char *s);                          /* get post ... (any case) */
const char *code_upper_method(struct code_arena *a, const char *s);
/* Normalises a selector; returns 0 and sets kind and value (arena strings) or -1 to drop it. */
int code_selector_normalise(struct code_arena *a, const char *hint, const char *value, const char **kind,
                            const char **out);
/* Normalises a requested URL to a path ('*' marks interpolated segments), or NULL when it is not a
 * path (relative name, empty). raw uses '\x01' for interpolations. */
char *code_url_path(struct code_arena *a, const char *raw);
/* Route of a Next.js route file (app/.../route.ts or pages/api/...), or NULL. */
char *code_nextjs_route(struct code_arena *a, const char *path, int *pages_api);
/* Joins a router prefix and a route ("/api" + "/users" -> "/api/users"). */
char *code_route_join(struct code_arena *a, const char *prefix, const char *route);
/* Match score of a request path against an endpoint route (0: no match; higher: more specific). */
int code_route_match(const char *route, const char *request);
/* Test-file path conventions. */
int code_path_is_test(const char *path);

#endif
