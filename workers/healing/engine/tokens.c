/* Tokens and similarity (see tokens.h). */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textutil.h"
#include "tokens.h"

/* Canonical forms: every word on a line maps to the first one. Multi-word phrases are joined
 * before lookup ("sign in" -> "signin"). */
static const char *const strong_synonyms[][6] = {
    { "login", "signin", "logon", "log-in", NULL },
    { "signup", "register", "registration", "join", "enroll", NULL },
    { "logout", "signout", "logoff", NULL },
    { "delete", "remove", "trash", "erase", NULL },
    { "email", "mail", "e-mail", NULL },
    { "password", "pwd", "pass", "passwd", "passcode", NULL },
    { "phone", "telephone", "tel", "mobile", NULL },
    { "cart", "basket", "bag", NULL },
    { "search", "find", "lookup", NULL },
    { "quantity", "qty", NULL },
    { "message", "msg", NULL },
    { "description", "desc", NULL },
    { "image", "img", "photo", "picture", "pic", NULL },
    { "button", "btn", NULL },
    { "settings", "preferences", "prefs", "config", "configuration", NULL },
    { "navigation", "nav", NULL },
    { "number", "num", "no", NULL },
    { "address", "addr", NULL },
    { "firstname", "givenname", "fname", "forename", NULL },
    { "lastname", "surname", "familyname", "lname", NULL },
    { "username", "userid", "uname", NULL },
    { "notification", "alert", NULL },
    { "close", "dismiss", NULL },
    { "previous", "prev", "back", NULL },
    { "organization", "organisation", "org", "company", NULL },
    { "zipcode", "zip", "postcode", "postalcode", NULL },
    { "completed", "complete", "done", "finished", NULL },
    { "coupon", "voucher", "promo", "promocode", "discount", NULL },
};

static const char *const weak_synonyms[][7] = {
    { "submit", "continue", "next", "proceed", "send", "confirm", NULL },
    { "save", "update", "apply", "store", NULL },
    { "profile", "account", "me", NULL },
    { "checkout", "pay", "purchase", "buy", "order", NULL },
    { "cancel", "close", "dismiss", "abort", NULL },
    { "edit", "modify", "change", NULL },
    { "add", "create", "new", NULL },
    { "help", "support", "faq", NULL },
    { "home", "dashboard", "overview", NULL },
    { "filter", "refine", NULL },
};

static const char *const phrases[][2] = {
    { "sign in", "signin" }, { "log in", "login" }, { "sign up", "signup" }, { "log out", "logout" },
    { "sign out", "signout" }, { "first name", "firstname" }, { "last name", "lastname" },
    { "given name", "givenname" }, { "family name", "familyname" }, { "user name", "username" },
    { "zip code", "zipcode" }, { "postal code", "postalcode" }, { "e mail", "email" },
    { "create account", "signup" }, { "check out", "checkout" }, { "add to cart", "addtocart" },
};

static const char *const generic_words[] = { "button", "input", "field", "link", "icon", "container", "wrapper",
                                             "item", "el", "element", "box", "control", "label", "text", "the",
                                             "a", "an", "to", "of", "and", "for", "your", "my", "div", "span",
                                             "main", "primary", "secondary", "form", "page", "section", "c", NULL };

/* One table of every word the lists above mention: its canonical form, weak group, generic flag.
 * Built once (pthread_once); lookups are a hash and a short probe. */
#define WORD_TABLE_SIZE 1024

struct word_info {
    const char *word, *canonical;
    int weak;
    int generic;
};

static struct word_info word_table[WORD_TABLE_SIZE];
static pthread_once_t word_table_once = PTHREAD_ONCE_INIT;

static uint32_t word_hash(const char *w)
{
    uint32_t h = 2166136261u;
    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * 16777619u;
    return h;
}

static struct word_info *word_slot(const char *w, int create)
{
    for (uint32_t i = word_hash(w) % WORD_TABLE_SIZE;; i = (i + 1) % WORD_TABLE_SIZE) {
        if (!word_table[i].word) {
            if (!create)
                return NULL;
            word_table[i] = (struct word_info){ w, w, -1, 0 };
            return &word_table[i];
        }
        if (!strcmp(word_table[i].word, w))
            return &word_table[i];
    }
}

static void build_word_table(void)
{
    for (size_t i = 0; i < sizeof strong_synonyms / sizeof strong_synonyms[0]; i++)
        for (size_t k = 0; strong_synonyms[i][k]; k++)
            word_slot(strong_synonyms[i][k], 1)->canonical = strong_synonyms[i][0];
    for (size_t i = 0; i < sizeof weak_synonyms / sizeof weak_synonyms[0]; i++)
        for (size_t k = 0; weak_synonyms[i][k]; k++) {
            struct word_info *wi = word_slot(weak_synonyms[i][k], 1);
            if (wi->weak < 0)
                wi->weak = (int)i;
        }
    for (size_t i = 0; generic_words[i]; i++)
        word_slot(generic_words[i], 1)->generic = 1;
}

static const struct word_info *word_info(const char *w)
{
    pthread_once(&word_table_once, build_word_table);
    return word_slot(w, 0);
}

static const char *canonical(const char *w)
{
    const struct word_info *wi = word_info(w);
    return wi ? wi->canonical : w;
}

static int weak_group(const char *w)
{
    const struct word_info *wi = word_info(w);
    return wi ? wi->weak : -1;
}

static int is_generic(const char *w)
{
    const struct word_info *wi = word_info(w);
    return wi ? wi->generic : 0;
}

static void push(struct tokens *out, const char *w)
{
    if (out->n >= TOK_MAX || !w[0])
        return;
    for (size_t i = 0; i < out->n; i++)
        if (!strcmp(out->t[i], w))
            return;
    out->t[out->n] = text_xstrdup(w);
    uint32_t h = 2166136261u;
    for (const char *c = w; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    out->h[out->n] = h;
    out->g[out->n] = (signed char)weak_group(w);
    size_t len = strlen(w);
    out->len[out->n] = (unsigned char)(len > 255 ? 255 : len);
    int numeric = isdigit((unsigned char)w[0]) != 0;
    out->w[out->n] = is_generic(w) ? 0.3f : numeric ? 0.4f : 1.0f;
    out->n++;
}

/* Words of s: split at non-alphanumerics, lower-to-upper case changes and letter/digit changes. */
static size_t raw_words(const char *s, char words[][48], size_t max)
{
    size_t n = 0, len = 0;
    char cur[48];
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0;; i++) {
        unsigned char c = p[i];
        int alnum = isalnum(c) || c >= 0x80;
        int boundary = !alnum;
        if (alnum && len) {
            unsigned char prev = p[i - 1];
            if (islower(prev) && isupper(c))
                boundary = 1;
            else if (isupper(prev) && isupper(c) && islower(p[i + 1]) && len > 1)
                boundary = 1;
            else if ((isdigit(prev) != 0) != (isdigit(c) != 0))
                boundary = 1;
        }
        if ((boundary || !c) && len) {
            cur[len] = '\0';
            if (n < max) {
                size_t k;
                for (k = 0; cur[k]; k++)
                    words[n][k] = (char)tolower((unsigned char)cur[k]);
                words[n][k] = '\0';
                n++;
            }
            len = 0;
        }
        if (!c)
            break;
        if (alnum && len < sizeof cur - 1)
            cur[len++] = (char)c;
    }
    return n;
}

static void fold_plural(char *w)
{
    size_t n = strlen(w);
    if (n > 4 && !strcmp(w + n - 3, "ies"))
        strcpy(w + n - 3, "y");
    else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
        w[n - 1] = '\0';
}

void tok_split(const char *s, struct tokens *out)
{
    if (!s || !*s)
        return;
    char words[64][48];
    size_t n = raw_words(s, words, 64);
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n) {
            int joined = 0;
            size_t lw = strlen(words[i]);
            for (size_t k = 0; k < sizeof phrases / sizeof phrases[0] && !joined; k++) {
                const char *ph = phrases[k][0];
                if (!strncmp(ph, words[i], lw) && ph[lw] == ' ' && !strcmp(ph + lw + 1, words[i + 1])) {
                    push(out, canonical(phrases[k][1]));
                    joined = 1;
                }
            }
            if (joined) {
                i++;
                continue;
            }
        }
        fold_plural(words[i]);
        push(out, canonical(words[i]));
    }
}

void tok_free(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->t[i]);
    t->n = 0;
}

static size_t common_prefix(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

static double word_similarity(const struct tokens *x, size_t i, const struct tokens *y, size_t k)
{
    if (x->h[i] == y->h[k] && !strcmp(x->t[i], y->t[k]))
        return 1.0;
    if (x->g[i] >= 0 && x->g[i] == y->g[k])
        return 0.6;
    const char *a = x->t[i], *b = y->t[k];
    size_t la = x->len[i], lb = y->len[k];
    if (la < 4 || lb < 4 || a[0] != b[0] || a[1] != b[1])
        return 0.0;
    size_t cp = common_prefix(a, b);
    size_t shorter = la < lb ? la : lb;
    if (shorter >= 4 && cp >= shorter && cp * 10 >= (la > lb ? la : lb) * 6)
        return 0.85;    /* config / configuration, notif / notifications */
    if (shorter >= 5 && cp >= shorter - 1 && (la > lb ? la - lb : lb - la) <= 2)
        return 0.7;     /* spelling variants */
    return 0.0;
}

double tok_coverage(const struct tokens *a, const struct tokens *const *bs, size_t nb)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < a->n; i++) {
        double best = 0;
        for (size_t j = 0; j < nb; j++)
            for (size_t k = 0; k < bs[j]->n; k++) {
                double s = word_similarity(a, i, bs[j], k);
                if (s > best)
                    best = s;
            }
        num += best * a->w[i];
        den += a->w[i];
    }
    return den > 0 ? num / den : 0.0;
}

double tok_similarity(const struct tokens *a, const struct tokens *b)
{
    if (!a->n || !b->n)
        return 0.0;
    double num = 0, den = 0;
    for (int side = 0; side < 2; side++) {
        const struct tokens *x = side ? b : a, *y = side ? a : b;
        for (size_t i = 0; i < x->n; i++) {
            double best = 0;
            for (size_t k = 0; k < y->n; k++) {
                double s = word_similarity(x, i, y, k);
                if (s > best)
                    best = s;
            }
            num += best * x->w[i];
            den += x->w[i];
        }
    }
    return den > 0 ? num / den : 0.0;
}

static double bigram_dice(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la < 2 || lb < 2)
        return 0.0;
    if (la > 256 || lb > 256)
        return 0.0;
    size_t hits = 0;
    unsigned char used[256] = { 0 };
    for (size_t i = 0; i + 1 < la; i++)
        for (size_t k = 0; k + 1 < lb; k++)
            if (!used[k] && a[i] == b[k] && a[i + 1] == b[k + 1]) {
                used[k] = 1;
                hits++;
                break;
            }
    return 2.0 * (double)hits / (double)(la - 1 + lb - 1);
}

/* Tokens of recently compared texts: scoring compares one text against thousands, so each side is
 * lower-cased and split once. Per thread, keyed by the text itself. */
#define TEXT_CACHE_SIZE 512

struct text_entry {
    char *text;          /* as given */
    char *lower;
    struct tokens tok;
};

static _Thread_local struct text_entry text_cache[TEXT_CACHE_SIZE];

static const struct text_entry *text_entry_of(const char *s)
{
    struct text_entry *e = &text_cache[word_hash(s) % TEXT_CACHE_SIZE];
    if (e->text && !strcmp(e->text, s))
        return e;
    free(e->text);
    free(e->lower);
    tok_free(&e->tok);
    e->text = text_xstrdup(s);
    e->lower = text_lower(s);
    tok_split(e->lower, &e->tok);
    return e;
}

void tok_split_cached(const char *s, struct tokens *out)
{
    if (!s || !*s)
        return;
    const struct text_entry *e = text_entry_of(s);
    for (size_t i = 0; i < e->tok.n; i++) {
        if (out->n >= TOK_MAX)
            return;
        size_t k;
        for (k = 0; k < out->n; k++)
            if (out->h[k] == e->tok.h[i] && !strcmp(out->t[k], e->tok.t[i]))
                break;
        if (k < out->n)
            continue;
        out->t[out->n] = text_xstrdup(e->tok.t[i]);
        out->w[out->n] = e->tok.w[i];
        out->h[out->n] = e->tok.h[i];
        out->g[out->n] = e->tok.g[i];
        out->len[out->n] = e->tok.len[i];
        out->n++;
    }
}

void text_similarity_release(void)
{
    for (size_t i = 0; i < TEXT_CACHE_SIZE; i++) {
        free(text_cache[i].text);
        free(text_cache[i].lower);
        tok_free(&text_cache[i].tok);
        text_cache[i].text = text_cache[i].lower = NULL;
    }
}

double text_similarity(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return 0.0;
    if (word_hash(a) % TEXT_CACHE_SIZE == word_hash(b) % TEXT_CACHE_SIZE && strcmp(a, b)) {
        struct text_entry own = { NULL, text_lower(a), { { 0 } } };   /* both want one slot */
        tok_split(own.lower, &own.tok);
        const struct text_entry *y = text_entry_of(b);
        double t = !strcmp(own.lower, y->lower) ? 1.0 : tok_similarity(&own.tok, &y->tok);
        free(own.lower);
        tok_free(&own.tok);
        return t;
    }
    const struct text_entry *x = text_entry_of(a), *y = text_entry_of(b);
    if (!strcmp(x->lower, y->lower))
        return 1.0;
    double t = tok_similarity(&x->tok, &y->tok);
    double c = strlen(x->lower) <= 64 && strlen(y->lower) <= 64 ? bigram_dice(x->lower, y->lower) : 0.0;
    double r = t > c ? t : c;
    return r > 0.97 ? 0.97 : r;   /* equal words in another case or order are not the same text */
}
