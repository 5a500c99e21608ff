/* JavaScript / TypeScript call expressions: Playwright, Jest, Vitest, Mocha and Cypress tests;
 * Express / Fastify / Koa-style route registrations and router mounts; the selectors and the HTTP
 * requests tests use; and every other call site, recorded for the repository passes. */
#include "code_internal.h"
#include "code_js.h"

#include <string.h>
#include <strings.h>

/* A test title: the string, with interpolations shown as written. */
static char *js_title(struct code_ctx *c, TSNode n)
{
    enum code_node_type t = code_nt(c, n);
    if (t == NT_template_string) {
        uint32_t s = ts_node_start_byte(n) + 1, e = ts_node_end_byte(n) - 1;
        return e >= s && e <= c->len ? code_arena_utf8(&c->in->arena, c->src + s, e - s, CODE_NAME_MAX) : NULL;
    }
    return code_js_string(c, n);
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

const char *code_js_last_segment(const char *dotted)
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
            char *ks = code_js_string(c, k);
            if (ks && strcmp(ks, key) == 0)
                return code_field(p, "value");
        }
    }
    return none;
}

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
    if (code_js_is_fn(code_nt(c, body)) && code_js_has_async(body))
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
        if (code_js_is_fn(t)) {
            uint32_t fn = code_js_define_fn(c, CODE_FUNCTION, anon_name, h, h, CODE_F_ANONYMOUS);
            for (int i = 0; i < neps; i++)
                code_add_rel(c->m, CODE_HANDLES, fn, eps[i], line);
            code_push_scope(c, fn, CODE_FUNCTION);
        } else if (t == NT_identifier || t == NT_member_expression) {
            char *dotted = code_js_dotted(c, h);
            if (!dotted)
                return;
            const char *name = code_js_last_segment(dotted);
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
    if (receiver && IN_LIST(code_js_last_segment(receiver), http_clients))
        return 0;
    const char *method = code_upper_method(NULL, name);
    if (method && nargs >= 2) {
        route = code_js_string(c, code_arg(c, args, 0));
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
                route = code_js_string(c, code_arg(c, code_field(obj, "arguments"), 0));
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
        route = code_js_string(c, url);
        handler = js_object_get(c, opts, "handler");
        TSNode mv = js_object_get(c, opts, "method");
        if (code_nt(c, mv) == NT_array) {
            uint32_t k = ts_node_named_child_count(mv);
            for (uint32_t i = 0; i < k && nmethods < 8; i++) {
                char *s = code_js_string(c, ts_node_named_child(mv, i));
                const char *up = s ? code_upper_method(NULL, s) : NULL;
                if (up)
                    methods[nmethods++] = up;
            }
        } else {
            char *s = code_js_string(c, mv);
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
    if (!code_js_is_fn(ht) && ht != NT_identifier && ht != NT_member_expression && ht != NT_call_expression)
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
        prefix = code_js_string(c, code_arg(c, args, 0));
        target = code_arg(c, args, code_arg_count(c, args) - 1);
    } else if (strcmp(name, "register") == 0 && code_arg_count(c, args) == 2) {
        target = code_arg(c, args, 0);
        opts = code_arg(c, args, 1);
        prefix = code_js_string(c, js_object_get(c, opts, "prefix"));
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
        mt.spec = code_js_string(c, code_arg(c, code_field(target, "arguments"), 0));
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
    const char *last = code_js_last_segment(receiver);
    return strcasestr(last, "page") != NULL || strcasestr(last, "frame") != NULL;
}

static void js_selector_call(struct code_ctx *c, TSNode fn, const char *name, const char *receiver, TSNode args)
{
    uint32_t line = code_line(fn);
    TSNode a0 = code_arg(c, args, 0);
    const char *kind = code_by_kind(name);
    if (kind) {
        char *v = code_js_string(c, a0);
        if (!v || strchr(v, '\x01'))
            return;
        if (strcmp(kind, "role") == 0) {
            char *label = code_js_string(c, js_object_get(c, code_arg(c, args, 1), "name"));
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
                char *v = code_js_string(c, a0);
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
    char *v = code_js_string(c, value);
    if (v && !strchr(v, '\x01'))
        code_define_selector(c, hint, v, line);
    if (strcmp(name, "dragAndDrop") == 0) {
        char *v2 = code_js_string(c, code_arg(c, args, 1));
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
        code_record_request(c, method, code_js_string(c, a0), line);   /* request.get, supertest(app).post, axios.put */
        return;
    }
    if (strcmp(name, "fetch") == 0 && (!receiver || strcmp(code_js_last_segment(receiver), "request") == 0 ||
                                       receiver_is_page(receiver) || strcmp(receiver, "window") == 0)) {
        char *m = code_js_string(c, js_object_get(c, code_arg(c, args, 1), "method"));
        const char *up = m ? code_upper_method(NULL, m) : "GET";
        code_record_request(c, up ? up : "GET", code_js_string(c, a0), line);
    } else if (strcmp(name, "goto") == 0 && receiver_is_page(receiver)) {
        code_record_request(c, "GET", code_js_string(c, a0), line);
    } else if (receiver && strcmp(receiver, "cy") == 0 && strcmp(name, "visit") == 0) {
        code_record_request(c, "GET", code_js_string(c, a0), line);
    } else if (receiver && strcmp(receiver, "cy") == 0 && strcmp(name, "request") == 0) {
        if (code_nt(c, a0) == NT_object) {
            char *m = code_js_string(c, js_object_get(c, a0, "method"));
            const char *up = m ? code_upper_method(NULL, m) : "GET";
            code_record_request(c, up ? up : "GET", code_js_string(c, js_object_get(c, a0, "url")), line);
        } else if (code_arg_count(c, args) >= 2 && code_js_string(c, a0) && code_upper_method(NULL, code_js_string(c, a0))) {
            code_record_request(c, code_upper_method(NULL, code_js_string(c, a0)), code_js_string(c, code_arg(c, args, 1)), line);
        } else {
            code_record_request(c, "GET", code_js_string(c, a0), line);
        }
    } else if (!receiver && strcmp(name, "axios") == 0 && code_nt(c, a0) == NT_object) {
        char *m = code_js_string(c, js_object_get(c, a0, "method"));
        const char *up = m ? code_upper_method(NULL, m) : "GET";
        code_record_request(c, up ? up : "GET", code_js_string(c, js_object_get(c, a0, "url")), line);
    }
}

int code_js_call(struct code_ctx *c, TSNode n)
{
    TSNode fn = code_field(n, "function"), args = code_field(n, "arguments");
    enum code_node_type ft = code_nt(c, fn);
    uint32_t line = code_line(n);
    if (ft == NT_import) {   /* import('m') */
        code_record_import(c, code_js_string(c, code_arg(c, args, 0)), NULL, NULL, line, 0);
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
        dotted = code_js_dotted(c, fn);
        receiver = code_js_dotted(c, code_field(fn, "object"));
    } else {
        return 1;
    }
    if (!name)
        return 1;
    if (!receiver && strcmp(name, "require") == 0) {
        code_record_import(c, code_js_string(c, code_arg(c, args, 0)), NULL, NULL, line, 0);
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

