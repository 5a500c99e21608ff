/* What a handler (or a store call) says about one message: ok, retry later, or reject to the DLQ,
 * with an error class and a message that end up in logs, metrics and DLQ headers. */
#ifndef ARGUS_OUTCOME_H
#define ARGUS_OUTCOME_H

#include <stdarg.h>

enum argus_outcome {
    ARGUS_OK = 0,
    ARGUS_RETRY,   /* transient: a store or API is down, timeout, 5xx, 429 */
    ARGUS_REJECT   /* permanent: the event itself is bad; goes to the DLQ at once */
};

/* Error classes used across the project (free-form strings are allowed, these are the common ones). */
#define ARGUS_ERR_DESERIALIZATION "deserialization_error"
#define ARGUS_ERR_VALIDATION      "validation_error"
#define ARGUS_ERR_UNSUPPORTED     "unsupported_event"
#define ARGUS_ERR_OVERSIZE        "oversize_event"
#define ARGUS_ERR_GRAPH           "graph_database_error"
#define ARGUS_ERR_CACHE           "cache_error"
#define ARGUS_ERR_DATABASE        "database_error"
#define ARGUS_ERR_HTTP            "http_error"
#define ARGUS_ERR_RATE_LIMITED    "rate_limited"
#define ARGUS_ERR_TIMEOUT         "timeout"
#define ARGUS_ERR_CONNECTION      "connection_error"
#define ARGUS_ERR_PROCESSING      "processing_error"
#define ARGUS_ERR_PRODUCE         "produce_error"
#define ARGUS_ERR_DESTINATION_REFUSED "destination_refused"  /* the outbound guard (argus/stores/url_guard.h) */

struct argus_result {
    enum argus_outcome outcome;
    int retry_after_ms;        /* a hint for ARGUS_RETRY (e.g. from Retry-After); 0 = use backoff */
    char error_class[48];
    char message[320];
};

void argus_result_ok(struct argus_result *r);
/* Both return the outcome they set, so `return argus_reject(r, ...)` reads well. */
enum argus_outcome argus_retry(struct argus_result *r, const char *error_class, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum argus_outcome argus_reject(struct argus_result *r, const char *error_class, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void argus_result_set(struct argus_result *r, enum argus_outcome o, const char *error_class,
                      const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
const char *argus_outcome_name(enum argus_outcome o);

#endif
