/* Time helpers: ISO-8601 parsing in every form the producers send (+00:00, Z, naive = UTC, a space
 * instead of T), formatting in the gateway's form, and monotonic/wall clocks. */
#ifndef ARGUS_TIMEUTIL_H
#define ARGUS_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Parses s into microseconds since the Unix epoch (UTC). Returns 0, or -1 if s is not a valid
 * date-time (ranges are checked: 2026-02-30 is refused). */
int argus_parse_iso8601(const char *s, int64_t *epoch_us);

/* "2026-01-25T12:34:56.123456+00:00" (the Python gateway's isoformat()). out needs 33 bytes. */
void argus_format_iso8601(int64_t epoch_us, char *out, size_t n);
/* "2026-01-25T12:34:56.123Z" (millisecond precision, for logs and tools). */
void argus_format_iso8601_ms(int64_t epoch_us, char *out, size_t n);

int64_t argus_now_us(void);        /* wall clock */
int64_t argus_monotonic_ms(void);  /* for timeouts and intervals */

#endif
