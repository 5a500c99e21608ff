/* heal_selector: find what the broken selector meant, decide whether the evidence is enough, and
 * answer with a selector that finds exactly that element, or refuse. See docs/healing.md.
 *
 *   with the old page   fingerprint of the element the selector matched there, scored against every
 *                       candidate of the new page; the best must score >= HEAL_MIN_SCORE, lead the
 *                       runner-up by HEAL_MIN_MARGIN, and map back to the same old element (reciprocal
 *                       best match: a candidate that is some other old element's counterpart is not a
 *                       heal, which is how removed elements are refused)
 *   without it          the selector's own hints (ids, test ids, classes, text, role and name) scored
 *                       the same way, with a stricter margin and at least one identifying feature
 *                       that agrees strongly */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aria.h"
#include "fingerprint.h"
#include "generate.h"
#include "heal.h"
#include "score.h"
#include "select_internal.h"
#include "textutil.h"
#include "tokens.h"

#define HEAL_MIN_SCORE        0.55
#define HEAL_MIN_MARGIN       0.06
#define HEAL_RECIPROCAL_SLACK 0.02
#define HINTS_MIN_SCORE       0.50
#define HINTS_MIN_MARGIN      0.10
#define HINTS_MIN_EVIDENCE    0.70
#define RECIPROCAL_CHECKS     3

struct ranked {
    struct dom_node *e;
    double score;
    double evidence;
};

struct run {
    const struct heal_options *opt;
    const char *selector;
    struct feat_set now, then;
    int have_then;
    struct ranked *rank;
    size_t n_rank;
    struct heal_result *out;
};

static int by_score(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->e->index > y->e->index) - (x->e->index < y->e->index);
}

/* Could e be the new version of an element with this tag and role? Same tag, or an interchangeable
 * role (a link that became a button). Others are not scored: they could not win anyway, and skipping
 * them keeps a large page fast. */
static int comparable(heal_doc *doc, struct dom_node *e, const char *tag, const char *role)
{
    if (!strcmp(e->tag, tag))
        return 1;
    const char *er = aria_role(doc, e);
    return role && er && role_similarity(role, er) > 0;
}

static void rank_new_page(struct run *r, const struct feat *old, const struct hints *h)
{
    heal_doc *doc = r->now.doc;
    r->rank = malloc((doc->n_elements + 1) * sizeof *r->rank);
    if (!r->rank)
        abort();
    r->n_rank = 0;
    for (size_t i = 0; i < doc->n_elements; i++) {
        struct dom_node *e = doc->elements[i];
        if (!feat_is_candidate(e) || (old && !comparable(doc, e, old->tag, old->role)))
            continue;
        const struct feat *f = feat_of(&r->now, e);
        struct ranked k = { e, 0, 0 };
        k.score = old ? score_against_old(old, f) : score_against_hints(h, f, &k.evidence);
        r->rank[r->n_rank++] = k;
    }
    qsort(r->rank, r->n_rank, sizeof *r->rank, by_score);
}

static void describe(struct text_buf *b, heal_doc *doc, struct dom_node *e, struct feat_set *fs)
{
    const struct feat *f = feat_of(fs, e);
    (void)doc;
    text_buf_printf(b, "%s", e->tag);
    if (f->id)
        text_buf_printf(b, "#%.60s", f->id);
    if (f->role)
        text_buf_printf(b, " role=%s", f->role);
    if (f->name)
        text_buf_printf(b, " \"%.60s\"", f->name);
    else if (f->text)
        text_buf_printf(b, " \"%.60s\"", f->text);
}

static void fill_candidates(struct run *r)
{
    struct heal_result *out = r->out;
    out->n_candidates = 0;
    for (size_t i = 0; i < r->n_rank && i < HEAL_CANDIDATES; i++) {
        struct heal_candidate *c = &out->candidates[out->n_candidates++];
        const char *strategy;
        c->element = (size_t)r->rank[i].e->index;
        c->score = round(r->rank[i].score * 1000) / 1000;
        c->selector = gen_selector(&r->now, r->rank[i].e, r->opt->syntax, &strategy);
        struct text_buf b = TEXT_BUF_INIT;
        describe(&b, r->now.doc, r->rank[i].e, &r->now);
        c->description = text_buf_steal(&b);
    }
}

static void refuse(struct run *r, const char *strategy, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse(struct run *r, const char *strategy, const char *fmt, ...)
{
    va_list ap;
    char msg[512];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->out->success = 0;
    r->out->strategy = strategy;
    r->out->reason = text_xstrdup(msg);
    r->out->element = -1;
    r->out->confidence = 0;
}

/* Confidence from score and lead, calibrated against the corpus (docs/benchmarks.md). */
static double confidence_of(double score, double margin)
{
    double lead = margin >= 0.3 ? 1.0 : margin / 0.3;
    double c = 0.55 * score + 0.45 * lead;
    return round((c > 0.99 ? 0.99 : c) * 100) / 100;
}

static void answer(struct run *r, struct dom_node *e, double score, double margin, const char *how)
{
    const char *strategy;
    char *sel = gen_selector(&r->now, e, r->opt->syntax, &strategy);
    if (!sel) {
        refuse(r, "no-unique-selector", "the element was found (%s) but no selector finds it alone", e->tag);
        return;
    }
    r->out->success = 1;
    r->out->changed = strcmp(sel, r->selector) != 0;
    r->out->selector = sel;
    r->out->element = e->index;
    r->out->confidence = confidence_of(score, margin);
    r->out->strategy = strategy;
    char msg[256];
    snprintf(msg, sizeof msg, "%s; healed by %s (score %.2f, lead %.2f over the next candidate)", how, strategy,
             score, margin);
    r->out->reason = text_xstrdup(msg);
}

/* The selector still finds exactly the chosen element: keep it. */
static int keep_if_still_valid(struct run *r, struct dom_node **matches, long n, struct dom_node *best,
                               double score, double margin)
{
    if (n != 1 || matches[0] != best)
        return 0;
    r->out->success = 1;
    r->out->changed = 0;
    r->out->selector = text_xstrdup(r->selector);
    r->out->element = best->index;
    r->out->confidence = confidence_of(score, margin);
    r->out->strategy = "unchanged";
    r->out->reason = text_xstrdup(r->opt->error_type == HEAL_ERROR_TIMEOUT
                                      ? "the selector still finds the intended element: the timeout is not a selector problem"
                                      : "the selector still finds the intended element");
    return 1;
}

/* Reciprocal check: among old elements, is `target` (nearly) the best match of the candidate? */
static int maps_back(struct run *r, struct dom_node *cand, struct dom_node *target, char *other, size_t otherlen)
{
    const struct feat *cf = feat_of(&r->now, cand);
    const struct feat *tf = feat_of(&r->then, target);
    double to_target = score_against_old(cf, tf);
    heal_doc *old = r->then.doc;
    for (size_t i = 0; i < old->n_elements; i++) {
        struct dom_node *x = old->elements[i];
        if (x == target || !feat_is_candidate(x) || dom_contains(x, target) || dom_contains(target, x) ||
            !comparable(old, x, cf->tag, cf->role))
            continue;
        double s = score_against_old(cf, feat_of(&r->then, x));
        if (s > to_target + HEAL_RECIPROCAL_SLACK) {
            struct text_buf b = TEXT_BUF_INIT;
            describe(&b, old, x, &r->then);
            snprintf(other, otherlen, "%s", b.data);
            text_buf_free(&b);
            return 0;
        }
    }
    return 1;
}

static void heal_with_old_page(struct run *r, struct dom_node *target, struct dom_node **now, long n_now)
{
    const struct feat *old = feat_of(&r->then, target);
    rank_new_page(r, old, NULL);
    fill_candidates(r);
    if (!r->n_rank) {
        refuse(r, "no-candidate", "the new page has no element that could be the target");
        return;
    }
    /* the best candidate that maps back to the target; candidates that are other elements' counterparts
     * are skipped (a decoy or a neighbour that stayed while the target went) */
    size_t pick = 0;
    char other[200] = "";
    int found = 0;
    for (; pick < r->n_rank && pick < RECIPROCAL_CHECKS; pick++) {
        if (r->rank[pick].score < HEAL_MIN_SCORE)
            break;
        if (maps_back(r, r->rank[pick].e, target, other, sizeof other)) {
            found = 1;
            break;
        }
    }
    if (!found) {
        if (other[0])
            refuse(r, "removed", "the element seems gone: the closest candidates are the new versions of other "
                                 "elements (%s)", other);
        else
            refuse(r, "low-score", "no element of the new page is similar enough (best score %.2f < %.2f)",
                   r->rank[0].score, HEAL_MIN_SCORE);
        return;
    }
    struct ranked best = r->rank[pick];
    double runner = 0;
    for (size_t i = 0; i < r->n_rank; i++)
        if (i != pick && !dom_contains(r->rank[i].e, best.e) && !dom_contains(best.e, r->rank[i].e)) {
            runner = r->rank[i].score;
            break;
        }
    double margin = best.score - runner;
    if (margin < HEAL_MIN_MARGIN) {
        refuse(r, "ambiguous", "two candidates are too close (%.2f and %.2f): refusing rather than guessing",
               best.score, runner);
        return;
    }
    if (keep_if_still_valid(r, now, n_now, best.e, best.score, margin))
        return;
    answer(r, best.e, best.score, margin,
           n_now > 0 ? "the selector now finds a different element than the one the test meant"
                     : "the selector finds nothing in the new page");
}

static void heal_from_selector(struct run *r, struct dom_node **now, long n_now, const char *note)
{
    struct hints h;
    hints_from_selector(&h, (int)r->opt->syntax, r->selector);
    rank_new_page(r, NULL, &h);
    fill_candidates(r);
    if (!r->n_rank || !h.n_strong) {
        refuse(r, "no-hints", "%sthe selector names nothing to recognise the element by", note);
        hints_free(&h);
        return;
    }
    struct ranked best = r->rank[0];
    double runner = 0;
    for (size_t i = 1; i < r->n_rank; i++)
        if (!dom_contains(r->rank[i].e, best.e) && !dom_contains(best.e, r->rank[i].e)) {
            runner = r->rank[i].score;
            break;
        }
    double margin = best.score - runner;
    hints_free(&h);
    if (n_now == 1) {
        /* Still one match. After a timeout that is the element (the failure was not the selector's);
         * after a selector failure it may be a decoy, and without the old page nothing tells. */
        if (r->opt->error_type == HEAL_ERROR_TIMEOUT &&
            keep_if_still_valid(r, now, n_now, now[0], best.e == now[0] ? best.score : 0.5,
                                best.e == now[0] ? margin : 0))
            return;
        refuse(r, "still-matches", "%sthe selector still finds one element, and without the old page it cannot be "
                                   "told whether it is the one the test meant (pass --old to check)", note);
        return;
    }
    if (best.score < HINTS_MIN_SCORE || best.evidence < HINTS_MIN_EVIDENCE) {
        refuse(r, "low-score", "%sno element matches what the selector names well enough (best %.2f)", note,
               best.score);
        return;
    }
    if (margin < HINTS_MIN_MARGIN) {
        refuse(r, "ambiguous", "%stwo candidates are too close (%.2f and %.2f)", note, best.score, runner);
        return;
    }
    answer(r, best.e, best.score * 0.9, margin, "matched on what the selector names (no old page)");
}

int heal_selector(const char *selector, const struct heal_options *opt, heal_doc *new_doc, heal_doc *old_doc,
                  struct heal_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->element = -1;
    out->syntax = opt->syntax;
    if (heal_selector_check(opt->syntax, selector, err, errlen) < 0)
        return -1;
    struct run r = { opt, selector, { 0 }, { 0 }, 0, NULL, 0, out };
    feat_set_init(&r.now, new_doc, opt->test_id_attribute);
    struct dom_node **now = NULL, **then = NULL;
    char e2[200];
    long n_now = select_nodes(new_doc, opt->syntax, selector, opt->test_id_attribute, &now, e2, sizeof e2);
    if (n_now < 0)
        n_now = 0;
    long n_then = 0;
    if (old_doc) {
        feat_set_init(&r.then, old_doc, opt->test_id_attribute);
        r.have_then = 1;
        n_then = select_nodes(old_doc, opt->syntax, selector, opt->test_id_attribute, &then, e2, sizeof e2);
    }
    if (old_doc && n_then > 0)
        heal_with_old_page(&r, then[0], now, n_now);
    else
        heal_from_selector(&r, now, n_now,
                           old_doc ? "the selector finds nothing in the old page either; " : "");
    free(now);
    free(then);
    free(r.rank);
    feat_set_free(&r.now);
    if (r.have_then)
        feat_set_free(&r.then);
    text_similarity_release();
    return 0;
}

void heal_result_free(struct heal_result *r)
{
    free(r->selector);
    free(r->reason);
    for (size_t i = 0; i < r->n_candidates; i++) {
        free(r->candidates[i].selector);
        free(r->candidates[i].description);
    }
    memset(r, 0, sizeof *r);
}
