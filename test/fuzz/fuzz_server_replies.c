/* libFuzzer target for what servers answer: arbitrary bytes read as a RESP reply by hiredis' own
 * reader and handed to the FalkorDB result reader (headers, rows, nodes, edges, statistics) and its
 * accessors, or as an error text to the Redis/FalkorDB error classifier. The first byte picks which.
 * Must never crash, leak or trip a sanitizer, whatever a server (or something posing as one) sends. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "fuzz_input.h"
#include "argus/stores/graph.h"
#include "argus/base/outcome.h"
#include "argus/stores/redis_conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct argus_graph_result *r)
{
    for (size_t row = 0; row < r->nrows; row++)
        for (size_t col = 0; col < r->ncols; col++) {
            const struct argus_graph_value *v = argus_graph_cell(r, row, col);
            double d;
            bool b;
            (void)argus_graph_value_double(v, &d);
            (void)argus_graph_value_bool(v, &b);
        }
    for (size_t col = 0; col < r->ncols; col++)
        if (r->columns[col] && argus_graph_column(r, r->columns[col]) < 0)
            abort(); /* a column the reader listed must be found by name */
}

/* hiredis 0.14 allocates an array reply's element table as soon as it reads the announced count
 * ("*1511111110"), before any element arrives; bounding that is the reader's business (hiredis 1.x
 * has maxelements), not the code under test, so such inputs are skipped. */
static int announces_huge_array(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i + 1 < size; i++) {
        if (data[i] != '*')
            continue;
        unsigned long long n = 0;
        for (size_t j = i + 1; j < size && data[j] >= '0' && data[j] <= '9' && n <= 1000000; j++)
            n = n * 10 + (data[j] - '0');
        if (n > 1000000)
            return 1;
    }
    return 0;
}

static void read_replies(const uint8_t *data, size_t size)
{
    if (announces_huge_array(data, size))
        return;
    redisReader *reader = redisReaderCreate();
    if (!reader)
        return;
    redisReaderFeed(reader, (const char *)data, size);
    for (int i = 0; i < 4; i++) {
        void *reply = NULL;
        if (redisReaderGetReply(reader, &reply) != REDIS_OK || !reply)
            break;
        struct argus_graph_result r = ARGUS_GRAPH_RESULT_INIT;
        struct argus_result res;
        if (argus_graph_result_parse(reply, &r, &res) == 0) /* takes the reply over */
            walk(&r);
        else if (res.outcome == ARGUS_OK)
            abort(); /* a refusal always says why */
        argus_graph_result_free(&r);
    }
    redisReaderFree(reader);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] % 2 == 0) {
        read_replies(data + 1, size - 1);
        return 0;
    }
    char *text = fuzz_text_after_selector(data, size);
    if (!text)
        return 0;
    struct argus_result res;
    argus_redis_classify_error("falkordb", ARGUS_ERR_GRAPH, text, &res);
    if (res.outcome == ARGUS_OK)
        abort(); /* an error reply is never a success */
    free(text);
    return 0;
}
