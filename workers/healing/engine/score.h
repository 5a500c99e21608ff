/* Similarity of a new-page element to what the test meant: against the old element's fingerprint
 * (weighted sum over the features both sides can have, in the spirit of Healenium's tree distance),
 * or against the hints a selector carries when there is no old page. Scores are 0..1. */
#ifndef HEAL_SCORE_H
#define HEAL_SCORE_H

#include "fingerprint.h"
#include "tokens.h"

/* What a selector says about its target (hints.c). */
struct hints {
    char *tag, *role, *id, *testid, *form_name, *type, *placeholder, *title, *alt, *href, *aria_label, *text;
    char *label;
    struct tokens ident_tok;   /* id, test id, name and data-* words */
    struct tokens class_tok;   /* class words (stems of generated classes) */
    struct tokens ctx_tok;     /* ancestors' ids, classes and texts */
    int n_strong;              /* how many identifying hints (not only tag or structure) */
};

double score_against_old(const struct feat *old, const struct feat *cand);
/* 1 same role, 0.5 interchangeable (button/link/menuitem/tab; textbox/searchbox/combobox), else 0. */
double role_similarity(const char *a, const char *b);
/* 0..1, and *evidence: the best single identifying similarity (0 when only tag or role agree). */
double score_against_hints(const struct hints *h, const struct feat *cand, double *evidence);

void hints_free(struct hints *h);
/* Fills h from a selector (already known to parse). */
void hints_from_selector(struct hints *h, int syntax, const char *selector);

#endif
