/* code_analyze_file(): one file in, its File node (language, size, lines, git blob id, flags) and,
 * for JavaScript, TypeScript, TSX and Python, one tree-sitter parse and one walk (code_walk.c and the
 * language walkers) that records entities and pending facts. */
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
