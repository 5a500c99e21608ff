/* Unit tests for DATABASE_URL redaction: passwords in URL userinfo (also with '@' or ':' inside),
 * in password= query parameters and in key=value conninfo strings (quoted or not) never survive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "argus/stores/pg.h"

static const char *redact(const char *url)
{
    static char out[512];
    argus_pg_redact_url(url, out, sizeof out);
    return out;
}

static void urls(void **state)
{
    (void)state;
    assert_string_equal(redact("postgresql://argus:argus_db_password@localhost:5432/argus"),
                        "postgresql://argus:***@localhost:5432/argus");
    assert_string_equal(redact("postgres://u:p@h/db?sslmode=require"), "postgres://u:***@h/db?sslmode=require");
    assert_string_equal(redact("postgresql://u@h/db"), "postgresql://u@h/db");
    assert_string_equal(redact("postgresql://h:5432/db"), "postgresql://h:5432/db");
    assert_string_equal(redact("postgresql:///db?host=/tmp"), "postgresql:///db?host=/tmp");
    /* raw '@' and ':' inside the password */
    assert_string_equal(redact("postgresql://u:p@ss:w@rd@h:5/db"), "postgresql://u:***@h:5/db");
    /* percent-encoded */
    assert_string_equal(redact("postgresql://u:p%40ss@h/db"), "postgresql://u:***@h/db");
    /* query parameters */
    assert_string_equal(redact("postgresql://h/db?user=u&password=secret&sslmode=verify-full"),
                        "postgresql://h/db?user=u&password=***&sslmode=verify-full");
    assert_string_equal(redact("postgresql://h/db?sslpassword=k&PASSWORD=x"),
                        "postgresql://h/db?sslpassword=***&PASSWORD=***");
    /* multiple hosts */
    assert_string_equal(redact("postgresql://u:pw@h1:5432,h2:5433/db"), "postgresql://u:***@h1:5432,h2:5433/db");
}

static void conninfo(void **state)
{
    (void)state;
    assert_string_equal(redact("host=localhost user=argus password=secret dbname=argus"),
                        "host=localhost user=argus password=*** dbname=argus");
    assert_string_equal(redact("password = 'it''s \\' secret' host=h"), "password = *** host=h");
    assert_string_equal(redact("  host=h password='a b c'"), "  host=h password=***");
    assert_string_equal(redact("password=x"), "password=***");
    assert_string_equal(redact("sslpassword=x sslmode=require"), "sslpassword=*** sslmode=require");
    assert_string_equal(redact("dbname=argus"), "dbname=argus");
    assert_string_equal(redact(""), "");
    assert_string_equal(redact(NULL), "");
}

static void truncation_never_leaks(void **state)
{
    (void)state;
    char small[24];
    argus_pg_redact_url("postgresql://user:supersecretpassword@host/db", small, sizeof small);
    assert_null(strstr(small, "supersecret"));
    assert_string_equal(small, "postgresql://user:***@h");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(urls),
        cmocka_unit_test(conninfo),
        cmocka_unit_test(truncation_never_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
