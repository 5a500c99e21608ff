/* Unit tests for tenant graph names: readable for ordinary ids, only [A-Za-z0-9_-] in the output, and
 * no two different (org, project) pairs ever share a name (checked exhaustively over short strings
 * built from the characters most likely to collide). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/stores/graph.h"

static void ordinary_ids_stay_readable(void **state)
{
    (void)state;
    char name[256];
    assert_int_equal(argus_graph_name(name, sizeof name, "acme", NULL), 10);
    assert_string_equal(name, "argus_acme");
    argus_graph_name(name, sizeof name, "3f2a9c1e-0b7d-4e59-9a3c-2d1f8e7b6a50", "");
    assert_string_equal(name, "argus_3f2a9c1e-0b7d-4e59-9a3c-2d1f8e7b6a50");
    argus_graph_name(name, sizeof name, "org-1", "proj-2");
    assert_string_equal(name, "argus_org-1__proj-2");
}

static void other_bytes_are_encoded(void **state)
{
    (void)state;
    char name[256];
    argus_graph_name(name, sizeof name, "a_b", NULL);
    assert_string_equal(name, "argus_a_5Fb");
    argus_graph_name(name, sizeof name, "a", "b c/d");
    assert_string_equal(name, "argus_a__b_20c_2Fd");
    argus_graph_name(name, sizeof name, "caf\xc3\xa9", "x:y");
    assert_string_equal(name, "argus_caf_C3_A9__x_3Ay");
    for (const char *p = name; *p; p++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", *p));
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    char name[16];
    assert_int_equal(argus_graph_name(name, sizeof name, "", "p"), -1);
    assert_int_equal(argus_graph_name(name, sizeof name, NULL, "p"), -1);
    assert_int_equal(argus_graph_name(name, sizeof name, "a-very-long-organization", NULL), -1);
    assert_int_equal(argus_graph_name(name, 11, "acme", NULL), 10);   /* exactly fits */
    assert_int_equal(argus_graph_name(name, 10, "acme", NULL), -1);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every string up to 3 characters over an alphabet of separator-like characters, as org and as
 * project (no project included): all names distinct. */
static void different_tenants_never_collide(void **state)
{
    (void)state;
    static const char alphabet[] = {'_', 'a', '5', 'F', '-', ' ', '\xc3'};
    const size_t k = sizeof alphabet;
    char words[512][4];
    size_t nwords = 0;
    words[nwords++][0] = '\0';
    for (size_t len = 1; len <= 3; len++) {
        size_t combos = 1;
        for (size_t i = 0; i < len; i++)
            combos *= k;
        for (size_t c = 0; c < combos; c++) {
            size_t x = c;
            for (size_t i = 0; i < len; i++) {
                words[nwords][i] = alphabet[x % k];
                x /= k;
            }
            words[nwords++][len] = '\0';
        }
    }
    /* orgs must be non-empty; project "" means "no project" and is skipped as a separate case */
    size_t max = nwords * nwords;
    char **names = calloc(max, sizeof *names);
    size_t n = 0;
    for (size_t o = 1; o < nwords; o++) {
        for (size_t p = 0; p < nwords; p++) {
            char buf[128];
            assert_true(argus_graph_name(buf, sizeof buf, words[o], p ? words[p] : NULL) > 0);
            names[n++] = strdup(buf);
        }
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 1; i < n; i++)
        if (strcmp(names[i - 1], names[i]) == 0)
            fail_msg("two tenants share the graph name %s", names[i]);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_ids_stay_readable),
        cmocka_unit_test(other_bytes_are_encoded),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(different_tenants_never_collide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
