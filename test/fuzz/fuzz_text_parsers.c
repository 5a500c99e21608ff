/* libFuzzer target for the small parsers of outside text: ISO-8601 timestamps (event bodies, DLQ
 * headers, --since), HTTP Retry-After values (servers), the topic table, and the Cypher encoder on
 * any JSON (parameters built from event content). The first byte picks the parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "fuzz_input.h"
#include "argus/base/buf.h"
#include "argus/stores/cypher.h"
#include "argus/stores/http.h"
#include "argus/base/timeutil.h"
#include "argus/kafka/topic_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text_after_selector(data, size);
    if (!text)
        return 0;
    switch (data[0] % 4) {
    case 0: {
        int64_t us;
        if (argus_parse_iso8601(text, &us) == 0) {
            char out[48];
            argus_format_iso8601(us, out, sizeof out);
        }
        break;
    }
    case 1:
        (void)argus_http_parse_retry_after(text, (time_t)1769342400);
        break;
    case 2: {
        struct argus_topic_table t;
        char err[256];
        if (argus_topic_table_parse(text, "fuzz", &t, err, sizeof err) == 0)
            argus_topic_table_free(&t);
        break;
    }
    default: {
        cJSON *v = cJSON_Parse(text);
        struct argus_buf out = ARGUS_BUF_INIT;
        char err[256];
        if (v && argus_cypher_encode_value(&out, v, "$v", err, sizeof err) != 0 && !err[0])
            abort();
        argus_buf_free(&out);
        cJSON_Delete(v);
        break;
    }
    }
    free(text);
    return 0;
}
