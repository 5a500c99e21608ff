/* Parser of Playwright locators (see pw.h): a small tokenizer for the JavaScript call chain, and the
 * selector-string engines split on ">>" outside quotes and brackets. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pw_internal.h"
#include "textutil.h"

#define PW_MAX_STEPS 64

struct js {
    const char *s;
    size_t pos;
    char *err;
    size_t errlen;
    int failed;
};

enum js_val_kind { JV_NONE, JV_STRING, JV_REGEX, JV_NUMBER, JV_BOOL, JV_OBJECT };

struct js_val {
    enum js_val_kind kind;
    char *str;          /* string, regex source */
    char *flags;        /* regex flags */
    double num;
    int boolean;
    /* object: up to 16 key/value pairs */
    char *keys[16];
    struct js_val *vals[16];
    size_t n;
};

static void js_fail(struct js *j, const char *what)
{
    if (!j->failed)
        snprintf(j->err, j->errlen, "%s at offset %zu", what, j->pos);
    j->failed = 1;
}

static void js_ws(struct js *j)
{
    while (isspace((unsigned char)j->s[j->pos]))
        j->pos++;
}

static int js_eat(struct js *j, char c)
{
    js_ws(j);
    if (j->s[j->pos] == c) {
        j->pos++;
        return 1;
    }
    return 0;
}

static char *js_ident(struct js *j)
{
    js_ws(j);
    size_t st = j->pos;
    while (isalnum((unsigned char)j->s[j->pos]) || j->s[j->pos] == '_' || j->s[j->pos] == '$')
        j->pos++;
    if (j->pos == st) {
        js_fail(j, "expected a name");
        return NULL;
    }
    return strndup(j->s + st, j->pos - st);
}

static char *js_string(struct js *j)
{
    char q = j->s[j->pos++];
    struct text_buf b = TEXT_BUF_INIT;
    text_buf_puts(&b, "");
    for (;;) {
        char c = j->s[j->pos];
        if (!c) {
            js_fail(j, "unterminated string");
            text_buf_free(&b);
            return NULL;
        }
        j->pos++;
        if (c == q)
            break;
        if (q == '`' && c == '$' && j->s[j->pos] == '{') {
            js_fail(j, "template literals with ${} are not supported");
            text_buf_free(&b);
            return NULL;
        }
        if (c != '\\') {
            text_buf_putc(&b, c);
            continue;
        }
        char e = j->s[j->pos++];
        switch (e) {
        case 'n': text_buf_putc(&b, '\n'); break;
        case 't': text_buf_putc(&b, '\t'); break;
        case 'r': text_buf_putc(&b, '\r'); break;
        case '0': text_buf_putc(&b, '\0'); break;
        case 'u': {
            uint32_t cp = 0;
            int k = 0;
            if (j->s[j->pos] == '{') {
                j->pos++;
                while (isxdigit((unsigned char)j->s[j->pos]) && k < 6)
                    cp = cp * 16 + (uint32_t)(isdigit((unsigned char)j->s[j->pos]) ? j->s[j->pos] - '0'
                                                        : tolower((unsigned char)j->s[j->pos]) - 'a' + 10),
                    j->pos++, k++;
                if (j->s[j->pos] == '}')
                    j->pos++;
            } else {
                while (k < 4 && isxdigit((unsigned char)j->s[j->pos]))
                    cp = cp * 16 + (uint32_t)(isdigit((unsigned char)j->s[j->pos]) ? j->s[j->pos] - '0'
                                                        : tolower((unsigned char)j->s[j->pos]) - 'a' + 10),
                    j->pos++, k++;
            }
            text_utf8_put(&b, cp > 0x10FFFF || !cp ? 0xFFFD : cp);
            break;
        }
        case '\0':
            js_fail(j, "unterminated string");
            text_buf_free(&b);
            return NULL;
        default: text_buf_putc(&b, e); break;
        }
    }
    return text_buf_steal(&b);
}

static void js_val_free(struct js_val *v)
{
    if (!v)
        return;
    free(v->str);
    free(v->flags);
    for (size_t i = 0; i < v->n; i++) {
        free(v->keys[i]);
        js_val_free(v->vals[i]);
    }
    free(v);
}

static struct js_val *js_value(struct js *j, unsigned depth);

static struct js_val *js_object(struct js *j, unsigned depth)
{
    struct js_val *v = calloc(1, sizeof *v);
    if (!v)
        abort();
    v->kind = JV_OBJECT;
    j->pos++; /* { */
    for (;;) {
        if (js_eat(j, '}'))
            return v;
        if (v->n == 16) {
            js_fail(j, "too many options");
            break;
        }
        js_ws(j);
        char *key = (j->s[j->pos] == '\'' || j->s[j->pos] == '"') ? js_string(j) : js_ident(j);
        if (!key || !js_eat(j, ':')) {
            free(key);
            js_fail(j, "expected 'key: value'");
            break;
        }
        struct js_val *val = js_value(j, depth + 1);
        if (!val) {
            free(key);
            break;
        }
        v->keys[v->n] = key;
        v->vals[v->n++] = val;
        if (js_eat(j, ','))
            continue;
        if (js_eat(j, '}'))
            return v;
        js_fail(j, "expected ',' or '}'");
        break;
    }
    js_val_free(v);
    return NULL;
}

static struct js_val *js_value(struct js *j, unsigned depth)
{
    js_ws(j);
    char c = j->s[j->pos];
    if (depth > 4) {
        js_fail(j, "nested too deeply");
        return NULL;
    }
    if (c == '{')
        return js_object(j, depth);
    struct js_val *v = calloc(1, sizeof *v);
    if (!v)
        abort();
    if (c == '\'' || c == '"' || c == '`') {
        v->kind = JV_STRING;
        v->str = js_string(j);
    } else if (c == '/') {
        size_t st = ++j->pos;
        int in_class = 0;
        while (j->s[j->pos] && (in_class || j->s[j->pos] != '/')) {
            if (j->s[j->pos] == '\\' && j->s[j->pos + 1])
                j->pos++;
            else if (j->s[j->pos] == '[')
                in_class = 1;
            else if (j->s[j->pos] == ']')
                in_class = 0;
            j->pos++;
        }
        if (!j->s[j->pos]) {
            js_fail(j, "unterminated regular expression");
        } else {
            v->kind = JV_REGEX;
            v->str = strndup(j->s + st, j->pos - st);
            size_t fs = ++j->pos;
            while (isalpha((unsigned char)j->s[j->pos]))
                j->pos++;
            v->flags = strndup(j->s + fs, j->pos - fs);
        }
    } else if (isdigit((unsigned char)c) || c == '-') {
        char *end;
        v->kind = JV_NUMBER;
        v->num = strtod(j->s + j->pos, &end);
        if (end == j->s + j->pos)
            js_fail(j, "expected a number");
        j->pos = (size_t)(end - j->s);
    } else if (strncmp(j->s + j->pos, "true", 4) == 0 || strncmp(j->s + j->pos, "false", 5) == 0) {
        v->kind = JV_BOOL;
        v->boolean = j->s[j->pos] == 't';
        j->pos += v->boolean ? 4 : 5;
    } else {
        js_fail(j, "expected a string, regular expression, number, boolean or object");
    }
    if (j->failed) {
        js_val_free(v);
        return NULL;
    }
    return v;
}

static const struct js_val *opt(const struct js_val *o, const char *key)
{
    for (size_t i = 0; o && o->kind == JV_OBJECT && i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0)
            return o->vals[i];
    return NULL;
}

static struct pw_step *add_step(struct pw_locator *l, enum pw_step_kind kind)
{
    if (l->n >= PW_MAX_STEPS)
        return NULL;
    l->steps = realloc(l->steps, (l->n + 1) * sizeof *l->steps);
    if (!l->steps)
        abort();
    struct pw_step *s = &l->steps[l->n++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->level = s->checked = s->disabled = s->expanded = s->pressed = s->selected = s->include_hidden = -1;
    return s;
}

/* A string or regular expression argument as a text matcher; exact selects strict matching. */
static int set_text_as(struct pw_text *t, const struct js_val *v, int exact, int internal, int raw, char *err,
                       size_t errlen)
{
    t->internal = internal;
    if (v && v->kind == JV_REGEX) {
        t->kind = PW_REGEX;
        t->value = text_xstrdup(v->str);
        t->re = text_regex_compile(v->str, v->flags, err, errlen);
        return t->re ? 0 : -1;
    }
    if (!v || v->kind != JV_STRING) {
        snprintf(err, errlen, "expected a string or a regular expression");
        return -1;
    }
    t->kind = exact ? PW_STRICT : PW_LAX;
    t->value = raw ? text_xstrdup(v->str) : text_normalize(v->str);
    return 0;
}

/* Text engines normalise white space of what they look for; attribute engines compare it as written. */
static int set_text(struct pw_text *t, const struct js_val *v, int exact, int internal, char *err, size_t errlen)
{
    return set_text_as(t, v, exact, internal, 0, err, errlen);
}

int pw_parse_string_into(struct pw_locator *l, const char *s, char *err, size_t errlen);

static int bool_opt(const struct js_val *o, const char *key, int *out)
{
    const struct js_val *v = opt(o, key);
    if (!v)
        return 0;
    if (v->kind != JV_BOOL && !(v->kind == JV_STRING && !strcmp(key, "checked")))
        return -1;
    *out = v->kind == JV_BOOL ? v->boolean : 2;
    return 0;
}

static int call_get_by(struct pw_locator *l, const char *fn, struct js_val **args, size_t n, char *err, size_t errlen)
{
    const struct js_val *a0 = n > 0 ? args[0] : NULL, *a1 = n > 1 ? args[1] : NULL;
    const struct js_val *ex = opt(a1, "exact");
    int exact = ex && ex->kind == JV_BOOL && ex->boolean;
    struct pw_step *s;
    if (!strcmp(fn, "getByRole")) {
        if (!a0 || a0->kind != JV_STRING || !a0->str[0]) {
            snprintf(err, errlen, "getByRole needs a role name");
            return -1;
        }
        if (!(s = add_step(l, PW_ROLE)))
            goto too_long;
        s->role = text_lower(a0->str);
        const struct js_val *name = opt(a1, "name");
        if (name) {
            s->has_name = 1;
            if (set_text(&s->text, name, exact, 1, err, errlen) < 0)
                return -1;
        }
        const struct js_val *level = opt(a1, "level");
        if (level && level->kind == JV_NUMBER)
            s->level = (int)level->num;
        if (bool_opt(a1, "checked", &s->checked) < 0 || bool_opt(a1, "disabled", &s->disabled) < 0 ||
            bool_opt(a1, "expanded", &s->expanded) < 0 || bool_opt(a1, "pressed", &s->pressed) < 0 ||
            bool_opt(a1, "selected", &s->selected) < 0 || bool_opt(a1, "includeHidden", &s->include_hidden) < 0) {
            snprintf(err, errlen, "getByRole: option values must be true or false");
            return -1;
        }
        return 0;
    }
    static const struct { const char *fn; enum pw_step_kind kind; const char *attr; } simple[] = {
        { "getByText", PW_TEXT, NULL }, { "getByLabel", PW_LABEL, NULL },
        { "getByPlaceholder", PW_ATTR, "placeholder" }, { "getByAltText", PW_ATTR, "alt" },
        { "getByTitle", PW_ATTR, "title" }, { "getByTestId", PW_TESTID, NULL },
    };
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
        if (strcmp(fn, simple[i].fn))
            continue;
        if (!(s = add_step(l, simple[i].kind)))
            goto too_long;
        if (simple[i].attr)
            s->source = text_xstrdup(simple[i].attr);
        int is_attr = simple[i].kind == PW_TESTID || simple[i].kind == PW_ATTR;
        int is_exact = simple[i].kind == PW_TESTID ? 1 : exact;
        return set_text_as(&s->text, a0, is_exact, 1, is_attr, err, errlen);
    }
    snprintf(err, errlen, "unsupported locator method %s()", fn);
    return -1;
too_long:
    snprintf(err, errlen, "locator has too many steps");
    return -1;
}

static int call_method(struct pw_locator *l, const char *fn, struct js_val **args, size_t n, char *err, size_t errlen)
{
    const struct js_val *a0 = n > 0 ? args[0] : NULL;
    struct pw_step *s;
    if (!strncmp(fn, "getBy", 5))
        return call_get_by(l, fn, args, n, err, errlen);
    if (!strcmp(fn, "locator")) {
        if (!a0 || a0->kind != JV_STRING) {
            snprintf(err, errlen, "locator() needs a selector string");
            return -1;
        }
        if (pw_parse_string_into(l, a0->str, err, errlen) < 0)
            return -1;
        const struct js_val *o = n > 1 ? args[1] : NULL;
        const struct js_val *ht = opt(o, "hasText");
        if (ht) {
            if (!(s = add_step(l, PW_HAS_TEXT)) || set_text(&s->text, ht, 0, 1, err, errlen) < 0)
                return -1;
        }
        return 0;
    }
    if (!strcmp(fn, "filter")) {
        const struct js_val *ht = opt(a0, "hasText"), *hnt = opt(a0, "hasNotText"), *vis = opt(a0, "visible");
        if (!ht && !hnt && !vis) {
            snprintf(err, errlen, "filter() supports hasText, hasNotText and visible");
            return -1;
        }
        if (ht && (!(s = add_step(l, PW_HAS_TEXT)) || set_text(&s->text, ht, 0, 1, err, errlen) < 0))
            return -1;
        if (hnt && (!(s = add_step(l, PW_HAS_NOT_TEXT)) || set_text(&s->text, hnt, 0, 1, err, errlen) < 0))
            return -1;
        if (vis && vis->kind == JV_BOOL) {
            if (!(s = add_step(l, PW_VISIBLE)))
                return -1;
            s->nth = vis->boolean;
        }
        return 0;
    }
    if (!strcmp(fn, "nth") || !strcmp(fn, "first") || !strcmp(fn, "last")) {
        if (!(s = add_step(l, PW_NTH)))
            return -1;
        if (!strcmp(fn, "nth")) {
            if (!a0 || a0->kind != JV_NUMBER) {
                snprintf(err, errlen, "nth() needs a number");
                return -1;
            }
            s->nth = (long)a0->num;
        } else {
            s->nth = fn[0] == 'f' ? 0 : -1;
        }
        return 0;
    }
    snprintf(err, errlen, "unsupported locator method %s()", fn);
    return -1;
}

static int parse_expression(struct pw_locator *l, const char *src, char *err, size_t errlen)
{
    struct js j = { src, 0, err, errlen, 0 };
    js_ws(&j);
    if (!strncmp(j.s + j.pos, "page", 4) && (j.s[j.pos + 4] == '.' || isspace((unsigned char)j.s[j.pos + 4]))) {
        j.pos += 4;
        if (!js_eat(&j, '.')) {
            js_fail(&j, "expected '.'");
            return -1;
        }
    }
    for (int first = 1;; first = 0) {
        if (!first) {
            js_ws(&j);
            if (!j.s[j.pos] || j.s[j.pos] == ';')
                break;
            if (!js_eat(&j, '.')) {
                js_fail(&j, "expected '.'");
                return -1;
            }
        }
        char *fn = js_ident(&j);
        if (!fn)
            return -1;
        if (!js_eat(&j, '(')) {
            free(fn);
            js_fail(&j, "expected '('");
            return -1;
        }
        struct js_val *args[4] = { 0 };
        size_t n = 0;
        int rc = 0;
        if (!js_eat(&j, ')')) {
            for (;;) {
                if (n == 4 || !(args[n] = js_value(&j, 0))) {
                    js_fail(&j, "bad argument");
                    rc = -1;
                    break;
                }
                n++;
                if (js_eat(&j, ','))
                    continue;
                if (js_eat(&j, ')'))
                    break;
                js_fail(&j, "expected ',' or ')'");
                rc = -1;
                break;
            }
        }
        if (rc == 0)
            rc = call_method(l, fn, args, n, err, errlen);
        for (size_t i = 0; i < n; i++)
            js_val_free(args[i]);
        free(fn);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- selector strings */

static size_t split_failed(char **parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    return 0;
}

/* Splits at ">>" outside quotes, brackets and parentheses; returns the number of parts (0: an
 * unterminated string or more than max parts). */
static size_t split_chain(const char *s, char **parts, size_t max)
{
    size_t n = 0, st = 0, depth = 0;
    char quote = 0;
    for (size_t i = 0;; i++) {
        char c = s[i];
        if (quote) {
            if (c == '\\' && s[i + 1])
                i++;
            else if (c == quote)
                quote = 0;
            else if (!c)
                return split_failed(parts, n);
            continue;
        }
        if (c == '"' || c == '\'' || c == '`')
            quote = c;
        else if (c == '[' || c == '(')
            depth++;
        else if ((c == ']' || c == ')') && depth)
            depth--;
        if (!c || (!depth && c == '>' && s[i + 1] == '>')) {
            if (n == max)
                return split_failed(parts, n);
            parts[n++] = strndup(s + st, i - st);
            if (!c)
                break;
            i++;
            st = i + 1;
        }
    }
    return n;
}

static char *trim_dup(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

/* text= body: "x" strict on text nodes, 'x' strict, /re/f regex, else lax. */
static int parse_text_body(struct pw_text *t, const char *body, char *err, size_t errlen)
{
    size_t n = strlen(body);
    t->internal = 0;
    if (body[0] == '/' && n > 1 && strrchr(body, '/') != body) {
        const char *last = strrchr(body, '/');
        char *pat = strndup(body + 1, (size_t)(last - body - 1));
        t->kind = PW_REGEX;
        t->value = pat;
        t->re = text_regex_compile(pat, last + 1, err, errlen);
        return t->re ? 0 : -1;
    }
    if (n > 1 && ((body[0] == '"' && body[n - 1] == '"') || (body[0] == '\'' && body[n - 1] == '\''))) {
        char *inner = strndup(body + 1, n - 2);
        struct text_buf b = TEXT_BUF_INIT;
        text_buf_puts(&b, "");
        for (size_t i = 0; inner[i]; i++) {
            if (inner[i] == '\\' && inner[i + 1])
                i++;
            text_buf_putc(&b, inner[i]);
        }
        free(inner);
        char *raw = text_buf_steal(&b);
        t->kind = PW_STRICT;
        t->value = text_normalize(raw);
        free(raw);
        return 0;
    }
    t->kind = PW_LAX;
    t->value = text_normalize(body);
    return 0;
}

/* role=button[name="Save" i][level=2] */
static int parse_role_body(struct pw_step *s, const char *body, char *err, size_t errlen)
{
    const char *p = body;
    size_t rn = strcspn(p, "[ ");
    if (!rn) {
        snprintf(err, errlen, "role selector needs a role");
        return -1;
    }
    char *role = strndup(p, rn);
    s->role = text_lower(role);
    free(role);
    p += rn;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (*p != '[') {
            snprintf(err, errlen, "role selector: expected '['");
            return -1;
        }
        p++;
        size_t kn = strcspn(p, "=]");
        char *k = strndup(p, kn);
        char *keyt = trim_dup(k);
        free(k);
        p += kn;
        char *value = NULL;
        int quoted = 0, icase = 0;
        if (*p == '=') {
            p++;
            while (isspace((unsigned char)*p))
                p++;
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                struct text_buf b = TEXT_BUF_INIT;
                text_buf_puts(&b, "");
                while (*p && *p != q) {
                    if (*p == '\\' && p[1])
                        p++;
                    text_buf_putc(&b, *p++);
                }
                if (*p != q) {
                    free(keyt);
                    text_buf_free(&b);
                    snprintf(err, errlen, "role selector: unterminated string");
                    return -1;
                }
                p++;
                value = text_buf_steal(&b);
                quoted = 1;
                while (isspace((unsigned char)*p))
                    p++;
                if (*p == 'i' || *p == 'I' || *p == 's' || *p == 'S')
                    icase = tolower((unsigned char)*p++) == 'i';
            } else {
                size_t vn = strcspn(p, "]");
                char *v = strndup(p, vn);
                value = trim_dup(v);
                free(v);
                p += vn;
            }
        }
        while (isspace((unsigned char)*p))
            p++;
        if (*p != ']') {
            free(keyt);
            free(value);
            snprintf(err, errlen, "role selector: expected ']'");
            return -1;
        }
        p++;
        int truthy = !value || !strcmp(value, "true");
        int rc = 0;
        if (!strcmp(keyt, "name")) {
            if (!value || !quoted) {
                rc = -1;
            } else {
                s->has_name = 1;
                s->text.internal = 0;
                s->text.kind = icase ? PW_LAX : PW_STRICT;   /* role= compares whole names; i: any case */
                s->text.value = text_normalize(value);
            }
        } else if (!strcmp(keyt, "level")) {
            s->level = value ? atoi(value) : -1;
        } else if (!strcmp(keyt, "checked")) {
            s->checked = value && !strcmp(value, "mixed") ? 2 : truthy;
        } else if (!strcmp(keyt, "disabled")) {
            s->disabled = truthy;
        } else if (!strcmp(keyt, "expanded")) {
            s->expanded = truthy;
        } else if (!strcmp(keyt, "pressed")) {
            s->pressed = value && !strcmp(value, "mixed") ? 2 : truthy;
        } else if (!strcmp(keyt, "selected")) {
            s->selected = truthy;
        } else if (!strcmp(keyt, "include-hidden")) {
            s->include_hidden = truthy;
        } else {
            rc = -1;
        }
        if (rc < 0)
            snprintf(err, errlen, "role selector: unsupported attribute [%s]", keyt);
        free(keyt);
        free(value);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int parse_part(struct pw_locator *l, const char *part, char *err, size_t errlen)
{
    char *t = trim_dup(part);
    const char *body = t;
    char engine[32] = "";
    size_t en = strspn(t, "abcdefghijklmnopqrstuvwxyz-:");
    if (en && en < sizeof engine && t[en] == '=') {
        memcpy(engine, t, en);
        engine[en] = '\0';
        body = t + en + 1;
    } else if (!strncmp(t, "//", 2) || !strncmp(t, "..", 2)) {
        strcpy(engine, "xpath");
    } else if (t[0] == '"' || t[0] == '\'') {
        strcpy(engine, "text");
    } else {
        strcpy(engine, "css");
    }
    int rc = 0;
    struct pw_step *s = NULL;
    if (!strcmp(engine, "css") || !strcmp(engine, "xpath")) {
        int is_css = engine[0] == 'c';
        if (!(s = add_step(l, is_css ? PW_CSS : PW_XPATH)))
            goto too_long;
        s->source = text_xstrdup(body);
        if (is_css && !(s->css = css_parse(body, err, errlen)))
            rc = -1;
    } else if (!strcmp(engine, "text")) {
        if (!(s = add_step(l, PW_TEXT)))
            goto too_long;
        rc = parse_text_body(&s->text, body, err, errlen);
    } else if (!strcmp(engine, "role")) {
        if (!(s = add_step(l, PW_ROLE)))
            goto too_long;
        rc = parse_role_body(s, body, err, errlen);
    } else if (!strcmp(engine, "id") || !strcmp(engine, "data-testid") || !strcmp(engine, "data-test-id") ||
               !strcmp(engine, "data-test")) {
        if (!(s = add_step(l, PW_ATTR)))
            goto too_long;
        s->source = text_xstrdup(engine);
        s->text.kind = PW_STRICT;
        s->text.internal = 1;
        size_t bn = strlen(body);
        if (bn > 1 && (body[0] == '"' || body[0] == '\'') && body[bn - 1] == body[0])
            s->text.value = strndup(body + 1, bn - 2);
        else
            s->text.value = text_xstrdup(body);
    } else if (!strcmp(engine, "nth")) {
        if (!(s = add_step(l, PW_NTH)))
            goto too_long;
        char *end;
        s->nth = strtol(body, &end, 10);
        if (end == body || *end) {
            snprintf(err, errlen, "nth= needs an integer");
            rc = -1;
        }
    } else if (!strcmp(engine, "visible")) {
        if (!(s = add_step(l, PW_VISIBLE)))
            goto too_long;
        s->nth = strcmp(body, "false") != 0;
    } else {
        snprintf(err, errlen, "unsupported selector engine %s=", engine);
        rc = -1;
    }
    free(t);
    return rc;
too_long:
    free(t);
    snprintf(err, errlen, "locator has too many steps");
    return -1;
}

int pw_parse_string_into(struct pw_locator *l, const char *s, char *err, size_t errlen)
{
    char *parts[PW_MAX_STEPS];
    size_t n = split_chain(s, parts, PW_MAX_STEPS);
    if (!n) {
        snprintf(err, errlen, "selector has an unterminated string or too many >> parts");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && text_is_blank(parts[i])) {
            snprintf(err, errlen, "empty part in a >> chain");
            rc = -1;
        }
        if (rc == 0)
            rc = parse_part(l, parts[i], err, errlen);
        free(parts[i]);
    }
    return rc;
}

static int looks_like_expression(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!strncmp(s, "page.", 5))
        return 1;
    if (!strncmp(s, "getBy", 5) || !strncmp(s, "locator(", 8) || !strncmp(s, "locator (", 9))
        return 1;
    return 0;
}

void pw_free(struct pw_locator *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        struct pw_step *s = &l->steps[i];
        free(s->source);
        free(s->role);
        free(s->text.value);
        text_regex_free(s->text.re);
        css_free(s->css);
    }
    free(l->steps);
    free(l);
}

struct pw_locator *pw_parse(const char *s, char *err, size_t errlen)
{
    if (!s || text_is_blank(s)) {
        snprintf(err, errlen, "empty locator");
        return NULL;
    }
    struct pw_locator *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    int rc = looks_like_expression(s) ? parse_expression(l, s, err, errlen) : pw_parse_string_into(l, s, err, errlen);
    if (rc < 0 || !l->n) {
        if (rc == 0)
            snprintf(err, errlen, "empty locator");
        pw_free(l);
        return NULL;
    }
    return l;
}

void pw_hints(const struct pw_locator *l, struct pw_hints *h)
{
    memset(h, 0, sizeof *h);
    for (size_t i = 0; i < l->n; i++) {
        const struct pw_step *s = &l->steps[i];
        const char *v = s->text.kind == PW_REGEX ? NULL : s->text.value;
        switch (s->kind) {
        case PW_ROLE: h->role = s->role; if (s->has_name) h->name = v; break;
        case PW_TEXT: h->text = v; break;
        case PW_HAS_TEXT: if (!h->text) h->text = v; break;
        case PW_LABEL: h->label = v; break;
        case PW_TESTID: h->test_id = v; break;
        case PW_ATTR:
            if (!strcmp(s->source, "placeholder")) h->placeholder = v;
            else if (!strcmp(s->source, "alt")) h->alt = v;
            else if (!strcmp(s->source, "title")) h->title = v;
            else if (!strcmp(s->source, "id")) h->id = v;
            else h->test_id = v;
            break;
        case PW_CSS: h->css = s->source; break;
        case PW_XPATH: h->xpath = s->source; break;
        default: break;
        }
    }
}

void pw_put_string(struct text_buf *b, const char *s)
{
    text_buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            text_buf_putc(b, '\\');
        if (*s == '\n')
            text_buf_puts(b, "\\n");
        else
            text_buf_putc(b, *s);
    }
    text_buf_putc(b, '\'');
}
