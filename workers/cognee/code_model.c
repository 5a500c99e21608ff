/* The code model store: entity and relation arrays with id and relation dedupe, the pending facts
 * that code_model_resolve() consumes, lookups and names. */
#include "code_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[CODE_KIND_COUNT] = {
    "File", "Module", "Class", "Function", "Method", "Endpoint", "TestSuite", "TestCase", "Selector",
};

static const char *const rel_names[CODE_REL_COUNT] = {
    "CONTAINS", "DEFINES", "IMPORTS", "CALLS", "HANDLES", "COVERS", "USES_SELECTOR",
};

const char *code_kind_name(enum code_kind kind)
{
    return (unsigned)kind < CODE_KIND_COUNT ? kind_names[kind] : "?";
}

const char *code_rel_name(enum code_rel type)
{
    return (unsigned)type < CODE_REL_COUNT ? rel_names[type] : "?";
}

struct code_model *code_model_new(const char *repo)
{
    struct code_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->in = calloc(1, sizeof *m->in);
    if (!m->in) {
        free(m);
        return NULL;
    }
    m->in->repo = code_arena_utf8(&m->in->arena, repo ? repo : "", repo ? strlen(repo) : 0, CODE_NAME_MAX);
    if (!m->in->repo) {
        code_model_free(m);
        return NULL;
    }
    return m;
}

void code_model_free(struct code_model *m)
{
    if (!m)
        return;
    struct code_model_internal *in = m->in;
    if (in) {
        if (in->parser)
            ts_parser_delete(in->parser);
        for (size_t i = 0; i < sizeof in->node_types / sizeof in->node_types[0]; i++)
            free(in->node_types[i]);
        code_map_free(&in->ids);
        code_map_free(&in->paths);
        code_map_free(&in->toplevel);
        code_map_free(&in->members);
        code_map_free(&in->globals);
        code_map_free(&in->bindings);
        code_set64_free(&in->rels);
        free(in->imports);
        free(in->calls);
        free(in->requests);
        free(in->mounts);
        free(in->files);
        code_arena_free(&in->arena);
        free(in);
    }
    free(m->entities);
    free(m->relations);
    free(m);
}

uint32_t code_add_entity(struct code_model *m, const struct code_entity *e)
{
    struct code_model_internal *in = m->in;
    if (!e->id || m->n_entities >= (1u << 29))
        return CODE_NONE;
    int added = 0;
    uint32_t *slot = code_map_put(&in->ids, e->id, (uint32_t)m->n_entities, &added);
    if (!slot)
        return CODE_NONE;
    if (!added)
        return *slot;
    if (code_grow((void **)&m->entities, &in->cap_entities, m->n_entities, sizeof *m->entities) != 0) {
        /* Undo the id so lookups never point past the array. */
        *slot = CODE_NONE;
        return CODE_NONE;
    }
    m->entities[m->n_entities] = *e;
    return (uint32_t)m->n_entities++;
}

int code_add_rel(struct code_model *m, enum code_rel type, uint32_t src, uint32_t dst, uint32_t line)
{
    struct code_model_internal *in = m->in;
    if (src >= m->n_entities || dst >= m->n_entities || src == dst)
        return 0;
    uint64_t key = ((uint64_t)(type + 1) << 58) | ((uint64_t)src << 29) | dst;
    int r = code_set64_add(&in->rels, key);
    if (r <= 0)
        return r;
    if (code_grow((void **)&m->relations, &in->cap_relations, m->n_relations, sizeof *m->relations) != 0)
        return -1;
    m->relations[m->n_relations++] = (struct code_relation){type, src, dst, line};
    return 1;
}

#define DEFINE_ADD(fn, type, arr)                                                                   \
    int fn(struct code_model *m, const type *x)                                                     \
    {                                                                                               \
        struct code_model_internal *in = m->in;                                                     \
        if (code_grow((void **)&in->arr, &in->cap_##arr, in->n_##arr, sizeof *in->arr) != 0)        \
            return -1;                                                                              \
        in->arr[in->n_##arr++] = *x;                                                                \
        return 0;                                                                                   \
    }

DEFINE_ADD(code_add_import, struct code_import, imports)
DEFINE_ADD(code_add_call, struct code_call, calls)
DEFINE_ADD(code_add_request, struct code_request, requests)
DEFINE_ADD(code_add_mount, struct code_mount, mounts)

char *code_scoped_key(struct code_model *m, uint32_t scope, const char *name)
{
    return code_arena_printf(&m->in->arena, "%u\x1f%s", scope, name);
}

/* Stores value under key; a second different value makes the key ambiguous. */
static int put_unique(struct code_map *map, const char *key, uint32_t value)
{
    int added = 0;
    uint32_t *slot = code_map_put(map, key, value, &added);
    if (!slot)
        return -1;
    if (!added && *slot != value)
        *slot = CODE_AMBIG;
    return 0;
}

int code_register_toplevel(struct code_model *m, uint32_t file, const char *name, uint32_t entity, int function)
{
    char *key = code_scoped_key(m, file, name);
    if (!key || put_unique(&m->in->toplevel, key, entity) != 0)
        return -1;
    if (function) {
        const char *g = code_arena_strdup(&m->in->arena, name);
        if (!g || put_unique(&m->in->globals, g, entity) != 0)
            return -1;
    }
    return 0;
}

int code_register_member(struct code_model *m, uint32_t cls, const char *name, uint32_t entity)
{
    char *key = code_scoped_key(m, cls, name);
    if (!key)
        return -1;
    int added = 0;
    /* A getter/setter pair or an overload: the first definition stands for the name. */
    return code_map_put(&m->in->members, key, entity, &added) ? 0 : -1;
}

long code_model_index(const struct code_model *m, const char *id)
{
    const uint32_t *v = code_map_get(&m->in->ids, id);
    return v && *v < m->n_entities ? (long)*v : -1;
}

const struct code_entity *code_model_find(const struct code_model *m, const char *id)
{
    long i = code_model_index(m, id);
    return i < 0 ? NULL : &m->entities[i];
}

size_t code_model_count(const struct code_model *m, enum code_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_entities; i++)
        n += m->entities[i].kind == kind;
    return n;
}

size_t code_model_count_rel(const struct code_model *m, enum code_rel type)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_relations; i++)
        n += m->relations[i].type == type;
    return n;
}

int code_model_has_rel(const struct code_model *m, enum code_rel type, const char *src_id, const char *dst_id)
{
    long s = code_model_index(m, src_id), d = code_model_index(m, dst_id);
    if (s < 0 || d < 0)
        return 0;
    uint64_t key = ((uint64_t)(type + 1) << 58) | ((uint64_t)s << 29) | (uint64_t)d;
    return code_set64_has(&m->in->rels, key);
}
