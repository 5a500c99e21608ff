/* Cypher literal encoder for FalkorDB's `CYPHER name=value` parameter prefix; see argus/cypher.h
 * for the server's parsing rules this follows. */
#include "argus/stores/cypher.h"
#include "argus/base/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Error paths are only for messages: longer ones are cut. They are built only when an error happens:
 * while encoding, a value's place is a chain of (parent, key or index) on the stack. */
#define PATH_MAX_LEN 200

struct vpath {
    const struct vpath *parent;
    const char *root;     /* the outermost name ("$rows"), NULL below it */
    const char *key;      /* map member, or NULL for a list element */
    int index;
};

static bool is_ident_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

bool argus_cypher_is_identifier(const char *s)
{
    if (!s || !is_ident_start((unsigned char)s[0]))
        return false;
    for (const char *p = s + 1; *p; p++)
        if (!is_ident_char((unsigned char)*p))
            return false;
    return true;
}

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", path && *path ? path : "value", what);
    return -1;
}

static void format_path(const struct vpath *p, char *out, size_t n)
{
    if (!p) {
        out[0] = '\0';
        return;
    }
    if (!p->parent) {
        snprintf(out, n, "%s", p->root ? p->root : "");
        return;
    }
    format_path(p->parent, out, n);
    size_t used = strlen(out);
    if (used + 1 >= n)
        return;
    if (p->key)
        snprintf(out + used, n - used, ".%s", p->key);
    else
        snprintf(out + used, n - used, "[%d]", p->index);
}

static int fail_at(char *err, size_t errlen, const struct vpath *p, const char *what)
{
    char path[PATH_MAX_LEN];
    format_path(p, path, sizeof path);
    return fail(err, errlen, path, what);
}

/* On failure the buffer is cut back to where it was, so callers never send half a literal. */
static int rollback(struct argus_buf *out, size_t mark)
{
    if (out->data && out->len > mark) {
        out->len = mark;
        out->data[mark] = '\0';
    }
    return -1;
}

static int check_utf8_at(const char *s, const struct vpath *path, char *err, size_t errlen)
{
    long bad = argus_utf8_first_invalid((const unsigned char *)s, strlen(s));
    if (bad < 0)
        return 0;
    char what[64];
    snprintf(what, sizeof what, "invalid UTF-8 at byte %ld", bad);
    return fail_at(err, errlen, path, what);
}

static int check_utf8(const char *s, const char *name, char *err, size_t errlen)
{
    struct vpath root = {NULL, name, NULL, 0};
    return check_utf8_at(s, &root, err, errlen);
}

static void encode_string(struct argus_buf *out, const char *s)
{
    argus_buf_putc(out, '"');
    const char *run = s;   /* bytes that need no escape are copied in runs */
    for (const char *p = s; *p; p++) {
        const char *esc = NULL;
        switch (*p) {
        case '\\': esc = "\\\\"; break;
        case '"': esc = "\\\""; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default: continue;
        }
        argus_buf_append(out, run, (size_t)(p - run));
        argus_buf_puts(out, esc);
        run = p + 1;
    }
    argus_buf_puts(out, run);
    argus_buf_putc(out, '"');
}

/* Integral doubles inside int64 are written as integers (cJSON has no integer type); the rest as the
 * shortest %.Ng that reads back to the same double, which always contains '.' or 'e' so FalkorDB
 * reads it as a float. */
static int encode_number(struct argus_buf *out, double d, const struct vpath *path, char *err, size_t errlen)
{
    if (!isfinite(d))
        return fail_at(err, errlen, path, "NaN or infinite number");
    if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        argus_buf_printf(out, "%lld", (long long)d);
        return 0;
    }
    char text[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(text, sizeof text, "%.*g", prec, d);
        if (strtod(text, NULL) == d)
            break;
    }
    argus_buf_puts(out, text);
    return 0;
}

static int encode_value(struct argus_buf *out, const cJSON *v, const struct vpath *path, char *err,
                        size_t errlen);

static int encode_list(struct argus_buf *out, const cJSON *list, const struct vpath *path, char *err,
                       size_t errlen)
{
    struct vpath child = {path, NULL, NULL, 0};
    argus_buf_putc(out, '[');
    for (const cJSON *it = list->child; it; it = it->next, child.index++) {
        if (child.index)
            argus_buf_putc(out, ',');
        if (encode_value(out, it, &child, err, errlen) != 0)
            return -1;
    }
    argus_buf_putc(out, ']');
    return 0;
}

static int encode_map(struct argus_buf *out, const cJSON *map, const struct vpath *path, char *err,
                      size_t errlen)
{
    struct vpath child = {path, NULL, "", 0};
    argus_buf_putc(out, '{');
    for (const cJSON *it = map->child; it; it = it->next) {
        if (it != map->child)
            argus_buf_putc(out, ',');
        child.key = it->string ? it->string : "";
        if (!it->string)
            return fail_at(err, errlen, &child, "map member without a key");
        if (strchr(it->string, '`'))
            return fail_at(err, errlen, &child, "a backtick cannot be quoted in a FalkorDB map key");
        if (check_utf8_at(it->string, &child, err, errlen) != 0)
            return -1;
        if (*it->string)
            argus_cypher_encode_name(out, it->string, NULL, 0);
        else
            argus_buf_puts(out, "``");   /* the server accepts an empty quoted key */
        argus_buf_putc(out, ':');
        if (encode_value(out, it, &child, err, errlen) != 0)
            return -1;
    }
    argus_buf_putc(out, '}');
    return 0;
}

static int encode_value(struct argus_buf *out, const cJSON *v, const struct vpath *path, char *err,
                        size_t errlen)
{
    if (!v)
        return fail_at(err, errlen, path, "missing value");
    switch (v->type & 0xFF) {
    case cJSON_NULL: argus_buf_puts(out, "null"); return 0;
    case cJSON_True: argus_buf_puts(out, "true"); return 0;
    case cJSON_False: argus_buf_puts(out, "false"); return 0;
    case cJSON_Number: return encode_number(out, v->valuedouble, path, err, errlen);
    case cJSON_String:
        if (!v->valuestring)
            return fail_at(err, errlen, path, "string without value");
        if (check_utf8_at(v->valuestring, path, err, errlen) != 0)
            return -1;
        encode_string(out, v->valuestring);
        return 0;
    case cJSON_Array: return encode_list(out, v, path, err, errlen);
    case cJSON_Object: return encode_map(out, v, path, err, errlen);
    default: return fail_at(err, errlen, path, "unsupported JSON value type");
    }
}

int argus_cypher_encode_value(struct argus_buf *out, const cJSON *value, const char *path, char *err,
                              size_t errlen)
{
    size_t mark = out->len;
    struct vpath root = {NULL, path ? path : "$", NULL, 0};
    if (encode_value(out, value, &root, err, errlen) != 0)
        return rollback(out, mark);
    return 0;
}

int argus_cypher_encode_name(struct argus_buf *out, const char *name, char *err, size_t errlen)
{
    if (!name || !*name)
        return fail(err, errlen, "name", "empty");
    if (argus_cypher_is_identifier(name)) {
        argus_buf_puts(out, name);
        return 0;
    }
    if (strchr(name, '`'))
        return fail(err, errlen, name, "a backtick cannot be quoted in a FalkorDB name");
    if (check_utf8(name, "name", err, errlen) != 0)
        return -1;
    argus_buf_putc(out, '`');
    argus_buf_puts(out, name);
    argus_buf_putc(out, '`');
    return 0;
}

int argus_cypher_encode_params(struct argus_buf *out, const cJSON *params, char *err, size_t errlen)
{
    if (!params)
        return 0;
    if (!cJSON_IsObject(params))
        return fail(err, errlen, "params", "not a JSON object");
    if (!params->child)
        return 0;
    char path[PATH_MAX_LEN];
    size_t mark = out->len;
    argus_buf_puts(out, "CYPHER ");
    for (const cJSON *it = params->child; it; it = it->next) {
        snprintf(path, sizeof path, "$%s", it->string ? it->string : "");
        if (!argus_cypher_is_identifier(it->string)) {
            fail(err, errlen, path, "parameter name must match [A-Za-z_][A-Za-z0-9_]*");
            return rollback(out, mark);
        }
        for (const cJSON *prev = params->child; prev != it; prev = prev->next) {
            if (strcmp(prev->string, it->string) == 0) {
                fail(err, errlen, path, "duplicate parameter name");
                return rollback(out, mark);
            }
        }
        argus_buf_puts(out, it->string);
        argus_buf_putc(out, '=');
        struct vpath root = {NULL, path, NULL, 0};
        if (encode_value(out, it, &root, err, errlen) != 0)
            return rollback(out, mark);
        argus_buf_putc(out, ' ');
    }
    return 0;
}

int argus_cypher_build(struct argus_buf *out, const char *query, const cJSON *params, char *err,
                       size_t errlen)
{
    if (!query || !*query)
        return fail(err, errlen, "query", "empty");
    size_t mark = out->len;
    if (argus_cypher_encode_params(out, params, err, errlen) != 0)
        return -1;
    argus_buf_puts(out, query);
    if (out->oom) {
        fail(err, errlen, "query", "out of memory");
        return rollback(out, mark);
    }
    return 0;
}
