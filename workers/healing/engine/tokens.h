/* Word tokens of identifiers and texts, for similarity robust to renames: camelCase, kebab-case,
 * snake_case and digits split, lower-cased, plurals folded, and mapped through a small synonym table
 * (signin = login, remove = delete, ...; "weak" synonyms such as submit ~ continue count less, so
 * the margin rule refuses when a page offers both). */
#ifndef HEAL_TOKENS_H
#define HEAL_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#define TOK_MAX 24

struct tokens {
    char *t[TOK_MAX];
    float w[TOK_MAX];     /* weight: generic words (button, input, field, ...) count less */
    uint32_t h[TOK_MAX];  /* hash of the word, for quick equality */
    signed char g[TOK_MAX]; /* weak synonym group, -1 for none */
    unsigned char len[TOK_MAX];
    size_t n;
};

void tok_split(const char *s, struct tokens *out);         /* appends; out must be initialised */
void tok_free(struct tokens *t);
/* tok_split of s through the per-thread cache of split texts (for texts that repeat, such as class
 * lists and table rows). */
void tok_split_cached(const char *s, struct tokens *out);
/* Weighted dice of best token matches (exact or strong synonym 1, stem 0.9, weak synonym 0.6,
 * near spelling 0.7), 0..1; 0 when either side is empty. */
double tok_similarity(const struct tokens *a, const struct tokens *b);
/* How much of a (by weight) the words of the sets bs cover, 0..1: every word of a selector found
 * somewhere on the element. */
double tok_coverage(const struct tokens *a, const struct tokens *const *bs, size_t nb);
/* Similarity of two short texts: equal ignoring case 1, else max(token similarity, character bigram dice). */
double text_similarity(const char *a, const char *b);
/* Frees the calling thread's cache of compared texts (heal_selector calls it when done). */
void text_similarity_release(void);

#endif
