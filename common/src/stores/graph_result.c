/* Reads FalkorDB's non-compact GRAPH.QUERY reply (header, rows, statistics) into typed cells, nodes,
 * edges and statistics, and the accessors over the result; see argus/graph.h. */
#include "argus/stores/graph.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int is_text(const redisReply *r)
{
    return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

/* [key, value] pairs as FalkorDB sends nodes, edges and their properties. */
static const redisReply *pair_value(const redisReply *entity, const char *key)
{
    for (size_t i = 0; i < entity->elements; i++) {
        const redisReply *p = entity->element[i];
        if (p->type == REDIS_REPLY_ARRAY && p->elements == 2 && is_text(p->element[0]) &&
            strcmp(p->element[0]->str, key) == 0)
            return p->element[1];
    }
    return NULL;
}

static int all_pairs(const redisReply *r)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0)
        return 0;
    for (size_t i = 0; i < r->elements; i++) {
        const redisReply *p = r->element[i];
        if (p->type != REDIS_REPLY_ARRAY || p->elements != 2 || !is_text(p->element[0]))
            return 0;
    }
    return 1;
}

static void read_scalar(const redisReply *r, struct argus_graph_value *v)
{
    v->raw = r;
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
        v->type = ARGUS_GRAPH_STRING;
        v->str = r->str;
        v->len = r->len;
        break;
    case REDIS_REPLY_INTEGER:
        v->type = ARGUS_GRAPH_INTEGER;
        v->integer = r->integer;
        break;
    case REDIS_REPLY_NIL:
        v->type = ARGUS_GRAPH_NULL;
        break;
    default:
        v->type = ARGUS_GRAPH_OTHER;
        break;
    }
}

static int read_props(const redisReply *list, struct argus_graph_value *v)
{
    if (!list || list->type != REDIS_REPLY_ARRAY || list->elements == 0)
        return 0;
    v->props = calloc(list->elements, sizeof *v->props);
    if (!v->props)
        return -1;
    for (size_t i = 0; i < list->elements; i++) {
        const redisReply *p = list->element[i];
        if (p->type != REDIS_REPLY_ARRAY || p->elements != 2 || !is_text(p->element[0]))
            continue;
        struct argus_graph_prop *prop = &v->props[v->nprops++];
        prop->key = p->element[0]->str;
        read_scalar(p->element[1], &prop->value);
    }
    return 0;
}

static int read_node(const redisReply *r, struct argus_graph_value *v)
{
    const redisReply *id = pair_value(r, "id");
    const redisReply *labels = pair_value(r, "labels");
    v->type = ARGUS_GRAPH_NODE;
    v->integer = id && id->type == REDIS_REPLY_INTEGER ? id->integer : -1;
    if (labels && labels->type == REDIS_REPLY_ARRAY && labels->elements) {
        v->labels = calloc(labels->elements, sizeof *v->labels);
        if (!v->labels)
            return -1;
        for (size_t i = 0; i < labels->elements; i++)
            if (is_text(labels->element[i]))
                v->labels[v->nlabels++] = labels->element[i]->str;
    }
    return read_props(pair_value(r, "properties"), v);
}

static int read_edge(const redisReply *r, struct argus_graph_value *v)
{
    const redisReply *id = pair_value(r, "id");
    const redisReply *type = pair_value(r, "type");
    const redisReply *src = pair_value(r, "src_node");
    const redisReply *dst = pair_value(r, "dest_node");
    v->type = ARGUS_GRAPH_EDGE;
    v->integer = id && id->type == REDIS_REPLY_INTEGER ? id->integer : -1;
    if (is_text(type)) {
        v->str = type->str;
        v->len = type->len;
    }
    v->src = src && src->type == REDIS_REPLY_INTEGER ? src->integer : -1;
    v->dst = dst && dst->type == REDIS_REPLY_INTEGER ? dst->integer : -1;
    return read_props(pair_value(r, "properties"), v);
}

static int read_cell(const redisReply *r, struct argus_graph_value *v)
{
    read_scalar(r, v);
    if (r->type != REDIS_REPLY_ARRAY || !all_pairs(r))
        return 0;
    if (pair_value(r, "labels"))
        return read_node(r, v);
    if (pair_value(r, "src_node") && pair_value(r, "type"))
        return read_edge(r, v);
    return 0;
}

static int name_is(const char *line, size_t name_len, const char *name)
{
    return strlen(name) == name_len && strncmp(line, name, name_len) == 0;
}

/* "Nodes created: 2", "Query internal execution time: 0.25 milliseconds", ... */
static void read_stats(const redisReply *list, struct argus_graph_stats *s)
{
    static const struct {
        const char *name;
        size_t offset;
    } counters[] = {
        {"Labels added", offsetof(struct argus_graph_stats, labels_added)},
        {"Labels removed", offsetof(struct argus_graph_stats, labels_removed)},
        {"Nodes created", offsetof(struct argus_graph_stats, nodes_created)},
        {"Nodes deleted", offsetof(struct argus_graph_stats, nodes_deleted)},
        {"Relationships created", offsetof(struct argus_graph_stats, relationships_created)},
        {"Relationships deleted", offsetof(struct argus_graph_stats, relationships_deleted)},
        {"Properties set", offsetof(struct argus_graph_stats, properties_set)},
        {"Properties removed", offsetof(struct argus_graph_stats, properties_removed)},
        {"Indices created", offsetof(struct argus_graph_stats, indices_created)},
        {"Indices deleted", offsetof(struct argus_graph_stats, indices_deleted)},
    };
    for (size_t i = 0; i < list->elements; i++) {
        const redisReply *line = list->element[i];
        if (!is_text(line))
            continue;
        const char *colon = strstr(line->str, ": ");
        if (!colon)
            continue;
        size_t name_len = (size_t)(colon - line->str);
        const char *value = colon + 2;
        for (size_t c = 0; c < sizeof counters / sizeof counters[0]; c++) {
            if (name_is(line->str, name_len, counters[c].name))
                *(long long *)((char *)s + counters[c].offset) = strtoll(value, NULL, 10);
        }
        if (name_is(line->str, name_len, "Query internal execution time"))
            s->exec_ms = strtod(value, NULL);
        else if (name_is(line->str, name_len, "Cached execution"))
            s->cached = strtol(value, NULL, 10) != 0;
    }
}

static int fail_shape(struct argus_graph_result *out, struct argus_result *res, const char *what)
{
    argus_graph_result_free(out);
    argus_reject(res, ARGUS_ERR_GRAPH, "falkordb: unexpected reply: %s", what);
    return -1;
}

static int read_header(const redisReply *header, struct argus_graph_result *out)
{
    out->ncols = header->elements;
    if (out->ncols == 0)
        return 0;
    out->columns = calloc(out->ncols, sizeof *out->columns);
    if (!out->columns)
        return -1;
    for (size_t c = 0; c < out->ncols; c++) {
        const redisReply *h = header->element[c];
        /* compact headers are [column type, name]; plain ones are the name */
        if (h->type == REDIS_REPLY_ARRAY && h->elements == 2)
            h = h->element[1];
        out->columns[c] = is_text(h) ? h->str : "";
    }
    return 0;
}

static int read_rows(const redisReply *rows, struct argus_graph_result *out)
{
    if (rows->elements == 0 || out->ncols == 0)
        return 0;
    out->cells = calloc(rows->elements * out->ncols, sizeof *out->cells);
    if (!out->cells)
        return -1;
    out->nrows = rows->elements;
    for (size_t i = 0; i < rows->elements; i++) {
        const redisReply *row = rows->element[i];
        if (row->type != REDIS_REPLY_ARRAY || row->elements != out->ncols)
            return -2;
        for (size_t c = 0; c < out->ncols; c++)
            if (read_cell(row->element[c], &out->cells[i * out->ncols + c]) != 0)
                return -1;
    }
    return 0;
}

int argus_graph_result_parse(redisReply *reply, struct argus_graph_result *out, struct argus_result *res)
{
    memset(out, 0, sizeof *out);
    out->reply = reply;
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements == 0)
        return fail_shape(out, res, "not a non-empty array");
    for (size_t i = 0; i < reply->elements; i++) {
        if (reply->element[i]->type == REDIS_REPLY_ERROR) {
            /* a run-time error after the header: the query failed */
            argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH, reply->element[i]->str, res);
            argus_graph_result_free(out);
            return -1;
        }
    }
    const redisReply *stats = reply->element[reply->elements - 1];
    if (reply->elements == 3) {
        const redisReply *header = reply->element[0], *rows = reply->element[1];
        if (header->type != REDIS_REPLY_ARRAY || rows->type != REDIS_REPLY_ARRAY)
            return fail_shape(out, res, "header or rows not arrays");
        if (read_header(header, out) != 0)
            return fail_shape(out, res, "out of memory");
        int rc = read_rows(rows, out);
        if (rc != 0)
            return fail_shape(out, res, rc == -2 ? "row width differs from the header" : "out of memory");
    } else if (reply->elements != 1) {
        return fail_shape(out, res, "neither 1 nor 3 elements");
    }
    if (stats->type != REDIS_REPLY_ARRAY)
        return fail_shape(out, res, "statistics not an array");
    read_stats(stats, &out->stats);
    argus_result_ok(res);
    return 0;
}

void argus_graph_result_free(struct argus_graph_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->cells && i < r->nrows * r->ncols; i++) {
        free(r->cells[i].labels);
        free(r->cells[i].props);
    }
    free(r->cells);
    free(r->columns);
    if (r->reply)
        freeReplyObject(r->reply);
    memset(r, 0, sizeof *r);
}

const struct argus_graph_value *argus_graph_cell(const struct argus_graph_result *r, size_t row, size_t col)
{
    if (!r || row >= r->nrows || col >= r->ncols)
        return NULL;
    return &r->cells[row * r->ncols + col];
}

long argus_graph_column(const struct argus_graph_result *r, const char *name)
{
    for (size_t c = 0; r && c < r->ncols; c++)
        if (strcmp(r->columns[c], name) == 0)
            return (long)c;
    return -1;
}

const struct argus_graph_value *argus_graph_prop(const struct argus_graph_value *entity, const char *key)
{
    if (!entity || (entity->type != ARGUS_GRAPH_NODE && entity->type != ARGUS_GRAPH_EDGE))
        return NULL;
    for (size_t i = 0; i < entity->nprops; i++)
        if (strcmp(entity->props[i].key, key) == 0)
            return &entity->props[i].value;
    return NULL;
}

int argus_graph_value_double(const struct argus_graph_value *v, double *out)
{
    if (!v)
        return -1;
    if (v->type == ARGUS_GRAPH_INTEGER) {
        *out = (double)v->integer;
        return 0;
    }
    if (v->type != ARGUS_GRAPH_STRING || v->len == 0)
        return -1;
    char *end = NULL;
    errno = 0;
    double d = strtod(v->str, &end);
    if (end != v->str + v->len || (errno == ERANGE && d != 0))
        return -1;
    *out = d;
    return 0;
}

int argus_graph_value_bool(const struct argus_graph_value *v, bool *out)
{
    if (!v || v->type != ARGUS_GRAPH_STRING)
        return -1;
    if (strcmp(v->str, "true") == 0)
        *out = true;
    else if (strcmp(v->str, "false") == 0)
        *out = false;
    else
        return -1;
    return 0;
}
