/* Scoring (see score.h). Weights: identity features (test id, id, accessible name) dominate,
 * structure and position only break ties; a feature counts when the old element had it (a dropped
 * id costs its weight) and is skipped when neither side has it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "score.h"

struct acc {
    double num, den;
};

static void add(struct acc *a, double weight, double sim)
{
    a->num += weight * sim;
    a->den += weight;
}

static int clickable_role(const char *r)
{
    return r && (!strcmp(r, "button") || !strcmp(r, "link") || !strcmp(r, "menuitem") || !strcmp(r, "tab"));
}

static int textual_role(const char *r)
{
    return r && (!strcmp(r, "textbox") || !strcmp(r, "searchbox") || !strcmp(r, "combobox"));
}

double role_similarity(const char *a, const char *b)
{
    if (a && b && !strcmp(a, b))
        return 1.0;
    if ((clickable_role(a) && clickable_role(b)) || (textual_role(a) && textual_role(b)))
        return 0.5;
    return 0.0;
}

static double tag_similarity(const struct feat *o, const struct feat *n)
{
    if (!strcmp(o->tag, n->tag))
        return 1.0;
    return role_similarity(o->role, n->role) > 0 ? 0.6 : 0.0;
}

static double id_similarity(const char *a, const char *b)
{
    if (!strcmp(a, b))
        return 1.0;
    struct tokens ta = { 0 }, tb = { 0 };
    tok_split(a, &ta);
    tok_split(b, &tb);
    double s = tok_similarity(&ta, &tb) * 0.9;
    tok_free(&ta);
    tok_free(&tb);
    return s;
}

static double href_similarity(const char *a, const char *b)
{
    if (!strcmp(a, b))
        return 1.0;
    size_t la = strcspn(a, "?#"), lb = strcspn(b, "?#");
    if (la == lb && !strncmp(a, b, la))
        return 0.85;
    return id_similarity(a, b) * 0.8;
}

/* Longest common subsequence of the ancestor tag chains, over the longer chain. */
static double path_similarity(const struct feat *o, const struct feat *n)
{
    size_t a = o->path_n, b = n->path_n;
    if (!a && !b)
        return 1.0;
    unsigned t[FEAT_PATH_MAX + 1][FEAT_PATH_MAX + 1];
    memset(t, 0, sizeof t);
    for (size_t i = 1; i <= a; i++)
        for (size_t k = 1; k <= b; k++)
            t[i][k] = !strcmp(o->path[i - 1], n->path[k - 1]) ? t[i - 1][k - 1] + 1
                      : t[i - 1][k] > t[i][k - 1]             ? t[i - 1][k]
                                                               : t[i][k - 1];
    return (double)t[a][b] / (double)(a > b ? a : b);
}

static void add_optional_text(struct acc *acc, double weight, const char *o, const char *n)
{
    if (o)
        add(acc, weight, n ? text_similarity(o, n) : 0.0);
}

double score_against_old(const struct feat *o, const struct feat *n)
{
    struct acc acc = { 0, 0 };
    add(&acc, 1.0, tag_similarity(o, n));
    if (o->role || n->role)
        add(&acc, 1.5, role_similarity(o->role, n->role));
    if (o->testid)
        add(&acc, 3.0, n->testid ? id_similarity(o->testid, n->testid) : 0.0);
    if (o->id)
        add(&acc, 2.0, n->id ? id_similarity(o->id, n->id) : 0.0);
    if (o->form_name)
        add(&acc, 2.0, n->form_name ? id_similarity(o->form_name, n->form_name) : 0.0);
    if (o->ident_tok.n && n->ident_tok.n)
        add(&acc, 1.0, tok_similarity(&o->ident_tok, &n->ident_tok));
    if (o->name || n->name)
        add(&acc, 3.0, o->name && n->name ? text_similarity(o->name, n->name) : 0.0);
    else if (o->text || n->text)
        add(&acc, 2.5, o->text && n->text ? text_similarity(o->text, n->text) : 0.0);
    add_optional_text(&acc, 1.5, o->label, n->label);
    add_optional_text(&acc, 1.5, o->placeholder, n->placeholder);
    add_optional_text(&acc, 0.5, o->title, n->title);
    add_optional_text(&acc, 1.5, o->alt, n->alt);
    add_optional_text(&acc, 0.5, o->value, n->value);
    if (o->type)
        add(&acc, 1.0, n->type && !strcmp(o->type, n->type) ? 1.0 : 0.0);
    if (o->href)
        add(&acc, 1.5, n->href ? href_similarity(o->href, n->href) : 0.0);
    if (o->class_tok.n)
        add(&acc, 1.2, tok_similarity(&o->class_tok, &n->class_tok));
    if (o->ctx_tok.n)
        add(&acc, 1.5, tok_similarity(&o->ctx_tok, &n->ctx_tok));
    add(&acc, 1.5, path_similarity(o, n));
    double d = fabs(o->relpos - n->relpos);
    add(&acc, 0.5, d >= 0.25 ? 0.0 : 1.0 - d * 4);
    double s = acc.den > 0 ? acc.num / acc.den : 0.0;
    if (o->rendered && !n->rendered)
        s *= 0.7;
    return s;
}

static int interactive(const char *role)
{
    static const char *const roles[] = { "button", "link", "textbox", "searchbox", "combobox", "checkbox", "radio",
                                         "switch", "tab", "menuitem", "option", "spinbutton", "slider", "listbox",
                                         NULL };
    for (size_t i = 0; role && roles[i]; i++)
        if (!strcmp(role, roles[i]))
            return 1;
    return 0;
}

static double best3(double a, double b, double c)
{
    double m = a > b ? a : b;
    return m > c ? m : c;
}

static int has_specific_word(const struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->w[i] >= 1.0f)
            return 1;
    return 0;
}

/* Class words: mostly against the candidate's classes (a class rename keeps them there), a little
 * against everything else it is known by. */
static double class_vs(const struct hints *h, const struct feat *n)
{
    const struct tokens *cls[] = { &n->class_tok };
    const struct tokens *all[] = { &n->ident_tok, &n->class_tok, &n->name_tok, &n->kind_tok };
    return (0.7 * tok_coverage(&h->class_tok, cls, 1) + 0.3 * tok_coverage(&h->class_tok, all, 4)) * 0.9;
}

static double ident_vs(const struct hints *h, const struct feat *n)
{
    double by_class = h->class_tok.n && has_specific_word(&h->class_tok) ? class_vs(h, n) : 0.0;
    if (!h->ident_tok.n)
        return by_class;
    double exact = 0.0;
    if ((h->id && n->id && !strcmp(h->id, n->id)) || (h->testid && n->testid && !strcmp(h->testid, n->testid)) ||
        (h->form_name && n->form_name && !strcmp(h->form_name, n->form_name)))
        exact = 1.0;
    double ident = tok_similarity(&h->ident_tok, &n->ident_tok);
    double cls = tok_similarity(&h->ident_tok, &n->class_tok) * 0.8;
    double named = tok_similarity(&h->ident_tok, &n->name_tok) * 0.85;
    double best = best3(ident, cls, named);
    /* every word of the old name found on the element (its id, classes, text): a rename that kept
     * the words (loginBtn -> login-submit, .publish-button -> .btn-publish) */
    const struct tokens *all[] = { &n->ident_tok, &n->class_tok, &n->name_tok, &n->kind_tok };
    if (has_specific_word(&h->ident_tok)) {
        double cover = tok_coverage(&h->ident_tok, all, 4) * 0.85;
        if (cover > best)
            best = cover;
    }
    if (by_class > best)
        best = by_class;
    return exact > best ? exact : best;
}

static double text_vs_name(const char *want, const struct feat *n)
{
    double a = n->name ? text_similarity(want, n->name) : 0.0;
    double b = n->text ? text_similarity(want, n->text) : 0.0;
    double best = a > b ? a : b;
    struct tokens w = { 0 };
    tok_split_cached(want, &w);
    if (has_specific_word(&w)) {
        /* all the words looked for, in a longer or reordered text ("Search orders" in "Search by order
         * number"); not the reverse: "Users" is not "Add user" */
        const struct tokens *mine[] = { &n->name_tok };
        const struct tokens *theirs[] = { &w };
        (void)theirs;   /* the other direction (all the element's words in the text) proved too loose */
        double c = tok_coverage(&w, mine, 1) * 0.85;
        if (c > best)
            best = c;
    }
    tok_free(&w);
    return best;
}

double score_against_hints(const struct hints *h, const struct feat *n, double *evidence)
{
    struct acc acc = { 0, 0 };
    double ev = 0.0;
#define EVIDENCE(v) do { double v_ = (v); if (v_ > ev) ev = v_; } while (0)
    int tag_differs = h->tag && strcasecmp(h->tag, n->tag);
    if (h->tag)
        add(&acc, 1.0, tag_differs ? 0.0 : 1.0);
    if (h->role)
        add(&acc, 1.5, n->role && !strcmp(h->role, n->role) ? 1.0 : role_similarity(h->role, n->role));
    if (h->ident_tok.n || h->class_tok.n) {
        double s = ident_vs(h, n);
        add(&acc, 3.0, s);
        EVIDENCE(s);
    }
    const char *texts[] = { h->text, h->aria_label };
    for (size_t i = 0; i < 2; i++)
        if (texts[i]) {
            double s = text_vs_name(texts[i], n);
            add(&acc, 3.0, s);
            EVIDENCE(s);
        }
    struct {
        const char *want, *have;
    } fields[] = { { h->label, n->label }, { h->placeholder, n->placeholder }, { h->alt, n->alt },
                   { h->title, n->title } };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (!fields[i].want)
            continue;
        double direct = fields[i].have ? text_similarity(fields[i].want, fields[i].have) : 0.0;
        if (fields[i].have) {   /* all the words looked for, in a longer text */
            struct tokens w = { 0 }, have = { 0 };
            tok_split_cached(fields[i].want, &w);
            tok_split_cached(fields[i].have, &have);
            const struct tokens *sets[] = { &have };
            double c = has_specific_word(&w) ? tok_coverage(&w, sets, 1) * 0.85 : 0.0;
            if (c > direct)
                direct = c;
            tok_free(&w);
            tok_free(&have);
        }
        double via_name = n->name ? text_similarity(fields[i].want, n->name) * 0.8 : 0.0;
        double s = direct > via_name ? direct : via_name;
        add(&acc, 3.0, s);
        EVIDENCE(s);
    }
    if (h->type)
        add(&acc, 1.0, n->type && !strcasecmp(h->type, n->type) ? 1.0 : 0.0);
    if (h->href) {
        double s = n->href ? href_similarity(h->href, n->href) : 0.0;
        add(&acc, 2.0, s);
        EVIDENCE(s);
    }
    if (h->ctx_tok.n)
        add(&acc, 1.0, tok_similarity(&h->ctx_tok, &n->ctx_tok));
#undef EVIDENCE
    *evidence = ev;
    double s = acc.den > 0 ? acc.num / acc.den : 0.0;
    if (!n->rendered)
        s *= 0.7;
    if (h->role && role_similarity(h->role, n->role) == 0)
        s *= 0.5;   /* getByRole('button') names the kind of element: a cell is not a heal */
    if (tag_differs && !(h->role && role_similarity(h->role, n->role) > 0))
        s *= 0.6;   /* button[...] names a button: a label with the same words is not it */
    if (!h->role && !h->tag && !interactive(n->role))
        s *= 0.85;  /* tests act on controls: a label or heading with the same words is a weaker match */
    return s;
}
