/* code_model_resolve(): the repository-level passes, run once after every file was analysed.
 *   1. imports -> File nodes (relative JS/TS paths with extension and index resolution, Python
 *      dotted and relative modules) or Module nodes, giving IMPORTS edges;
 *   2. router mounts -> full endpoint routes;
 *   3. call sites and handler references -> CALLS, COVERS (test -> function) and HANDLES, resolved
 *      same file first, then through the file's imports, then by a repository-unique name; anything
 *      ambiguous stays unresolved;
 *   4. test requests -> COVERS (test -> endpoint), matched with path parameters, unique best only.
 * Every lookup is a hash table probe; nothing is quadratic in the repository size. */
#include "code_internal.h"

#include <stdlib.h>
#include <string.h>

#define FOLLOW_MAX 8   /* re-export and mount chains followed at most this deep */

struct resolver {
    struct code_model *m;
    struct code_model_internal *in;
    struct code_arena *a;
    struct code_map py_suffix;     /* "b/c.py" and "c.py" suffixes of Python paths -> File (or AMBIG) */
    struct code_map reexports;     /* "<file>\x1f<exported>" -> import index */
    uint32_t *star_head;           /* per entity: first "export * from" import of that file */
    uint32_t *star_next;           /* per import: next one of the same file */
    uint32_t *file_no;             /* per entity: index into in->files for File entities */
    uint8_t *test_code;            /* per File entity: 1 when it is test code */
};

static const char *dir_of(struct code_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? code_arena_strndup(a, path, (size_t)(slash - path)) : "";
}

/* dir + "/" + rel with "." and ".." applied; NULL when it leaves the repository. */
static char *join_path(struct code_arena *a, const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *out = code_arena_alloc(a, n);
    if (!out)
        return NULL;
    size_t o = 0;
    for (int part = 0; part < 2; part++) {
        const char *p = part ? rel : dir;
        while (*p) {
            while (*p == '/')
                p++;
            const char *seg = p;
            while (*p && *p != '/')
                p++;
            size_t sl = (size_t)(p - seg);
            if (!sl || (sl == 1 && seg[0] == '.'))
                continue;
            if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
                if (!o)
                    return NULL;
                while (o && out[o - 1] != '/')
                    o--;
                if (o)
                    o--;
                continue;
            }
            if (o)
                out[o++] = '/';
            memcpy(out + o, seg, sl);
            o += sl;
        }
    }
    out[o] = '\0';
    return out;
}

static uint32_t path_lookup(struct resolver *r, const char *path)
{
    const uint32_t *v = code_map_get(&r->in->paths, path);
    return v ? *v : CODE_NONE;
}

static const char *const js_exts[] = {"", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts",
                                      "/index.ts", "/index.tsx", "/index.js", "/index.jsx", "/index.mjs"};

static uint32_t js_candidates(struct resolver *r, const char *base)
{
    char buf[4200];
    size_t bl = strlen(base);
    if (bl + 12 >= sizeof buf)
        return CODE_NONE;
    for (size_t i = 0; i < sizeof js_exts / sizeof js_exts[0]; i++) {
        memcpy(buf, base, bl);
        strcpy(buf + bl, js_exts[i]);
        uint32_t f = path_lookup(r, buf);
        if (f != CODE_NONE && r->m->entities[f].kind == CODE_FILE)
            return f;
    }
    /* TypeScript ESM imports name the emitted file: './util.js' is './util.ts' in the source. */
    const char *dot = strrchr(base, '.');
    if (dot && (strcmp(dot, ".js") == 0 || strcmp(dot, ".jsx") == 0 || strcmp(dot, ".mjs") == 0)) {
        size_t sl = (size_t)(dot - base);
        static const char *const ts[] = {".ts", ".tsx", ".mts"};
        for (size_t i = 0; i < 3; i++) {
            memcpy(buf, base, sl);
            strcpy(buf + sl, ts[i]);
            uint32_t f = path_lookup(r, buf);
            if (f != CODE_NONE)
                return f;
        }
    }
    return CODE_NONE;
}

static uint32_t resolve_js(struct resolver *r, const char *from, const char *spec, const char **module_name)
{
    *module_name = spec;
    if (spec[0] == '.') {
        char *p = join_path(r->a, dir_of(r->a, from), spec);
        if (!p)
            return CODE_NONE;
        *module_name = p;
        return js_candidates(r, p);
    }
    /* The usual path aliases of Next.js / Vite projects. */
    if ((spec[0] == '@' || spec[0] == '~') && spec[1] == '/') {
        uint32_t f = js_candidates(r, spec + 2);
        if (f == CODE_NONE) {
            char *p = code_arena_printf(r->a, "src/%s", spec + 2);
            f = p ? js_candidates(r, p) : CODE_NONE;
        }
        return f;
    }
    return CODE_NONE;
}

static int build_py_suffixes(struct resolver *r)
{
    for (size_t i = 0; i < r->in->n_files; i++) {
        if (r->in->files[i].lang != LANG_PY)
            continue;
        uint32_t e = r->in->files[i].entity;
        const char *path = r->m->entities[e].path;
        for (const char *p = path; p; p = strchr(p, '/')) {
            if (*p == '/')
                p++;
            int added = 0;
            uint32_t *slot = code_map_put(&r->py_suffix, p, e, &added);
            if (!slot)
                return -1;
            if (!added && *slot != e)
                *slot = CODE_AMBIG;
        }
    }
    return 0;
}

/* A dotted module ("a.b", or relative "..a.b" from the importing file) to a File. */
static uint32_t resolve_py(struct resolver *r, const char *from, const char *spec, const char **module_name)
{
    *module_name = spec;
    size_t dots = strspn(spec, ".");
    const char *rest = spec + dots;
    char rel[1024];
    size_t o = 0;
    for (const char *p = rest; *p && o + 2 < sizeof rel; p++)
        rel[o++] = *p == '.' ? '/' : *p;
    rel[o] = '\0';
    char *base;
    if (dots) {
        char up[3 * 16 + 1] = "";
        for (size_t i = 1; i < dots && i <= 16; i++)
            strcat(up, "../");
        char *pkg = join_path(r->a, dir_of(r->a, from), up);
        if (!pkg)
            return CODE_NONE;
        base = *rel ? join_path(r->a, pkg, rel) : pkg;
        if (!base)
            return CODE_NONE;
        *module_name = base;
    } else {
        base = code_arena_strdup(r->a, rel);
    }
    if (!base)
        return CODE_NONE;
    char *py = code_arena_printf(r->a, "%s%s.py", base, *base ? "" : "__init__");
    char *init = code_arena_printf(r->a, "%s%s__init__.py", base, *base ? "/" : "");
    if (!py || !init)
        return CODE_NONE;
    uint32_t f = path_lookup(r, py);
    if (f == CODE_NONE)
        f = path_lookup(r, init);
    if (f != CODE_NONE || dots)
        return f;
    /* Absolute modules may live under a source root (src/, backend/): a unique path suffix. */
    const uint32_t *v = code_map_get(&r->py_suffix, py);
    if (!v)
        v = code_map_get(&r->py_suffix, init);
    return v && *v != CODE_AMBIG ? *v : CODE_NONE;
}

static uint32_t module_entity(struct resolver *r, const char *name, int external)
{
    struct code_entity e = {0};
    e.kind = CODE_MODULE;
    e.name = name;
    e.flags = external ? CODE_F_EXTERNAL : 0;
    e.id = code_arena_printf(r->a, "%s#module:%s", r->in->repo, name);
    return e.id ? code_add_entity(r->m, &e) : CODE_NONE;
}

static int resolve_imports(struct resolver *r)
{
    struct code_model_internal *in = r->in;
    for (size_t i = 0; i < in->n_imports; i++) {
        struct code_import *imp = &in->imports[i];
        if (imp->target != CODE_NONE)
            continue;   /* a file's own export alias */
        const char *from = r->m->entities[imp->file].path;
        const char *module_name = imp->spec;
        uint32_t f;
        if (imp->python) {
            f = resolve_py(r, from, imp->spec, &module_name);
            /* from pkg import sub: sub is a module when such a file exists. */
            if (imp->imported && strcmp(imp->imported, "*") != 0) {
                const char *sub_name;
                char *sub = code_arena_printf(r->a, "%s%s%s", imp->spec,
                                              imp->spec[strlen(imp->spec) - 1] == '.' ? "" : ".", imp->imported);
                uint32_t sf = sub ? resolve_py(r, from, sub, &sub_name) : CODE_NONE;
                if (sf != CODE_NONE) {
                    f = sf;
                    imp->imported = "*";
                }
            }
        } else {
            f = resolve_js(r, from, imp->spec, &module_name);
        }
        imp->target = f;
        uint32_t dst = f;
        if (dst == CODE_NONE) {
            int relative = imp->spec[0] == '.';
            dst = module_entity(r, module_name ? module_name : imp->spec, !relative);
        }
        if (dst != CODE_NONE && code_add_rel(r->m, CODE_IMPORTS, imp->file, dst, imp->line) < 0)
            return -1;
    }
    return r->a->oom ? -1 : 0;
}

static int index_reexports(struct resolver *r)
{
    struct code_model_internal *in = r->in;
    r->star_head = malloc(r->m->n_entities * sizeof *r->star_head);
    r->star_next = malloc((in->n_imports + 1) * sizeof *r->star_next);
    if (!r->star_head || !r->star_next)
        return -1;
    memset(r->star_head, 0xff, r->m->n_entities * sizeof *r->star_head);
    for (size_t i = in->n_imports; i-- > 0;) {
        struct code_import *imp = &in->imports[i];
        r->star_next[i] = CODE_NONE;
        if (!imp->reexport || imp->target == CODE_NONE)
            continue;
        if (!imp->local && imp->imported && strcmp(imp->imported, "*") == 0) {
            r->star_next[i] = r->star_head[imp->file];
            r->star_head[imp->file] = (uint32_t)i;
        } else if (imp->local) {
            char *key = code_scoped_key(r->m, imp->file, imp->local);
            if (!key || !code_map_put(&r->reexports, key, (uint32_t)i, NULL))
                return -1;
        }
    }
    return 0;
}

static uint32_t scoped_get(struct resolver *r, const struct code_map *map, uint32_t scope, const char *name)
{
    char buf[CODE_NAME_MAX + 16];
    int n = snprintf(buf, sizeof buf, "%u\x1f%s", scope, name);
    if (n < 0 || (size_t)n >= sizeof buf)
        return CODE_NONE;
    const uint32_t *v = code_map_getn(map, buf, (size_t)n);
    (void)r;
    return v ? *v : CODE_NONE;
}

static uint32_t lookup_binding(struct resolver *r, uint32_t file, const char *local, int depth);

/* What a module exports under name: its own top-level definition, a re-export, or (for barrels)
 * a binding it imported. */
static uint32_t lookup_export(struct resolver *r, uint32_t file, const char *name, int depth)
{
    if (depth > FOLLOW_MAX || file == CODE_NONE || file >= r->m->n_entities)
        return CODE_NONE;
    if (strcmp(name, "default") == 0) {
        uint32_t fno = r->file_no[file];
        const char *d = fno != CODE_NONE ? r->in->files[fno].default_export : NULL;
        if (!d)
            return CODE_NONE;
        name = d;
    }
    uint32_t e = scoped_get(r, &r->in->toplevel, file, name);
    if (e != CODE_NONE)
        return e;
    uint32_t ri = scoped_get(r, &r->reexports, file, name);
    if (ri != CODE_NONE) {
        const struct code_import *imp = &r->in->imports[ri];
        return lookup_export(r, imp->target, imp->imported ? imp->imported : name, depth + 1);
    }
    uint32_t found = CODE_NONE;
    for (uint32_t s = r->star_head[file]; s != CODE_NONE; s = r->star_next[s]) {
        uint32_t x = lookup_export(r, r->in->imports[s].target, name, depth + 1);
        if (x == CODE_NONE || x == CODE_AMBIG)
            continue;
        if (found != CODE_NONE && found != x)
            return CODE_AMBIG;
        found = x;
    }
    if (found != CODE_NONE)
        return found;
    return lookup_binding(r, file, name, depth + 1);
}

/* The definition a local name bound by an import refers to (CODE_NONE for whole modules). */
static uint32_t lookup_binding(struct resolver *r, uint32_t file, const char *local, int depth)
{
    uint32_t bi = scoped_get(r, &r->in->bindings, file, local);
    if (bi == CODE_NONE || depth > FOLLOW_MAX)
        return CODE_NONE;
    const struct code_import *imp = &r->in->imports[bi];
    if (imp->target == CODE_NONE || !imp->imported || strcmp(imp->imported, "*") == 0)
        return CODE_NONE;
    return lookup_export(r, imp->target, imp->imported, depth);
}

/* The file a local name stands for when it is a whole module (import * as m, import m, require). */
static uint32_t binding_module(struct resolver *r, uint32_t file, const char *local)
{
    uint32_t bi = scoped_get(r, &r->in->bindings, file, local);
    if (bi == CODE_NONE)
        return CODE_NONE;
    const struct code_import *imp = &r->in->imports[bi];
    return imp->imported && strcmp(imp->imported, "*") == 0 ? imp->target : CODE_NONE;
}

static int is_callable(const struct code_model *m, uint32_t e)
{
    return e < m->n_entities && (m->entities[e].kind == CODE_FUNCTION || m->entities[e].kind == CODE_METHOD);
}

static uint32_t resolve_callee(struct resolver *r, const struct code_call *call)
{
    const char *recv = call->receiver;
    uint32_t e;
    if (!recv) {
        e = scoped_get(r, &r->in->toplevel, call->file, call->name);
        if (e != CODE_NONE)
            return e;
        e = lookup_binding(r, call->file, call->name, 0);
        if (e != CODE_NONE)
            return e;
        if (scoped_get(r, &r->in->bindings, call->file, call->name) != CODE_NONE)
            return CODE_NONE;   /* imported from a package: not ours */
        const uint32_t *g = code_map_get(&r->in->globals, call->name);
        return g ? *g : CODE_NONE;
    }
    if (strcmp(recv, "this") == 0 || strcmp(recv, "self") == 0 || strcmp(recv, "cls") == 0)
        return call->cls == CODE_NONE ? CODE_NONE : scoped_get(r, &r->in->members, call->cls, call->name);
    uint32_t mod = binding_module(r, call->file, recv);
    if (mod != CODE_NONE)
        return lookup_export(r, mod, call->name, 0);
    /* Class.staticMethod(): the class defined here or imported. */
    uint32_t cls = scoped_get(r, &r->in->toplevel, call->file, recv);
    if (cls == CODE_NONE)
        cls = lookup_binding(r, call->file, recv, 0);
    if (cls < r->m->n_entities && r->m->entities[cls].kind == CODE_CLASS)
        return scoped_get(r, &r->in->members, cls, call->name);
    return CODE_NONE;
}

static uint32_t file_of(struct resolver *r, uint32_t e)
{
    const char *path = r->m->entities[e].path;
    return path ? path_lookup(r, path) : CODE_NONE;
}

static int resolve_calls(struct resolver *r)
{
    struct code_model *m = r->m;
    for (size_t i = 0; i < r->in->n_calls; i++) {
        const struct code_call *call = &r->in->calls[i];
        uint32_t callee = resolve_callee(r, call);
        if (!is_callable(m, callee))
            continue;
        int rc = 0;
        if (call->endpoint != CODE_NONE) {
            rc = code_add_rel(m, CODE_HANDLES, callee, call->endpoint, call->line);
        } else {
            enum code_kind ck = m->entities[call->caller].kind;
            uint32_t cf = file_of(r, callee);
            int callee_is_test_code = cf != CODE_NONE && r->test_code[cf];
            if (ck == CODE_FUNCTION || ck == CODE_METHOD)
                rc = code_add_rel(m, CODE_CALLS, call->caller, callee, call->line);
            else if ((ck == CODE_TEST_CASE || ck == CODE_TEST_SUITE) && !callee_is_test_code)
                rc = code_add_rel(m, CODE_COVERS, call->caller, callee, call->line);
            else if (ck == CODE_TEST_CASE || ck == CODE_TEST_SUITE)
                rc = code_add_rel(m, CODE_CALLS, call->caller, callee, call->line);   /* test helpers */
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The file each mount mounts (CODE_NONE when it is not a repository file). */
static uint32_t *mount_targets(struct resolver *r)
{
    uint32_t *t = malloc((r->in->n_mounts ? r->in->n_mounts : 1) * sizeof *t);
    if (!t)
        return NULL;
    for (size_t i = 0; i < r->in->n_mounts; i++) {
        const struct code_mount *mt = &r->in->mounts[i];
        const char *ignored;
        t[i] = CODE_NONE;
        if (mt->local) {
            uint32_t bi = scoped_get(r, &r->in->bindings, mt->file, mt->local);
            if (bi != CODE_NONE)
                t[i] = r->in->imports[bi].target;
        } else if (mt->spec) {
            const char *from = r->m->entities[mt->file].path;
            t[i] = r->in->files[r->file_no[mt->file]].lang == LANG_PY ? resolve_py(r, from, mt->spec, &ignored)
                                                                      : resolve_js(r, from, mt->spec, &ignored);
        }
    }
    return t;
}

/* Prefix of the routes of a file, composed along the mounts that reach it (memoised per file). */
static const char *file_prefix(struct resolver *r, const uint32_t *targets, const char **prefixes, uint8_t *state,
                               uint32_t file, int depth)
{
    if (state[file] == 2 || depth > FOLLOW_MAX)
        return prefixes[file];
    if (state[file] == 1)
        return NULL;   /* a cycle */
    state[file] = 1;
    const char *result = NULL;
    int found = 0;
    for (size_t i = 0; i < r->in->n_mounts; i++) {
        if (targets[i] != file)
            continue;
        const struct code_mount *mt = &r->in->mounts[i];
        const char *outer = file_prefix(r, targets, prefixes, state, mt->file, depth + 1);
        const char *p = outer ? code_route_join(r->a, outer, mt->prefix) : mt->prefix;
        if (found && (!result || !p || strcmp(result, p) != 0)) {
            result = NULL;   /* mounted under two prefixes: leave the routes as written */
            break;
        }
        result = p;
        found = 1;
    }
    prefixes[file] = result;
    state[file] = 2;
    return result;
}

static int apply_mounts(struct resolver *r)
{
    if (!r->in->n_mounts)
        return 0;
    size_t n = r->m->n_entities;
    const char **prefixes = calloc(n, sizeof *prefixes);
    uint8_t *state = calloc(n, 1);
    uint32_t *targets = mount_targets(r);
    if (!prefixes || !state || !targets) {
        free(prefixes);
        free(state);
        free(targets);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct code_entity *e = &r->m->entities[i];
        if (e->kind != CODE_ENDPOINT || strcmp(e->framework, "nextjs") == 0)
            continue;
        uint32_t f = file_of(r, (uint32_t)i);
        const char *prefix = f == CODE_NONE ? NULL : file_prefix(r, targets, prefixes, state, f, 0);
        if (prefix)
            e->route = code_route_join(r->a, prefix, e->route);
    }
    free(prefixes);
    free(state);
    free(targets);
    return r->a->oom ? -1 : 0;
}

static size_t seg_count(const char *p, int *catchall)
{
    size_t n = 0;
    *catchall = 0;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *s = p;
        while (*p && *p != '/')
            p++;
        n++;
        if ((p - s == 1 && s[0] == '*') || strncmp(s, "[...", 4) == 0 || strncmp(s, "[[...", 5) == 0 ||
            strncmp(s, "<path:", 6) == 0 || (s[0] == '{' && p - s > 6 && strncmp(p - 6, ":path}", 6) == 0))
            *catchall = 1;
    }
    return n;
}

#define SEG_BUCKETS 33   /* 0..31 segments, the last bucket holds catch-alls */

struct ep_index {
    uint32_t *items;
    size_t n[SEG_BUCKETS], off[SEG_BUCKETS];
};

static int build_ep_index(struct resolver *r, struct ep_index *ix)
{
    memset(ix, 0, sizeof *ix);
    size_t total = 0;
    int ca;
    for (size_t i = 0; i < r->m->n_entities; i++) {
        const struct code_entity *e = &r->m->entities[i];
        if (e->kind != CODE_ENDPOINT)
            continue;
        size_t k = seg_count(e->route, &ca);
        ix->n[ca || k >= SEG_BUCKETS - 1 ? SEG_BUCKETS - 1 : k]++;
        total++;
    }
    ix->items = malloc((total ? total : 1) * sizeof *ix->items);
    if (!ix->items)
        return -1;
    size_t off = 0;
    for (int b = 0; b < SEG_BUCKETS; b++) {
        ix->off[b] = off;
        off += ix->n[b];
        ix->n[b] = 0;
    }
    for (size_t i = 0; i < r->m->n_entities; i++) {
        const struct code_entity *e = &r->m->entities[i];
        if (e->kind != CODE_ENDPOINT)
            continue;
        size_t k = seg_count(e->route, &ca);
        int b = ca || k >= SEG_BUCKETS - 1 ? SEG_BUCKETS - 1 : (int)k;
        ix->items[ix->off[b] + ix->n[b]++] = (uint32_t)i;
    }
    return 0;
}

static int method_ok(const char *endpoint, const char *request)
{
    return strcmp(endpoint, "ANY") == 0 || strcmp(request, "ANY") == 0 || strcmp(endpoint, request) == 0 ||
           (strcmp(endpoint, "GET") == 0 && strcmp(request, "HEAD") == 0);
}

static void consider(const struct code_entity *e, uint32_t idx, const struct code_request *q, uint32_t *best,
                     int *nbest, int *best_score)
{
    if (!method_ok(e->http_method, q->method))
        return;
    int s = code_route_match(e->route, q->url);
    if (!s || s < *best_score)
        return;
    if (s > *best_score) {
        *best_score = s;
        *nbest = 0;
    }
    if (*nbest < 8)
        best[(*nbest)++] = idx;
    else
        *nbest = 9;   /* too many to choose from */
}

static int resolve_requests(struct resolver *r)
{
    if (!r->in->n_requests)
        return 0;
    struct ep_index ix;
    if (build_ep_index(r, &ix) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < r->in->n_requests && rc >= 0; i++) {
        const struct code_request *q = &r->in->requests[i];
        enum code_kind sk = r->m->entities[q->scope].kind;
        if (sk == CODE_FILE || sk == CODE_CLASS)
            continue;
        int ca;
        size_t k = seg_count(q->url, &ca);
        uint32_t best[9];
        int nbest = 0, best_score = 0;
        int buckets[2] = {k < SEG_BUCKETS - 1 ? (int)k : -1, SEG_BUCKETS - 1};
        for (int bi = 0; bi < 2; bi++) {
            if (buckets[bi] < 0)
                continue;
            for (size_t j = 0; j < ix.n[buckets[bi]]; j++) {
                uint32_t idx = ix.items[ix.off[buckets[bi]] + j];
                consider(&r->m->entities[idx], idx, q, best, &nbest, &best_score);
            }
        }
        if (nbest > 1 && nbest <= 8 && q->python) {
            /* A Python test client calls the Python app in process. */
            int keep = 0;
            for (int j = 0; j < nbest; j++)
                if (strcmp(r->m->entities[best[j]].language, "python") == 0)
                    best[keep++] = best[j];
            if (keep)
                nbest = keep;
        }
        if (nbest == 1)
            rc = code_add_rel(r->m, CODE_COVERS, q->scope, best[0], q->line);
    }
    free(ix.items);
    return rc < 0 ? -1 : 0;
}

static void resolver_free(struct resolver *r)
{
    code_map_free(&r->py_suffix);
    code_map_free(&r->reexports);
    free(r->star_head);
    free(r->star_next);
    free(r->file_no);
    free(r->test_code);
}

int code_model_resolve(struct code_model *m)
{
    struct code_model_internal *in = m->in;
    if (in->resolved)
        return 0;
    in->resolved = 1;
    struct resolver r = {0};
    r.m = m;
    r.in = in;
    r.a = &in->arena;
    int rc = -1;
    size_t n = m->n_entities;
    r.file_no = malloc((n ? n : 1) * sizeof *r.file_no);
    r.test_code = calloc(n ? n : 1, 1);
    if (!r.file_no || !r.test_code)
        goto out;
    memset(r.file_no, 0xff, (n ? n : 1) * sizeof *r.file_no);
    for (size_t i = 0; i < in->n_files; i++) {
        uint32_t e = in->files[i].entity;
        r.file_no[e] = (uint32_t)i;
        r.test_code[e] = in->files[i].test_code || (m->entities[e].flags & CODE_F_TEST) ||
                         code_path_is_test(m->entities[e].path);
    }
    if (build_py_suffixes(&r) != 0 || resolve_imports(&r) != 0)
        goto out;
    /* Module entities were added: the per-entity arrays only ever index files and earlier entities. */
    if (index_reexports(&r) != 0 || apply_mounts(&r) != 0 || resolve_calls(&r) != 0 || resolve_requests(&r) != 0)
        goto out;
    rc = in->arena.oom ? -1 : 0;
out:
    resolver_free(&r);
    return rc;
}
