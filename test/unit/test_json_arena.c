/* Unit tests for the JSON arena behind cJSON and for event ids: trees parsed between begin and end
 * live in the calling thread's arena (frees are no-ops, reset reclaims), everything else is malloc'd,
 * other threads are unaffected; UUIDs are version 4 and distinct. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <pthread.h>
#include <string.h>

#include "argus/base/event.h"
#include "argus/base/json_arena.h"
#include "argus/base/uuid.h"

static void parsed_in_arena_only_between_begin_and_end(void **state)
{
    (void)state;
    argus_json_arena_install();
    argus_json_arena_begin();
    cJSON *a = cJSON_Parse("{\"k\":[1,2,{\"x\":\"y\"}]}");
    argus_json_arena_end();
    cJSON *m = cJSON_Parse("{\"k\":1}");
    assert_non_null(a);
    assert_non_null(m);
    assert_true(argus_json_arena_owns(a));
    assert_true(argus_json_arena_owns(a->child->child->next->next->child->valuestring));
    assert_false(argus_json_arena_owns(m));
    cJSON_Delete(a); /* a no-op for arena memory */
    cJSON_Delete(m); /* a real free (ASan would report a leak otherwise) */
    argus_json_arena_reset();
    /* reset makes the memory reusable: the next tree starts where the first one did */
    argus_json_arena_begin();
    cJSON *again = cJSON_Parse("{\"k\":2}");
    argus_json_arena_end();
    assert_ptr_equal(again, a);
    argus_json_arena_reset();
    argus_json_arena_destroy();
    assert_false(argus_json_arena_owns(again));
}

static void events_parsed_in_the_arena_are_not_freed_one_by_one(void **state)
{
    (void)state;
    const char *text = "{\"event_type\":\"test.failed\",\"org_id\":\"o\",\"data\":{\"test_id\":\"t\"}}";
    struct argus_event ev;
    char err[128];
    argus_json_arena_begin();
    assert_int_equal(argus_event_parse(NULL, text, strlen(text), &ev, err, sizeof err), 0);
    argus_json_arena_end();
    assert_true(ev.in_arena);
    assert_string_equal(argus_event_str(&ev, "test_id"), "t");
    argus_event_free(&ev);
    assert_int_equal(argus_event_parse(NULL, text, strlen(text), &ev, err, sizeof err), 0);
    assert_false(ev.in_arena);
    argus_event_free(&ev);
    argus_json_arena_reset();
    argus_json_arena_destroy();
}

static void *other_thread(void *arg)
{
    (void)arg;
    cJSON *o = cJSON_Parse("{\"thread\":true}");
    void *owned = (void *)(intptr_t)argus_json_arena_owns(o);
    cJSON_Delete(o);
    return owned;
}

static void another_thread_is_not_in_this_arena(void **state)
{
    (void)state;
    argus_json_arena_begin();
    pthread_t t;
    void *owned = (void *)1;
    assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
    pthread_join(t, &owned);
    argus_json_arena_end();
    assert_null(owned);
    argus_json_arena_destroy();
}

static void big_documents_get_their_own_chunk(void **state)
{
    (void)state;
    static char big[3 * 1024 * 1024];
    memset(big, 'a', sizeof big - 3);
    big[0] = '"';
    big[sizeof big - 3] = '"';
    argus_json_arena_begin();
    cJSON *s = cJSON_Parse(big);
    argus_json_arena_end();
    assert_non_null(s);
    assert_int_equal(strlen(s->valuestring), sizeof big - 4);
    assert_true(argus_json_arena_owns(s->valuestring));
    argus_json_arena_reset();
    argus_json_arena_destroy();
}

static void uuids_are_version_4_and_distinct(void **state)
{
    (void)state;
    char a[37], b[37];
    assert_int_equal(argus_uuid4(a), 0);
    assert_int_equal(argus_uuid4(b), 0);
    assert_int_equal(strlen(a), 36);
    assert_int_equal(a[14], '4');
    assert_true(strchr("89ab", a[19]) != NULL);
    assert_int_equal(a[8], '-');
    assert_int_equal(a[23], '-');
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parsed_in_arena_only_between_begin_and_end),
        cmocka_unit_test(events_parsed_in_the_arena_are_not_freed_one_by_one),
        cmocka_unit_test(another_thread_is_not_in_this_arena),
        cmocka_unit_test(big_documents_get_their_own_chunk),
        cmocka_unit_test(uuids_are_version_4_and_distinct),
    };
    return cmocka_run_group_tests_name("json_arena", tests, NULL, NULL);
}
