/* Unit tests of the strict command-line integers (argus/cli.h): a typo is refused, never read as 0
 * or as its leading digits. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "argus/base/cli.h"

static void accepts_whole_numbers_in_range(void **state)
{
    (void)state;
    long v = 0;
    assert_int_equal(argus_parse_long("42", 1, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(argus_parse_long("-1", -1, 10, &v), 0);
    assert_int_equal(v, -1);
    assert_int_equal(argus_parse_long("+7", 0, 10, &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(argus_parse_long("9223372036854775807", 0, LONG_MAX, &v), 0);
    assert_true(v == LONG_MAX);
}

static void refuses_everything_else(void **state)
{
    (void)state;
    static const char *const bad[] = {"", " 5", "5 ", "1O", "O1", "0x10", "1e3", "3.0", "-", "abc",
                                      "9223372036854775808", "-9223372036854775809"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long v = 123;
        assert_int_equal(argus_parse_long(bad[i], LONG_MIN, LONG_MAX, &v), -1);
        assert_int_equal(v, 123); /* untouched */
    }
    long v = 123;
    assert_int_equal(argus_parse_long(NULL, 0, 1, &v), -1);
    assert_int_equal(argus_parse_long("0", 1, 10, &v), -1);   /* below */
    assert_int_equal(argus_parse_long("11", 1, 10, &v), -1);  /* above */
    assert_int_equal(argus_cli_long("argus-test", "--n", "x", 1, 10, &v), -1);
    assert_int_equal(argus_cli_long("argus-test", "--n", "10", 1, 10, &v), 0);
    assert_int_equal(v, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_whole_numbers_in_range),
        cmocka_unit_test(refuses_everything_else),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
