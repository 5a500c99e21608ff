/* code_analyze_file(): one file in, its File node and (for JavaScript, TypeScript, TSX and Python)
 * one tree-sitter parse and one walk that records entities and pending facts. Also the walk helpers
 * the language walkers share: node text, scopes, entity definition, fact recording. */
#include "code_internal.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_python(void);

/* A safety net against pathological inputs; typical files parse in well under a millisecond. */
#define PARSE_TIMEOUT_US (10u * 1000 * 1000)
#define BINARY_PROBE     8192

static const struct {
    const char *ext;
    const char *language;
} ext_languages[] = {
    {".js", "javascript"}, {".mjs", "javascript"}, {".cjs", "javascript"}, {".jsx", "javascript"},
    {".ts", "typescript"}, {".mts", "typescript"}, {".cts", "typescript"}, {".tsx", "tsx"},
    {".py", "python"}, {".pyi", "python"}, {".md", "markdown"}, {".mdx", "markdown"},
    {".json", "json"}, {".yml", "yaml"}, {".yaml", "yaml"}, {".toml", "toml"}, {".ini", "ini"},
    {".cfg", "ini"}, {".html", "html"}, {".htm", "html"}, {".css", "css"}, {".scss", "scss"},
    {".less", "less"}, {".svg", "svg"}, {".xml", "xml"}, {".sql", "sql"}, {".sh", "shell"},
    {".bash", "shell"}, {".go", "go"}, {".rs", "rust"}, {".java", "java"}, {".kt", "kotlin"},
    {".rb", "ruby"}, {".php", "php"}, {".c", "c"}, {".h", "c"}, {".cc", "cpp"}, {".cpp", "cpp"},
    {".hpp", "cpp"}, {".cs", "csharp"}, {".swift", "swift"}, {".vue", "vue"}, {".svelte", "svelte"},
    {".txt", "text"}, {".rst", "restructuredtext"}, {".lock", "lockfile"}, {".env", "dotenv"},
    {".png", "image"}, {".jpg", "image"}, {".jpeg", "image"}, {".gif", "image"}, {".ico", "image"},
    {".webp", "image"}, {".woff", "font"}, {".woff2", "font"}, {".ttf", "font"},
};

static const struct {
    const char *base;
    const char *language;
} base_languages[] = {
    {"Dockerfile", "dockerfile"}, {"Makefile", "make"}, {"makefile", "make"}, {"GNUmakefile", "make"},
    {"Jenkinsfile", "groovy"}, {"Procfile", "procfile"}, {"LICENSE", "text"}, {".gitignore", "gitignore"},
};

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *code_language_for_path(const char *path)
{
    const char *base = base_name(path);
    for (size_t i = 0; i < sizeof base_languages / sizeof base_languages[0]; i++)
        if (strcmp(base, base_languages[i].base) == 0)
            return base_languages[i].language;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return "unknown";
    for (size_t i = 0; i < sizeof ext_languages / sizeof ext_languages[0]; i++)
        if (strcasecmp(dot, ext_languages[i].ext) == 0)
            return ext_languages[i].language;
    return "unknown";
}

static enum code_lang lang_of(const char *language)
{
    if (strcmp(language, "javascript") == 0)
        return LANG_JS;
    if (strcmp(language, "typescript") == 0)
        return LANG_TS;
    if (strcmp(language, "tsx") == 0)
        return LANG_TSX;
    if (strcmp(language, "python") == 0)
        return LANG_PY;
    return LANG_NONE;
}

static const TSLanguage *ts_language_for(struct code_model_internal *in, enum code_lang lang)
{
    if (!in->languages[lang]) {
        switch (lang) {
        case LANG_JS: in->languages[lang] = tree_sitter_javascript(); break;
        case LANG_TS: in->languages[lang] = tree_sitter_typescript(); break;
        case LANG_TSX: in->languages[lang] = tree_sitter_tsx(); break;
        case LANG_PY: in->languages[lang] = tree_sitter_python(); break;
        default: return NULL;
        }
    }
    return in->languages[lang];
}

static const char *const node_type_names[NT_COUNT] = {
    "",
#define CODE_NT_NAME(name) #name,
    CODE_NODE_TYPES(CODE_NT_NAME)
#undef CODE_NT_NAME
};

/* Maps every named symbol of a grammar to the walkers' node types, once per grammar. */
static int build_node_types(struct code_model_internal *in, enum code_lang lang, const TSLanguage *tl)
{
    if (in->node_types[lang])
        return 0;
    uint32_t n = ts_language_symbol_count(tl);
    uint8_t *t = calloc(n ? n : 1, 1);
    if (!t)
        return -1;
    for (uint32_t s = 0; s < n; s++) {
        if (ts_language_symbol_type(tl, (TSSymbol)s) != TSSymbolTypeRegular)
            continue;
        const char *name = ts_language_symbol_name(tl, (TSSymbol)s);
        for (int k = 1; k < NT_COUNT && name; k++)
            if (strcmp(name, node_type_names[k]) == 0) {
                t[s] = (uint8_t)k;
                break;
            }
    }
    in->node_types[lang] = t;
    in->n_node_types[lang] = n;
    return 0;
}

/* Git's blob id, so a writer can compare against a tree listing without reading content. */
static char *blob_id(struct code_arena *a, const char *content, size_t len)
{
    char header[48];
    int hl = snprintf(header, sizeof header, "blob %zu", len);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return NULL;
    int ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 && EVP_DigestUpdate(ctx, header, (size_t)hl + 1) == 1 &&
             EVP_DigestUpdate(ctx, content, len) == 1 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return NULL;
    char *hex = code_arena_alloc(a, mdlen * 2 + 1);
    if (!hex)
        return NULL;
    for (unsigned int i = 0; i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return hex;
}

static uint32_t count_lines(const char *s, size_t n)
{
    if (!n)
        return 0;
    uint32_t lines = 0;
    const char *end = s + n;
    for (const char *p = s; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        lines++;
    return lines + (s[n - 1] != '\n');
}

/* "./a//b" -> "a/b": paths are ids, so one file has one spelling. */
static char *clean_path(struct code_arena *a, const char *path)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 1);
    if (!tmp)
        return NULL;
    size_t o = 0;
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t sl = (size_t)(p - seg);
        if (sl == 0 || (sl == 1 && seg[0] == '.'))
            continue;
        if (o)
            tmp[o++] = '/';
        memcpy(tmp + o, seg, sl);
        o += sl;
    }
    char *out = code_arena_utf8(a, tmp, o, 4096);
    free(tmp);
    return out;
}

static int add_file_info(struct code_model_internal *in, uint32_t entity, enum code_lang lang)
{
    if (code_grow((void **)&in->files, &in->cap_files, in->n_files, sizeof *in->files) != 0)
        return -1;
    in->files[in->n_files++] = (struct code_file_info){entity, (uint8_t)lang, NULL};
    return 0;
}

static int analyze(struct code_model *m, const char *path, const char *content, size_t len, TSTree **pre, int parsed);

/* export { a as b }: a is exported; other files importing b reach a through a self re-export. */
static void finish_exports(struct code_ctx *c)
{
    for (size_t i = 0; i < c->n_exports; i++) {
        const char *local = c->exports[i].local, *exported = c->exports[i].exported;
        char *key = code_scoped_key(c->m, c->file, local);
        uint32_t *v = key ? code_map_get(&c->in->toplevel, key) : NULL;
        if (v && *v < c->m->n_entities)
            c->m->entities[*v].flags |= CODE_F_EXPORTED;
        if (strcmp(local, exported) == 0)
            continue;
        struct code_import imp = {c->file, c->path, exported, local, 0, 0, 1, c->file};
        if (code_add_import(c->m, &imp) != 0)
            c->in->arena.oom = 1;
    }
}

const TSLanguage *code_ts_language(const char *path, const char *content, size_t len)
{
    if (!content || len > CODE_FILE_MAX || (len && memchr(content, 0, len < BINARY_PROBE ? len : BINARY_PROBE)))
        return NULL;
    switch (lang_of(code_language_for_path(path))) {
    case LANG_JS: return tree_sitter_javascript();
    case LANG_TS: return tree_sitter_typescript();
    case LANG_TSX: return tree_sitter_tsx();
    case LANG_PY: return tree_sitter_python();
    default: return NULL;
    }
}

int code_analyze_file(struct code_model *m, const char *path, const char *content, size_t len)
{
    return code_analyze_parsed(m, path, content, len, NULL, 0);
}

int code_analyze_parsed(struct code_model *m, const char *path, const char *content, size_t len, TSTree *tree,
                        int parsed)
{
    int rc = analyze(m, path, content, len, &tree, parsed);
    if (tree)
        ts_tree_delete(tree);   /* a parse the model had no use for (duplicate path, ...) */
    return rc;
}

static int analyze(struct code_model *m, const char *path, const char *content, size_t len, TSTree **pre, int parsed)
{
    struct code_model_internal *in = m->in;
    struct code_arena *a = &in->arena;
    if (!path || (!content && len))
        return -1;
    char *clean = clean_path(a, path);
    if (!clean)
        return -1;
    if (!*clean || code_map_get(&in->paths, clean))
        return 0;
    const char *language = code_language_for_path(clean);
    enum code_lang lang = lang_of(language);

    struct code_entity f = {0};
    f.kind = CODE_FILE;
    f.path = clean;
    f.name = base_name(clean);
    f.language = language;
    f.size = len;
    f.lines = count_lines(content, len);
    f.hash = blob_id(a, content ? content : "", len);
    f.id = code_arena_printf(a, "%s:%s", in->repo, clean);
    if (len > CODE_FILE_MAX)
        f.flags |= CODE_F_TOO_LARGE;
    else if (len && memchr(content, 0, len < BINARY_PROBE ? len : BINARY_PROBE))
        f.flags |= CODE_F_BINARY;
    int test_path = code_path_is_test(clean);   /* 2: test file name, 1: in a test directory */
    if (test_path == 2)
        f.flags |= CODE_F_TEST;
    if (!f.hash || !f.id)
        return -1;
    uint32_t file = code_add_entity(m, &f);
    if (file == CODE_NONE || !code_map_put(&in->paths, clean, file, NULL) || add_file_info(in, file, lang) != 0)
        return -1;
    if (lang == LANG_NONE || (f.flags & (CODE_F_TOO_LARGE | CODE_F_BINARY)))
        return 0;

    if (!in->parser) {
        in->parser = ts_parser_new();
        if (!in->parser)
            return -1;
        ts_parser_set_timeout_micros(in->parser, PARSE_TIMEOUT_US);
    }
    const TSLanguage *tl = ts_language_for(in, lang);
    if (!ts_parser_set_language(in->parser, tl) || build_node_types(in, lang, tl) != 0)
        return -1;
    TSTree *tree;
    if (parsed && *pre && ts_tree_language(*pre) == tl) {
        tree = *pre;   /* parsed by a batch worker */
        *pre = NULL;
    } else if (parsed && !*pre) {
        tree = NULL;   /* the worker's parse failed (timeout) */
    } else {
        tree = ts_parser_parse_string(in->parser, NULL, content, (uint32_t)len);
    }
    if (!tree) {
        ts_parser_reset(in->parser);
        m->entities[file].flags |= CODE_F_SYNTAX_ERROR;
        return 0;
    }
    TSNode root = ts_tree_root_node(tree);
    struct code_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        ts_tree_delete(tree);
        return -1;
    }
    c->m = m;
    c->in = in;
    c->src = content;
    c->len = len;
    c->path = clean;
    c->language = language;
    c->lang = lang;
    c->file = file;
    c->file_no = (uint32_t)(in->n_files - 1);
    c->is_test = test_path != 0;
    c->ui_tests = c->is_test;
    c->routes = !c->is_test;
    c->types = in->node_types[lang];
    c->n_types = in->n_node_types[lang];
    c->next_route = code_nextjs_route(a, clean, &c->pages_api);
    if (ts_node_has_error(root))
        m->entities[file].flags |= CODE_F_SYNTAX_ERROR;
    m->entities[file].flags |= CODE_F_PARSED;
    if (lang == LANG_PY)
        code_walk_py(c, root);
    else
        code_walk_js(c, root);
    finish_exports(c);
    in->files[c->file_no].default_export = c->default_export;
    in->files[c->file_no].test_code = (uint8_t)(c->is_test || c->ui_tests);
    free(c->exports);
    free(c);
    ts_tree_delete(tree);
    return a->oom ? -1 : 0;
}

/* ---- walk helpers ---- */

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
