/* The walk machinery shared by the language walkers: node types and fields, arguments, the
 * depth-first walk with scopes, entity definition in the current scope (ids, qualified names,
 * CONTAINS), and the recording of selectors, endpoints, calls, requests and imports. */
#include "code_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


enum code_node_type code_nt(const struct code_ctx *c, TSNode n)
{
    if (ts_node_is_null(n))
        return NT_OTHER;
    TSSymbol s = ts_node_symbol(n);
    return s < c->n_types ? (enum code_node_type)c->types[s] : NT_OTHER;
}

TSNode code_field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

TSNode code_arg(const struct code_ctx *c, TSNode args, uint32_t i)
{
    uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
    for (uint32_t k = 0; k < n; k++) {
        TSNode a = ts_node_named_child(args, k);
        if (code_nt(c, a) == NT_comment)
            continue;
        if (i-- == 0)
            return a;
    }
    TSNode none = {{0}, NULL, NULL};
    return none;
}

uint32_t code_arg_count(const struct code_ctx *c, TSNode args)
{
    uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args), count = 0;
    for (uint32_t k = 0; k < n; k++)
        count += code_nt(c, ts_node_named_child(args, k)) != NT_comment;
    return count;
}

void code_walk(struct code_ctx *c, TSNode root, int (*enter)(struct code_ctx *c, TSNode n))
{
    TSTreeCursor cur = ts_tree_cursor_new(root);
    c->depth = 0;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        int descend = ts_node_named_child_count(n) > 0 && enter(c, n);
        if (descend && ts_tree_cursor_goto_first_child(&cur)) {
            c->depth++;
            continue;
        }
        for (;;) {
            /* Leaving the node at c->depth closes the scopes it opened. */
            while (c->n_scopes && c->scopes[c->n_scopes - 1].depth >= c->depth)
                c->n_scopes--;
            if (c->overflow && c->n_scopes < CODE_SCOPE_MAX)
                c->overflow = 0;
            if (ts_tree_cursor_goto_next_sibling(&cur))
                break;
            if (!ts_tree_cursor_goto_parent(&cur)) {
                ts_tree_cursor_delete(&cur);
                return;
            }
            c->depth--;
        }
    }
}

char *code_text(struct code_ctx *c, TSNode n)
{
    if (ts_node_is_null(n))
        return NULL;   /* a missing field of a node that error recovery produced */
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > c->len || s > e)
        return NULL;
    return code_arena_utf8(&c->in->arena, c->src + s, e - s, CODE_NAME_MAX);
}

int code_text_eq(struct code_ctx *c, TSNode n, const char *s)
{
    if (ts_node_is_null(n))
        return 0;
    uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    size_t l = strlen(s);
    return e <= c->len && e - b == l && memcmp(c->src + b, s, l) == 0;
}

uint32_t code_line(TSNode n)
{
    return ts_node_is_null(n) ? 0 : ts_node_start_point(n).row + 1;
}

uint32_t code_end_line(TSNode n)
{
    return ts_node_is_null(n) ? 0 : ts_node_end_point(n).row + 1;
}

uint32_t code_scope_entity(const struct code_ctx *c)
{
    return c->n_scopes ? c->scopes[c->n_scopes - 1].entity : c->file;
}

const struct code_scope *code_scope_code(const struct code_ctx *c)
{
    for (int i = c->n_scopes - 1; i >= 0; i--) {
        enum code_kind k = c->scopes[i].kind;
        if (k == CODE_CLASS || k == CODE_FUNCTION || k == CODE_METHOD)
            return &c->scopes[i];
    }
    return NULL;
}

uint32_t code_scope_class(const struct code_ctx *c)
{
    for (int i = c->n_scopes - 1; i >= 0; i--)
        if (c->scopes[i].kind == CODE_CLASS)
            return c->scopes[i].entity;
    return CODE_NONE;
}

const struct code_scope *code_scope_suite(const struct code_ctx *c)
{
    for (int i = c->n_scopes - 1; i >= 0; i--)
        if (c->scopes[i].kind == CODE_TEST_SUITE)
            return &c->scopes[i];
    return NULL;
}

void code_push_scope(struct code_ctx *c, uint32_t entity, enum code_kind kind)
{
    if (entity == CODE_NONE)
        return;
    if (c->n_scopes == CODE_SCOPE_MAX) {
        c->overflow = 1;
        return;
    }
    c->scopes[c->n_scopes++] = (struct code_scope){entity, c->depth, kind};
}

static const char *id_prefix(enum code_kind kind)
{
    switch (kind) {
    case CODE_CLASS: return "class";
    case CODE_TEST_SUITE: return "suite";
    case CODE_TEST_CASE: return "test";
    default: return "fn";
    }
}

uint32_t code_define(struct code_ctx *c, enum code_kind kind, const char *name, TSNode node, uint32_t flags,
                     uint32_t params)
{
    struct code_arena *a = &c->in->arena;
    if (!name || !*name || c->overflow)
        return CODE_NONE;
    const char *qname;
    int test = kind == CODE_TEST_SUITE || kind == CODE_TEST_CASE;
    const struct code_scope *outer = test ? code_scope_suite(c) : code_scope_code(c);
    if (outer)
        qname = code_arena_printf(a, test ? "%s > %s" : "%s.%s", c->m->entities[outer->entity].qname, name);
    else
        qname = name;
    struct code_entity e = {0};
    e.kind = kind;
    e.flags = flags;
    e.name = name;
    e.qname = qname;
    e.path = c->path;
    e.language = c->language;
    e.start_line = code_line(node);
    e.end_line = code_end_line(node);
    e.params = params;
    e.framework = test ? c->test_framework : NULL;
    e.id = qname ? code_arena_printf(a, "%s#%s:%s", c->m->entities[c->file].id, id_prefix(kind), qname) : NULL;
    uint32_t idx = code_add_entity(c->m, &e);
    if (idx == CODE_NONE)
        return CODE_NONE;
    if (code_add_rel(c->m, CODE_CONTAINS, code_scope_entity(c), idx, e.start_line) < 0)
        return CODE_NONE;
    if (test) {
        c->m->entities[c->file].flags |= CODE_F_TEST;
    } else if (kind == CODE_METHOD) {
        uint32_t cls = code_scope_class(c);
        if (cls != CODE_NONE)
            code_register_member(c->m, cls, name, idx);
    } else if (!code_scope_code(c)) {
        /* Not nested in a class or function: callable by its name from anywhere in the file, and from
         * other files when it is also outside test callbacks. */
        code_register_toplevel(c->m, c->file, name, idx, kind == CODE_FUNCTION && c->n_scopes == 0);
    }
    return idx;
}

uint32_t code_define_endpoint(struct code_ctx *c, const char *method, const char *route, const char *framework,
                              uint32_t line)
{
    struct code_arena *a = &c->in->arena;
    if (!method || !route)
        return CODE_NONE;
    struct code_entity e = {0};
    e.kind = CODE_ENDPOINT;
    e.http_method = method;
    e.route = route;
    e.framework = framework;
    e.path = c->path;
    e.language = c->language;
    e.start_line = e.end_line = line;
    e.name = code_arena_printf(a, "%s %s", method, route);
    e.id = e.name ? code_arena_printf(a, "%s#endpoint:%s", c->m->entities[c->file].id, e.name) : NULL;
    uint32_t idx = code_add_entity(c->m, &e);
    if (idx != CODE_NONE)
        code_add_rel(c->m, CODE_DEFINES, c->file, idx, line);
    return idx;
}

uint32_t code_define_selector(struct code_ctx *c, const char *hint, const char *value, uint32_t line)
{
    struct code_arena *a = &c->in->arena;
    const char *kind, *norm;
    if (!value || code_selector_normalise(a, hint, value, &kind, &norm) != 0)
        return CODE_NONE;
    struct code_entity e = {0};
    e.kind = CODE_SELECTOR;
    e.selector_kind = kind;
    e.name = norm;
    e.id = code_arena_printf(a, "%s#selector:%s:%s", c->in->repo, kind, norm);
    uint32_t idx = code_add_entity(c->m, &e);
    if (idx != CODE_NONE)
        code_add_rel(c->m, CODE_USES_SELECTOR, code_scope_entity(c), idx, line);
    return idx;
}

void code_record_call(struct code_ctx *c, const char *name, const char *receiver, uint32_t line, uint32_t endpoint)
{
    if (!name || !*name)
        return;
    struct code_call call = {code_scope_entity(c), c->file, code_scope_class(c), name, receiver, line, endpoint};
    if (code_add_call(c->m, &call) != 0)
        c->in->arena.oom = 1;
}

void code_record_request(struct code_ctx *c, const char *method, const char *raw_url, uint32_t line)
{
    if (!raw_url)
        return;
    char *url = code_url_path(&c->in->arena, raw_url);
    if (!url)
        return;
    struct code_request r = {code_scope_entity(c), c->file, method, url, line, c->lang == LANG_PY};
    if (code_add_request(c->m, &r) != 0)
        c->in->arena.oom = 1;
}

void code_record_import(struct code_ctx *c, const char *spec, const char *local, const char *imported,
                        uint32_t line, int reexport)
{
    if (!spec || !*spec)
        return;
    struct code_import imp = {c->file, spec, local, imported, line, c->lang == LANG_PY, (uint8_t)reexport, CODE_NONE};
    if (code_add_import(c->m, &imp) != 0) {
        c->in->arena.oom = 1;
        return;
    }
    if (local) {
        char *key = code_scoped_key(c->m, c->file, local);
        int added;
        if (!key || !code_map_put(&c->in->bindings, key, (uint32_t)(c->in->n_imports - 1), &added))
            c->in->arena.oom = 1;
    }
    code_note_module(c, spec);
}

static int has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

void code_note_module(struct code_ctx *c, const char *spec)
{
    static const struct {
        const char *prefix;
        const char *framework;
        int tests;   /* the module provides test(), describe(), it() */
    } mods[] = {
        {"@playwright/test", "playwright", 1}, {"playwright", "playwright", 0}, {"vitest", "vitest", 1},
        {"@jest/globals", "jest", 1}, {"mocha", "mocha", 1}, {"cypress", "cypress", 1},
        {"selenium-webdriver", "selenium", 0}, {"selenium", "selenium", 0}, {"webdriverio", "webdriverio", 0},
        {"@testing-library/", "testing-library", 0}, {"puppeteer", "puppeteer", 0}, {"pytest", "pytest", 1},
    };
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++) {
        if (!has_prefix(spec, mods[i].prefix))
            continue;
        c->ui_tests = 1;
        if (mods[i].tests) {
            c->is_test = 1;
            c->routes = 0;
        }
        if (!c->test_framework || mods[i].tests)
            c->test_framework = mods[i].framework;
        return;
    }
    if (strcmp(spec, "msw") == 0 || has_prefix(spec, "msw/"))
        c->routes = 0;   /* request mocks look like routes */
    static const char *const servers[] = {"express", "fastify", "koa", "@koa/router", "koa-router", "hono",
                                          "fastapi", "flask", "django", "starlette"};
    for (size_t i = 0; i < sizeof servers / sizeof servers[0]; i++) {
        size_t l = strlen(servers[i]);
        if (strncmp(spec, servers[i], l) == 0 && (spec[l] == '\0' || spec[l] == '.' || spec[l] == '/')) {
            if (!c->route_framework)
                c->route_framework = servers[i][0] == '@' ? "koa" : servers[i];
            return;
        }
    }
}
