/* code_analyze_tree(): a directory tree into the code model (see code_tree.h). */
#include "code_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_MAX_LEN 4096
#define CHUNK_FILES  256                  /* files handed to code_analyze_files() at once */
#define CHUNK_BYTES  (32u * 1024 * 1024)  /* ... or this much content, whichever comes first */

struct tree_walk {
    struct code_model *m;
    int threads;
    struct code_tree_stats *st;
    struct code_source files[CHUNK_FILES];
    size_t n;
    size_t bytes;
};

static int flush(struct tree_walk *w)
{
    int rc = code_analyze_files(w->m, w->files, w->n, w->threads);
    for (size_t i = 0; i < w->n; i++) {
        free((char *)w->files[i].path);
        free((char *)w->files[i].content);
    }
    w->n = 0;
    w->bytes = 0;
    return rc;
}

static const char *const skip_dirs[] = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv",
                                        ".next", ".mypy_cache", ".pytest_cache", ".tox", ".turbo"};

static int skip_dir(const char *name)
{
    for (size_t i = 0; i < sizeof skip_dirs / sizeof skip_dirs[0]; i++)
        if (strcmp(name, skip_dirs[i]) == 0)
            return 1;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whole file, NUL-terminated; files over the analysis cap are read only up to the cap + 1 byte:
 * the model records them as too large without their content. */
static char *slurp(const char *path, size_t size_hint, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = size_hint + 1, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        if (r == 0) {
            close(fd);
            buf[n] = '\0';
            *len = n;
            return buf;
        }
        n += (size_t)r;
    }
    free(buf);
    close(fd);
    return NULL;
}

static int walk(struct tree_walk *w, const char *root, const char *rel)
{
    char dir[PATH_MAX_LEN * 2];
    int dl = snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    if (dl < 0 || (size_t)dl >= sizeof dir)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return *rel ? 0 : -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **nn = realloc(names, ncap * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char relpath[PATH_MAX_LEN], full[PATH_MAX_LEN * 2];
        int rl = snprintf(relpath, sizeof relpath, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        int fl = snprintf(full, sizeof full, "%s/%s", root, relpath);
        if (rl < 0 || (size_t)rl >= sizeof relpath || fl < 0 || (size_t)fl >= sizeof full)
            continue;
        struct stat sb;
        if (lstat(full, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            if (!skip_dir(names[i]))
                rc = walk(w, root, relpath);
        } else if (S_ISREG(sb.st_mode)) {
            size_t len = 0;
            char *data = slurp(full, (size_t)sb.st_size, &len);
            char *path = data ? strdup(relpath) : NULL;
            if (!path) {
                free(data);
                w->st->unreadable++;
                continue;
            }
            w->files[w->n++] = (struct code_source){path, data, len};
            w->bytes += len;
            w->st->files++;
            w->st->bytes += len;
            if (w->n == CHUNK_FILES || w->bytes >= CHUNK_BYTES)
                rc = flush(w);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int code_analyze_tree(struct code_model *m, const char *root, int threads, struct code_tree_stats *stats)
{
    struct code_tree_stats local;
    struct tree_walk *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->m = m;
    w->threads = threads;
    w->st = stats ? stats : &local;
    memset(w->st, 0, sizeof *w->st);
    int rc = walk(w, root, "");
    if (flush(w) != 0)
        rc = -1;
    free(w);
    return rc;
}
