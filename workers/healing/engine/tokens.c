/* Tokens and similarity (see tokens.h). */
#include <ctype.h>
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

static const char *canonical(const char *w)
{
    for (size_t i = 0; i < sizeof strong_synonyms / sizeof strong_synonyms[0]; i++)
        for (size_t k = 0; strong_synonyms[i][k]; k++)
            if (!strcmp(w, strong_synonyms[i][k]))
                return strong_synonyms[i][0];
    return w;
}

static int weak_group(const char *w)
{
    for (size_t i = 0; i < sizeof weak_synonyms / sizeof weak_synonyms[0]; i++)
        for (size_t k = 0; weak_synonyms[i][k]; k++)
            if (!strcmp(w, weak_synonyms[i][k]))
                return (int)i;
    return -1;
}

static int is_generic(const char *w)
{
    for (size_t i = 0; generic_words[i]; i++)
        if (!strcmp(w, generic_words[i]))
            return 1;
    return 0;
}

static void push(struct tokens *out, const char *w)
{
    if (out->n >= TOK_MAX || !w[0])
        return;
    for (size_t i = 0; i < out->n; i++)
        if (!strcmp(out->t[i], w))
            return;
    out->t[out->n] = text_xstrdup(w);
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
            char pair[100];
            snprintf(pair, sizeof pair, "%s %s", words[i], words[i + 1]);
            int joined = 0;
            for (size_t k = 0; k < sizeof phrases / sizeof phrases[0]; k++)
                if (!strcmp(pair, phrases[k][0])) {
                    push(out, canonical(phrases[k][1]));
                    joined = 1;
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

static double word_similarity(const char *a, const char *b)
{
    if (!strcmp(a, b))
        return 1.0;
    int ga = weak_group(a), gb = weak_group(b);
    if (ga >= 0 && ga == gb)
        return 0.6;
    size_t la = strlen(a), lb = strlen(b), cp = common_prefix(a, b);
    size_t shorter = la < lb ? la : lb;
    if (shorter >= 4 && cp >= shorter && cp * 10 >= (la > lb ? la : lb) * 6)
        return 0.85;    /* config / configuration, notif / notifications */
    if (shorter >= 5 && cp >= shorter - 1 && (la > lb ? la - lb : lb - la) <= 2)
        return 0.7;     /* spelling variants */
    return 0.0;
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
                double s = word_similarity(x->t[i], y->t[k]);
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

double text_similarity(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return 0.0;
    char *x = text_lower(a), *y = text_lower(b);
    double r;
    if (!strcmp(x, y)) {
        r = 1.0;
    } else {
        struct tokens ta = { 0 }, tb = { 0 };
        tok_split(x, &ta);
        tok_split(y, &tb);
        double t = tok_similarity(&ta, &tb);
        double c = bigram_dice(x, y);
        r = t > c ? t : c;
        if (r > 0.97)
            r = 0.97;   /* equal words in another case or order are not the same text */
        tok_free(&ta);
        tok_free(&tb);
    }
    free(x);
    free(y);
    return r;
}
