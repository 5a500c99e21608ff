/* JSON-lines logger: builds each line in a buffer and writes it with one write(2), so lines from
 * the consumer loop, the health thread and librdkafka callbacks never interleave. */
#include "argus/base/log.h"
#include "argus/base/buf.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static char log_name[64] = "argus";
static atomic_int log_level = ARGUS_LOG_INFO;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void argus_log_init(const char *name, enum argus_log_level level)
{
    snprintf(log_name, sizeof log_name, "%s", name ? name : "argus");
    atomic_store(&log_level, (int)level);
}

void argus_log_set_level(enum argus_log_level level)
{
    atomic_store(&log_level, (int)level);
}

enum argus_log_level argus_log_get_level(void)
{
    return (enum argus_log_level)atomic_load(&log_level);
}

int argus_log_parse_level(const char *s)
{
    if (!s)
        return -1;
    if (!strcasecmp(s, "debug")) return ARGUS_LOG_DEBUG;
    if (!strcasecmp(s, "info")) return ARGUS_LOG_INFO;
    if (!strcasecmp(s, "warn") || !strcasecmp(s, "warning")) return ARGUS_LOG_WARN;
    if (!strcasecmp(s, "error") || !strcasecmp(s, "critical")) return ARGUS_LOG_ERROR;
    if (!strcasecmp(s, "off") || !strcasecmp(s, "none")) return ARGUS_LOG_OFF;
    return -1;
}

void argus_vlog(enum argus_log_level level, const char *event, const char *fmt, va_list ap)
{
    if ((int)level < atomic_load(&log_level) || level >= ARGUS_LOG_OFF)
        return;

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[64];
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);

    struct argus_buf msg = ARGUS_BUF_INIT;
    argus_buf_vprintf(&msg, fmt, ap);

    struct argus_buf line = ARGUS_BUF_INIT;
    argus_buf_printf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"worker\":\"", when, level_names[level]);
    argus_buf_json_escape(&line, log_name, strlen(log_name));
    argus_buf_puts(&line, "\",\"event\":\"");
    argus_buf_json_escape(&line, event ? event : "", event ? strlen(event) : 0);
    argus_buf_puts(&line, "\",\"msg\":\"");
    argus_buf_json_escape(&line, argus_buf_str(&msg), msg.len);
    argus_buf_puts(&line, "\"}\n");

    if (!line.oom) {
        const char *p = line.data;
        size_t left = line.len;
        while (left > 0) {
            ssize_t w = write(STDOUT_FILENO, p, left);
            if (w <= 0)
                break;
            p += w;
            left -= (size_t)w;
        }
    }
    argus_buf_free(&msg);
    argus_buf_free(&line);
}

void argus_log(enum argus_log_level level, const char *event, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    argus_vlog(level, event, fmt, ap);
    va_end(ap);
}
