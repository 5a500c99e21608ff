/* The JavaScript / TypeScript / TSX walker: functions, classes and methods; ES and CommonJS imports
 * and exports; Next.js route handlers. Calls (tests, routes, selectors, requests, plain call sites)
 * are in code_js_calls.c. */
#include "code_internal.h"
#include "code_js.h"

#include <string.h>
#include <strings.h>


int code_js_is_fn(enum code_node_type t)
{
    return t == NT_arrow_function || t == NT_function_expression || t == NT_function;
}

int code_js_has_async(TSNode n)
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
char *code_js_string(struct code_ctx *c, TSNode n)
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

/* "a.b.c" for identifiers, this and property chains; NULL for anything else. */
char *code_js_dotted(struct code_ctx *c, TSNode n)
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

/* ---- definitions ---- */

uint32_t code_js_define_fn(struct code_ctx *c, enum code_kind kind, const char *name, TSNode node, TSNode fn,
                          uint32_t extra_flags)
{
    uint32_t flags = extra_flags | (code_js_has_async(fn) ? CODE_F_ASYNC : 0);
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
    uint32_t fn = code_js_define_fn(c, CODE_FUNCTION, nm, n, n, exported ? CODE_F_EXPORTED : 0);
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
    uint32_t m = code_js_define_fn(c, CODE_METHOD, code_text(c, name), n, fn, 0);
    code_push_scope(c, m, CODE_METHOD);
}

static void on_declarator(struct code_ctx *c, TSNode n)
{
    TSNode name = code_field(n, "name"), value = code_field(n, "value");
    enum code_node_type vt = code_nt(c, value);
    enum code_node_type nt = code_nt(c, name);
    if (code_js_is_fn(vt) && nt == NT_identifier) {
        int is_default;
        int exported = parent_is_export(c, ts_node_parent(n), &is_default);
        char *nm = code_text(c, name);
        uint32_t fn = code_js_define_fn(c, CODE_FUNCTION, nm, n, value, exported ? CODE_F_EXPORTED : 0);
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
    char *spec = code_js_string(c, code_arg(c, code_field(value, "arguments"), 0));
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
    char *target = code_js_dotted(c, left);
    if (!target)
        return;
    enum code_node_type rt = code_nt(c, right);
    const char *name = NULL;
    if (strcmp(target, "module.exports") == 0) {
        if (rt == NT_identifier) {
            c->default_export = code_text(c, right);
            add_export(c, c->default_export, c->default_export);
        } else if (code_js_is_fn(rt)) {
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
        const char *prop = code_js_last_segment(target);
        if (code_js_is_fn(rt))
            name = prop;
        else if (rt == NT_identifier)
            add_export(c, code_text(c, right), prop);
    }
    if (name && code_js_is_fn(rt)) {
        uint32_t fn = code_js_define_fn(c, CODE_FUNCTION, name, n, right, CODE_F_EXPORTED);
        code_push_scope(c, fn, CODE_FUNCTION);
    }
}

static void on_import(struct code_ctx *c, TSNode n)
{
    char *spec = code_js_string(c, code_field(n, "source"));
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
                    char *imported = code_nt(c, nm) == NT_string ? code_js_string(c, nm) : code_text(c, nm);
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
    char *spec = ts_node_is_null(source) ? NULL : code_js_string(c, source);
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
        } else if (code_js_is_fn(vt)) {
            TSNode fname = code_field(value, "name");
            char *nm = ts_node_is_null(fname) ? "default" : code_text(c, fname);
            uint32_t fn = code_js_define_fn(c, CODE_FUNCTION, nm, n, value, CODE_F_EXPORTED);
            c->default_export = nm;
            nextjs_handler(c, fn, nm ? nm : "default", 1);
            code_push_scope(c, fn, CODE_FUNCTION);
        }
    }
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
        if (code_js_is_fn(code_nt(c, v)))
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
        return code_js_call(c, n);
    default:
        return 1;
    }
}

void code_walk_js(struct code_ctx *c, TSNode root)
{
    code_walk(c, root, enter);
}
