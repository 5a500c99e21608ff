/* Texts to embed gathered across the messages of a batch, embedded after the batch's graph writes with
 * one cognee_embed_nodes call per graph and label (so requests carry up to 64 texts from many
 * messages), reporting the messages of a group that failed the way the graph writer does. */
#include <stdlib.h>
#include <string.h>

#include "embeddings.h"

struct queued_text {
    char *graph, *label, *id, *text;
    void *owner;
    int done;
};

struct cognee_embed_queue {
    struct queued_text *items;
    size_t n, cap;
};

struct cognee_embed_queue *cognee_embed_queue_new(void)
{
    return calloc(1, sizeof(struct cognee_embed_queue));
}

static void clear(struct cognee_embed_queue *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->items[i].graph);
        free(q->items[i].label);
        free(q->items[i].id);
        free(q->items[i].text);
    }
    q->n = 0;
}

void cognee_embed_queue_discard(struct cognee_embed_queue *q)
{
    if (q)
        clear(q);
}

void cognee_embed_queue_free(struct cognee_embed_queue *q)
{
    if (!q)
        return;
    clear(q);
    free(q->items);
    free(q);
}

size_t cognee_embed_queue_pending(const struct cognee_embed_queue *q)
{
    return q->n;
}

int cognee_embed_queue_add(struct cognee_embed_queue *q, const char *graph, const char *label, const char *id,
                           const char *text, void *owner)
{
    if (!text || !*text || !id)
        return 0; /* nothing to embed */
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        struct queued_text *grown = realloc(q->items, cap * sizeof *grown);
        if (!grown)
            return -1;
        q->items = grown;
        q->cap = cap;
    }
    struct queued_text *t = &q->items[q->n];
    t->graph = strdup(graph);
    t->label = strdup(label);
    t->id = strdup(id);
    t->text = strdup(text);
    t->owner = owner;
    t->done = 0;
    if (!t->graph || !t->label || !t->id || !t->text) {
        free(t->graph);
        free(t->label);
        free(t->id);
        free(t->text);
        return -1;
    }
    q->n++;
    return 0;
}

static int same_group(const struct queued_text *a, const struct queued_text *b)
{
    return strcmp(a->graph, b->graph) == 0 && strcmp(a->label, b->label) == 0;
}

/* Reports each distinct owner of the group starting at `first` once. */
static void report(struct cognee_embed_queue *q, size_t first, cognee_embed_failure_fn failed, void *arg,
                   const struct argus_result *res)
{
    for (size_t i = first; i < q->n; i++) {
        if (!same_group(&q->items[first], &q->items[i]))
            continue;
        int seen = 0;
        for (size_t j = first; j < i && !seen; j++)
            seen = same_group(&q->items[first], &q->items[j]) && q->items[j].owner == q->items[i].owner;
        if (!seen)
            failed(arg, q->items[i].owner, q->items[i].graph, res);
    }
}

int cognee_embed_queue_flush(struct cognee_embed_queue *q, struct cognee_embedder *e, struct argus_graph *g,
                             cognee_embed_failure_fn failed, void *arg)
{
    const char **ids = malloc((q->n ? q->n : 1) * sizeof *ids);
    const char **texts = malloc((q->n ? q->n : 1) * sizeof *texts);
    int groups_failed = 0;
    for (size_t first = 0; first < q->n; first++) {
        if (q->items[first].done)
            continue;
        size_t n = 0;
        for (size_t i = first; i < q->n; i++) {
            if (q->items[i].done || !same_group(&q->items[first], &q->items[i]))
                continue;
            q->items[i].done = 1;
            if (ids && texts) {
                ids[n] = q->items[i].id;
                texts[n] = q->items[i].text;
                n++;
            }
        }
        struct argus_result res;
        int rc = ids && texts ? cognee_embed_nodes(e, g, q->items[first].graph, q->items[first].label, ids, texts, n, &res)
                              : (argus_retry(&res, ARGUS_ERR_PROCESSING, "out of memory embedding"), -1);
        if (rc != 0) {
            groups_failed++;
            if (failed)
                report(q, first, failed, arg, &res);
        }
    }
    free(ids);
    free(texts);
    clear(q);
    return groups_failed;
}
