/* CSS selector parser (see css.h): recursive descent over the text with CSS escapes, strings,
 * An+B and the relative selectors of :has(). Depth and size are bounded so hostile input cannot
 * exhaust the stack. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "css.h"
#include "jsregex.h"
#include "textutil.h"

#define CSS_MAX_NESTING 16
#define CSS_MAX_PARTS   64

struct parser {
    const char *s;
    size_t pos;
    unsigned nesting;
    char *err;
    size_t errlen;
    int failed;
};

static void fail(struct parser *p, const char *what)
{
    if (!p->failed)
        snprintf(p->err, p->errlen, "%s at offset %zu", what, p->pos);
    p->failed = 1;
}

static void *xcalloc(size_t n, size_t size)
{
    void *q = calloc(n ? n : 1, size);
    if (!q)
        abort();
    return q;
}

static void *xgrow(void *ptr, size_t n, size_t size)
{
    void *q = realloc(ptr, n * size);
    if (!q)
        abort();
    return q;
}

static void skip_ws(struct parser *p)
{
    while (text_is_ascii_space(p->s[p->pos]))
        p->pos++;
}

static int is_name_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static int is_name_char(unsigned char c)
{
    return is_name_start(c) || isdigit(c) || c == '-';
}

static int starts_escape(const struct parser *p, size_t at)
{
    return p->s[at] == '\\' && p->s[at + 1] != '\n' && p->s[at + 1] != '\0';
}

static void read_escape(struct parser *p, struct text_buf *b)
{
    p->pos++; /* backslash */
    if (isxdigit((unsigned char)p->s[p->pos])) {
        uint32_t cp = 0;
        int n = 0;
        while (n < 6 && isxdigit((unsigned char)p->s[p->pos])) {
            char c = p->s[p->pos++];
            cp = cp * 16 + (uint32_t)(isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10));
            n++;
        }
        if (text_is_ascii_space(p->s[p->pos]))
            p->pos++;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        text_utf8_put(b, cp);
        return;
    }
    text_buf_putc(b, p->s[p->pos++]);
}

static int ident_starts_here(const struct parser *p)
{
    size_t i = p->pos;
    if (p->s[i] == '-') {
        i++;
        if (p->s[i] == '-')
            return 1;
    }
    return is_name_start((unsigned char)p->s[i]) || starts_escape(p, i);
}

static char *read_ident(struct parser *p)
{
    if (!ident_starts_here(p)) {
        fail(p, "expected a name");
        return NULL;
    }
    struct text_buf b = TEXT_BUF_INIT;
    for (;;) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (starts_escape(p, p->pos))
            read_escape(p, &b);
        else if (is_name_char(c))
            text_buf_putc(&b, p->s[p->pos++]);
        else
            break;
    }
    return text_buf_steal(&b);
}

static char *read_string(struct parser *p)
{
    char q = p->s[p->pos++];
    struct text_buf b = TEXT_BUF_INIT;
    for (;;) {
        char c = p->s[p->pos];
        if (c == '\0' || c == '\n') {
            fail(p, "unterminated string");
            text_buf_free(&b);
            return NULL;
        }
        if (c == q) {
            p->pos++;
            break;
        }
        if (c == '\\') {
            if (p->s[p->pos + 1] == '\n') {
                p->pos += 2;
                continue;
            }
            if (p->s[p->pos + 1] == '\0') {
                p->pos++;
                continue;
            }
            read_escape(p, &b);
            continue;
        }
        text_buf_putc(&b, c);
        p->pos++;
    }
    return text_buf_steal(&b);
}

static struct css_list *parse_list(struct parser *p, int relative, char close);
static void free_list(struct css_list *l);

static void free_simple(struct css_simple *s)
{
    free(s->name);
    free(s->value);
    free_list(s->sub);
    text_regex_free(s->re);
}

static void free_list(struct css_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        for (size_t k = 0; k < l->items[i].n; k++) {
            struct css_compound *c = &l->items[i].parts[k];
            for (size_t j = 0; j < c->n; j++)
                free_simple(&c->simples[j]);
            free(c->simples);
        }
        free(l->items[i].parts);
    }
    free(l->items);
    free(l);
}

void css_free(struct css_list *l)
{
    free_list(l);
}

static int parse_attr(struct parser *p, struct css_simple *s)
{
    p->pos++; /* [ */
    skip_ws(p);
    s->kind = CSS_ATTR;
    s->name = read_ident(p);
    if (!s->name)
        return -1;
    skip_ws(p);
    static const struct { const char *tok; enum css_attr_op op; } ops[] = {
        { "~=", CSS_ATTR_INCLUDES }, { "|=", CSS_ATTR_DASH }, { "^=", CSS_ATTR_PREFIX },
        { "$=", CSS_ATTR_SUFFIX }, { "*=", CSS_ATTR_SUBSTR }, { "=", CSS_ATTR_EQ },
    };
    s->op = CSS_ATTR_EXISTS;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strncmp(p->s + p->pos, ops[i].tok, strlen(ops[i].tok)) == 0) {
            s->op = ops[i].op;
            p->pos += strlen(ops[i].tok);
            break;
        }
    if (s->op != CSS_ATTR_EXISTS) {
        skip_ws(p);
        if (p->s[p->pos] == '"' || p->s[p->pos] == '\'')
            s->value = read_string(p);
        else
            s->value = read_ident(p);
        if (!s->value)
            return -1;
        skip_ws(p);
        if ((p->s[p->pos] == 'i' || p->s[p->pos] == 'I' || p->s[p->pos] == 's' || p->s[p->pos] == 'S') &&
            !is_name_char((unsigned char)p->s[p->pos + 1])) {
            s->icase = tolower((unsigned char)p->s[p->pos]) == 'i';
            p->pos++;
            skip_ws(p);
        }
    }
    if (p->s[p->pos] != ']') {
        fail(p, "expected ']'");
        return -1;
    }
    p->pos++;
    return 0;
}

/* An+B, "odd", "even", optional "of S" for :nth-child/:nth-last-child. */
static int parse_nth(struct parser *p, struct css_simple *s, int allow_of)
{
    skip_ws(p);
    const char *q = p->s + p->pos;
    if (strncasecmp(q, "odd", 3) == 0 && !is_name_char((unsigned char)q[3])) {
        s->a = 2, s->b = 1, p->pos += 3;
    } else if (strncasecmp(q, "even", 4) == 0 && !is_name_char((unsigned char)q[4])) {
        s->a = 2, s->b = 0, p->pos += 4;
    } else {
        long sign = 1, a = 0, b = 0;
        int has_a = 0, has_num = 0;
        if (p->s[p->pos] == '+' || p->s[p->pos] == '-')
            sign = p->s[p->pos++] == '-' ? -1 : 1;
        long num = 0;
        while (isdigit((unsigned char)p->s[p->pos]) && num < 100000000)
            num = num * 10 + (p->s[p->pos++] - '0'), has_num = 1;
        if (p->s[p->pos] == 'n' || p->s[p->pos] == 'N') {
            has_a = 1;
            a = sign * (has_num ? num : 1);
            p->pos++;
            skip_ws(p);
            if (p->s[p->pos] == '+' || p->s[p->pos] == '-') {
                long bs = p->s[p->pos++] == '-' ? -1 : 1;
                skip_ws(p);
                long bn = 0;
                int any = 0;
                while (isdigit((unsigned char)p->s[p->pos]) && bn < 100000000)
                    bn = bn * 10 + (p->s[p->pos++] - '0'), any = 1;
                if (!any) {
                    fail(p, "expected a number in An+B");
                    return -1;
                }
                b = bs * bn;
            }
        } else if (has_num) {
            b = sign * num;
        } else {
            fail(p, "expected An+B");
            return -1;
        }
        (void)has_a;
        s->a = a, s->b = b;
    }
    skip_ws(p);
    if (allow_of && strncasecmp(p->s + p->pos, "of", 2) == 0 && text_is_ascii_space(p->s[p->pos + 2])) {
        p->pos += 2;
        s->sub = parse_list(p, 0, ')');
        if (!s->sub)
            return -1;
    }
    return 0;
}

/* Argument of a Playwright text pseudo-class: a quoted string, or the raw text up to ')'. */
static char *parse_text_arg(struct parser *p)
{
    skip_ws(p);
    if (p->s[p->pos] == '"' || p->s[p->pos] == '\'')
        return read_string(p);
    size_t start = p->pos;
    while (p->s[p->pos] && p->s[p->pos] != ')' && p->s[p->pos] != ',')
        p->pos++;
    size_t end = p->pos;
    while (end > start && text_is_ascii_space(p->s[end - 1]))
        end--;
    char *r = malloc(end - start + 1);
    if (!r)
        abort();
    memcpy(r, p->s + start, end - start);
    r[end - start] = '\0';
    return r;
}

static const struct {
    const char *name;
    enum css_pseudo pseudo;
} plain_pseudos[] = {
    { "first-child", CSS_P_FIRST_CHILD }, { "last-child", CSS_P_LAST_CHILD }, { "only-child", CSS_P_ONLY_CHILD },
    { "first-of-type", CSS_P_FIRST_OF_TYPE }, { "last-of-type", CSS_P_LAST_OF_TYPE },
    { "only-of-type", CSS_P_ONLY_OF_TYPE }, { "empty", CSS_P_EMPTY }, { "root", CSS_P_ROOT },
    { "scope", CSS_P_SCOPE }, { "checked", CSS_P_CHECKED }, { "disabled", CSS_P_DISABLED },
    { "enabled", CSS_P_ENABLED }, { "required", CSS_P_REQUIRED }, { "optional", CSS_P_OPTIONAL },
    { "visible", CSS_P_VISIBLE },
};

static const struct {
    const char *name;
    enum css_pseudo pseudo;
} func_pseudos[] = {
    { "nth-child", CSS_P_NTH_CHILD }, { "nth-last-child", CSS_P_NTH_LAST_CHILD },
    { "nth-of-type", CSS_P_NTH_OF_TYPE }, { "nth-last-of-type", CSS_P_NTH_LAST_OF_TYPE },
    { "not", CSS_P_NOT }, { "is", CSS_P_IS }, { "matches", CSS_P_IS }, { "where", CSS_P_WHERE },
    { "has", CSS_P_HAS }, { "has-text", CSS_P_HAS_TEXT }, { "text", CSS_P_TEXT }, { "text-is", CSS_P_TEXT_IS },
    { "text-matches", CSS_P_TEXT_MATCHES },
};

static int parse_func_pseudo(struct parser *p, struct css_simple *s)
{
    switch (s->pseudo) {
    case CSS_P_NTH_CHILD:
    case CSS_P_NTH_LAST_CHILD:
        return parse_nth(p, s, 1);
    case CSS_P_NTH_OF_TYPE:
    case CSS_P_NTH_LAST_OF_TYPE:
        return parse_nth(p, s, 0);
    case CSS_P_NOT:
    case CSS_P_IS:
    case CSS_P_WHERE:
    case CSS_P_HAS:
        if (++p->nesting > CSS_MAX_NESTING) {
            fail(p, "selector nested too deeply");
            return -1;
        }
        s->sub = parse_list(p, s->pseudo == CSS_P_HAS, ')');
        p->nesting--;
        return s->sub ? 0 : -1;
    case CSS_P_TEXT_MATCHES: {
        s->value = parse_text_arg(p);
        if (!s->value)
            return -1;
        skip_ws(p);
        char *flags = NULL;
        if (p->s[p->pos] == ',') {
            p->pos++;
            flags = parse_text_arg(p);
            if (!flags)
                return -1;
        }
        char rerr[160];
        s->re = text_regex_compile(s->value, flags, rerr, sizeof rerr);
        free(flags);
        if (!s->re) {
            fail(p, rerr);
            return -1;
        }
        return 0;
    }
    default:
        s->value = parse_text_arg(p);
        return s->value ? 0 : -1;
    }
}

static int parse_pseudo(struct parser *p, struct css_simple *s)
{
    p->pos++; /* : */
    if (p->s[p->pos] == ':') {
        fail(p, "pseudo-elements select no element");
        return -1;
    }
    char *name = read_ident(p);
    if (!name)
        return -1;
    s->kind = CSS_PSEUDO;
    int is_func = p->s[p->pos] == '(';
    int found = 0;
    if (!is_func) {
        for (size_t i = 0; i < sizeof plain_pseudos / sizeof plain_pseudos[0]; i++)
            if (strcasecmp(name, plain_pseudos[i].name) == 0)
                s->pseudo = plain_pseudos[i].pseudo, found = 1;
    } else {
        for (size_t i = 0; i < sizeof func_pseudos / sizeof func_pseudos[0]; i++)
            if (strcasecmp(name, func_pseudos[i].name) == 0)
                s->pseudo = func_pseudos[i].pseudo, found = 1;
    }
    if (!found) {
        char msg[160];
        snprintf(msg, sizeof msg, "unsupported pseudo-class :%.60s%s", name, is_func ? "()" : "");
        free(name);
        fail(p, msg);
        return -1;
    }
    free(name);
    if (!is_func)
        return 0;
    p->pos++; /* ( */
    if (parse_func_pseudo(p, s) < 0)
        return -1;
    skip_ws(p);
    if (p->s[p->pos] != ')') {
        fail(p, "expected ')'");
        return -1;
    }
    p->pos++;
    return 0;
}

static int add_simple(struct css_compound *c, struct css_simple s)
{
    c->simples = xgrow(c->simples, c->n + 1, sizeof *c->simples);
    c->simples[c->n++] = s;
    return 0;
}

/* One compound selector; returns 0 when nothing was read (caller decides whether that is an error). */
static int parse_compound(struct parser *p, struct css_compound *c)
{
    size_t start = p->pos;
    if (p->s[p->pos] == '*') {
        p->pos++;
        add_simple(c, (struct css_simple){ .kind = CSS_UNIVERSAL });
    } else if (ident_starts_here(p)) {
        char *name = read_ident(p);
        if (!name)
            return -1;
        add_simple(c, (struct css_simple){ .kind = CSS_TYPE, .name = name });
    }
    for (;;) {
        char ch = p->s[p->pos];
        struct css_simple s = { 0 };
        if (ch == '#') {
            p->pos++;
            s.kind = CSS_ID;
            if (!(s.name = read_ident(p)))
                return -1;
        } else if (ch == '.') {
            p->pos++;
            s.kind = CSS_CLASS;
            if (!(s.name = read_ident(p)))
                return -1;
        } else if (ch == '[') {
            if (parse_attr(p, &s) < 0) {
                free_simple(&s);
                return -1;
            }
        } else if (ch == ':') {
            if (parse_pseudo(p, &s) < 0) {
                free_simple(&s);
                return -1;
            }
        } else {
            break;
        }
        add_simple(c, s);
    }
    return p->pos > start ? 1 : 0;
}

static int read_combinator(struct parser *p, enum css_combinator *comb)
{
    size_t before = p->pos;
    skip_ws(p);
    char ch = p->s[p->pos];
    if (ch == '>' || ch == '+' || ch == '~') {
        *comb = ch == '>' ? CSS_COMB_CHILD : ch == '+' ? CSS_COMB_NEXT : CSS_COMB_SUBSEQUENT;
        p->pos++;
        skip_ws(p);
        return 1;
    }
    if (p->pos > before && ch && ch != ',' && ch != ')') {
        *comb = CSS_COMB_DESCENDANT;
        return 1;
    }
    return 0;
}

static int parse_complex(struct parser *p, struct css_complex *x, int relative)
{
    skip_ws(p);
    if (relative) {
        /* :has(> a): an anchor compound stands for the element :has() is tested on */
        x->parts = xcalloc(1, sizeof *x->parts);
        x->n = 1;
        add_simple(&x->parts[0], (struct css_simple){ .kind = CSS_ANCHOR });
        enum css_combinator comb = CSS_COMB_DESCENDANT;
        char ch = p->s[p->pos];
        if (ch == '>' || ch == '+' || ch == '~') {
            comb = ch == '>' ? CSS_COMB_CHILD : ch == '+' ? CSS_COMB_NEXT : CSS_COMB_SUBSEQUENT;
            p->pos++;
            skip_ws(p);
        }
        x->parts = xgrow(x->parts, 2, sizeof *x->parts);
        x->parts[1] = (struct css_compound){ .comb = comb };
        x->n = 2;
        int r = parse_compound(p, &x->parts[1]);
        if (r <= 0) {
            if (r == 0)
                fail(p, "expected a selector");
            return -1;
        }
    } else {
        x->parts = xcalloc(1, sizeof *x->parts);
        x->n = 1;
        int r = parse_compound(p, &x->parts[0]);
        if (r <= 0) {
            if (r == 0)
                fail(p, "expected a selector");
            return -1;
        }
    }
    enum css_combinator comb;
    while (read_combinator(p, &comb)) {
        if (x->n >= CSS_MAX_PARTS) {
            fail(p, "selector too long");
            return -1;
        }
        x->parts = xgrow(x->parts, x->n + 1, sizeof *x->parts);
        x->parts[x->n] = (struct css_compound){ .comb = comb };
        x->n++;
        int r = parse_compound(p, &x->parts[x->n - 1]);
        if (r <= 0) {
            if (r == 0)
                fail(p, "expected a selector after a combinator");
            return -1;
        }
    }
    return 0;
}

static struct css_list *parse_list(struct parser *p, int relative, char close)
{
    struct css_list *l = xcalloc(1, sizeof *l);
    for (;;) {
        l->items = xgrow(l->items, l->n + 1, sizeof *l->items);
        l->items[l->n] = (struct css_complex){ 0 };
        l->n++;
        if (parse_complex(p, &l->items[l->n - 1], relative) < 0) {
            free_list(l);
            return NULL;
        }
        skip_ws(p);
        if (p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->s[p->pos] == close)
            return l;
        fail(p, close ? "expected ',' or ')'" : "unexpected character");
        free_list(l);
        return NULL;
    }
}

struct css_list *css_parse(const char *sel, char *err, size_t errlen)
{
    struct parser p = { sel, 0, 0, err, errlen, 0 };
    if (!sel || text_is_blank(sel)) {
        snprintf(err, errlen, "empty selector");
        return NULL;
    }
    return parse_list(&p, 0, '\0');
}

static int list_uses_playwright(const struct css_list *l)
{
    for (size_t i = 0; l && i < l->n; i++)
        for (size_t k = 0; k < l->items[i].n; k++)
            for (size_t j = 0; j < l->items[i].parts[k].n; j++) {
                const struct css_simple *s = &l->items[i].parts[k].simples[j];
                if (s->kind == CSS_PSEUDO && s->pseudo >= CSS_P_HAS_TEXT)
                    return 1;
                if (list_uses_playwright(s->sub))
                    return 1;
            }
    return 0;
}

int css_uses_playwright(const struct css_list *l)
{
    return list_uses_playwright(l);
}

void css_put_ident(struct text_buf *b, const char *s)
{
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        int first = i == 0, second_after_dash = i == 1 && s[0] == '-';
        if (isdigit(c) && (first || second_after_dash)) {
            text_buf_printf(b, "\\%x ", c);
        } else if (first && c == '-' && s[1] == '\0') {
            text_buf_puts(b, "\\-");
        } else if (c < 0x20 || c == 0x7f) {
            text_buf_printf(b, "\\%x ", c);
        } else if (is_name_char(c)) {
            text_buf_putc(b, (char)c);
        } else {
            text_buf_putc(b, '\\');
            text_buf_putc(b, (char)c);
        }
    }
}

void css_put_string(struct text_buf *b, const char *s)
{
    text_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            text_buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            text_buf_printf(b, "\\%x ", c);
        else
            text_buf_putc(b, (char)c);
    }
    text_buf_putc(b, '"');
}
