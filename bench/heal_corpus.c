/* The healing corpus and its judge (see heal_corpus.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heal_corpus.h"

char *corpus_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static char *dup_field(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
}

int corpus_load(const char *dir, struct corpus *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    char path[1024];
    snprintf(path, sizeof path, "%s/cases.json", dir);
    size_t len;
    char *text = corpus_read_file(path, &len);
    if (!text) {
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    const cJSON *pairs = cJSON_GetObjectItemCaseSensitive(root, "pairs");
    if (!cJSON_IsArray(cases) || !cJSON_IsArray(pairs)) {
        cJSON_Delete(root);
        snprintf(err, errlen, "%s: no cases", path);
        return -1;
    }
    c->dir = strdup(dir);
    c->n_pairs = (size_t)cJSON_GetArraySize(pairs);
    c->cases = calloc((size_t)cJSON_GetArraySize(cases) + 1, sizeof *c->cases);
    const cJSON *o;
    cJSON_ArrayForEach(o, cases)
    {
        struct corpus_case *k = &c->cases[c->n++];
        k->id = dup_field(o, "id");
        k->site = dup_field(o, "site");
        k->variant = dup_field(o, "variant");
        k->syntax = dup_field(o, "syntax");
        k->selector = dup_field(o, "selector");
        k->target_old = dup_field(o, "target_old");
        k->target_new = dup_field(o, "target_new");
        k->difficulty = dup_field(o, "difficulty");
        k->old_page = dup_field(o, "old");
        k->new_page = dup_field(o, "new");
        k->decoy = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "decoy"));
    }
    cJSON_Delete(root);
    return 0;
}

void corpus_free(struct corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct corpus_case *k = &c->cases[i];
        char *f[] = { k->id, k->site, k->variant, k->syntax, k->selector, k->target_old, k->target_new,
                      k->difficulty, k->old_page, k->new_page };
        for (size_t j = 0; j < sizeof f / sizeof f[0]; j++)
            free(f[j]);
    }
    free(c->cases);
    free(c->dir);
    memset(c, 0, sizeof *c);
}

static heal_doc *load(const struct corpus *c, const char *rel, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", c->dir, rel);
    size_t len;
    char *html = corpus_read_file(path, &len);
    if (!html) {
        snprintf(err, errlen, "%s: cannot read", path);
        return NULL;
    }
    heal_doc *d = heal_doc_parse(html, len, err, errlen);
    free(html);
    return d;
}

/* The element a CSS target selector names; -1 when it does not name exactly one. */
static long target_of(heal_doc *d, const char *css)
{
    struct heal_matches m;
    char err[200];
    if (!css || heal_select(d, HEAL_SYNTAX_CSS, css, NULL, &m, err, sizeof err) < 0)
        return -1;
    long r = m.count == 1 ? (long)m.items[0] : -1;
    heal_matches_free(&m);
    return r;
}

/* The first element of the page with the same tag and exactly that whole text (XPath
 * normalize-space), as a test writer's quick fix would find it. */
static long first_with_tag_and_text(heal_doc *d, const char *tag, const char *text)
{
    if (!text || !text[0] || strchr(text, '\''))
        return -1;
    char *sel = malloc(strlen(tag) + strlen(text) + 64);
    sprintf(sel, "//%s[normalize-space()='%s']", tag, text);
    struct heal_matches m;
    char err[200];
    long r = -1;
    if (heal_select(d, HEAL_SYNTAX_XPATH, sel, NULL, &m, err, sizeof err) == 0 && m.count)
        r = (long)m.items[0];
    heal_matches_free(&m);
    free(sel);
    return r;
}

/* Without the old page: the innermost element whose own text is exactly what the selector names. */
static long first_with_text(heal_doc *d, const char *text)
{
    if (!text || !text[0])
        return -1;
    /* text= with quotes is Playwright's exact match of the element's own text nodes */
    size_t n = strlen(text);
    char *sel = malloc(n * 2 + 16);
    char *p = sel;
    p += sprintf(p, "text=\"");
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '"' || text[i] == '\\')
            *p++ = '\\';
        *p++ = text[i];
    }
    strcpy(p, "\"");
    struct heal_matches m;
    char err[200];
    long r = -1;
    if (heal_select(d, HEAL_SYNTAX_PLAYWRIGHT, sel, NULL, &m, err, sizeof err) == 0 && m.count)
        r = (long)m.items[0];
    heal_matches_free(&m);
    free(sel);
    return r;
}

static int baseline(heal_doc *now, heal_doc *then, const struct corpus_case *k, int syntax, long target_old,
                    long *answer, char *detail, size_t dlen)
{
    struct heal_matches m;
    char err[200];
    if (heal_select(now, (enum heal_syntax)syntax, k->selector, NULL, &m, err, sizeof err) == 0 && m.count) {
        *answer = (long)m.items[0];
        heal_matches_free(&m);
        snprintf(detail, dlen, "kept the old selector");
        return 1;
    }
    heal_matches_free(&m);
    const char *text = NULL;
    char buf[512] = "";
    if (then && target_old >= 0) {
        heal_doc_text(then, (size_t)target_old, buf, sizeof buf);
        text = buf;
        *answer = first_with_tag_and_text(now, heal_doc_tag(then, (size_t)target_old), text);
    } else {
        heal_selector_text(k->selector, (enum heal_syntax)syntax, buf, sizeof buf);
        text = buf;
        *answer = first_with_text(now, text);
    }
    snprintf(detail, dlen, *answer >= 0 ? "exact text \"%.80s\"" : "no element with text \"%.80s\"", text);
    return *answer >= 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the machine is shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int corpus_run(const struct corpus *c, const struct corpus_case *k, enum method m, int with_old,
               struct case_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    int syntax = heal_syntax_parse(k->syntax);
    heal_doc *now = load(c, k->new_page, err, errlen);
    heal_doc *then = now ? load(c, k->old_page, err, errlen) : NULL;
    if (!now || !then || syntax < 0) {
        heal_doc_free(now);
        heal_doc_free(then);
        if (syntax < 0)
            snprintf(err, errlen, "%s: unknown syntax %s", k->id, k->syntax);
        return -1;
    }
    long target_old = target_of(then, k->target_old);
    long target_new = k->target_new ? target_of(now, k->target_new) : -1;
    if (target_old < 0 || (k->target_new && target_new < 0)) {
        snprintf(err, errlen, "%s: target selector does not name exactly one element", k->id);
        heal_doc_free(now);
        heal_doc_free(then);
        return -1;
    }
    r->removed = k->target_new == NULL;
    long answer = -1;
    int healed = 0;
    double t0 = now_s();
    if (m == METHOD_BASELINE) {
        healed = baseline(now, with_old ? then : NULL, k, syntax, target_old, &answer, r->detail, sizeof r->detail);
        r->confidence = healed ? 1.0 : 0.0;
    } else {
        struct heal_options o = HEAL_OPTIONS_INIT;
        o.syntax = (enum heal_syntax)syntax;
        struct heal_result h;
        if (heal_selector(k->selector, &o, now, with_old ? then : NULL, &h, err, errlen) < 0) {
            heal_doc_free(now);
            heal_doc_free(then);
            return -1;
        }
        healed = h.success;
        r->confidence = h.confidence;
        snprintf(r->detail, sizeof r->detail, "%s", h.success ? h.selector : h.reason);
        if (healed) {
            /* judge the selector itself, as a test would run it */
            struct heal_matches mm;
            char e2[200];
            if (heal_select(now, o.syntax, h.selector, NULL, &mm, e2, sizeof e2) == 0 && mm.count == 1)
                answer = (long)mm.items[0];
            else
                answer = -2;   /* not unique: a wrong answer */
            heal_matches_free(&mm);
        }
        heal_result_free(&h);
    }
    r->seconds = now_s() - t0;
    if (!healed)
        r->outcome = OUT_REFUSED;
    else
        r->outcome = !r->removed && answer == target_new ? OUT_CORRECT : OUT_WRONG;
    heal_doc_free(now);
    heal_doc_free(then);
    return 0;
}

void tally_add(struct tally *t, const struct corpus_case *k, const struct case_result *r)
{
    t->correct += r->outcome == OUT_CORRECT;
    t->wrong += r->outcome == OUT_WRONG;
    t->refused += r->outcome == OUT_REFUSED;
    t->removed += r->removed;
    t->removed_healed += r->removed && r->outcome == OUT_WRONG;
    t->decoys += k->decoy != 0;
    t->decoys_taken += k->decoy && r->outcome == OUT_WRONG;
}

double tally_precision(const struct tally *t)
{
    unsigned healed = t->correct + t->wrong;
    return healed ? (double)t->correct / healed : 1.0;
}

double tally_recall(const struct tally *t)
{
    unsigned present = t->correct + t->wrong + t->refused - t->removed;
    return present ? (double)t->correct / present : 1.0;
}
