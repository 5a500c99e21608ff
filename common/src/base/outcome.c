/* Handler outcomes (ok / retry / reject) with an error class and message; see argus/outcome.h. */
#include "argus/base/outcome.h"

#include <stdio.h>
#include <string.h>

void argus_result_ok(struct argus_result *r)
{
    r->outcome = ARGUS_OK;
    r->retry_after_ms = 0;
    r->error_class[0] = '\0';
    r->message[0] = '\0';
}

void argus_result_set(struct argus_result *r, enum argus_outcome o, const char *error_class,
                      const char *fmt, va_list ap)
{
    r->outcome = o;
    r->retry_after_ms = 0;
    if (error_class != r->error_class) /* re-using the current class is allowed */
        snprintf(r->error_class, sizeof r->error_class, "%s", error_class ? error_class : ARGUS_ERR_PROCESSING);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
}

enum argus_outcome argus_retry(struct argus_result *r, const char *error_class, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    argus_result_set(r, ARGUS_RETRY, error_class, fmt, ap);
    va_end(ap);
    return ARGUS_RETRY;
}

enum argus_outcome argus_reject(struct argus_result *r, const char *error_class, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    argus_result_set(r, ARGUS_REJECT, error_class, fmt, ap);
    va_end(ap);
    return ARGUS_REJECT;
}

const char *argus_outcome_name(enum argus_outcome o)
{
    switch (o) {
    case ARGUS_OK: return "ok";
    case ARGUS_RETRY: return "retry";
    case ARGUS_REJECT: return "reject";
    }
    return "unknown";
}
