/* code_analyze_files(): parse files on worker threads, walk them here in input order, so the model
 * is exactly the sequential one. Workers stay at most WINDOW files ahead of the walker, which bounds
 * the trees held in memory. */
#include "code_internal.h"

#include <pthread.h>
#include <stdlib.h>

#define WINDOW      64
#define MAX_THREADS 16
#define PARSE_TIMEOUT_US (10u * 1000 * 1000)

struct slot {
    TSTree *tree;
    int attempted;   /* a worker tried to parse it */
    int ready;
};

struct batch {
    const struct code_source *files;
    size_t n;
    struct slot *slots;
    size_t next;     /* next file a worker takes */
    size_t walked;   /* files the walker is done with */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t cond_ready;
    pthread_cond_t cond_space;
};

static void *parse_worker(void *arg)
{
    struct batch *b = arg;
    TSParser *parser = ts_parser_new();
    if (parser)
        ts_parser_set_timeout_micros(parser, PARSE_TIMEOUT_US);
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (!b->stop && b->next < b->n && b->next >= b->walked + WINDOW)
            pthread_cond_wait(&b->cond_space, &b->mu);
        if (b->stop || b->next >= b->n) {
            pthread_mutex_unlock(&b->mu);
            break;
        }
        size_t i = b->next++;
        pthread_mutex_unlock(&b->mu);

        const struct code_source *f = &b->files[i];
        const TSLanguage *lang = parser && f->path ? code_ts_language(f->path, f->content, f->len) : NULL;
        TSTree *tree = NULL;
        int attempted = 0;
        if (lang && ts_parser_set_language(parser, lang)) {
            tree = ts_parser_parse_string(parser, NULL, f->content, (uint32_t)f->len);
            if (!tree)
                ts_parser_reset(parser);
            attempted = 1;
        }
        pthread_mutex_lock(&b->mu);
        b->slots[i].tree = tree;
        b->slots[i].attempted = attempted;
        b->slots[i].ready = 1;
        pthread_cond_broadcast(&b->cond_ready);
        pthread_mutex_unlock(&b->mu);
    }
    if (parser)
        ts_parser_delete(parser);
    return NULL;
}

int code_analyze_files(struct code_model *m, const struct code_source *files, size_t n, int threads)
{
    int rc = 0;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if (threads <= 1 || n < 2) {
        for (size_t i = 0; i < n; i++)
            if (code_analyze_file(m, files[i].path, files[i].content, files[i].len) != 0)
                rc = -1;
        return rc;
    }
    struct batch b = {.files = files, .n = n};
    b.slots = calloc(n, sizeof *b.slots);
    if (!b.slots)
        return -1;
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.cond_ready, NULL);
    pthread_cond_init(&b.cond_space, NULL);
    pthread_t tids[MAX_THREADS];
    int started = 0;
    for (; started < threads; started++)
        if (pthread_create(&tids[started], NULL, parse_worker, &b) != 0)
            break;
    for (size_t i = 0; i < n; i++) {
        struct slot s = {NULL, 0, 1};
        if (started) {
            pthread_mutex_lock(&b.mu);
            while (!b.slots[i].ready)
                pthread_cond_wait(&b.cond_ready, &b.mu);
            s = b.slots[i];
            pthread_mutex_unlock(&b.mu);
        }
        if (code_analyze_parsed(m, files[i].path, files[i].content, files[i].len, s.tree, s.attempted) != 0)
            rc = -1;
        pthread_mutex_lock(&b.mu);
        b.walked = i + 1;
        pthread_cond_broadcast(&b.cond_space);
        pthread_mutex_unlock(&b.mu);
    }
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    pthread_cond_destroy(&b.cond_space);
    pthread_cond_destroy(&b.cond_ready);
    pthread_mutex_destroy(&b.mu);
    free(b.slots);
    return rc;
}
