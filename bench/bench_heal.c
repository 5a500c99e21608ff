/* Healing accuracy and speed on the corpus (test/fixtures/healing), side by side with a naive
 * baseline in the same run (keep the old selector when it still matches, else the first element whose
 * whole text equals the old element's text), with and without the old page: correct / wrong /
 * refused, precision and recall per difficulty and per syntax, decoys, removed elements, how the
 * confidence lines up with precision, and the time per case on the corpus and on a ~200 KB page.
 *   bench_heal [CORPUS_DIR] [-v]     (default test/fixtures/healing; -v lists every case)
 * Built by make benches; make bench runs it (make heal-bench runs only this). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heal_corpus.h"

#define SPEED_RUNS 7

static const char *const difficulties[] = { "easy", "medium", "hard" };
static const char *const syntaxes[] = { "css", "xpath", "playwright" };

struct run {
    struct case_result *results;   /* per case */
    int method, with_old;
    const char *label;
};

static void print_row(const char *label, const struct tally *t)
{
    printf("| %-28s | %3u | %3u | %3u | %5.3f | %5.3f |\n", label, t->correct, t->wrong, t->refused,
           tally_precision(t), tally_recall(t));
}

static void report(const struct corpus *c, const struct run *r)
{
    struct tally all = { 0 };
    printf("\n### %s\n\n| group | correct | wrong | refused | precision | recall |\n|---|---|---|---|---|---|\n",
           r->label);
    for (size_t i = 0; i < c->n; i++)
        tally_add(&all, &c->cases[i], &r->results[i]);
    print_row("all", &all);
    for (size_t d = 0; d < 3; d++) {
        struct tally t = { 0 };
        for (size_t i = 0; i < c->n; i++)
            if (!strcmp(c->cases[i].difficulty, difficulties[d]))
                tally_add(&t, &c->cases[i], &r->results[i]);
        char label[64];
        snprintf(label, sizeof label, "difficulty %s", difficulties[d]);
        print_row(label, &t);
    }
    for (size_t s = 0; s < 3; s++) {
        struct tally t = { 0 };
        for (size_t i = 0; i < c->n; i++)
            if (!strcmp(c->cases[i].syntax, syntaxes[s]))
                tally_add(&t, &c->cases[i], &r->results[i]);
        char label[64];
        snprintf(label, sizeof label, "syntax %s", syntaxes[s]);
        print_row(label, &t);
    }
    printf("\nremoved elements: %u cases, healed anyway: %u; decoys: %u cases, taken: %u\n", all.removed,
           all.removed_healed, all.decoys, all.decoys_taken);
}

/* Confidence against observed precision, in bins (engine with the old page and without, pooled). */
static void calibration(const struct corpus *c, const struct run *a, const struct run *b)
{
    static const double edges[] = { 0.0, 0.6, 0.7, 0.8, 0.9, 1.01 };
    printf("\n### confidence vs precision (engine, both modes)\n\n| confidence | heals | correct | precision |\n|---|---|---|---|\n");
    for (size_t e = 0; e + 1 < sizeof edges / sizeof edges[0]; e++) {
        unsigned heals = 0, ok = 0;
        const struct run *runs[] = { a, b };
        for (size_t k = 0; k < 2; k++)
            for (size_t i = 0; i < c->n; i++) {
                const struct case_result *x = &runs[k]->results[i];
                if (x->outcome == OUT_REFUSED || x->confidence < edges[e] || x->confidence >= edges[e + 1])
                    continue;
                heals++;
                ok += x->outcome == OUT_CORRECT;
            }
        char precision[16] = "-";
        if (heals)
            snprintf(precision, sizeof precision, "%.3f", (double)ok / heals);
        printf("| %.2f-%.2f | %u | %u | %s |\n", edges[e], edges[e + 1] > 1 ? 1.0 : edges[e + 1], heals, ok,
               precision);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the machine is shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A ~200 KB page: the dashboard's order table grown to a few hundred rows, before and after the
 * export button lost its id and the search field was renamed. */
static char *grow_page(const char *html, size_t target, int renamed)
{
    const char *row_start = strstr(html, "<tbody");
    row_start = row_start ? strchr(row_start, '\n') + 1 : NULL;
    const char *row_end = row_start ? strstr(row_start, "</tr>") : NULL;
    const char *tail = row_start ? strstr(row_start, "</tbody>") : NULL;
    if (!row_end || !tail)
        return NULL;
    row_end += 5;
    size_t row_len = (size_t)(row_end - row_start), cap = target + strlen(html) + 4096;
    char *out = malloc(cap), *p = out;
    memcpy(p, html, (size_t)(row_start - html));
    p += row_start - html;
    for (unsigned i = 0; (size_t)(p - out) + row_len + 64 < target; i++) {
        int n = snprintf(p, cap - (size_t)(p - out), "<tr data-row=\"%u\">%.*s\n", 20000 + i, (int)(row_len - 4),
                         row_start + 4);
        p += n;
    }
    strcpy(p, tail - 0);
    if (renamed) {
        char *id = strstr(out, "id=\"export-csv\" ");
        if (id)
            memmove(id, id + 16, strlen(id + 16) + 1);
        char *s = strstr(out, "id=\"order-search\"");
        if (s)
            memcpy(s, "id=\"orders-find\"", 16), memmove(s + 16, s + 17, strlen(s + 17) + 1);
    }
    return out;
}

static void speed_on_big_page(const struct corpus *c)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/base/tailwind-dashboard.html", c->dir);
    size_t len;
    char *base = corpus_read_file(path, &len);
    char *old_html = base ? grow_page(base, 200 * 1024, 0) : NULL;
    char *new_html = base ? grow_page(base, 200 * 1024, 1) : NULL;
    if (!old_html || !new_html) {
        printf("\nspeed on a 200 KB page: could not build the page from %s\n", path);
        free(base);
        free(old_html);
        free(new_html);
        return;
    }
    static const struct { const char *sel; int syntax; } cases[] = {
        { "#export-csv", HEAL_SYNTAX_CSS }, { "//input[@id='order-search']", HEAL_SYNTAX_XPATH },
        { "getByRole('button', { name: 'Export CSV' })", HEAL_SYNTAX_PLAYWRIGHT },
    };
    printf("\n### speed on a %zu KB page (%zu KB old page), median of %d runs, CPU time\n\n"
           "| selector | parse both pages | heal (engine) | heal (baseline: old selector, text) |\n|---|---|---|---|\n",
           strlen(new_html) / 1024, strlen(old_html) / 1024, SPEED_RUNS);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double parse[SPEED_RUNS], heal[SPEED_RUNS], base_t[SPEED_RUNS];
        int ok = 1;
        for (int r = 0; r < SPEED_RUNS; r++) {
            char err[256];
            double t0 = now_s();
            heal_doc *now = heal_doc_parse(new_html, strlen(new_html), err, sizeof err);
            heal_doc *then = heal_doc_parse(old_html, strlen(old_html), err, sizeof err);
            double t1 = now_s();
            struct heal_options o = HEAL_OPTIONS_INIT;
            o.syntax = (enum heal_syntax)cases[k].syntax;
            struct heal_result h;
            ok &= now && then && heal_selector(cases[k].sel, &o, now, then, &h, err, sizeof err) == 0 && h.success;
            double t2 = now_s();
            if (now && then)
                heal_result_free(&h);
            heal_doc_free(now);
            heal_doc_free(then);
            /* baseline on fresh documents: the old selector, then a text search */
            now = heal_doc_parse(new_html, strlen(new_html), err, sizeof err);
            double t3 = now_s();
            struct heal_matches m;
            heal_select(now, o.syntax, cases[k].sel, NULL, &m, err, sizeof err);
            heal_matches_free(&m);
            heal_select(now, HEAL_SYNTAX_PLAYWRIGHT, "text=\"Export CSV\"", NULL, &m, err, sizeof err);
            heal_matches_free(&m);
            double t4 = now_s();
            heal_doc_free(now);
            parse[r] = t1 - t0, heal[r] = t2 - t1, base_t[r] = t4 - t3;
        }
        qsort(parse, SPEED_RUNS, sizeof *parse, cmp_double);
        qsort(heal, SPEED_RUNS, sizeof *heal, cmp_double);
        qsort(base_t, SPEED_RUNS, sizeof *base_t, cmp_double);
        printf("| `%s` | %.1f ms | %.1f ms%s | %.1f ms |\n", cases[k].sel, parse[SPEED_RUNS / 2] * 1e3,
               heal[SPEED_RUNS / 2] * 1e3, ok ? "" : " (did not heal)", base_t[SPEED_RUNS / 2] * 1e3);
    }
    free(base);
    free(old_html);
    free(new_html);
}

int main(int argc, char **argv)
{
    const char *dir = "test/fixtures/healing";
    int verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else
            dir = argv[i];
    }
    struct corpus c;
    char err[512];
    if (corpus_load(dir, &c, err, sizeof err) < 0) {
        fprintf(stderr, "bench_heal: %s\n", err);
        return 1;
    }
    struct run runs[4] = {
        { NULL, METHOD_ENGINE, 1, "engine, with the old page" },
        { NULL, METHOD_BASELINE, 1, "baseline, with the old page" },
        { NULL, METHOD_ENGINE, 0, "engine, new page only" },
        { NULL, METHOD_BASELINE, 0, "baseline, new page only" },
    };
    double times[2048];
    size_t n_times = 0;
    for (size_t k = 0; k < 4; k++) {
        runs[k].results = calloc(c.n, sizeof *runs[k].results);
        for (size_t i = 0; i < c.n; i++) {
            struct case_result *r = &runs[k].results[i];
            if (corpus_run(&c, &c.cases[i], runs[k].method, runs[k].with_old, r, err, sizeof err) < 0) {
                fprintf(stderr, "bench_heal: %s\n", err);
                return 1;
            }
            if (runs[k].method == METHOD_ENGINE && n_times < 2048)
                times[n_times++] = r->seconds;
            if (verbose)
                printf("%-10s %-5s %-8s %-45s %s\n", k == 0 ? "engine+old" : k == 1 ? "base+old" : k == 2 ? "engine" : "base",
                       r->outcome == OUT_CORRECT ? "ok" : r->outcome == OUT_WRONG ? "WRONG" : "-",
                       c.cases[i].difficulty, c.cases[i].id, r->detail);
        }
    }
    printf("## healing corpus: %zu page pairs, %zu cases (%s)\n", c.n_pairs, c.n, dir);
    for (size_t k = 0; k < 4; k++)
        report(&c, &runs[k]);
    calibration(&c, &runs[0], &runs[2]);
    qsort(times, n_times, sizeof *times, cmp_double);
    printf("\nengine time per corpus case (pages parsed, %zu runs): median %.2f ms, max %.2f ms\n", n_times,
           times[n_times / 2] * 1e3, times[n_times - 1] * 1e3);
    speed_on_big_page(&c);
    for (size_t k = 0; k < 4; k++)
        free(runs[k].results);
    corpus_free(&c);
    return 0;
}
