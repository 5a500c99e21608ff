/* Analyses a checked-out directory tree into a code model: every regular file, in byte-wise name
 * order (the same model on every file system), skipping version-control, dependency, virtualenv and
 * build directories. */
#ifndef ARGUS_COGNEE_CODE_TREE_H
#define ARGUS_COGNEE_CODE_TREE_H

#include <stddef.h>

#include "code_model.h"

struct code_tree_stats {
    size_t files;      /* files analysed */
    size_t bytes;      /* their total size */
    size_t unreadable; /* files that could not be read (skipped) */
};

/* Adds every file under root (paths relative to root), parsing on up to `threads` threads (see
 * code_analyze_files). Does not resolve. Returns 0, or -1 when the root cannot be opened or memory
 * ran out; unreadable files are counted and skipped. */
int code_analyze_tree(struct code_model *m, const char *root, int threads, struct code_tree_stats *stats);

#endif
