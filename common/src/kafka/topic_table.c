/* Parser of the topic table (config/topics.tsv); see argus/topic_table.h. */
#include "argus/kafka/topic_table.h"
#include "argus/base/buf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_number(const char *tok, long long min, long long *out)
{
    if (!strcmp(tok, "-")) {
        *out = 0;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long long v = strtoll(tok, &end, 10);
    if (errno || !end || *end || v < min)
        return -1;
    *out = v;
    return 0;
}

static int valid_topic_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 249 || !strcmp(s, ".") || !strcmp(s, ".."))
        return 0;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
            return 0;
    return 1;
}

static int parse_line(char *line, struct argus_topic_spec *spec, char *why, size_t whylen)
{
    char *save = NULL;
    char *name = strtok_r(line, " \t", &save);
    char *parts = strtok_r(NULL, " \t", &save);
    char *retention = strtok_r(NULL, " \t", &save);
    char *max_bytes = strtok_r(NULL, " \t", &save);
    char *desc = strtok_r(NULL, "", &save);
    long long v;

    memset(spec, 0, sizeof *spec);
    if (!name || !parts || !retention || !max_bytes) {
        snprintf(why, whylen, "expected: name partitions retention.ms max.message.bytes [description]");
        return -1;
    }
    if (!valid_topic_name(name)) {
        snprintf(why, whylen, "invalid topic name '%s'", name);
        return -1;
    }
    snprintf(spec->name, sizeof spec->name, "%s", name);
    if (parse_number(parts, 1, &v) || v < 1 || v > 10000) {
        snprintf(why, whylen, "%s: partitions '%s' is not 1..10000", name, parts);
        return -1;
    }
    spec->partitions = (int)v;
    if (parse_number(retention, -1, &spec->retention_ms)) {
        snprintf(why, whylen, "%s: retention.ms '%s' is not a number >= -1", name, retention);
        return -1;
    }
    if (parse_number(max_bytes, 0, &spec->max_message_bytes)) {
        snprintf(why, whylen, "%s: max.message.bytes '%s' is not a number >= 0", name, max_bytes);
        return -1;
    }
    if (desc) {
        while (isspace((unsigned char)*desc))
            desc++;
        snprintf(spec->description, sizeof spec->description, "%s", desc);
    }
    return 0;
}

int argus_topic_table_parse(const char *text, const char *origin, struct argus_topic_table *t, char *err,
                            size_t errlen)
{
    t->topics = NULL;
    t->n = 0;
    int lineno = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        char *line = strndup(p, n);
        if (!line)
            goto oom;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        size_t len = strlen(line);
        while (len && isspace((unsigned char)line[len - 1]))
            line[--len] = '\0';
        char *start = line;
        while (isspace((unsigned char)*start))
            start++;
        if (*start) {
            struct argus_topic_spec spec;
            char why[256];
            if (parse_line(start, &spec, why, sizeof why) != 0) {
                snprintf(err, errlen, "%s:%d: %s", origin, lineno, why);
                free(line);
                argus_topic_table_free(t);
                return -1;
            }
            if (argus_topic_table_find(t, spec.name)) {
                snprintf(err, errlen, "%s:%d: topic %s listed twice", origin, lineno, spec.name);
                free(line);
                argus_topic_table_free(t);
                return -1;
            }
            struct argus_topic_spec *grown = realloc(t->topics, (t->n + 1) * sizeof *grown);
            if (!grown) {
                free(line);
                goto oom;
            }
            t->topics = grown;
            t->topics[t->n++] = spec;
        }
        free(line);
        p += n;
        if (*p == '\n')
            p++;
    }
    return 0;
oom:
    snprintf(err, errlen, "%s: out of memory", origin);
    argus_topic_table_free(t);
    return -1;
}

int argus_topic_table_load(const char *path, struct argus_topic_table *t, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct argus_buf b = ARGUS_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        argus_buf_append(&b, chunk, n);
    int read_error = ferror(f);
    fclose(f);
    if (read_error || b.oom) {
        snprintf(err, errlen, "%s: read error", path);
        argus_buf_free(&b);
        return -1;
    }
    int rc = argus_topic_table_parse(argus_buf_str(&b), path, t, err, errlen);
    argus_buf_free(&b);
    return rc;
}

const struct argus_topic_spec *argus_topic_table_find(const struct argus_topic_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->topics[i].name, name))
            return &t->topics[i];
    return NULL;
}

void argus_topic_table_free(struct argus_topic_table *t)
{
    free(t->topics);
    t->topics = NULL;
    t->n = 0;
}
