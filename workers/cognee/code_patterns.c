/* String-level conventions of the code model, independent of any parse tree: HTTP methods, selector
 * normalisation (what a test locates, as kind:value), requested URLs to paths, route paths of
 * Next.js files, route matching with path parameters, and test-file naming conventions. */
#include "code_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const http_methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

int code_is_http_method(const char *s)
{
    for (size_t i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++)
        if (strcasecmp(s, http_methods[i]) == 0)
            return 1;
    return 0;
}

const char *code_upper_method(struct code_arena *a, const char *s)
{
    (void)a;
    for (size_t i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++)
        if (strcasecmp(s, http_methods[i]) == 0)
            return http_methods[i];
    if (strcasecmp(s, "all") == 0 || strcasecmp(s, "any") == 0 || strcmp(s, "*") == 0)
        return "ANY";
    return NULL;
}

static int has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static int is_css_ident(const char *s)
{
    if (!*s || isdigit((unsigned char)*s))
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return 0;
    return 1;
}

/* [data-testid="x"] and its cousins name a test id, whoever wrote them. */
static char *attr_testid(struct code_arena *a, const char *v)
{
    static const char *const attrs[] = {"data-testid", "data-test-id", "data-test", "data-cy", "data-qa"};
    if (v[0] != '[')
        return NULL;
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        size_t al = strlen(attrs[i]);
        if (strncmp(v + 1, attrs[i], al) != 0 || v[1 + al] != '=')
            continue;
        const char *val = v + 2 + al;
        size_t vl = strlen(val);
        if (vl < 2 || val[vl - 1] != ']')
            return NULL;
        vl--;
        if (vl >= 2 && (val[0] == '"' || val[0] == '\'') && val[vl - 1] == val[0]) {
            val++;
            vl -= 2;
        }
        if (!vl || memchr(val, ']', vl) || memchr(val, '[', vl) || memchr(val, ' ', vl))
            return NULL;
        return code_arena_strndup(a, val, vl);
    }
    return NULL;
}

static char *unquote(struct code_arena *a, const char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
        return code_arena_strndup(a, v + 1, n - 2);
    return code_arena_strdup(a, v);
}

int code_selector_normalise(struct code_arena *a, const char *hint, const char *value, const char **kind,
                            const char **out)
{
    while (isspace((unsigned char)*value))
        value++;
    size_t n = strlen(value);
    while (n && isspace((unsigned char)value[n - 1]))
        n--;
    if (!n)
        return -1;
    char *v = code_arena_strndup(a, value, n);
    if (!v)
        return -1;
    *kind = hint;
    *out = v;
    if (strcmp(hint, "id") == 0) {
        *kind = "css";
        *out = is_css_ident(v) ? code_arena_printf(a, "#%s", v) : code_arena_printf(a, "[id=\"%s\"]", v);
    } else if (strcmp(hint, "class") == 0) {
        *kind = "css";
        *out = is_css_ident(v) ? code_arena_printf(a, ".%s", v) : code_arena_printf(a, "[class~=\"%s\"]", v);
    } else if (strcmp(hint, "name") == 0) {
        *kind = "css";
        *out = code_arena_printf(a, "[name=\"%s\"]", v);
    } else if (strcmp(hint, "tag") == 0) {
        *kind = "css";
    } else if (strcmp(hint, "link") == 0) {
        *kind = "text";
    } else if (strcmp(hint, "css") == 0) {
        char *tid;
        if (has_prefix(v, "xpath=")) {
            *kind = "xpath";
            *out = v + 6;
        } else if (has_prefix(v, "//") || has_prefix(v, "(//") || has_prefix(v, "./")) {
            *kind = "xpath";
        } else if (has_prefix(v, "text=")) {
            *kind = "text";
            *out = unquote(a, v + 5);
        } else if (has_prefix(v, "id=")) {
            return code_selector_normalise(a, "id", v + 3, kind, out);
        } else if (has_prefix(v, "data-testid=")) {
            *kind = "testid";
            *out = unquote(a, v + 12);
        } else if (has_prefix(v, "css=")) {
            return code_selector_normalise(a, "css", v + 4, kind, out);
        } else if ((tid = attr_testid(a, v)) != NULL) {
            *kind = "testid";
            *out = tid;
        }
    }
    return *out && **out ? 0 : -1;
}

char *code_url_path(struct code_arena *a, const char *raw)
{
    const char *s = raw;
    while (isspace((unsigned char)*s))
        s++;
    if (s[0] == '\x01' && s[1] == '/')
        s++;   /* `${baseURL}/api/x`: the base is not part of the path */
    const char *scheme = strstr(s, "://");
    if (scheme && (size_t)(scheme - s) <= 10) {
        s = strchr(scheme + 3, '/');
        if (!s)
            return code_arena_strdup(a, "/");
    }
    if (*s != '/')
        return NULL;
    size_t n = strcspn(s, "?#");
    char *out = code_arena_alloc(a, n + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = s, *end = s + n;
    while (p < end) {
        while (p < end && *p == '/')
            p++;
        const char *seg = p;
        while (p < end && *p != '/')
            p++;
        if (p == seg)
            break;
        out[o++] = '/';
        if (memchr(seg, '\x01', (size_t)(p - seg))) {
            out[o++] = '*';
        } else {
            memcpy(out + o, seg, (size_t)(p - seg));
            o += (size_t)(p - seg);
        }
    }
    if (!o)
        out[o++] = '/';
    out[o] = '\0';
    return out;
}

static const char *const route_exts[] = {".ts", ".tsx", ".js", ".jsx", ".mjs", ".mts"};

/* Length of base without a route extension, or 0 when it has none. */
static size_t route_stem(const char *base)
{
    const char *dot = strrchr(base, '.');
    if (!dot)
        return 0;
    for (size_t i = 0; i < sizeof route_exts / sizeof route_exts[0]; i++)
        if (strcmp(dot, route_exts[i]) == 0)
            return (size_t)(dot - base);
    return 0;
}

char *code_nextjs_route(struct code_arena *a, const char *path, int *pages_api)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t stem = route_stem(base);
    if (!stem)
        return NULL;
    /* The app/ directory (route.ts) or pages/api/, at the top or inside a package (web/, src/). */
    const char *root = NULL;
    *pages_api = 0;
    if (stem == 5 && strncmp(base, "route", 5) == 0) {
        for (const char *p = path; p < base; p = strchr(p, '/') + 1) {
            if (strncmp(p, "app/", 4) == 0)
                root = p + 4;   /* the last app/ directory wins */
        }
    } else {
        for (const char *p = path; p < base; p = strchr(p, '/') + 1) {
            if (strncmp(p, "pages/api/", 10) == 0) {
                root = p + 6;
                *pages_api = 1;
                break;
            }
        }
    }
    if (!root)
        return NULL;
    size_t n = strlen(root);
    char *out = code_arena_alloc(a, n + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = root;
    while (*p) {
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t sl = (size_t)(p - seg);
        int last = *p == '\0';
        if (*p)
            p++;
        if (last) {
            if (!*pages_api)
                break;   /* route.ts itself */
            sl = route_stem(seg);
            if (sl == 5 && strncmp(seg, "index", 5) == 0)
                break;
        }
        if (!sl || (seg[0] == '(' && seg[sl - 1] == ')') || seg[0] == '@')
            continue;   /* route groups and parallel-route slots are not in the URL */
        out[o++] = '/';
        memcpy(out + o, seg, sl);
        o += sl;
    }
    if (!o)
        out[o++] = '/';
    out[o] = '\0';
    return out;
}

char *code_route_join(struct code_arena *a, const char *prefix, const char *route)
{
    if (!prefix || !*prefix)
        return code_arena_strdup(a, route);
    size_t pl = strlen(prefix);
    while (pl && prefix[pl - 1] == '/')
        pl--;
    if (strcmp(route, "/") == 0 || !*route)
        return pl ? code_arena_strndup(a, prefix, pl) : code_arena_strdup(a, "/");
    return code_arena_printf(a, "%.*s%s%s", (int)pl, prefix, route[0] == '/' ? "" : "/", route);
}

enum seg_kind { SEG_LITERAL, SEG_PARAM, SEG_CATCHALL, SEG_OPT_CATCHALL };

static enum seg_kind route_seg_kind(const char *s, size_t n)
{
    if (n == 1 && s[0] == '*')
        return SEG_CATCHALL;
    if (n >= 2 && s[0] == '[') {
        if (n >= 7 && strncmp(s, "[[...", 5) == 0)
            return SEG_OPT_CATCHALL;
        if (n >= 5 && strncmp(s, "[...", 4) == 0)
            return SEG_CATCHALL;
        return s[n - 1] == ']' ? SEG_PARAM : SEG_LITERAL;
    }
    if (s[0] == ':' || (s[0] == '{' && s[n - 1] == '}') || (s[0] == '<' && s[n - 1] == '>')) {
        if (n >= 6 && strncmp(s, "{", 1) == 0 && memmem(s, n, ":path}", 6))
            return SEG_CATCHALL;   /* Starlette {rest:path} */
        if (n >= 6 && strncmp(s, "<path:", 6) == 0)
            return SEG_CATCHALL;
        return SEG_PARAM;
    }
    return SEG_LITERAL;
}

/* Next segment of a '/'-separated path: start and length; returns 0 at the end. */
static int next_seg(const char **p, const char **seg, size_t *len)
{
    while (**p == '/')
        (*p)++;
    if (!**p)
        return 0;
    *seg = *p;
    while (**p && **p != '/')
        (*p)++;
    *len = (size_t)(*p - *seg);
    return 1;
}

int code_route_match(const char *route, const char *request)
{
    const char *rp = route, *qp = request;
    const char *rs, *qs;
    size_t rl, ql;
    int score = 1;
    for (;;) {
        int rh = next_seg(&rp, &rs, &rl);
        if (!rh) {
            const char *tmp = qp;
            return next_seg(&tmp, &qs, &ql) ? 0 : score;
        }
        enum seg_kind k = route_seg_kind(rs, rl);
        if (k == SEG_CATCHALL || k == SEG_OPT_CATCHALL) {
            int rest = 0;
            while (next_seg(&qp, &qs, &ql))
                rest++;
            return rest || k == SEG_OPT_CATCHALL ? score + 1 : 0;
        }
        if (!next_seg(&qp, &qs, &ql))
            return 0;
        int wild = ql == 1 && qs[0] == '*';
        if (k == SEG_PARAM)
            score += 2;
        else if (!wild && rl == ql && memcmp(rs, qs, rl) == 0)
            score += 3;
        else
            return 0;
    }
}

int code_path_is_test(const char *path)
{
    static const char *const dirs[] = {"test", "tests", "__tests__", "e2e", "cypress", "spec", "specs", "__mocks__"};
    static const char *const markers[] = {".test.", ".spec.", ".e2e.", ".cy."};
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (strstr(base, markers[i]))
            return 2;
    size_t bl = strlen(base);
    if (bl > 3 && strcmp(base + bl - 3, ".py") == 0 &&
        (has_prefix(base, "test_") || (bl > 8 && strcmp(base + bl - 8, "_test.py") == 0) ||
         strcmp(base, "conftest.py") == 0))
        return 2;
    const char *p = path;
    while (p < base) {
        const char *slash = strchr(p, '/');
        if (!slash || slash >= base)
            break;
        size_t sl = (size_t)(slash - p);
        for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
            if (strlen(dirs[i]) == sl && strncmp(p, dirs[i], sl) == 0)
                return 1;
        p = slash + 1;
    }
    return 0;
}
