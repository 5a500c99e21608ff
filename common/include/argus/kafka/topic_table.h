/* The topic table (config/topics.tsv): the one description of the project's topics that the
 * topic script, the admin tool, the tests and the Kubernetes job all read. */
#ifndef ARGUS_TOPIC_TABLE_H
#define ARGUS_TOPIC_TABLE_H

#include <stddef.h>

struct argus_topic_spec {
    char name[250];
    int partitions;
    long long retention_ms;       /* -1 = keep forever, 0 = broker default */
    long long max_message_bytes;  /* 0 = broker default */
    char description[200];
};

struct argus_topic_table {
    struct argus_topic_spec *topics;
    size_t n;
};

/* Lines: name <ws> partitions <ws> retention.ms <ws> max.message.bytes [<ws> description...];
 * '#' starts a comment; '-' in a numeric column means the broker default.
 * Returns 0, or -1 with "FILE:LINE: reason" in err. */
int argus_topic_table_load(const char *path, struct argus_topic_table *t, char *err, size_t errlen);
int argus_topic_table_parse(const char *text, const char *origin, struct argus_topic_table *t, char *err,
                            size_t errlen);
const struct argus_topic_spec *argus_topic_table_find(const struct argus_topic_table *t, const char *name);
void argus_topic_table_free(struct argus_topic_table *t);

#endif
