/* Generated names (see generated.h): small hand-written matchers, no regex engine. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generated.h"

static int all(const char *s, int (*pred)(int))
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!pred((unsigned char)*s))
            return 0;
    return 1;
}

static int is_hashlike(const char *s, size_t n)
{
    size_t digits = 0, upper = 0, lower = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c))
            digits++;
        else if (isupper(c))
            upper++;
        else if (islower(c))
            lower++;
        else if (c != '_' && c != '-')
            return 0;
    }
    /* a hash mixes digits with letters, or cases in a way words do not */
    return n >= 5 && ((digits && digits < n && (lower || upper)) || (upper >= 2 && lower >= 2 && n <= 8));
}

static int prefixed(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t trailing_digits(const char *s)
{
    size_t n = strlen(s), k = 0;
    while (k < n && isdigit((unsigned char)s[n - 1 - k]))
        k++;
    return k;
}

/* styled-components hashes (kXyZab, bZkfAO) split at capitals into one-letter pieces; camelCase
 * words (myNavBar) into pieces of two letters or more. */
static int looks_like_case_hash(const char *s)
{
    int upper = 0, short_piece = 0;
    size_t piece = 0;
    for (size_t i = 0;; i++) {
        if (!s[i] || (i && isupper((unsigned char)s[i]))) {
            if (piece == 1)
                short_piece = 1;
            piece = 0;
        }
        if (!s[i])
            break;
        upper += isupper((unsigned char)s[i]) != 0;
        piece++;
    }
    return upper >= 2 && short_piece;
}

/* Tailwind's colour scale (bg-blue-500) ends in digits but is a stable utility. */
static int colour_scale(const char *s, size_t digits)
{
    size_t n = strlen(s);
    if (digits < 2 || digits > 3)
        return 0;
    int v = atoi(s + n - digits);
    return v == 50 || v == 950 || (v % 100 == 0 && v >= 100 && v <= 900);
}

static const char *css_module_hash(const char *cls)
{
    const char *dd = strstr(cls, "__");
    if (!dd || dd == cls || !strchr(cls, '_') || strchr(cls, '_') == dd)
        return NULL;
    const char *hash = dd + 2;
    size_t n = strlen(hash);
    if (n < 5 || n > 12)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)hash[i]) && hash[i] != '-' && hash[i] != '_')
            return NULL;
    return hash;
}

int gen_class_is_generated(const char *c)
{
    size_t n = strlen(c);
    if (!n)
        return 1;
    if (css_module_hash(c))
        return 1;
    if (prefixed(c, "sc-") || prefixed(c, "css-") || prefixed(c, "jsx-") || prefixed(c, "svelte-") ||
        prefixed(c, "ng-tns-") || prefixed(c, "emotion-") || prefixed(c, "makeStyles-") || prefixed(c, "jss"))
        return prefixed(c, "jss") ? all(c + 3, isdigit) || prefixed(c, "jss-") : 1;
    if (n >= 5 && n <= 8 && all(c, isalpha) && looks_like_case_hash(c))
        return 1;                                   /* styled-components: kXyZab */
    if (c[0] == 'x' && n >= 6 && n <= 9 && is_hashlike(c + 1, n - 1))
        return 1;                                   /* atomic CSS: x1n2onr6 */
    if (trailing_digits(c) >= 3 && strchr(c, '-') && !colour_scale(c, trailing_digits(c)))
        return 1;                                   /* makeStyles-root-123, Mui-xyz-1234 */
    const char *dash = strrchr(c, '-');
    if (dash && is_hashlike(dash + 1, strlen(dash + 1)) && strlen(dash + 1) >= 5)
        return 1;                                   /* Button-3xK9a */
    return 0;
}

int gen_class_is_state(const char *c)
{
    static const char *const states[] = { "active", "is-active", "selected", "is-selected", "focus", "focused",
                                          "hover", "open", "is-open", "show", "showing", "collapsed", "collapse",
                                          "expanded", "visible", "hidden", "current", "checked", "loading",
                                          "ng-star-inserted", "ng-untouched", "ng-touched", "ng-pristine",
                                          "ng-dirty", "ng-valid", "ng-invalid", "ng-pending", "mat-focused",
                                          "cdk-focused", "cdk-mouse-focused", "cdk-keyboard-focused", "in",
                                          "fade", "router-link-active", "router-link-exact-active", NULL };
    for (size_t i = 0; states[i]; i++)
        if (!strcmp(c, states[i]))
            return 1;
    return 0;
}

int gen_id_is_generated(const char *id)
{
    size_t n = strlen(id);
    if (!n)
        return 1;
    if (id[0] == ':' || strstr(id, ":r") || strstr(id, ":R") || strstr(id, "\xc2\xab"))
        return 1;                                   /* React useId :r5: / «r0» */
    if (prefixed(id, "ember") && all(id + 5, isdigit))
        return 1;
    if (prefixed(id, "mat-") || prefixed(id, "cdk-") || prefixed(id, "react-select-") ||
        prefixed(id, "headlessui-") || prefixed(id, "radix-") || prefixed(id, "downshift-") ||
        prefixed(id, "ext-gen") || prefixed(id, "gwt-uid-") || prefixed(id, "j_idt") || prefixed(id, "yui_") ||
        prefixed(id, "rc-") || prefixed(id, "el-id-") || prefixed(id, "__next"))
        return trailing_digits(id) > 0 || strchr(id, ':') || prefixed(id, "radix-") || prefixed(id, "headlessui-");
    if (n >= 32 && strchr(id, '-')) {
        size_t hex = 0;
        for (size_t i = 0; i < n; i++)
            hex += isxdigit((unsigned char)id[i]) != 0;
        if (hex >= 28)
            return 1;                               /* uuid */
    }
    if (trailing_digits(id) >= 3)
        return 1;                                   /* input-1734, field_0042 */
    if (gen_class_is_generated(id))
        return 1;
    return 0;
}

int gen_attr_is_generated(const char *name)
{
    return prefixed(name, "_ngcontent-") || prefixed(name, "_nghost-") || prefixed(name, "data-v-") ||
           prefixed(name, "ng-reflect-") || !strcmp(name, "data-reactid") || !strcmp(name, "data-reactroot") ||
           prefixed(name, "data-svelte-h") || !strcmp(name, "data-emotion") || !strcmp(name, "data-styled");
}

int gen_value_is_generated(const char *v)
{
    return gen_id_is_generated(v);
}

int gen_class_stem(const char *c, char *out, size_t outlen)
{
    const char *hash = css_module_hash(c);
    if (hash) {
        snprintf(out, outlen, "%.*s", (int)(hash - 2 - c), c);
        return out[0] != '\0';
    }
    if (prefixed(c, "css-")) {
        const char *label = strchr(c + 4, '-');
        if (label && label[1]) {
            snprintf(out, outlen, "%s", label + 1);
            return 1;
        }
    }
    if (prefixed(c, "makeStyles-")) {
        const char *end = strrchr(c, '-');
        if (end && end > c + 11) {
            snprintf(out, outlen, "%.*s", (int)(end - (c + 11)), c + 11);
            return 1;
        }
    }
    return 0;
}
