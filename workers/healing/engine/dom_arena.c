/* Bump allocator for one document: nodes, attributes and strings live until heal_doc_free. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dom.h"

#define ARENA_CHUNK (64u * 1024)

struct arena_chunk {
    struct arena_chunk *prev;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

struct dom_arena {
    struct arena_chunk *top;
};

struct dom_arena *dom_arena_new(void)
{
    struct dom_arena *a = calloc(1, sizeof *a);
    if (!a) {
        fputs("heal: out of memory\n", stderr);
        abort();
    }
    return a;
}

void dom_arena_free(struct dom_arena *a)
{
    if (!a)
        return;
    for (struct arena_chunk *c = a->top, *p; c; c = p) {
        p = c->prev;
        free(c);
    }
    free(a);
}

void *dom_alloc(struct dom_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct arena_chunk *c = a->top;
    if (!c || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        c = malloc(sizeof *c + size);
        if (!c) {
            fputs("heal: out of memory\n", stderr);
            abort();
        }
        c->size = size;
        c->used = 0;
        c->prev = a->top;
        a->top = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *dom_strndup(struct dom_arena *a, const char *s, size_t n)
{
    char *p = dom_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *dom_strdup(struct dom_arena *a, const char *s)
{
    return dom_strndup(a, s, strlen(s));
}
