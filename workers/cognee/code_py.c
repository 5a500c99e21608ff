/* The Python walker: functions, classes and methods; imports; FastAPI / Flask route decorators and
 * Django urls.py patterns; pytest tests; Playwright-for-Python and Selenium selectors; test client
 * requests; and every call site for the repository passes. */
#include "code_internal.h"

#include <string.h>
#include <strings.h>

#define DOTTED_MAX 8

static int has_async_token(TSNode n)
{
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i < k && i < 3; i++) {
        TSNode ch = ts_node_child(n, i);
        if (!ts_node_is_named(ch) && strcmp(ts_node_type(ch), "async") == 0)
            return 1;
    }
    return 0;
}

/* Content of a string (f-string interpolations become '\x01'), or NULL. */
static char *py_string(struct code_ctx *c, TSNode n)
{
    if (code_nt(c, n) != NT_string)
        return NULL;
    uint32_t k = ts_node_named_child_count(n);
    if (k < 2)
        return NULL;
    TSNode start = ts_node_named_child(n, 0), end = ts_node_named_child(n, k - 1);
    if (code_nt(c, start) != NT_string_start || code_nt(c, end) != NT_string_end)
        return NULL;
    uint32_t s = ts_node_end_byte(start), e = ts_node_start_byte(end);
    if (e > c->len || s > e)
        return NULL;
    char buf[CODE_NAME_MAX + 1];
    size_t o = 0;
    uint32_t p = s;
    for (uint32_t i = 1; i + 1 < k && o < CODE_NAME_MAX; i++) {
        TSNode part = ts_node_named_child(n, i);
        if (code_nt(c, part) != NT_interpolation)
            continue;
        uint32_t ps = ts_node_start_byte(part);
        while (p < ps && o < CODE_NAME_MAX)
            buf[o++] = c->src[p++];
        if (o < CODE_NAME_MAX)
            buf[o++] = '\x01';
        p = ts_node_end_byte(part);
    }
    while (p < e && o < CODE_NAME_MAX)
        buf[o++] = c->src[p++];
    return code_arena_utf8(&c->in->arena, buf, o, CODE_NAME_MAX);
}

static char *py_dotted(struct code_ctx *c, TSNode n)
{
    TSNode parts[DOTTED_MAX];
    int np = 0;
    while (code_nt(c, n) == NT_attribute) {
        if (np == DOTTED_MAX - 1)
            return NULL;
        parts[np] = code_field(n, "attribute");
        if (ts_node_is_null(parts[np++]))
            return NULL;
        n = code_field(n, "object");
    }
    if (code_nt(c, n) != NT_identifier)
        return NULL;
    parts[np++] = n;
    char buf[CODE_NAME_MAX + 1];
    size_t o = 0;
    for (int i = np - 1; i >= 0; i--) {
        uint32_t s = ts_node_start_byte(parts[i]), e = ts_node_end_byte(parts[i]);
        if (e > c->len || s > e || o + (e - s) + 1 > CODE_NAME_MAX)
            return NULL;
        if (o)
            buf[o++] = '.';
        memcpy(buf + o, c->src + s, e - s);
        o += e - s;
    }
    return code_arena_utf8(&c->in->arena, buf, o, CODE_NAME_MAX);
}

/* Value of keyword argument key in an argument_list, or a null node. */
static TSNode py_kwarg(struct code_ctx *c, TSNode args, const char *key)
{
    TSNode none = {{0}, NULL, NULL};
    uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
    for (uint32_t i = 0; i < n; i++) {
        TSNode a = ts_node_named_child(args, i);
        if (code_nt(c, a) == NT_keyword_argument && code_text_eq(c, code_field(a, "name"), key))
            return code_field(a, "value");
    }
    return none;
}

/* i-th positional argument. */
static TSNode py_arg(struct code_ctx *c, TSNode args, uint32_t i)
{
    TSNode none = {{0}, NULL, NULL};
    uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
    for (uint32_t k = 0; k < n; k++) {
        TSNode a = ts_node_named_child(args, k);
        enum code_node_type t = code_nt(c, a);
        if (t == NT_comment || t == NT_keyword_argument)
            continue;
        if (i-- == 0)
            return a;
    }
    return none;
}

static const char *prefix_of(struct code_ctx *c, const char *var)
{
    for (int i = 0; var && i < c->n_prefixes; i++)
        if (strcmp(c->prefixes[i].var, var) == 0)
            return c->prefixes[i].prefix;
    return NULL;
}

static int starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* ---- definitions ---- */

static uint32_t count_params(struct code_ctx *c, TSNode fn, int method)
{
    TSNode ps = code_field(fn, "parameters");
    uint32_t n = ts_node_is_null(ps) ? 0 : ts_node_named_child_count(ps), count = 0;
    for (uint32_t i = 0; i < n; i++) {
        TSNode p = ts_node_named_child(ps, i);
        const char *t = ts_node_type(p);
        if (code_nt(c, p) == NT_comment || strcmp(t, "keyword_separator") == 0 || strcmp(t, "positional_separator") == 0)
            continue;
        if (method && count == 0 && i == 0 && code_nt(c, p) == NT_identifier &&
            (code_text_eq(c, p, "self") || code_text_eq(c, p, "cls")))
            continue;   /* the receiver is not a parameter callers pass */
        count++;
    }
    return count;
}

/* @app.get("/x"), @router.post(...), @app.route("/x", methods=[...]), @app.api_route(...). */
static void route_decorator(struct code_ctx *c, TSNode dec, uint32_t fn)
{
    TSNode call = ts_node_named_child(dec, 0);
    if (code_nt(c, call) != NT_call)
        return;
    TSNode f = code_field(call, "function"), args = code_field(call, "arguments");
    if (code_nt(c, f) != NT_attribute)
        return;
    char *verb = code_text(c, code_field(f, "attribute"));
    char *var = py_dotted(c, code_field(f, "object"));
    if (!verb)
        return;
    const char *methods[8];
    int nm = 0;
    int generic = strcmp(verb, "route") == 0 || strcmp(verb, "api_route") == 0;
    const char *m = code_upper_method(NULL, verb);
    if (m && strcmp(m, "ANY") != 0) {
        methods[nm++] = m;
    } else if (generic) {
        TSNode list = py_kwarg(c, args, "methods");
        enum code_node_type lt = code_nt(c, list);
        uint32_t k = lt == NT_list || lt == NT_tuple ? ts_node_named_child_count(list) : 0;
        for (uint32_t i = 0; i < k && nm < 8; i++) {
            char *s = py_string(c, ts_node_named_child(list, i));
            const char *up = s ? code_upper_method(NULL, s) : NULL;
            if (up)
                methods[nm++] = up;
        }
        if (!nm)
            methods[nm++] = "GET";
    } else {
        return;
    }
    TSNode path = py_arg(c, args, 0);
    if (ts_node_is_null(path))
        path = py_kwarg(c, args, "path");
    if (ts_node_is_null(path))
        path = py_kwarg(c, args, "rule");
    char *route = py_string(c, path);
    if (!route || (route[0] != '/' && route[0] != '\0') || strchr(route, '\x01'))
        return;
    const char *prefix = prefix_of(c, var);
    const char *full = prefix ? code_route_join(&c->in->arena, prefix, route) : (*route ? route : "/");
    const char *framework = c->route_framework ? c->route_framework : (strcmp(verb, "route") == 0 ? "flask" : "fastapi");
    uint32_t line = code_line(dec);
    for (int i = 0; i < nm; i++) {
        uint32_t ep = code_define_endpoint(c, methods[i], full, framework, line);
        if (ep != CODE_NONE)
            code_add_rel(c->m, CODE_HANDLES, fn, ep, line);
    }
}

static int decorator_skips(struct code_ctx *c, TSNode dec)
{
    TSNode e = ts_node_named_child(dec, 0);
    if (code_nt(c, e) == NT_call)
        e = code_field(e, "function");
    char *d = py_dotted(c, e);
    return d && (strcmp(d, "pytest.mark.skip") == 0 || strcmp(d, "pytest.mark.skipif") == 0 ||
                 strcmp(d, "unittest.skip") == 0);
}

static void on_function(struct code_ctx *c, TSNode n)
{
    char *name = code_text(c, code_field(n, "name"));
    if (!name)
        return;
    const struct code_scope *code = code_scope_code(c);
    const struct code_scope *inner = c->n_scopes ? &c->scopes[c->n_scopes - 1] : NULL;
    enum code_kind kind = CODE_FUNCTION;
    int test_name = starts_with(name, "test");
    if (inner && inner->kind == CODE_TEST_SUITE && !code)
        kind = test_name ? CODE_TEST_CASE : CODE_METHOD;
    else if (code && code->kind == CODE_CLASS && inner == code)
        kind = CODE_METHOD;
    else if (!code && c->is_test && test_name && !inner)
        kind = CODE_TEST_CASE;
    uint32_t flags = has_async_token(n) ? CODE_F_ASYNC : 0;
    if (!code && !inner && name[0] != '_')
        flags |= CODE_F_EXPORTED;
    TSNode parent = ts_node_parent(n);
    int decorated = code_nt(c, parent) == NT_decorated_definition;
    uint32_t nd = decorated ? ts_node_named_child_count(parent) : 0;
    for (uint32_t i = 0; i < nd; i++) {
        TSNode d = ts_node_named_child(parent, i);
        if (code_nt(c, d) == NT_decorator && (kind == CODE_TEST_CASE) && decorator_skips(c, d))
            flags |= CODE_F_SKIPPED;
    }
    if (kind == CODE_TEST_CASE && !c->test_framework)
        c->test_framework = "pytest";
    /* A Test* class's helper methods are methods of a suite: keep them reachable as functions. */
    uint32_t e;
    if (kind == CODE_METHOD && code_scope_class(c) == CODE_NONE)
        e = code_define(c, CODE_FUNCTION, name, n, flags, count_params(c, n, 1));
    else
        e = code_define(c, kind, name, n, flags, count_params(c, n, kind == CODE_METHOD));
    if (c->routes && e != CODE_NONE && kind != CODE_TEST_CASE)
        for (uint32_t i = 0; i < nd; i++) {
            TSNode d = ts_node_named_child(parent, i);
            if (code_nt(c, d) == NT_decorator)
                route_decorator(c, d, e);
        }
    code_push_scope(c, e, kind);
}

static void on_class(struct code_ctx *c, TSNode n)
{
    char *name = code_text(c, code_field(n, "name"));
    if (!name)
        return;
    int suite = c->is_test && starts_with(name, "Test") && !code_scope_code(c);
    uint32_t flags = !code_scope_code(c) && name[0] != '_' ? CODE_F_EXPORTED : 0;
    if (suite && !c->test_framework)
        c->test_framework = "pytest";
    uint32_t e = code_define(c, suite ? CODE_TEST_SUITE : CODE_CLASS, name, n, suite ? 0 : flags, 0);
    code_push_scope(c, e, suite ? CODE_TEST_SUITE : CODE_CLASS);
}

static void on_import(struct code_ctx *c, TSNode n)
{
    uint32_t line = code_line(n);
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        const char *field = ts_node_field_name_for_child(n, i);
        if (!field || strcmp(field, "name") != 0)
            continue;
        TSNode ch = ts_node_child(n, i);
        if (code_nt(c, ch) == NT_aliased_import) {
            char *mod = code_text(c, code_field(ch, "name"));
            code_record_import(c, mod, code_text(c, code_field(ch, "alias")), "*", line, 0);
        } else {
            char *mod = code_text(c, ch);
            code_record_import(c, mod, mod, "*", line, 0);   /* import a.b binds "a.b" as written */
        }
    }
}

static void on_import_from(struct code_ctx *c, TSNode n)
{
    char *mod = code_text(c, code_field(n, "module_name"));
    if (!mod)
        return;
    uint32_t line = code_line(n);
    int bound = 0;
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        TSNode ch = ts_node_child(n, i);
        const char *field = ts_node_field_name_for_child(n, i);
        if (code_nt(c, ch) == NT_wildcard_import) {
            code_record_import(c, mod, NULL, "*", line, 0);
            bound = 1;
            continue;
        }
        if (!field || strcmp(field, "name") != 0)
            continue;
        if (code_nt(c, ch) == NT_aliased_import) {
            code_record_import(c, mod, code_text(c, code_field(ch, "alias")), code_text(c, code_field(ch, "name")),
                               line, 0);
        } else {
            char *name = code_text(c, ch);
            code_record_import(c, mod, name, name, line, 0);
        }
        bound = 1;
    }
    if (!bound)
        code_record_import(c, mod, NULL, NULL, line, 0);
}

/* router = APIRouter(prefix="/items") / bp = Blueprint("x", __name__, url_prefix="/x") */
static void on_assignment(struct code_ctx *c, TSNode n)
{
    TSNode left = code_field(n, "left"), right = code_field(n, "right");
    if (code_nt(c, left) != NT_identifier || code_nt(c, right) != NT_call || c->n_prefixes == 16)
        return;
    TSNode args = code_field(right, "arguments");
    TSNode p = py_kwarg(c, args, "prefix");
    if (ts_node_is_null(p))
        p = py_kwarg(c, args, "url_prefix");
    char *prefix = py_string(c, p);
    if (!prefix || prefix[0] != '/' || strchr(prefix, '\x01'))
        return;
    c->prefixes[c->n_prefixes].var = code_text(c, left);
    c->prefixes[c->n_prefixes].prefix = prefix;
    if (c->prefixes[c->n_prefixes].var)
        c->n_prefixes++;
}

/* ---- calls ---- */

/* urls.py, api_urls.py, ...: where Django projects keep their urlpatterns. */
static int is_urls_py(const char *path)
{
    size_t n = strlen(path);
    return n >= 7 && strcmp(path + n - 7, "urls.py") == 0;
}

/* path("users/<int:pk>/", views.detail) in urls.py; include() mounts another urls module. */
static int py_django_call(struct code_ctx *c, const char *name, TSNode args, uint32_t line)
{
    if (strcmp(name, "path") != 0 && strcmp(name, "re_path") != 0)
        return 0;
    char *pat = py_string(c, py_arg(c, args, 0));
    TSNode view = py_arg(c, args, 1);
    if (!pat || strchr(pat, '\x01') || ts_node_is_null(view))
        return 0;
    if (pat[0] == '^')
        pat++;
    size_t pl = strlen(pat);
    if (pl && pat[pl - 1] == '$')
        pat[pl - 1] = '\0';
    const char *route = pat[0] == '/' ? pat : code_arena_printf(&c->in->arena, "/%s", pat);
    enum code_node_type vt = code_nt(c, view);
    if (vt == NT_call) {
        TSNode vf = code_field(view, "function");
        if (code_nt(c, vf) == NT_identifier && code_text_eq(c, vf, "include")) {
            struct code_mount mt = {c->file, route, NULL, py_string(c, py_arg(c, code_field(view, "arguments"), 0))};
            if (mt.spec && code_add_mount(c->m, &mt) != 0)
                c->in->arena.oom = 1;
        }
        return 1;   /* include() and SomeView.as_view(): no function to link */
    }
    char *dotted = py_dotted(c, view);
    if (!dotted || !route)
        return 1;
    uint32_t ep = code_define_endpoint(c, "ANY", route, "django", line);
    const char *dot = strrchr(dotted, '.');
    code_record_call(c, dot ? dot + 1 : dotted, dot ? code_arena_strndup(&c->in->arena, dotted, (size_t)(dot - dotted)) : NULL,
                     line, ep);
    return 1;
}

static const char *const selector_any[] = {"locator", "query_selector", "query_selector_all", "wait_for_selector",
                                           "eval_on_selector", "eval_on_selector_all"};
static const char *const selector_actions[] = {"click", "dblclick", "fill", "type", "check", "uncheck", "hover",
                                               "focus", "press", "select_option", "tap", "set_input_files",
                                               "is_visible", "is_hidden", "is_enabled", "is_disabled", "is_checked",
                                               "text_content", "inner_text", "inner_html", "input_value",
                                               "get_attribute"};
static const struct {
    const char *suffix, *hint;
} selenium_by[] = {{"ID", "id"}, {"CSS_SELECTOR", "css"}, {"XPATH", "xpath"}, {"NAME", "name"},
                   {"CLASS_NAME", "class"}, {"LINK_TEXT", "link"}, {"PARTIAL_LINK_TEXT", "link"}, {"TAG_NAME", "tag"},
                   {"id", "id"}, {"css_selector", "css"}, {"xpath", "xpath"}, {"name", "name"},
                   {"class_name", "class"}, {"link_text", "link"}, {"partial_link_text", "link"},
                   {"tag_name", "tag"}, {"css selector", "css"}, {"link text", "link"}, {"tag name", "tag"},
                   {"class name", "class"}};

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}
#define IN_LIST(s, list) in_list((s), (list), sizeof(list) / sizeof((list)[0]))

static const char *selenium_hint(const char *s)
{
    for (size_t i = 0; i < sizeof selenium_by / sizeof selenium_by[0]; i++)
        if (strcmp(s, selenium_by[i].suffix) == 0)
            return selenium_by[i].hint;
    return NULL;
}

static int receiver_is_page(const char *receiver)
{
    if (!receiver)
        return 0;
    const char *dot = strrchr(receiver, '.');
    const char *last = dot ? dot + 1 : receiver;
    return strcasestr(last, "page") != NULL || strcasestr(last, "frame") != NULL;
}

static void py_selector_call(struct code_ctx *c, const char *name, const char *receiver, TSNode args, uint32_t line)
{
    static const struct {
        const char *name, *kind;
    } get_by[] = {{"get_by_test_id", "testid"}, {"get_by_role", "role"}, {"get_by_text", "text"},
                  {"get_by_label", "label"}, {"get_by_placeholder", "placeholder"}, {"get_by_alt_text", "alt"},
                  {"get_by_title", "title"}};
    TSNode a0 = py_arg(c, args, 0);
    for (size_t i = 0; i < sizeof get_by / sizeof get_by[0]; i++) {
        if (strcmp(name, get_by[i].name) != 0)
            continue;
        char *v = py_string(c, a0);
        if (!v || strchr(v, '\x01'))
            return;
        if (strcmp(get_by[i].kind, "role") == 0) {
            char *label = py_string(c, py_kwarg(c, args, "name"));
            if (label && !strchr(label, '\x01'))
                v = code_arena_printf(&c->in->arena, "%s[name=%s]", v, label);
        }
        code_define_selector(c, get_by[i].kind, v, line);
        return;
    }
    const char *hint = NULL;
    TSNode value = a0;
    if (strcmp(name, "find_element") == 0 || strcmp(name, "find_elements") == 0) {
        char *by = code_nt(c, a0) == NT_string ? py_string(c, a0) : py_dotted(c, a0);
        if (by) {
            const char *dot = strrchr(by, '.');
            hint = selenium_hint(dot ? dot + 1 : by);
        }
        value = py_arg(c, args, 1);
    } else if (starts_with(name, "find_element_by_") || starts_with(name, "find_elements_by_")) {
        hint = selenium_hint(strstr(name, "_by_") + 4);
    } else if (IN_LIST(name, selector_any) || (IN_LIST(name, selector_actions) && receiver_is_page(receiver))) {
        hint = "css";
    }
    char *v = hint ? py_string(c, value) : NULL;
    if (v && !strchr(v, '\x01'))
        code_define_selector(c, hint, v, line);
}

static void py_request_call(struct code_ctx *c, const char *name, const char *receiver, TSNode args, uint32_t line)
{
    const char *method = code_upper_method(NULL, name);
    if (!receiver)
        return;
    if (method && strcmp(method, "ANY") != 0) {
        TSNode url = py_arg(c, args, 0);
        if (ts_node_is_null(url))
            url = py_kwarg(c, args, "url");
        code_record_request(c, method, py_string(c, url), line);
    } else if (strcmp(name, "goto") == 0 && receiver_is_page(receiver)) {
        code_record_request(c, "GET", py_string(c, py_arg(c, args, 0)), line);
    }
}

/* app.include_router(router, prefix="/api") / app.register_blueprint(bp, url_prefix="/x") */
static void py_mount_call(struct code_ctx *c, const char *name, TSNode args)
{
    const char *key = strcmp(name, "include_router") == 0 ? "prefix"
                      : strcmp(name, "register_blueprint") == 0 ? "url_prefix" : NULL;
    if (!key)
        return;
    char *prefix = py_string(c, py_kwarg(c, args, key));
    TSNode target = py_arg(c, args, 0);
    if (!prefix || prefix[0] != '/' || strchr(prefix, '\x01'))
        return;
    while (code_nt(c, target) == NT_attribute)   /* users.router: the module bound as users */
        target = code_field(target, "object");
    if (code_nt(c, target) != NT_identifier)
        return;
    struct code_mount mt = {c->file, prefix, code_text(c, target), NULL};
    if (mt.local && code_add_mount(c->m, &mt) != 0)
        c->in->arena.oom = 1;
}

static void on_call(struct code_ctx *c, TSNode n)
{
    TSNode fn = code_field(n, "function"), args = code_field(n, "arguments");
    if (code_nt(c, args) != NT_argument_list)
        return;
    enum code_node_type ft = code_nt(c, fn);
    const char *name = NULL, *receiver = NULL;
    if (ft == NT_identifier) {
        name = code_text(c, fn);
    } else if (ft == NT_attribute) {
        name = code_text(c, code_field(fn, "attribute"));
        receiver = py_dotted(c, code_field(fn, "object"));
    }
    if (!name)
        return;
    uint32_t line = code_line(n);
    if (c->routes && !receiver && is_urls_py(c->path) && py_django_call(c, name, args, line))
        return;
    if (c->routes && receiver)
        py_mount_call(c, name, args);
    if (c->ui_tests)
        py_selector_call(c, name, receiver, args, line);
    if (c->is_test)
        py_request_call(c, name, receiver, args, line);
    if (ft == NT_identifier || receiver)
        code_record_call(c, name, receiver, line, CODE_NONE);
}

static int enter(struct code_ctx *c, TSNode n)
{
    switch (code_nt(c, n)) {
    case NT_import_statement:
        on_import(c, n);
        return 0;
    case NT_import_from_statement:
        on_import_from(c, n);
        return 0;
    case NT_function_definition:
        on_function(c, n);
        return 1;
    case NT_class_definition:
        on_class(c, n);
        return 1;
    case NT_assignment:
        on_assignment(c, n);
        return 1;
    case NT_call:
        on_call(c, n);
        return 1;
    default:
        return 1;
    }
}

void code_walk_py(struct code_ctx *c, TSNode root)
{
    if (c->is_test)
        c->test_framework = "pytest";   /* the runner, whatever drives the browser */
    code_walk(c, root, enter);
}
