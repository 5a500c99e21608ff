/* Unit tests for the Cypher parameter encoder: string escapes, numbers (integral vs not, NaN),
 * nested lists and maps, key quoting, parameter names, and a property test that decodes the output
 * with FalkorDB's measured string rules and gets the input back. The server round trip itself is in
 * test/integration/test_graph.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/stores/cypher.h"

/* Encodes one value; returns the text (static storage) or NULL on error (err filled). */
static char encoded[65536];
static char err[256];

static const char *enc(cJSON *v)
{
    struct argus_buf b = ARGUS_BUF_INIT;
    int rc = argus_cypher_encode_value(&b, v, NULL, err, sizeof err);
    cJSON_Delete(v);
    if (rc != 0) {
        assert_int_equal(b.len, 0);   /* nothing half-written */
        argus_buf_free(&b);
        return NULL;
    }
    snprintf(encoded, sizeof encoded, "%s", argus_buf_str(&b));
    argus_buf_free(&b);
    return encoded;
}

static const char *enc_json(const char *json)
{
    cJSON *v = cJSON_Parse(json);
    assert_non_null(v);
    return enc(v);
}

/* FalkorDB's string rules as measured: the escapes below are decoded, any other backslash pair
 * stays as two characters, everything else is literal. Returns the decoded length or -1. */
static long decode_string(const char *lit, char *out, size_t cap)
{
    size_t n = strlen(lit), o = 0;
    if (n < 2 || lit[0] != '"' || lit[n - 1] != '"')
        return -1;
    for (size_t i = 1; i < n - 1; i++) {
        if (o + 2 >= cap)
            return -1;
        char c = lit[i];
        if (c == '"')
            return -1;   /* an unescaped quote would end the literal early */
        if (c != '\\') {
            out[o++] = c;
            continue;
        }
        if (i + 1 >= n - 1)
            return -1;   /* a trailing backslash would escape the closing quote */
        char e = lit[++i];
        switch (e) {
        case '\\': out[o++] = '\\'; break;
        case '"': out[o++] = '"'; break;
        case '\'': out[o++] = '\''; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        default: out[o++] = '\\'; out[o++] = e; break;
        }
    }
    out[o] = '\0';
    return (long)o;
}

static void strings_are_escaped(void **state)
{
    (void)state;
    assert_string_equal(enc(cJSON_CreateString("plain")), "\"plain\"");
    assert_string_equal(enc(cJSON_CreateString("")), "\"\"");
    assert_string_equal(enc(cJSON_CreateString("a\"b")), "\"a\\\"b\"");
    assert_string_equal(enc(cJSON_CreateString("it's")), "\"it's\"");
    assert_string_equal(enc(cJSON_CreateString("back\\slash")), "\"back\\\\slash\"");
    assert_string_equal(enc(cJSON_CreateString("trailing\\")), "\"trailing\\\\\"");
    assert_string_equal(enc(cJSON_CreateString("l1\nl2\r\n\tx\b\f")), "\"l1\\nl2\\r\\n\\tx\\b\\f\"");
    /* \u is not decoded by the server: the backslash is doubled so the six characters survive */
    assert_string_equal(enc(cJSON_CreateString("\\u00e9")), "\"\\\\u00e9\"");
    /* other control bytes and DEL pass through raw (the server keeps them) */
    assert_string_equal(enc(cJSON_CreateString("a\x01\x1f\x7f" "b")), "\"a\x01\x1f\x7f" "b\"");
}

static void unicode_passes_through(void **state)
{
    (void)state;
    const char *s = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d";
    char want[256];
    snprintf(want, sizeof want, "\"%s\"", s);
    assert_string_equal(enc(cJSON_CreateString(s)), want);
}

static void invalid_utf8_is_refused(void **state)
{
    (void)state;
    assert_null(enc(cJSON_CreateString("ok\xff")));
    assert_non_null(strstr(err, "invalid UTF-8 at byte 2"));
    assert_null(enc(cJSON_CreateString("\xc0\xaf")));            /* overlong '/' */
    assert_null(enc(cJSON_CreateString("\xed\xa0\x80")));        /* UTF-16 surrogate */
    assert_null(enc(cJSON_CreateString("\xf4\x90\x80\x80")));    /* above U+10FFFF */
    assert_null(enc(cJSON_CreateString("cut \xe2\x82")));        /* truncated sequence */
}

static void injection_attempts_stay_inside_the_literal(void **state)
{
    (void)state;
    assert_string_equal(enc(cJSON_CreateString("\"}) MATCH (n) DETACH DELETE n //")),
                        "\"\\\"}) MATCH (n) DETACH DELETE n //\"");
    assert_string_equal(enc(cJSON_CreateString("' OR 1=1 --")), "\"' OR 1=1 --\"");
    assert_string_equal(enc(cJSON_CreateString("x\\\" RETURN 1 //")), "\"x\\\\\\\" RETURN 1 //\"");
}

static void integral_numbers_are_integers(void **state)
{
    (void)state;
    assert_string_equal(enc(cJSON_CreateNumber(0)), "0");
    assert_string_equal(enc(cJSON_CreateNumber(-0.0)), "0");
    assert_string_equal(enc(cJSON_CreateNumber(42)), "42");
    assert_string_equal(enc(cJSON_CreateNumber(-5)), "-5");
    assert_string_equal(enc(cJSON_CreateNumber(3.0)), "3");
    assert_string_equal(enc(cJSON_CreateNumber(9007199254740993.0)), "9007199254740992");
    assert_string_equal(enc(cJSON_CreateNumber(-9223372036854775808.0)), "-9223372036854775808");
    assert_string_equal(enc_json("1e18"), "1000000000000000000");
    /* 2^63 does not fit int64: it must stay a float */
    const char *big = enc(cJSON_CreateNumber(9223372036854775808.0));
    assert_true(strchr(big, 'e') != NULL);
    assert_true(strtod(big, NULL) == 9223372036854775808.0);
}

static void fractional_numbers_round_trip(void **state)
{
    (void)state;
    assert_string_equal(enc(cJSON_CreateNumber(0.5)), "0.5");
    assert_string_equal(enc(cJSON_CreateNumber(0.1)), "0.1");
    assert_string_equal(enc(cJSON_CreateNumber(-2.25)), "-2.25");
    assert_string_equal(enc(cJSON_CreateNumber(1e300)), "1e+300");
    const double samples[] = {1.0000000000000002, 0.1 + 0.2, 1.0 / 3, 5e-324, 2.2250738585072014e-308,
                              1.7976931348623157e308, 1e-5, 123456.789e-10};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const char *t = enc(cJSON_CreateNumber(samples[i]));
        assert_non_null(t);
        assert_true(strtod(t, NULL) == samples[i]);
        assert_true(strpbrk(t, ".e") != NULL);   /* read as a float by the server */
    }
}

static void non_finite_numbers_are_refused(void **state)
{
    (void)state;
    assert_null(enc(cJSON_CreateNumber(NAN)));
    assert_non_null(strstr(err, "NaN"));
    assert_null(enc(cJSON_CreateNumber(INFINITY)));
    assert_null(enc(cJSON_CreateNumber(-INFINITY)));
    /* deep inside a structure, with the path in the message */
    cJSON *o = cJSON_Parse("{\"rows\":[{\"a\":1},{\"a\":2}]}");
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "rows"), 1), "a",
                              cJSON_CreateNumber(NAN));
    assert_null(enc(o));
    assert_non_null(strstr(err, "$.rows[1].a"));
}

static void scalars_and_nesting(void **state)
{
    (void)state;
    assert_string_equal(enc_json("true"), "true");
    assert_string_equal(enc_json("false"), "false");
    assert_string_equal(enc_json("null"), "null");
    assert_string_equal(enc_json("[]"), "[]");
    assert_string_equal(enc_json("{}"), "{}");
    assert_string_equal(enc_json("[1,\"a\",[2,[3.5,null]],{\"k\":false}]"),
                        "[1,\"a\",[2,[3.5,null]],{k:false}]");
    assert_string_equal(enc_json("{\"a\":[1,{\"b c\":null}],\"x-y\":true,\"_ok1\":\"v\",\"\":0}"),
                        "{a:[1,{`b c`:null}],`x-y`:true,_ok1:\"v\",``:0}");
    assert_string_equal(enc_json("{\"k\\u00e9\":1,\"MATCH\":2}"), "{`k\xc3\xa9`:1,MATCH:2}");
}

static void bad_map_keys_are_refused(void **state)
{
    (void)state;
    assert_null(enc_json("{\"a`b\":1}"));
    assert_non_null(strstr(err, "backtick"));
    assert_null(enc_json("[{\"ok\":{\"bad`\":1}}]"));
    assert_non_null(strstr(err, "$[0].ok.bad`"));
}

static void params_prefix(void **state)
{
    (void)state;
    struct argus_buf b = ARGUS_BUF_INIT;
    cJSON *p = cJSON_Parse("{\"id\":\"n1\",\"n\":2,\"rows\":[{\"x\":1.5}]}");
    assert_int_equal(argus_cypher_build(&b, "MERGE (n:T {id: $id})", p, err, sizeof err), 0);
    assert_string_equal(argus_buf_str(&b), "CYPHER id=\"n1\" n=2 rows=[{x:1.5}] MERGE (n:T {id: $id})");
    cJSON_Delete(p);

    argus_buf_reset(&b);
    p = cJSON_CreateObject();
    assert_int_equal(argus_cypher_build(&b, "RETURN 1", p, err, sizeof err), 0);
    assert_string_equal(argus_buf_str(&b), "RETURN 1");
    argus_buf_reset(&b);
    assert_int_equal(argus_cypher_build(&b, "RETURN 1", NULL, err, sizeof err), 0);
    assert_string_equal(argus_buf_str(&b), "RETURN 1");
    cJSON_Delete(p);

    argus_buf_reset(&b);
    assert_int_equal(argus_cypher_build(&b, "", NULL, err, sizeof err), -1);
    p = cJSON_CreateArray();
    assert_int_equal(argus_cypher_encode_params(&b, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a JSON object"));
    cJSON_Delete(p);
    argus_buf_free(&b);
}

static void bad_param_names_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"a-b", "1a", "", "caf\xc3\xa9", "a b", "a`", "$a", "a.b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct argus_buf b = ARGUS_BUF_INIT;
        argus_buf_puts(&b, "keep ");
        cJSON *p = cJSON_CreateObject();
        cJSON_AddNumberToObject(p, "ok", 1);
        cJSON_AddNumberToObject(p, bad[i], 1);
        assert_int_equal(argus_cypher_encode_params(&b, p, err, sizeof err), -1);
        assert_non_null(strstr(err, "parameter name"));
        assert_string_equal(argus_buf_str(&b), "keep ");   /* rolled back */
        cJSON_Delete(p);
        argus_buf_free(&b);
    }
    assert_true(argus_cypher_is_identifier("_a1"));
    assert_true(argus_cypher_is_identifier("match"));
    assert_false(argus_cypher_is_identifier(NULL));

    struct argus_buf b = ARGUS_BUF_INIT;
    cJSON *dup = cJSON_Parse("{\"a\":1,\"a\":2}");
    assert_int_equal(argus_cypher_encode_params(&b, dup, err, sizeof err), -1);
    assert_non_null(strstr(err, "duplicate"));
    cJSON_Delete(dup);
    argus_buf_free(&b);
}

static void names_for_query_text(void **state)
{
    (void)state;
    struct argus_buf b = ARGUS_BUF_INIT;
    assert_int_equal(argus_cypher_encode_name(&b, "TestCase", err, sizeof err), 0);
    assert_int_equal(argus_cypher_encode_name(&b, "has space", err, sizeof err), 0);
    assert_string_equal(argus_buf_str(&b), "TestCase`has space`");
    assert_int_equal(argus_cypher_encode_name(&b, "a`b", err, sizeof err), -1);
    assert_int_equal(argus_cypher_encode_name(&b, "", err, sizeof err), -1);
    assert_int_equal(argus_cypher_encode_name(&b, "x\xff", err, sizeof err), -1);
    assert_string_equal(argus_buf_str(&b), "TestCase`has space`");
    argus_buf_free(&b);
}

/* Random valid UTF-8 strings heavy in quotes, backslashes and control bytes: the encoding always
 * decodes, under the server's rules, to the input. */
static void random_strings_decode_to_the_input(void **state)
{
    (void)state;
    static const char *const pieces[] = {"\\", "\"", "'", "\n", "\r", "\t", "\b", "\f", "\x01", "\x1b",
                                         "\x7f", "u", "x", "n", "`", "}", ")", "//", " ", "$p",
                                         "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\\u0041"};
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    srand(12345);
    char input[512], decoded[1024];
    for (int round = 0; round < 5000; round++) {
        size_t len = 0;
        int count = rand() % 24;
        input[0] = '\0';
        for (int k = 0; k < count; k++) {
            const char *p = pieces[(size_t)rand() % npieces];
            size_t pl = strlen(p);
            memcpy(input + len, p, pl + 1);
            len += pl;
        }
        const char *lit = enc(cJSON_CreateString(input));
        assert_non_null(lit);
        long n = decode_string(lit, decoded, sizeof decoded);
        assert_int_equal(n, (long)len);
        assert_memory_equal(decoded, input, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_are_escaped),
        cmocka_unit_test(unicode_passes_through),
        cmocka_unit_test(invalid_utf8_is_refused),
        cmocka_unit_test(injection_attempts_stay_inside_the_literal),
        cmocka_unit_test(integral_numbers_are_integers),
        cmocka_unit_test(fractional_numbers_round_trip),
        cmocka_unit_test(non_finite_numbers_are_refused),
        cmocka_unit_test(scalars_and_nesting),
        cmocka_unit_test(bad_map_keys_are_refused),
        cmocka_unit_test(params_prefix),
        cmocka_unit_test(bad_param_names_are_refused),
        cmocka_unit_test(names_for_query_text),
        cmocka_unit_test(random_strings_decode_to_the_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
