/* JSON-lines logging to stdout: one object per line with ts, level, worker, event, msg.
 * Never pass secrets to these functions; config values marked secret are redacted by config.c. */
#ifndef ARGUS_LOG_H
#define ARGUS_LOG_H

#include <stdarg.h>

enum argus_log_level { ARGUS_LOG_DEBUG = 0, ARGUS_LOG_INFO, ARGUS_LOG_WARN, ARGUS_LOG_ERROR, ARGUS_LOG_OFF };

/* Set once at start-up; name appears as "worker" in every line. */
void argus_log_init(const char *name, enum argus_log_level level);
void argus_log_set_level(enum argus_log_level level);
enum argus_log_level argus_log_get_level(void);
/* "debug", "info", "warn"/"warning", "error", "off" (any case). Returns -1 if unknown. */
int argus_log_parse_level(const char *s);

/* event: a short machine-readable tag ("consumer.assigned"); fmt: human message. */
void argus_log(enum argus_log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void argus_vlog(enum argus_log_level level, const char *event, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#define argus_debug(ev, ...) argus_log(ARGUS_LOG_DEBUG, ev, __VA_ARGS__)
#define argus_info(ev, ...)  argus_log(ARGUS_LOG_INFO, ev, __VA_ARGS__)
#define argus_warn(ev, ...)  argus_log(ARGUS_LOG_WARN, ev, __VA_ARGS__)
#define argus_error(ev, ...) argus_log(ARGUS_LOG_ERROR, ev, __VA_ARGS__)

#endif
