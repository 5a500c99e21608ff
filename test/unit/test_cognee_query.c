/* Unit tests of argus-cognee-query's query table and output: the committed docs/knowledge-graph.md
 * holds exactly the reference generated from the table (so documented Cypher = running Cypher), every
 * query's parameters and columns are the ones its Cypher uses, every query is read-only, and results
 * render as aligned text and JSON lines. Run from the repository root (scripts/run-tests does), or set
 * COGNEE_DOC to the document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/buf.h"
#include "argus/stores/graph.h"
#include "query_format.h"
#include "query_table.h"

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repository root or set COGNEE_DOC)", path);
    struct argus_buf b = ARGUS_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        argus_buf_append(&b, chunk, n);
    fclose(f);
    return argus_buf_steal(&b);
}

/* The document's generated section, marker lines included. */
static char *doc_section(const char *doc)
{
    const char *begin = strstr(doc, COGNEE_QUERY_DOC_BEGIN);
    const char *end = begin ? strstr(begin, COGNEE_QUERY_DOC_END) : NULL;
    if (!begin || !end)
        fail_msg("docs/knowledge-graph.md lacks the generated section markers (make cognee-query-doc)");
    end += strlen(COGNEE_QUERY_DOC_END);
    if (*end == '\n')
        end++;
    return strndup(begin, (size_t)(end - begin));
}

static void doc_equals_table(void **state)
{
    (void)state;
    const char *path = getenv("COGNEE_DOC") ? getenv("COGNEE_DOC") : "docs/knowledge-graph.md";
    char *doc = read_file(path);
    char *section = doc_section(doc);
    struct argus_buf gen = ARGUS_BUF_INIT;
    cognee_query_doc_markdown(&gen);
    if (strcmp(section, argus_buf_str(&gen)) != 0) {
        /* Name the first line that differs: the reader then knows which query drifted. */
        const char *a = section, *b = argus_buf_str(&gen);
        int line = 1;
        while (*a && *a == *b) {
            line += *a == '\n';
            a++;
            b++;
        }
        fail_msg("%s differs from query_table.c at line %d of the generated section: \"%.60s\" vs \"%.60s\" "
                 "(run make cognee-query-doc)",
                 path, line, a, b);
    }
    argus_buf_free(&gen);
    free(section);
    free(doc);
}

static int is_ident(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static int declares_param(const struct cognee_query *q, const char *name, size_t n)
{
    for (const struct cognee_query_param *p = q->params; p->name; p++)
        if (strlen(p->name) == n && strncmp(p->name, name, n) == 0)
            return 1;
    return 0;
}

/* Whole-word occurrence of word in s. */
static int has_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = s; (p = strstr(p, word)) != NULL; p++)
        if ((p == s || !is_ident(p[-1])) && !is_ident(p[n]))
            return 1;
    return 0;
}

/* Every $name the Cypher uses is a declared parameter and every declared one is used; every declared
 * column is returned; nothing writes. */
static void table_is_consistent(void **state)
{
    (void)state;
    size_t count = 0;
    for (const struct cognee_query *q = cognee_queries; q->name; q++, count++) {
        assert_non_null(q->summary);
        assert_ptr_equal(cognee_query_find(q->name), q);
        for (const char *p = q->cypher; (p = strchr(p, '$')) != NULL;) {
            const char *name = ++p;
            while (is_ident(*p))
                p++;
            if (!declares_param(q, name, (size_t)(p - name)))
                fail_msg("%s uses $%.*s, which it does not declare", q->name, (int)(p - name), name);
        }
        for (const struct cognee_query_param *p = q->params; p->name; p++) {
            char dollar[64];
            snprintf(dollar, sizeof dollar, "$%s", p->name);
            if (!strstr(q->cypher, dollar))
                fail_msg("%s declares $%s but never uses it", q->name, p->name);
            assert_non_null(p->meaning);
            assert_non_null(p->example);
        }
        const char *ret = strstr(q->cypher, "RETURN");
        const char *last = ret;
        while (last && (ret = strstr(last + 1, "RETURN")) != NULL)
            last = ret;
        assert_non_null(last);
        for (const struct cognee_query_column *c = q->columns; c->name; c++)
            if (!has_word(last, c->name))
                fail_msg("%s declares column %s that its last RETURN does not name", q->name, c->name);
        static const char *const writes[] = {"CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", NULL};
        for (size_t i = 0; writes[i]; i++)
            if (has_word(q->cypher, writes[i]))
                fail_msg("%s is not read-only: %s", q->name, writes[i]);
    }
    assert_int_equal(count, 9);
    assert_null(cognee_query_find("nope"));
    assert_int_equal(cognee_query_column_format(cognee_query_find("similar"), "at"), COGNEE_COL_TIME_MS);
    assert_int_equal(cognee_query_column_format(cognee_query_find("similar"), "unknown"), COGNEE_COL_TEXT);
}

/* A result made by hand, as argus_graph_result_parse would leave it. */
static const char *const columns[] = {"test", "at", "flip_rate", "same", "note"};

static struct argus_graph_value str_value(const char *s)
{
    struct argus_graph_value v = {.type = ARGUS_GRAPH_STRING, .str = s, .len = strlen(s)};
    return v;
}

static struct argus_graph_value int_value(long long i)
{
    struct argus_graph_value v = {.type = ARGUS_GRAPH_INTEGER, .integer = i};
    return v;
}

static const struct cognee_query_column fmt_columns[] = {
    {"at", COGNEE_COL_TIME_MS}, {"flip_rate", COGNEE_COL_NUMBER}, {"same", COGNEE_COL_BOOL}, {NULL, 0},
};
static const struct cognee_query fmt_query = {"fmt", "for tests", NULL, "RETURN 1", NULL, fmt_columns};

static void fill(struct argus_graph_result *r, struct argus_graph_value *cells)
{
    memset(r, 0, sizeof *r);
    r->ncols = 5;
    r->columns = (const char **)columns;
    r->nrows = 2;
    r->cells = cells;
    cells[0] = str_value("login > signs in");
    cells[1] = int_value(1769343060000LL);
    cells[2] = str_value("0.333333333333333");
    cells[3] = str_value("true");
    cells[4] = str_value("quote \" and\nnewline");
    cells[5] = str_value("Ünïcode ✓");
    cells[6] = int_value(0);
    cells[7] = str_value("1");
    cells[8] = str_value("false");
    cells[9].type = ARGUS_GRAPH_NULL;
}

static void text_output(void **state)
{
    (void)state;
    struct argus_graph_value cells[10];
    struct argus_graph_result r;
    fill(&r, cells);
    struct argus_buf out = ARGUS_BUF_INIT;
    cognee_format_result(&out, &fmt_query, &r, 10, 0);
    /* columns aligned by characters, not bytes; null as "-"; control characters as spaces */
    assert_string_equal(argus_buf_str(&out),
                        "test              at                        flip_rate  same   note\n"
                        "login > signs in  2026-01-25T12:11:00.000Z  0.3333     true   quote \" and newline\n"
                        "Ünïcode ✓         1970-01-01T00:00:00.000Z  1          false  -\n");
    argus_buf_reset(&out);
    cognee_format_result(&out, &fmt_query, &r, 1, 0); /* row cap */
    assert_null(strstr(argus_buf_str(&out), "Ünïcode"));
    argus_buf_free(&out);
}

static void json_output(void **state)
{
    (void)state;
    struct argus_graph_value cells[10];
    struct argus_graph_result r;
    fill(&r, cells);
    struct argus_buf out = ARGUS_BUF_INIT;
    cognee_format_result(&out, &fmt_query, &r, 10, 1);
    assert_string_equal(argus_buf_str(&out),
                        "{\"test\":\"login > signs in\",\"at\":1769343060000,\"flip_rate\":0.333333333333333,"
                        "\"same\":true,\"note\":\"quote \\\" and\\nnewline\"}\n"
                        "{\"test\":\"Ünïcode ✓\",\"at\":0,\"flip_rate\":1,\"same\":false,\"note\":null}\n");
    argus_buf_free(&out);
}

static void long_cells_are_cut(void **state)
{
    (void)state;
    char longtext[400];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    longtext[COGNEE_TEXT_CELL_MAX - 4] = '\xc3'; /* a 2-byte character across the cut */
    longtext[COGNEE_TEXT_CELL_MAX - 3] = '\xa9';
    static const char *const one[] = {"m"};
    struct argus_graph_value cell = str_value(longtext);
    struct argus_graph_result r = {.ncols = 1, .columns = (const char **)one, .nrows = 1, .cells = &cell};
    struct argus_buf out = ARGUS_BUF_INIT;
    cognee_format_result(&out, NULL, &r, 1, 0);
    const char *line = strchr(argus_buf_str(&out), '\n') + 1;
    size_t chars = 0;
    for (const char *p = line; *p != '\n'; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    assert_int_equal(chars, COGNEE_TEXT_CELL_MAX);
    assert_non_null(strstr(line, "...\n"));
    argus_buf_reset(&out);
    cognee_format_result(&out, NULL, &r, 1, 1); /* JSON keeps it whole */
    assert_non_null(strstr(argus_buf_str(&out), longtext + 100));
    argus_buf_free(&out);
}

/* Times outside any clock (a hand-edited graph, a huge string) print as numbers, not overflow. */
static void impossible_times(void **state)
{
    (void)state;
    struct argus_buf out = ARGUS_BUF_INIT;
    struct argus_graph_value v = int_value(9223372036854775807LL);
    cognee_format_cell_text(&out, &v, COGNEE_COL_TIME_MS);
    assert_string_equal(argus_buf_str(&out), "9223372036854775808");
    argus_buf_reset(&out);
    v = str_value("-1e300");
    cognee_format_cell_text(&out, &v, COGNEE_COL_TIME_MS);
    assert_memory_equal(argus_buf_str(&out), "-1000000000000000052504760", 26);
    assert_null(strchr(argus_buf_str(&out), 'T'));
    argus_buf_reset(&out);
    v = str_value("1769343060000");
    cognee_format_cell_text(&out, &v, COGNEE_COL_TIME_MS);
    assert_string_equal(argus_buf_str(&out), "2026-01-25T12:11:00.000Z");
    argus_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doc_equals_table),   cmocka_unit_test(table_is_consistent),
        cmocka_unit_test(text_output),        cmocka_unit_test(json_output),
        cmocka_unit_test(long_cells_are_cut), cmocka_unit_test(impossible_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
