/* Table-driven loading of settings from the environment; see argus/config.h. */
#include "argus/base/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *trim_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

void argus_strlist_free(struct argus_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int argus_strlist_split(struct argus_strlist *l, const char *csv)
{
    l->items = NULL;
    l->n = 0;
    if (!csv)
        return 0;
    const char *p = csv;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *item = trim_dup(p, n);
        if (!item)
            goto oom;
        if (*item) {
            char **grown = realloc(l->items, (l->n + 1) * sizeof *grown);
            if (!grown) {
                free(item);
                goto oom;
            }
            l->items = grown;
            l->items[l->n++] = item;
        } else {
            free(item);
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
oom:
    argus_strlist_free(l);
    return -1;
}

static int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i])) { *out = true; return 0; }
        if (!strcasecmp(s, no[i])) { *out = false; return 0; }
    }
    return -1;
}

static const char *raw_value(const struct argus_env_var *v)
{
    const char *s = getenv(v->name);
    if ((!s || !*s) && v->alias)
        s = getenv(v->alias);
    if (!s || !*s)
        s = v->def;
    return s ? s : "";
}

static void choices_text(const struct argus_env_var *v, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; v->choices && v->choices[i]; i++) {
        int w = snprintf(out + used, n - used, "%s%s", i ? "|" : "", v->choices[i]);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

static int load_one(const struct argus_env_var *v, void *base, char *err, size_t errlen)
{
    const char *s = raw_value(v);
    void *field = (char *)base + v->offset;
    const char *shown = (v->flags & ARGUS_ENV_SECRET) ? "<secret>" : s;

    if ((v->flags & ARGUS_ENV_REQUIRED) && !*s) {
        snprintf(err, errlen, "%s: must be set", v->name);
        return -1;
    }
    switch (v->type) {
    case ARGUS_ENV_STRING: {
        char *copy = strdup(s);
        if (!copy) {
            snprintf(err, errlen, "%s: out of memory", v->name);
            return -1;
        }
        *(char **)field = copy;
        return 0;
    }
    case ARGUS_ENV_INT: {
        char *end = NULL;
        errno = 0;
        long n = strtol(s, &end, 10);
        if (!*s || errno || !end || *end) {
            snprintf(err, errlen, "%s=%s: not an integer (expected %ld..%ld)", v->name, shown, v->min, v->max);
            return -1;
        }
        if (n < v->min || n > v->max || n > INT_MAX || n < INT_MIN) {
            snprintf(err, errlen, "%s=%s: out of range (expected %ld..%ld)", v->name, shown, v->min, v->max);
            return -1;
        }
        *(int *)field = (int)n;
        return 0;
    }
    case ARGUS_ENV_BOOL:
        if (parse_bool(s, (bool *)field) != 0) {
            snprintf(err, errlen, "%s=%s: not a boolean (expected true|false)", v->name, shown);
            return -1;
        }
        return 0;
    case ARGUS_ENV_CHOICE:
        for (size_t i = 0; v->choices && v->choices[i]; i++) {
            if (!strcasecmp(s, v->choices[i])) {
                *(char **)field = strdup(v->choices[i]);
                if (!*(char **)field) {
                    snprintf(err, errlen, "%s: out of memory", v->name);
                    return -1;
                }
                return 0;
            }
        }
        {
            char list[256];
            choices_text(v, list, sizeof list);
            snprintf(err, errlen, "%s=%s: not one of %s", v->name, shown, list);
        }
        return -1;
    case ARGUS_ENV_LIST:
        if (argus_strlist_split((struct argus_strlist *)field, s) != 0) {
            snprintf(err, errlen, "%s: out of memory", v->name);
            return -1;
        }
        if ((v->flags & ARGUS_ENV_REQUIRED) && ((struct argus_strlist *)field)->n == 0) {
            snprintf(err, errlen, "%s=%s: needs at least one item", v->name, shown);
            return -1;
        }
        return 0;
    }
    snprintf(err, errlen, "%s: unknown setting type", v->name);
    return -1;
}

int argus_env_load(const struct argus_env_var *table, void *base, char *err, size_t errlen)
{
    for (const struct argus_env_var *v = table; v->name; v++) {
        if (load_one(v, base, err, errlen) != 0) {
            argus_env_free(table, base);
            return -1;
        }
    }
    return 0;
}

void argus_env_free(const struct argus_env_var *table, void *base)
{
    for (const struct argus_env_var *v = table; v->name; v++) {
        void *field = (char *)base + v->offset;
        if (v->type == ARGUS_ENV_STRING || v->type == ARGUS_ENV_CHOICE) {
            free(*(char **)field);
            *(char **)field = NULL;
        } else if (v->type == ARGUS_ENV_LIST) {
            argus_strlist_free((struct argus_strlist *)field);
        }
    }
}

void argus_env_print_help(FILE *out, const struct argus_env_var *table)
{
    for (const struct argus_env_var *v = table; v->name; v++) {
        char extra[300] = "";
        if (v->type == ARGUS_ENV_INT)
            snprintf(extra, sizeof extra, " (%ld..%ld)", v->min, v->max);
        else if (v->type == ARGUS_ENV_CHOICE) {
            char list[256];
            choices_text(v, list, sizeof list);
            snprintf(extra, sizeof extra, " (%s)", list);
        }
        const char *def = v->def && *v->def ? v->def : "";
        if (v->flags & ARGUS_ENV_SECRET)
            def = *def ? "<built-in dev value>" : "";
        fprintf(out, "  %-30s %s%s\n", v->name, v->help ? v->help : "", extra);
        if (*def)
            fprintf(out, "  %-30s default: %s\n", "", def);
        if (v->alias)
            fprintf(out, "  %-30s also read as %s\n", "", v->alias);
    }
}

void argus_env_print_values(FILE *out, const struct argus_env_var *table, const void *base)
{
    for (const struct argus_env_var *v = table; v->name; v++) {
        const void *field = (const char *)base + v->offset;
        fprintf(out, "%s=", v->name);
        if (v->flags & ARGUS_ENV_SECRET) {
            const char *s = *(char *const *)field;
            fputs(s && *s ? "<set>" : "<unset>", out);
        } else {
            switch (v->type) {
            case ARGUS_ENV_STRING:
            case ARGUS_ENV_CHOICE:
                fputs(*(char *const *)field ? *(char *const *)field : "", out);
                break;
            case ARGUS_ENV_INT:
                fprintf(out, "%d", *(const int *)field);
                break;
            case ARGUS_ENV_BOOL:
                fputs(*(const bool *)field ? "true" : "false", out);
                break;
            case ARGUS_ENV_LIST: {
                const struct argus_strlist *l = field;
                for (size_t i = 0; i < l->n; i++)
                    fprintf(out, "%s%s", i ? "," : "", l->items[i]);
                break;
            }
            }
        }
        fputc('\n', out);
    }
}
