/* The healing corpus (test/fixtures/healing/cases.json) and how a heal is judged against it, shared
 * by the accuracy benchmark (bench/bench_heal.c) and its fast subset in the unit tests
 * (test/unit/test_heal_corpus.c). A heal is correct when its selector finds exactly the intended
 * element of the new page, wrong when it finds anything else (or anything at all for a removed
 * element), refused when the engine declines. The naive baseline keeps the old selector when it still
 * matches and otherwise takes the first element with the old element's tag whose whole text equals
 * the old element's text (without the old page: the innermost element with the text the selector
 * names, if it names one). */
#ifndef ARGUS_BENCH_HEAL_CORPUS_H
#define ARGUS_BENCH_HEAL_CORPUS_H

#include <stddef.h>

#include "heal.h"

struct corpus_case {
    char *id, *site, *variant, *syntax, *selector, *target_old, *target_new, *difficulty, *old_page, *new_page;
    int decoy;
};

struct corpus {
    char *dir;
    struct corpus_case *cases;
    size_t n, n_pairs;
};

int corpus_load(const char *dir, struct corpus *c, char *err, size_t errlen);
void corpus_free(struct corpus *c);

enum outcome { OUT_CORRECT, OUT_WRONG, OUT_REFUSED, OUT_ERROR };
enum method { METHOD_ENGINE, METHOD_BASELINE };

struct case_result {
    enum outcome outcome;
    int removed;          /* the element is gone from the new page */
    double confidence;
    double seconds;       /* heal time, pages already parsed */
    char detail[256];     /* the selector answered, or the reason */
};

/* Runs one case with or without the old page. Returns 0, or -1 with err when the case itself is
 * broken (unreadable page, target selector not unique). */
int corpus_run(const struct corpus *c, const struct corpus_case *k, enum method m, int with_old,
               struct case_result *r, char *err, size_t errlen);

/* Totals of a group of results. */
struct tally {
    unsigned correct, wrong, refused, removed, removed_healed, decoys, decoys_taken;
};
void tally_add(struct tally *t, const struct corpus_case *k, const struct case_result *r);
double tally_precision(const struct tally *t);   /* correct / (correct + wrong); 1 when no heal */
double tally_recall(const struct tally *t);      /* correct / cases whose element still exists */

char *corpus_read_file(const char *path, size_t *len);

#endif
