/* The accuracy benchmark's fast subset: every case of the healing corpus (test/fixtures/healing),
 * healed with and without the old page and judged by the element each answer finds. Fails when the
 * engine falls below what docs/benchmarks.md reports: with the old page precision >= 0.95 and recall
 * >= 0.90, no heal of a removed element and every decoy avoided; with the new page only precision
 * >= 0.95 and no heal of a removed element. Also checks that the naive baseline stays below, so the
 * judge itself is not blind. ARGUS_HEAL_CORPUS overrides the corpus directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heal_corpus.h"

static struct corpus corpus;

static int load(void **state)
{
    (void)state;
    const char *dir = getenv("ARGUS_HEAL_CORPUS");
    char err[512];
    if (corpus_load(dir ? dir : "test/fixtures/healing", &corpus, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int unload(void **state)
{
    (void)state;
    corpus_free(&corpus);
    return 0;
}

static struct tally run_all(enum method m, int with_old)
{
    struct tally t = { 0 };
    for (size_t i = 0; i < corpus.n; i++) {
        struct case_result r;
        char err[512];
        if (corpus_run(&corpus, &corpus.cases[i], m, with_old, &r, err, sizeof err) < 0)
            fail_msg("%s", err);
        if (r.outcome == OUT_WRONG)
            printf("# wrong (%s, %s): %s -> %s\n", m == METHOD_ENGINE ? "engine" : "baseline",
                   with_old ? "old page" : "new page only", corpus.cases[i].id, r.detail);
        tally_add(&t, &corpus.cases[i], &r);
    }
    printf("# %s, %s: %u correct, %u wrong, %u refused, precision %.3f, recall %.3f\n",
           m == METHOD_ENGINE ? "engine" : "baseline", with_old ? "with the old page" : "new page only", t.correct,
           t.wrong, t.refused, tally_precision(&t), tally_recall(&t));
    return t;
}

static void corpus_is_big_enough(void **state)
{
    (void)state;
    assert_true(corpus.n_pairs >= 60);
    assert_true(corpus.n >= corpus.n_pairs);
}

static void with_the_old_page(void **state)
{
    (void)state;
    struct tally t = run_all(METHOD_ENGINE, 1);
    assert_true(tally_precision(&t) >= 0.95);
    assert_true(tally_recall(&t) >= 0.90);
    assert_int_equal(t.removed_healed, 0);
    assert_true(t.decoys > 0);
    assert_int_equal(t.decoys_taken, 0);
}

static void with_the_new_page_only(void **state)
{
    (void)state;
    struct tally t = run_all(METHOD_ENGINE, 0);
    assert_true(tally_precision(&t) >= 0.95);
    assert_int_equal(t.removed_healed, 0);
}

static void baseline_is_worse(void **state)
{
    (void)state;
    struct tally engine = run_all(METHOD_ENGINE, 1), naive = run_all(METHOD_BASELINE, 1);
    assert_true(tally_precision(&naive) < tally_precision(&engine));
    assert_true(naive.decoys_taken == naive.decoys);   /* keeping the old selector takes every decoy */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_is_big_enough),
        cmocka_unit_test(with_the_old_page),
        cmocka_unit_test(with_the_new_page_only),
        cmocka_unit_test(baseline_is_worse),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
