/* Query results as aligned text or JSON lines; see query_format.h. Replies come in FalkorDB's
 * non-compact form (graph.h): integers as integers, floats and booleans as text, null as nil. */
#include "query_format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/timeutil.h"

/* Characters (not bytes) of a UTF-8 string: continuation bytes do not count. */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

static int number_text(const struct argus_graph_value *v, double *d)
{
    return argus_graph_value_double(v, d) == 0 && isfinite(*d) ? 0 : -1;
}

static void time_text(struct argus_buf *out, const struct argus_graph_value *v)
{
    double ms;
    char iso[40];
    if (number_text(v, &ms) != 0) {
        argus_buf_append(out, v->str ? v->str : "?", v->str ? v->len : 1);
        return;
    }
    if (fabs(ms) > 1e15) { /* beyond year 33000: not a time this worker wrote; show the number */
        argus_buf_printf(out, "%.0f", ms);
        return;
    }
    argus_format_iso8601_ms((int64_t)ms * 1000, iso, sizeof iso);
    argus_buf_puts(out, iso);
}

void cognee_format_cell_text(struct argus_buf *out, const struct argus_graph_value *v,
                             enum cognee_column_format format)
{
    double d;
    switch (v->type) {
    case ARGUS_GRAPH_NULL:
        argus_buf_putc(out, '-');
        return;
    case ARGUS_GRAPH_INTEGER:
        if (format == COGNEE_COL_TIME_MS)
            time_text(out, v);
        else
            argus_buf_printf(out, "%lld", v->integer);
        return;
    case ARGUS_GRAPH_STRING:
        if (format == COGNEE_COL_TIME_MS)
            time_text(out, v);
        else if (format == COGNEE_COL_NUMBER && number_text(v, &d) == 0)
            argus_buf_printf(out, "%.4g", d);
        else
            argus_buf_append(out, v->str, v->len);
        return;
    case ARGUS_GRAPH_NODE:
    case ARGUS_GRAPH_EDGE:
        argus_buf_printf(out, "<%s %lld>", v->type == ARGUS_GRAPH_NODE ? "node" : "edge", v->integer);
        return;
    default:
        argus_buf_puts(out, "?");
        return;
    }
}

/* The cell as one line of at most COGNEE_TEXT_CELL_MAX characters: control characters become spaces. */
static char *cell_line(const struct argus_graph_value *v, enum cognee_column_format format)
{
    struct argus_buf b = ARGUS_BUF_INIT;
    cognee_format_cell_text(&b, v, format);
    char *s = argus_buf_steal(&b);
    if (!s)
        return NULL;
    size_t chars = 0, i = 0, cut = 0;
    for (; s[i]; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            s[i] = ' ';
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars == COGNEE_TEXT_CELL_MAX - 2)
            cut = i;
    }
    if (chars > COGNEE_TEXT_CELL_MAX)
        memcpy(s + cut, "...", 4);
    return s;
}

static void json_cell(struct argus_buf *out, const struct argus_graph_value *v, enum cognee_column_format format)
{
    double d;
    bool flag;
    switch (v->type) {
    case ARGUS_GRAPH_NULL:
        argus_buf_puts(out, "null");
        return;
    case ARGUS_GRAPH_INTEGER:
        argus_buf_printf(out, "%lld", v->integer);
        return;
    case ARGUS_GRAPH_STRING:
        if ((format == COGNEE_COL_NUMBER || format == COGNEE_COL_TIME_MS) && number_text(v, &d) == 0) {
            argus_buf_printf(out, "%.15g", d); /* the server's own precision */
            return;
        }
        if (format == COGNEE_COL_BOOL && argus_graph_value_bool(v, &flag) == 0) {
            argus_buf_puts(out, flag ? "true" : "false");
            return;
        }
        argus_buf_putc(out, '"');
        argus_buf_json_escape(out, v->str, v->len);
        argus_buf_putc(out, '"');
        return;
    default: {
        struct argus_buf t = ARGUS_BUF_INIT;
        cognee_format_cell_text(&t, v, format);
        argus_buf_putc(out, '"');
        argus_buf_json_escape(out, argus_buf_str(&t), t.len);
        argus_buf_putc(out, '"');
        argus_buf_free(&t);
        return;
    }
    }
}

static enum cognee_column_format column_format(const struct cognee_query *q, const struct argus_graph_result *r,
                                               size_t col)
{
    return q ? cognee_query_column_format(q, r->columns[col]) : COGNEE_COL_TEXT;
}

static void format_json(struct argus_buf *out, const struct cognee_query *q, const struct argus_graph_result *r,
                        size_t nrows)
{
    for (size_t row = 0; row < nrows; row++) {
        argus_buf_putc(out, '{');
        for (size_t c = 0; c < r->ncols; c++) {
            argus_buf_puts(out, c ? ",\"" : "\"");
            argus_buf_json_escape(out, r->columns[c], strlen(r->columns[c]));
            argus_buf_puts(out, "\":");
            json_cell(out, argus_graph_cell(r, row, c), column_format(q, r, c));
        }
        argus_buf_puts(out, "}\n");
    }
}

static void pad(struct argus_buf *out, size_t n)
{
    while (n--)
        argus_buf_putc(out, ' ');
}

static void format_text(struct argus_buf *out, const struct cognee_query *q, const struct argus_graph_result *r,
                        size_t nrows)
{
    size_t ncells = nrows * r->ncols;
    char **cells = calloc(ncells ? ncells : 1, sizeof *cells);
    size_t *width = calloc(r->ncols ? r->ncols : 1, sizeof *width);
    if (!cells || !width) {
        out->oom = 1;
        free(cells);
        free(width);
        return;
    }
    for (size_t c = 0; c < r->ncols; c++)
        width[c] = utf8_chars(r->columns[c], strlen(r->columns[c]));
    for (size_t row = 0; row < nrows; row++)
        for (size_t c = 0; c < r->ncols; c++) {
            char *s = cell_line(argus_graph_cell(r, row, c), column_format(q, r, c));
            cells[row * r->ncols + c] = s;
            size_t w = s ? utf8_chars(s, strlen(s)) : 0;
            if (w > width[c])
                width[c] = w;
        }
    for (size_t row = 0; row <= nrows; row++) {
        for (size_t c = 0; c < r->ncols; c++) {
            const char *s = row == 0 ? r->columns[c] : cells[(row - 1) * r->ncols + c];
            if (!s)
                s = "";
            argus_buf_puts(out, s);
            if (c + 1 < r->ncols)
                pad(out, width[c] - utf8_chars(s, strlen(s)) + 2);
        }
        argus_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < ncells; i++)
        free(cells[i]);
    free(cells);
    free(width);
}

void cognee_format_result(struct argus_buf *out, const struct cognee_query *q, const struct argus_graph_result *r,
                          size_t nrows, int json)
{
    if (nrows > r->nrows)
        nrows = r->nrows;
    if (json)
        format_json(out, q, r, nrows);
    else
        format_text(out, q, r, nrows);
}
