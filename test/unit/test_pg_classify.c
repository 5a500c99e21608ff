/* Unit tests for PostgreSQL failure classification by SQLSTATE: what retries (connection, 08, 40001,
 * 40P01, 53, 57P0x, 57014, missing schema objects) and what rejects (22, 23, other statement errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "argus/stores/pg.h"

static void expect(const char *state, int lost, enum argus_outcome outcome, const char *error_class)
{
    struct argus_result res;
    argus_pg_classify(state, "server text", lost, &res);
    if (res.outcome != outcome || strcmp(res.error_class, error_class) != 0)
        fail_msg("%s (lost=%d): got %s/%s, expected %s/%s", state ? state : "(none)", lost,
                 argus_outcome_name(res.outcome), res.error_class, argus_outcome_name(outcome), error_class);
    assert_non_null(strstr(res.message, "server text"));
    if (state && *state)
        assert_non_null(strstr(res.message, state));
}

static void transient_failures_retry(void **state)
{
    (void)state;
    expect(NULL, 1, ARGUS_RETRY, ARGUS_ERR_CONNECTION);
    expect("", 1, ARGUS_RETRY, ARGUS_ERR_CONNECTION);
    expect("08006", 0, ARGUS_RETRY, ARGUS_ERR_CONNECTION);     /* connection failure */
    expect("08001", 0, ARGUS_RETRY, ARGUS_ERR_CONNECTION);
    expect("57P01", 1, ARGUS_RETRY, ARGUS_ERR_CONNECTION);     /* admin shutdown */
    expect("57P02", 0, ARGUS_RETRY, ARGUS_ERR_CONNECTION);     /* crash shutdown */
    expect("57P03", 0, ARGUS_RETRY, ARGUS_ERR_CONNECTION);     /* cannot connect now */
    expect("28P01", 0, ARGUS_RETRY, ARGUS_ERR_CONNECTION);     /* bad password: configuration */
    expect("3D000", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);       /* no such database */
    expect("40001", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);       /* serialization failure */
    expect("40P01", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);       /* deadlock */
    expect("53300", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);       /* too many connections */
    expect("53100", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);       /* disk full */
    expect("55P03", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);       /* lock not available */
    expect("58030", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);       /* I/O error */
    expect("57014", 0, ARGUS_RETRY, ARGUS_ERR_TIMEOUT);        /* statement timeout / canceled */
    expect("42P01", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);       /* table not migrated yet */
    expect("42703", 0, ARGUS_RETRY, ARGUS_ERR_DATABASE);
}

static void bad_data_rejects(void **state)
{
    (void)state;
    expect("23505", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);      /* unique violation */
    expect("23503", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);      /* foreign key */
    expect("23502", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);      /* not null */
    expect("23514", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);      /* check */
    expect("22P02", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);      /* invalid text representation */
    expect("22001", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);      /* string too long */
    expect("22021", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);      /* bad encoding */
    expect("42601", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);      /* syntax error */
    expect("XX000", 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);
    expect(NULL, 0, ARGUS_REJECT, ARGUS_ERR_DATABASE);
    /* a statement error on a connection that then died: the connection decides */
    expect("22P02", 1, ARGUS_RETRY, ARGUS_ERR_CONNECTION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transient_failures_retry),
        cmocka_unit_test(bad_data_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
