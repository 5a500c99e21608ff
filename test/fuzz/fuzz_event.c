/* libFuzzer target for the envelope reader: arbitrary bytes as a record value on an argus topic
 * (the first byte picks the topic, so flat events get a type), parsed, every accessor exercised,
 * printed back as the canonical view and freed. Must never crash, leak or trip a sanitizer; a
 * failure must come with a reason. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const topics[] = {"argus.test.failed", "argus.codebase.ingested", "argus.healing.requested",
                                     "other", NULL};
static const char *const fields[] = {"test_id", "run_id", "error_type", "failed_selector", "steps_count",
                                     "repository_url", "metadata.run_id", "data.data.x", "confidence", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *topic = size ? topics[data[0] % 5] : NULL;
    struct argus_event ev;
    char err[256] = "";
    if (argus_event_parse(topic, size ? data + 1 : data, size ? size - 1 : 0, &ev, err, sizeof err) != 0) {
        if (!err[0])
            abort(); /* a rejection always says why */
        return 0;
    }
    if (!ev.type || !ev.org_id || !ev.payload)
        abort();
    struct argus_result res;
    for (size_t i = 0; fields[i]; i++) {
        int64_t n;
        double d;
        bool b;
        (void)argus_event_str(&ev, fields[i]);
        (void)argus_event_int(&ev, fields[i], &n);
        (void)argus_event_double(&ev, fields[i], &d);
        (void)argus_event_bool(&ev, fields[i], &b);
        argus_result_ok(&res);
        (void)argus_event_require_str(&ev, fields[i], &res);
    }
    char *json = argus_event_to_json(&ev);
    free(json);
    argus_event_free(&ev);
    return 0;
}
