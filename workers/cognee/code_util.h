/* Small containers of the code-analysis core: an arena for strings that live as long as the model,
 * a string-keyed hash map to 32-bit values, and a set of 64-bit keys (relation dedupe). All of them
 * report allocation failure instead of aborting. */
#ifndef ARGUS_COGNEE_CODE_UTIL_H
#define ARGUS_COGNEE_CODE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct code_arena_chunk;

struct code_arena {
    struct code_arena_chunk *head;
    int oom;
};

void *code_arena_alloc(struct code_arena *a, size_t n);
char *code_arena_strndup(struct code_arena *a, const char *s, size_t n);
char *code_arena_strdup(struct code_arena *a, const char *s);
/* Copy of s[0..n) as valid UTF-8 (invalid bytes and NUL become U+FFFD), cut at max bytes on a
 * character boundary. */
char *code_arena_utf8(struct code_arena *a, const char *s, size_t n, size_t max);
char *code_arena_printf(struct code_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void code_arena_free(struct code_arena *a);

/* Open-addressing map; keys are borrowed (they must outlive the map: arena strings). */
struct code_map_slot {
    const char *key;
    uint32_t keylen;
    uint32_t hash;
    uint32_t value;
};

struct code_map {
    struct code_map_slot *slots;
    size_t cap;   /* power of two, or 0 */
    size_t n;
};

uint32_t code_hash(const char *s, size_t n);
/* Pointer to the value stored for key[0..n), or NULL. */
uint32_t *code_map_getn(const struct code_map *m, const char *key, size_t n);
uint32_t *code_map_get(const struct code_map *m, const char *key);
/* Inserts key (borrowed) unless present. Returns the value slot (new slots hold value), or NULL when
 * out of memory. *added tells whether it was new. */
uint32_t *code_map_put(struct code_map *m, const char *key, uint32_t value, int *added);
void code_map_free(struct code_map *m);

/* Set of non-zero 64-bit keys. Returns 1 when added, 0 when present, -1 when out of memory. */
struct code_set64 {
    uint64_t *keys;
    size_t cap;
    size_t n;
};
int code_set64_add(struct code_set64 *s, uint64_t key);
int code_set64_has(const struct code_set64 *s, uint64_t key);
void code_set64_free(struct code_set64 *s);

/* Growable array helper: makes room for one more element of size elem in *arr. 0 or -1. */
int code_grow(void **arr, size_t *cap, size_t n, size_t elem);

#endif
