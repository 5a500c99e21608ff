/* Arena, string map and 64-bit set used by the code-analysis core (see code_util.h). */
#include "code_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct code_arena_chunk {
    struct code_arena_chunk *next;
    size_t used;
    size_t cap;
    _Alignas(max_align_t) unsigned char data[];
};

#define ARENA_CHUNK (64u * 1024)

void *code_arena_alloc(struct code_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct code_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
        struct code_arena_chunk *nc = malloc(sizeof *nc + cap);
        if (!nc) {
            a->oom = 1;
            return NULL;
        }
        nc->used = 0;
        nc->cap = cap;
        if (c && cap != ARENA_CHUNK) {
            /* A big one-off block goes behind the current chunk so its free space is not lost. */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

char *code_arena_strndup(struct code_arena *a, const char *s, size_t n)
{
    char *p = code_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *code_arena_strdup(struct code_arena *a, const char *s)
{
    return code_arena_strndup(a, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return c ? 1 : 0;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

char *code_arena_utf8(struct code_arena *a, const char *s, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && i < max && u[i] >= 0x20 && u[i] < 0x80)
        i++;
    if (i == n || (i == max && i < n && u[i] < 0x80))
        return code_arena_strndup(a, s, i);
    /* Slow path: worst case every byte becomes the 3-byte replacement character. */
    size_t cap = (n < max ? n : max) * 3 + 1;
    char *out = code_arena_alloc(a, cap);
    if (!out)
        return NULL;
    size_t o = 0;
    i = 0;
    while (i < n) {
        size_t l = utf8_seq(u + i, n - i);
        const char *piece = l ? s + i : "\xEF\xBF\xBD";
        size_t pl = l ? l : 3;
        if (l == 1 && u[i] < 0x20 && u[i] != '\t')
            piece = " ";   /* control characters in names help nobody */
        if (o + pl > max || o + pl >= cap)
            break;
        memcpy(out + o, piece, pl);
        o += pl;
        i += l ? l : 1;
    }
    out[o] = '\0';
    return out;
}

char *code_arena_printf(struct code_arena *a, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = code_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

void code_arena_free(struct code_arena *a)
{
    struct code_arena_chunk *c = a->head;
    while (c) {
        struct code_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

uint32_t code_hash(const char *s, size_t n)
{
    /* FNV-1a, then a final mix so low bits are usable as a table index. */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    h ^= h >> 15;
    h *= 0x2c1b3c6dU;
    h ^= h >> 12;
    return h;
}

uint32_t *code_map_getn(const struct code_map *m, const char *key, size_t n)
{
    if (!m->cap)
        return NULL;
    uint32_t h = code_hash(key, n);
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct code_map_slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->hash == h && s->keylen == n && memcmp(s->key, key, n) == 0)
            return &s->value;
    }
}

uint32_t *code_map_get(const struct code_map *m, const char *key)
{
    return code_map_getn(m, key, strlen(key));
}

static int map_rehash(struct code_map *m, size_t cap)
{
    struct code_map_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        struct code_map_slot *s = &m->slots[i];
        if (!s->key)
            continue;
        size_t j = s->hash & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

uint32_t *code_map_put(struct code_map *m, const char *key, uint32_t value, int *added)
{
    size_t n = strlen(key);
    if ((m->n + 1) * 4 > m->cap * 3 && map_rehash(m, m->cap ? m->cap * 2 : 64) != 0)
        return NULL;
    uint32_t h = code_hash(key, n);
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct code_map_slot *s = &m->slots[i];
        if (!s->key) {
            s->key = key;
            s->keylen = (uint32_t)n;
            s->hash = h;
            s->value = value;
            m->n++;
            if (added)
                *added = 1;
            return &s->value;
        }
        if (s->hash == h && s->keylen == n && memcmp(s->key, key, n) == 0) {
            if (added)
                *added = 0;
            return &s->value;
        }
    }
}

void code_map_free(struct code_map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}

static size_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

int code_set64_has(const struct code_set64 *s, uint64_t key)
{
    if (!s->cap)
        return 0;
    size_t mask = s->cap - 1;
    for (size_t i = mix64(key) & mask; s->keys[i]; i = (i + 1) & mask)
        if (s->keys[i] == key)
            return 1;
    return 0;
}

int code_set64_add(struct code_set64 *s, uint64_t key)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        uint64_t *keys = calloc(cap, sizeof *keys);
        if (!keys)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->keys[i])
                continue;
            size_t j = mix64(s->keys[i]) & (cap - 1);
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = s->keys[i];
        }
        free(s->keys);
        s->keys = keys;
        s->cap = cap;
    }
    size_t mask = s->cap - 1;
    size_t i = mix64(key) & mask;
    for (; s->keys[i]; i = (i + 1) & mask)
        if (s->keys[i] == key)
            return 0;
    s->keys[i] = key;
    s->n++;
    return 1;
}

void code_set64_free(struct code_set64 *s)
{
    free(s->keys);
    s->keys = NULL;
    s->cap = s->n = 0;
}

int code_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}
