/* The JavaScript / TypeScript / TSX walker: functions, classes and methods; ES and CommonJS imports
 * and exports; Express/Fastify/Koa-style route registrations and Next.js route handlers; Playwright,
 * Jest, Vitest, Mocha and Cypress tests; the selectors and requests tests use; and every call site
 * for the repository passes. */
#include "code_internal.h"

#include <string.h>
#include <strings.h>

#define DOTTED_MAX 8

static int is_fn_node(enum code_node_type t)
{
    return t == NT_arrow_function || t == NT_function_expression || t == NT_function;
}

static int has_async_token(TSNode n)
{
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i < k && i < 4; i++) {
        TSNode ch = ts_node_child(n, i);
        if (!ts_node_is_named(ch) && strcmp(ts_node_type(ch), "async") == 0)
            return 1;
    }
    return 0;
}

static uint32_t count_params(const struct code_ctx *c, TSNode fn)
{
    TSNode ps = code_field(fn, "parameters");
    if (!ts_node_is_null(ps))
        return code_arg_count(c, ps);
    return ts_node_is_null(code_field(fn, "parameter")) ? 0 : 1;
}

/* Content of a string literal or template (interpolations become '\x01'), or NULL. */
static char *js_string(struct code_ctx *c, TSNode n)
{
    enum code_node_type t = code_nt(c, n);
    if (t != NT_string && t != NT_template_string)
        return NULL;
    uint32_t s = ts_node_start_byte(n) + 1, e = ts_node_end_byte(n);
    if (e > c->len || e < s + 1)
        return NULL;
    e--;   /* closing quote */
    char buf[CODE_NAME_MAX + 1];
    size_t o = 0;
    uint32_t nsub = t == NT_template_string ? ts_node_named_child_count(n) : 0;
    uint32_t next_sub = 0;
    TSNode sub = {{0}, NULL, NULL};
    for (uint32_t p = s; p < e && o < CODE_NAME_MAX;) {
        while (ts_node_is_null(sub) && next_sub < nsub) {
            TSNode cand = ts_node_named_child(n, next_sub++);
            if (code_nt(c, cand) == NT_template_substitution)
                sub = cand;
        }
        if (!ts_node_is_null(sub) && p >= ts_node_start_byte(sub)) {
            buf[o++] = '\x01';
            p = ts_node_end_byte(sub);
            sub = (TSNode){{0}, NULL, NULL};
            continue;
        }
        char ch = c->src[p];
        if (ch == '\\' && p + 1 < e) {
            p++;
            ch = c->src[p];
            if (ch == 'n')
                ch = '\n';
            else if (ch == 't')
                ch = '\t';
        }
        buf[o++] = ch;
        p++;
    }
    return code_arena_utf8(&c->in->arena, buf, o, CODE_NAME_MAX);
}

/* A test title: the string, with interpolations shown as written. */
static char *js_title(struct code_ctx *c, TSNode n)
{
    enum code_node_type t = code_nt(c, n);
    if (t == NT_template_string) {
        uint32_t s = ts_node_start_byte(n) + 1, e = ts_node_end_byte(n) - 1;
        return e >= s && e <= c->len ? code_arena_utf8(&c->in->arena, c->src + s, e - s, CODE_NAME_MAX) : NULL;
    }
    return js_string(c, n);
}

/* "a.b.c" for identifiers, this and property chains; NULL for anything else. */
static char *js_dotted(struct code_ctx *c, TSNode n)
{
    TSNode parts[DOTTED_MAX];
    int np = 0;
    while (code_nt(c, n) == NT_member_expression) {
        if (np == DOTTED_MAX - 1)
            return NULL;
        TSNode prop = code_field(n, "property");
        if (code_nt(c, prop) != NT_property_identifier)
            return NULL;   /* also a missing property */
        parts[np++] = prop;
        n = code_field(n, "object");
    }
    enum code_node_type t = code_nt(c, n);
    if (t != NT_identifier && t != NT_this && !(ts_node_is_named(n) && strcmp(ts_node_type(n), "this") == 0))
        return NULL;
    parts[np++] = n;
    char buf[CODE_NAME_MAX + 1];
    size_t o = 0;
    for (int i = np - 1; i >= 0; i--) {
        uint32_t s = ts_node_start_byte(parts[i]), e = ts_node_end_byte(parts[i]);
        if (e > c->len || o + (e - s) + 1 > CODE_NAME_MAX)
            return NULL;
        if (o)
            buf[o++] = '.';
        memcpy(buf + o, c->src + s, e - s);
        o += e - s;
    }
    return code_arena_utf8(&c->in->arena, buf, o, CODE_NAME_MAX);
}

/* The identifier a call/member chain starts from: cy.get('a').find('b') -> "cy". */
static int js_chain_root_is(struct code_ctx *c, TSNode n, const char *root)
{
    for (int guard = 0; guard < 64; guard++) {
        enum code_node_type t = code_nt(c, n);
        if (t == NT_member_expression)
            n = code_field(n, "object");
        else if (t == NT_call_expression)
            n = code_field(n, "function");
        else if (t == NT_await_expression)
            n = ts_node_named_child(n, 0);
        else
            return t == NT_identifier && code_text_eq(c, n, root);
    }
    return 0;
}

static const char *last_segment(const char *dotted)
{
    const char *dot = strrchr(dotted, '.');
    return dot ? dot + 1 : dotted;
}

/* Value of key in an object literal node, or a null node. */
static TSNode js_object_get(struct code_ctx *c, TSNode obj, const char *key)
{
    TSNode none = {{0}, NULL, NULL};
    if (code_nt(c, obj) != NT_object)
        return none;
    uint32_t n = ts_node_named_child_count(obj);
    for (uint32_t i = 0; i < n; i++) {
        TSNode p = ts_node_named_child(obj, i);
        if (code_nt(c, p) != NT_pair)
            continue;
        TSNode k = code_field(p, "key");
        enum code_node_type kt = code_nt(c, k);
        if (kt == NT_property_identifier && code_text_eq(c, k, key))
            return code_field(p, "value");
        if (kt == NT_string) {
            char *ks = js_string(c, k);
            if (ks && strcmp(ks, key) == 0)
                return code_field(p, "value");
        }
    }
    return none;
}

/* ---- definitions ---- */

static uint32_t define_fn(struct code_ctx *c, enum code_kind kind, const char *name, TSNode node, TSNode fn,
                          uint32_t extra_flags)
{
    uint32_t flags = extra_flags | (has_async_token(fn) ? CODE_F_ASYNC : 0);
    return code_define(c, kind, name, node, flags, count_params(c, fn));
}

/* Next.js: exported GET/POST/... in app/.../route.ts, the default export in pages/api/. */
static void nextjs_handler(struct code_ctx *c, uint32_t fn, const char *name, int is_default)
{
    if (!c->next_route || fn == CODE_NONE || code_scope_code(c))
        return;
    const char *method = NULL;
    if (c->pages_api && is_default)
        method = "ANY";
    else if (!c->pages_api && code_upper_method(NULL, name) && strcmp(code_upper_method(NULL, name), name) == 0)
        method = name;
    if (!method)
        return;
    uint32_t ep = code_define_endpoint(c, method, c->next_route, "nextjs", c->m->entities[fn].start_line);
    if (ep != CODE_NONE)
        code_add_rel(c->m, CODE_HANDLES, fn, ep, c->m->entities[fn].start_line);
}

static int parent_is_export(struct code_ctx *c, TSNode n, int *is_default)
{
    TSNode p = ts_node_parent(n);
    *is_default = 0;
    if (code_nt(c, p) != NT_export_statement)
        return 0;
    uint32_t k = ts_node_child_count(p);
    for (uint32_t i = 0; i < k && i < 3; i++) {
        TSNode ch = ts_node_child(p, i);
        if (!ts_node_is_named(ch) && strcmp(ts_node_type(ch), "default") == 0)
            *is_default = 1;
    }
    return 1;
}

static void on_function_declaration(struct code_ctx *c, TSNode n)
{
    TSNode name = code_field(n, "name");
    int is_default;
    int exported = parent_is_export(c, n, &is_default);
    char *nm = ts_node_is_null(name) ? (is_default ? "default" : NULL) : code_text(c, name);
    uint32_t fn = define_fn(c, CODE_FUNCTION, nm, n, n, exported ? CODE_F_EXPORTED : 0);
    if (is_default && nm)
        c->default_export = nm;
    if (exported && nm)
        nextjs_handler(c, fn, nm, is_default);
    code_push_scope(c, fn, CODE_FUNCTION);
}

static void on_class(struct code_ctx *c, TSNode n)
{
    TSNode name = code_field(n, "name");
    if (ts_node_is_null(name))
        return;
    int is_default;
    int exported = parent_is_export(c, n, &is_default);
    char *nm = code_text(c, name);
    uint32_t cls = code_define(c, CODE_CLASS, nm, n, exported ? CODE_F_EXPORTED : 0, 0);
    if (is_default && nm)
        c->default_export = nm;
    code_push_scope(c, cls, CODE_CLASS);
}

static void on_method(struct code_ctx *c, TSNode n, TSNode fn)
{
    TSNode parent = ts_node_parent(n);
    if (code_nt(c, parent) != NT_class_body || code_scope_class(c) == CODE_NONE)
        return;   /* object literal methods are not entities; their calls belong to the enclosing scope */
    TSNode name = code_field(n, code_nt(c, n) == NT_field_definition ? "property" : "name");
    uint32_t m = define_fn(c, CODE_METHOD, code_text(c, name), n, fn, 0);
    code_push_scope(c, m, CODE_METHOD);
}

static void on_declarator(struct code_ctx *c, TSNode n)
{
    TSNode name = code_field(n, "name"), value = code_field(n, "value");
    enum code_node_type vt = code_nt(c, value);
    enum code_node_type nt = code_nt(c, name);
    if (is_fn_node(vt) && nt == NT_identifier) {
        int is_default;
        int exported = parent_is_export(c, ts_node_parent(n), &is_default);
        char *nm = code_text(c, name);
        uint32_t fn = define_fn(c, CODE_FUNCTION, nm, n, value, exported ? CODE_F_EXPORTED : 0);
        if (exported && nm)
            nextjs_handler(c, fn, nm, 0);
        code_push_scope(c, fn, CODE_FUNCTION);
        return;
    }
    /* const x = require('m') / const { a, b: c } = require('m') */
    if (vt != NT_call_expression)
        return;
    TSNode callee = code_field(value, "function");
    if (code_nt(c, callee) != NT_identifier || !code_text_eq(c, callee, "require"))
        return;
    char *spec = js_string(c, code_arg(c, code_field(value, "arguments"), 0));
    if (!spec)
        return;
    uint32_t line = code_line(n);
    if (nt == NT_identifier) {
        code_record_import(c, spec, code_text(c, name), "*", line, 0);
    } else if (ts_node_is_named(name) && strcmp(ts_node_type(name), "object_pattern") == 0) {
        uint32_t k = ts_node_named_child_count(name);
        for (uint32_t i = 0; i < k; i++) {
            TSNode p = ts_node_named_child(name, i);
            const char *pt = ts_node_type(p);
            if (strcmp(pt, "shorthand_property_identifier_pattern") == 0) {
                char *local = code_text(c, p);
                code_record_import(c, spec, local, local, line, 0);
            } else if (strcmp(pt, "pair_pattern") == 0) {
                TSNode key = code_field(p, "key"), val = code_field(p, "value");
                if (code_nt(c, val) == NT_identifier)
                    code_record_import(c, spec, code_text(c, val), code_text(c, key), line, 0);
            }
        }
    }
}

static void add_export(struct code_ctx *c, const char *local, const char *exported)
{
    if (!local || !exported)
        return;
    if (code_grow((void **)&c->exports, &c->cap_exports, c->n_exports, sizeof *c->exports) != 0) {
        c->in->arena.oom = 1;
        return;
    }
    c->exports[c->n_exports].local = local;
    c->exports[c->n_exports].exported = exported;
    c->n_exports++;
}

/* module.exports = ..., exports.x = ..., module.exports.x = ... */
static void on_assignment(struct code_ctx *c, TSNode n)
{
    TSNode left = code_field(n, "left"), right = code_field(n, "right");
    if (code_nt(c, left) != NT_member_expression || code_scope_code(c))
        return;
    char *target = js_dotted(c, left);
    if (!target)
        return;
    enum code_node_type rt = code_nt(c, right);
    const char *name = NULL;
    if (strcmp(target, "module.exports") == 0) {
        if (rt == NT_identifier) {
            c->default_export = code_text(c, right);
            add_export(c, c->default_export, c->default_export);
        } else if (is_fn_node(rt)) {
            TSNode fname = code_field(right, "name");
            name = ts_node_is_null(fname) ? "default" : code_text(c, fname);
            c->default_export = name;
        } else if (rt == NT_object) {
            uint32_t k = ts_node_named_child_count(right);
            for (uint32_t i = 0; i < k; i++) {
                TSNode p = ts_node_named_child(right, i);
                enum code_node_type pt = code_nt(c, p);
                if (pt == NT_shorthand_property_identifier) {
                    char *local = code_text(c, p);
                    add_export(c, local, local);
                } else if (pt == NT_pair && code_nt(c, code_field(p, "value")) == NT_identifier) {
                    add_export(c, code_text(c, code_field(p, "value")), code_text(c, code_field(p, "key")));
                }
            }
        }
    } else if (strncmp(target, "exports.", 8) == 0 || strncmp(target, "module.exports.", 15) == 0) {
        const char *prop = last_segment(target);
        if (is_fn_node(rt))
            name = prop;
        else if (rt == NT_identifier)
            add_export(c, code_text(c, right), prop);
    }
    if (name && is_fn_node(rt)) {
        uint32_t fn = define_fn(c, CODE_FUNCTION, name, n, right, CODE_F_EXPORTED);
        code_push_scope(c, fn, CODE_FUNCTION);
    }
}

static void on_import(struct code_ctx *c, TSNode n)
{
    char *spec = js_string(c, code_field(n, "source"));
    if (!spec)
        return;
    uint32_t line = code_line(n);
    int bound = 0;
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        TSNode cl = ts_node_named_child(n, i);
        enum code_node_type t = code_nt(c, cl);
        if (t == NT_import_require_clause) {   /* import x = require('m') */
            TSNode id = ts_node_named_child(cl, 0);
            code_record_import(c, spec, code_text(c, id), "*", line, 0);
            bound = 1;
            continue;
        }
        if (t != NT_import_clause)
            continue;
        uint32_t m = ts_node_named_child_count(cl);
        for (uint32_t j = 0; j < m; j++) {
            TSNode part = ts_node_named_child(cl, j);
            enum code_node_type pt = code_nt(c, part);
            if (pt == NT_identifier) {
                code_record_import(c, spec, code_text(c, part), "default", line, 0);
                bound = 1;
            } else if (pt == NT_namespace_import) {
                code_record_import(c, spec, code_text(c, ts_node_named_child(part, 0)), "*", line, 0);
                bound = 1;
            } else if (pt == NT_named_imports) {
                uint32_t q = ts_node_named_child_count(part);
                for (uint32_t s = 0; s < q; s++) {
                    TSNode sp = ts_node_named_child(part, s);
                    if (code_nt(c, sp) != NT_import_specifier)
                        continue;
                    TSNode nm = code_field(sp, "name"), alias = code_field(sp, "alias");
                    char *imported = code_nt(c, nm) == NT_string ? js_string(c, nm) : code_text(c, nm);
                    char *local = ts_node_is_null(alias) ? imported : code_text(c, alias);
                    code_record_import(c, spec, local, imported, line, 0);
                    bound = 1;
                }
            }
        }
    }
    if (!bound)
        code_record_import(c, spec, NULL, NULL, line, 0);
}

static void on_export(struct code_ctx *c, TSNode n)
{
    TSNode source = code_field(n, "source");
    char *spec = ts_node_is_null(source) ? NULL : js_string(c, source);
    uint32_t line = code_line(n);
    int is_default = 0;
    uint32_t k = ts_node_child_count(n);
    int any = 0;
    for (uint32_t i = 0; i < k; i++) {
        TSNode ch = ts_node_child(n, i);
        if (!ts_node_is_named(ch)) {
            const char *tt = ts_node_type(ch);
            if (strcmp(tt, "default") == 0)
                is_default = 1;
            else if (strcmp(tt, "*") == 0 && spec && !any) {
                code_record_import(c, spec, NULL, "*", line, 1);   /* export * from 'm' */
                any = 1;
            }
            continue;
        }
        enum code_node_type t = code_nt(c, ch);
        if (t == NT_namespace_export && spec) {
            code_record_import(c, spec, code_text(c, ts_node_named_child(ch, 0)), "*", line, 1);
            any = 1;
        } else if (t == NT_export_clause) {
            uint32_t q = ts_node_named_child_count(ch);
            for (uint32_t s = 0; s < q; s++) {
                TSNode sp = ts_node_named_child(ch, s);
                if (code_nt(c, sp) != NT_export_specifier)
                    continue;
                TSNode nm = code_field(sp, "name"), alias = code_field(sp, "alias");
                char *local = code_text(c, nm);
                char *exported = ts_node_is_null(alias) ? local : code_text(c, alias);
                if (spec)
                    code_record_import(c, spec, exported, local, line, 1);
                else
                    add_export(c, local, exported);
                if (exported && strcmp(exported, "default") == 0)
                    c->default_export = local;
                any = 1;
            }
        }
    }
    if (spec && !any)
        code_record_import(c, spec, NULL, NULL, line, 1);
    TSNode value = code_field(n, "value");
    if (is_default && !ts_node_is_null(value)) {
        enum code_node_type vt = code_nt(c, value);
        if (vt == NT_identifier) {
            c->default_export = code_text(c, value);
            add_export(c, c->default_export, c->default_export);
        } else if (is_fn_node(vt)) {
            TSNode fname = code_field(value, "name");
            char *nm = ts_node_is_null(fname) ? "default" : code_text(c, fname);
            uint32_t fn = define_fn(c, CODE_FUNCTION, nm, n, value, CODE_F_EXPORTED);
            c->default_export = nm;
            nextjs_handler(c, fn, nm ? nm : "default", 1);
            code_push_scope(c, fn, CODE_FUNCTION);
        }
    }
}

/* ---- calls: tests, routes, selectors, requests, plain calls ---- */

static const char *const suite_roots[] = {"describe", "context", "suite", "fdescribe", "xdescribe"};
static const char *const case_roots[] = {"test", "it", "specify", "fit", "xit", "xtest"};
static const char *const not_tests[] = {"step", "use", "extend", "info", "expect", "slow", "setTimeout", "each",
                                        "configure", "beforeEach", "afterEach", "beforeAll", "afterAll", "fail"};

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}
#define IN_LIST(s, list) in_list((s), (list), sizeof(list) / sizeof((list)[0]))

/* test('t', fn), it.only('t', fn), test.describe('s', fn), describe.skip('s', fn) ... */
static int js_test_call(struct code_ctx *c, TSNode n, const char *dotted, TSNode args)
{
    char root[32];
    size_t rl = strcspn(dotted, ".");
    if (rl >= sizeof root)
        return 0;
    memcpy(root, dotted, rl);
    root[rl] = '\0';
    int suite = IN_LIST(root, suite_roots), kase = IN_LIST(root, case_roots);
    if (!suite && !kase)
        return 0;
    uint32_t flags = root[0] == 'x' ? CODE_F_SKIPPED : 0;
    for (const char *p = dotted + rl; *p == '.';) {
        p++;
        size_t l = strcspn(p, ".");
        char member[32];
        if (l >= sizeof member)
            return 0;
        memcpy(member, p, l);
        member[l] = '\0';
        if (IN_LIST(member, not_tests))
            return 0;
        if (strcmp(member, "describe") == 0) {
            suite = 1;
            kase = 0;
        } else if (strcmp(member, "skip") == 0 || strcmp(member, "fixme") == 0 || strcmp(member, "todo") == 0) {
            flags |= CODE_F_SKIPPED;
        }
        p += l;
    }
    char *title = js_title(c, code_arg(c, args, 0));
    if (!title)
        return 0;
    if (!c->test_framework)
        c->test_framework = strstr(c->path, "cypress/") || strstr(c->path, ".cy.") ? "cypress" : "jest";
    uint32_t nargs = code_arg_count(c, args);
    TSNode body = code_arg(c, args, nargs ? nargs - 1 : 0);
    if (is_fn_node(code_nt(c, body)) && has_async_token(body))
        flags |= CODE_F_ASYNC;
    uint32_t e = code_define(c, suite ? CODE_TEST_SUITE : CODE_TEST_CASE, title, n, flags, 0);
    code_push_scope(c, e, suite ? CODE_TEST_SUITE : CODE_TEST_CASE);
    return 1;
}

static const char *const http_clients[] = {"axios", "http", "https", "rest", "fetch", "request", "superagent",
                                           "got", "ky", "client", "cy", "page", "msw", "$", "jQuery", "supertest",
                                           "graphql", "ws", "socket", "io", "this"};

static void route_handler(struct code_ctx *c, TSNode h, const uint32_t *eps, int neps, const char *anon_name)
{
    for (int guard = 0; guard < 4; guard++) {
        enum code_node_type t = code_nt(c, h);
        if (t == NT_call_expression) {   /* asyncHandler(fn), wrap(controller.list) */
            h = code_arg(c, code_field(h, "arguments"), 0);
            continue;
        }
        uint32_t line = code_line(h);
        if (is_fn_node(t)) {
            uint32_t fn = define_fn(c, CODE_FUNCTION, anon_name, h, h, CODE_F_ANONYMOUS);
            for (int i = 0; i < neps; i++)
                code_add_rel(c->m, CODE_HANDLES, fn, eps[i], line);
            code_push_scope(c, fn, CODE_FUNCTION);
        } else if (t == NT_identifier || t == NT_member_expression) {
            char *dotted = js_dotted(c, h);
            if (!dotted)
                return;
            const char *name = last_segment(dotted);
            char *recv = name == dotted ? NULL : code_arena_strndup(&c->in->arena, dotted, (size_t)(name - dotted - 1));
            for (int i = 0; i < neps; i++)
                code_record_call(c, name, recv, line, eps[i]);
        }
        return;
    }
}

static const char *route_framework(struct code_ctx *c, const char *receiver)
{
    if (receiver && strstr(receiver, "fastify"))
        return "fastify";
    return c->route_framework ? c->route_framework : "express";
}

/* app.get('/x', h), router.route('/x').post(h), fastify.route({method, url, handler}). */
static int js_route_call(struct code_ctx *c, TSNode fn, const char *name, const char *receiver, TSNode args)
{
    uint32_t nargs = code_arg_count(c, args);
    TSNode obj = code_field(fn, "object");
    const char *route = NULL;
    TSNode handler = {{0}, NULL, NULL};
    const char *methods[8];
    int nmethods = 0;
    uint32_t line = code_line(fn);
    if (receiver && IN_LIST(last_segment(receiver), http_clients))
        return 0;
    const char *method = code_upper_method(NULL, name);
    if (method && nargs >= 2) {
        route = js_string(c, code_arg(c, args, 0));
        handler = code_arg(c, args, nargs - 1);
        methods[nmethods++] = method;
    } else if (method && nargs == 1 && code_nt(c, obj) == NT_call_expression) {
        /* router.route('/x').get(a).post(b): down the chain to the route() call */
        for (int guard = 0; guard < 16 && code_nt(c, obj) == NT_call_expression; guard++) {
            TSNode inner = code_field(obj, "function");
            if (code_nt(c, inner) != NT_member_expression)
                break;
            TSNode prop = code_field(inner, "property");
            if (code_text_eq(c, prop, "route")) {
                route = js_string(c, code_arg(c, code_field(obj, "arguments"), 0));
                break;
            }
            char *pname = code_text(c, prop);
            if (!pname || !code_upper_method(NULL, pname))
                break;
            obj = code_field(inner, "object");
        }
        handler = code_arg(c, args, 0);
        methods[nmethods++] = method;
    } else if (strcmp(name, "route") == 0 && nargs == 1 && receiver) {
        TSNode opts = code_arg(c, args, 0);
        TSNode url = js_object_get(c, opts, "url");
        if (ts_node_is_null(url))
            url = js_object_get(c, opts, "path");
        route = js_string(c, url);
        handler = js_object_get(c, opts, "handler");
        TSNode mv = js_object_get(c, opts, "method");
        if (code_nt(c, mv) == NT_array) {
            uint32_t k = ts_node_named_child_count(mv);
            for (uint32_t i = 0; i < k && nmethods < 8; i++) {
                char *s = js_string(c, ts_node_named_child(mv, i));
                const char *up = s ? code_upper_method(NULL, s) : NULL;
                if (up)
                    methods[nmethods++] = up;
            }
        } else {
            char *s = js_string(c, mv);
            const char *up = s ? code_upper_method(NULL, s) : NULL;
            if (up)
                methods[nmethods++] = up;
        }
    } else {
        return 0;
    }
    if (!route || (route[0] != '/' && route[0] != '*') || strchr(route, '\x01') || !nmethods ||
        ts_node_is_null(handler))
        return 0;
    enum code_node_type ht = code_nt(c, handler);
    if (!is_fn_node(ht) && ht != NT_identifier && ht != NT_member_expression && ht != NT_call_expression)
        return 0;
    uint32_t eps[8];
    int neps = 0;
    for (int i = 0; i < nmethods; i++) {
        uint32_t ep = code_define_endpoint(c, methods[i], route, route_framework(c, receiver), line);
        if (ep != CODE_NONE)
            eps[neps++] = ep;
    }
    if (neps)
        route_handler(c, handler, eps, neps, c->m->entities[eps[0]].name);
    return 1;
}

/* app.use('/api', router) / app.use('/api', require('./routes')) / fastify.register(p, {prefix}) */
static void js_mount_call(struct code_ctx *c, const char *name, TSNode args)
{
    TSNode target, opts;
    const char *prefix;
    if (strcmp(name, "use") == 0 && code_arg_count(c, args) >= 2) {
        prefix = js_string(c, code_arg(c, args, 0));
        target = code_arg(c, args, code_arg_count(c, args) - 1);
    } else if (strcmp(name, "register") == 0 && code_arg_count(c, args) == 2) {
        target = code_arg(c, args, 0);
        opts = code_arg(c, args, 1);
        prefix = js_string(c, js_object_get(c, opts, "prefix"));
    } else {
        return;
    }
    if (!prefix || prefix[0] != '/' || strchr(prefix, '\x01'))
        return;
    struct code_mount mt = {c->file, prefix, NULL, NULL};
    enum code_node_type t = code_nt(c, target);
    if (t == NT_identifier) {
        mt.local = code_text(c, target);
    } else if (t == NT_call_expression && code_text_eq(c, code_field(target, "function"), "require")) {
        mt.spec = js_string(c, code_arg(c, code_field(target, "arguments"), 0));
    }
    if ((mt.local || mt.spec) && code_add_mount(c->m, &mt) != 0)
        c->in->arena.oom = 1;
}

static const char *const selector_any[] = {"locator", "$", "$$", "$eval", "$$eval", "waitForSelector",
                                           "querySelector", "querySelectorAll"};
static const char *const selector_actions[] = {"click", "dblclick", "fill", "type", "check", "uncheck", "hover",
                                               "focus", "press", "selectOption", "tap", "setInputFiles",
                                               "isVisible", "isHidden", "isEnabled", "isDisabled", "isChecked",
                                               "isEditable", "textContent", "innerText", "innerHTML", "inputValue",
                                               "getAttribute", "dispatchEvent", "dragAndDrop"};

/* getByTestId / queryAllByRole / findByLabelText ... -> selector kind, or NULL. */
static const char *code_by_kind(const char *name)
{
    static const struct {
        const char *suffix;
        const char *kind;
    } bys[] = {
        {"TestId", "testid"}, {"Role", "role"}, {"Text", "text"}, {"Label", "label"}, {"LabelText", "label"},
        {"Placeholder", "placeholder"}, {"PlaceholderText", "placeholder"}, {"AltText", "alt"}, {"Title", "title"},
    };
    const char *p = NULL;
    if (strncmp(name, "getBy", 5) == 0)
        p = name + 5;
    else if (strncmp(name, "getAllBy", 8) == 0 || strncmp(name, "findAllBy", 9) == 0 ||
             strncmp(name, "queryAllBy", 10) == 0 || strncmp(name, "findBy", 6) == 0 || strncmp(name, "queryBy", 7) == 0)
        p = strstr(name, "By") + 2;
    if (!p)
        return NULL;
    for (size_t i = 0; i < sizeof bys / sizeof bys[0]; i++)
        if (strcmp(p, bys[i].suffix) == 0)
            return bys[i].kind;
    return NULL;
}

static int receiver_is_page(const char *receiver)
{
    if (!receiver)
        return 0;
    const char *last = last_segment(receiver);
    return strcasestr(last, "page") != NULL || strcasestr(last, "frame") != NULL;
}

static void js_selector_call(struct code_ctx *c, TSNode fn, const char *name, const char *receiver, TSNode args)
{
    uint32_t line = code_line(fn);
    TSNode a0 = code_arg(c, args, 0);
    const char *kind = code_by_kind(name);
    if (kind) {
        char *v = js_string(c, a0);
        if (!v || strchr(v, '\x01'))
            return;
        if (strcmp(kind, "role") == 0) {
            char *label = js_string(c, js_object_get(c, code_arg(c, args, 1), "name"));
            if (label && !strchr(label, '\x01'))
                v = code_arena_printf(&c->in->arena, "%s[name=%s]", v, label);
        }
        code_define_selector(c, kind, v, line);
        return;
    }
    TSNode obj = code_field(fn, "object");
    int cypress = !ts_node_is_null(obj) && js_chain_root_is(c, obj, "cy");
    if (receiver && strcmp(receiver, "By") == 0) {   /* selenium-webdriver By.css('x') */
        static const struct {
            const char *m, *hint;
        } by[] = {{"css", "css"}, {"id", "id"}, {"xpath", "xpath"}, {"name", "name"}, {"className", "class"},
                  {"linkText", "link"}, {"partialLinkText", "link"}, {"tagName", "tag"}};
        for (size_t i = 0; i < sizeof by / sizeof by[0]; i++)
            if (strcmp(name, by[i].m) == 0) {
                char *v = js_string(c, a0);
                if (v && !strchr(v, '\x01'))
                    code_define_selector(c, by[i].hint, v, line);
            }
        return;
    }
    const char *hint = NULL;
    TSNode value = a0;
    if (cypress && (strcmp(name, "get") == 0 || strcmp(name, "find") == 0)) {
        hint = "css";
    } else if (cypress && strcmp(name, "contains") == 0) {
        hint = "text";
        value = code_arg(c, args, code_arg_count(c, args) - 1);
    } else if (IN_LIST(name, selector_any) || (IN_LIST(name, selector_actions) && receiver_is_page(receiver))) {
        hint = "css";
    }
    if (!hint)
        return;
    char *v = js_string(c, value);
    if (v && !strchr(v, '\x01'))
        code_define_selector(c, hint, v, line);
    if (strcmp(name, "dragAndDrop") == 0) {
        char *v2 = js_string(c, code_arg(c, args, 1));
        if (v2 && !strchr(v2, '\x01'))
            code_define_selector(c, "css", v2, line);
    }
}

static void js_request_call(struct code_ctx *c, TSNode fn, const char *name, const char *receiver, TSNode args)
{
    uint32_t line = code_line(fn);
    TSNode a0 = code_arg(c, args, 0);
    TSNode obj = code_field(fn, "object");
    const char *method = code_upper_method(NULL, name);
    if (method && strcmp(method, "ANY") != 0 && !ts_node_is_null(obj) && !js_chain_root_is(c, obj, "cy")) {
        code_record_request(c, method, js_string(c, a0), line);   /* request.get, supertest(app).post, axios.put */
        return;
    }
    if (strcmp(name, "fetch") == 0 && (!receiver || strcmp(last_segment(receiver), "request") == 0 ||
                                       receiver_is_page(receiver) || strcmp(receiver, "window") == 0)) {
        char *m = js_string(c, js_object_get(c, code_arg(c, args, 1), "method"));
        const char *up = m ? code_upper_method(NULL, m) : "GET";
        code_record_request(c, up ? up : "GET", js_string(c, a0), line);
    } else if (strcmp(name, "goto") == 0 && receiver_is_page(receiver)) {
        code_record_request(c, "GET", js_string(c, a0), line);
    } else if (receiver && strcmp(receiver, "cy") == 0 && strcmp(name, "visit") == 0) {
        code_record_request(c, "GET", js_string(c, a0), line);
    } else if (receiver && strcmp(receiver, "cy") == 0 && strcmp(name, "request") == 0) {
        if (code_nt(c, a0) == NT_object) {
            char *m = js_string(c, js_object_get(c, a0, "method"));
            const char *up = m ? code_upper_method(NULL, m) : "GET";
            code_record_request(c, up ? up : "GET", js_string(c, js_object_get(c, a0, "url")), line);
        } else if (code_arg_count(c, args) >= 2 && js_string(c, a0) && code_upper_method(NULL, js_string(c, a0))) {
            code_record_request(c, code_upper_method(NULL, js_string(c, a0)), js_string(c, code_arg(c, args, 1)), line);
        } else {
            code_record_request(c, "GET", js_string(c, a0), line);
        }
    } else if (!receiver && strcmp(name, "axios") == 0 && code_nt(c, a0) == NT_object) {
        char *m = js_string(c, js_object_get(c, a0, "method"));
        const char *up = m ? code_upper_method(NULL, m) : "GET";
        code_record_request(c, up ? up : "GET", js_string(c, js_object_get(c, a0, "url")), line);
    }
}

static int on_call(struct code_ctx *c, TSNode n)
{
    TSNode fn = code_field(n, "function"), args = code_field(n, "arguments");
    enum code_node_type ft = code_nt(c, fn);
    uint32_t line = code_line(n);
    if (ft == NT_import) {   /* import('m') */
        code_record_import(c, js_string(c, code_arg(c, args, 0)), NULL, NULL, line, 0);
        return 1;
    }
    if (code_nt(c, args) != NT_arguments)
        return 1;   /* tagged templates */
    const char *name = NULL, *receiver = NULL;
    char *dotted = NULL;
    if (ft == NT_identifier) {
        name = dotted = code_text(c, fn);
    } else if (ft == NT_member_expression) {
        TSNode prop = code_field(fn, "property");
        if (code_nt(c, prop) != NT_property_identifier)
            return 1;
        name = code_text(c, prop);
        dotted = js_dotted(c, fn);
        receiver = js_dotted(c, code_field(fn, "object"));
    } else {
        return 1;
    }
    if (!name)
        return 1;
    if (!receiver && strcmp(name, "require") == 0) {
        code_record_import(c, js_string(c, code_arg(c, args, 0)), NULL, NULL, line, 0);
        return 1;
    }
    if (c->is_test && dotted && js_test_call(c, n, dotted, args))
        return 1;
    if (c->routes) {
        if (js_route_call(c, fn, name, receiver, args))
            return 1;
        if (receiver)
            js_mount_call(c, name, args);
    }
    if (c->ui_tests)
        js_selector_call(c, fn, name, receiver, args);
    if (c->is_test)
        js_request_call(c, fn, name, receiver, args);
    if (ft == NT_identifier || receiver)
        code_record_call(c, name, receiver, line, CODE_NONE);
    return 1;
}

static int enter(struct code_ctx *c, TSNode n)
{
    switch (code_nt(c, n)) {
    case NT_import_statement:
        on_import(c, n);
        return 0;
    case NT_export_statement:
        on_export(c, n);
        return 1;
    case NT_function_declaration:
    case NT_generator_function_declaration:
        on_function_declaration(c, n);
        return 1;
    case NT_class_declaration:
    case NT_abstract_class_declaration:
        on_class(c, n);
        return 1;
    case NT_method_definition:
        on_method(c, n, n);
        return 1;
    case NT_public_field_definition:
    case NT_field_definition: {
        TSNode v = code_field(n, "value");
        if (is_fn_node(code_nt(c, v)))
            on_method(c, n, v);
        return 1;
    }
    case NT_variable_declarator:
        on_declarator(c, n);
        return 1;
    case NT_assignment_expression:
        on_assignment(c, n);
        return 1;
    case NT_call_expression:
        return on_call(c, n);
    default:
        return 1;
    }
}

void code_walk_js(struct code_ctx *c, TSNode root)
{
    code_walk(c, root, enter);
}
