/* Per-thread bump allocator behind cJSON; see argus/json_arena.h. */
#include "argus/base/json_arena.h"

#include <cJSON.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define CHUNK_SIZE (1u << 20)

struct chunk {
    struct chunk *next;
    size_t size, used;
    /* data follows, max_align_t aligned */
    _Alignas(max_align_t) unsigned char data[];
};

static _Thread_local struct chunk *arena;   /* newest chunk first */
static _Thread_local int active;

static bool owns(const void *p)
{
    for (const struct chunk *c = arena; c; c = c->next)
        if ((const unsigned char *)p >= c->data && (const unsigned char *)p < c->data + c->size)
            return true;
    return false;
}

bool argus_json_arena_owns(const void *p)
{
    return p && owns(p);
}

static void *arena_alloc(size_t n)
{
    size_t need = (n + _Alignof(max_align_t) - 1) & ~(size_t)(_Alignof(max_align_t) - 1);
    if (!arena || arena->size - arena->used < need) {
        size_t size = need > CHUNK_SIZE ? need : CHUNK_SIZE;
        struct chunk *c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->size = size;
        c->used = 0;
        c->next = arena;
        arena = c;
    }
    void *p = arena->data + arena->used;
    arena->used += need;
    return p;
}

static void *hook_malloc(size_t n)
{
    return active ? arena_alloc(n) : malloc(n);
}

static void hook_free(void *p)
{
    if (p && !(arena && owns(p)))
        free(p);
}

static void install(void)
{
    cJSON_Hooks hooks = {hook_malloc, hook_free};
    cJSON_InitHooks(&hooks);
}

void argus_json_arena_install(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
}

void argus_json_arena_begin(void)
{
    active = 1;
}

void argus_json_arena_end(void)
{
    active = 0;
}

void argus_json_arena_reset(void)
{
    if (!arena)
        return;
    /* Keep the oldest chunk if it is a normal one: the next batch starts without a malloc. */
    struct chunk *keep = NULL;
    while (arena) {
        struct chunk *c = arena;
        arena = c->next;
        if (!arena && c->size == CHUNK_SIZE) {
            keep = c;
        } else {
            free(c);
        }
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    arena = keep;
}

void argus_json_arena_destroy(void)
{
    while (arena) {
        struct chunk *c = arena;
        arena = c->next;
        free(c);
    }
}
