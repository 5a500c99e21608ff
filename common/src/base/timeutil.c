/* ISO-8601 parsing/formatting and clocks; see argus/timeutil.h. */
#include "argus/base/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n digits. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int argus_parse_iso8601(const char *s, int64_t *epoch_us)
{
    if (!s)
        return -1;
    const char *p = s;
    int year, mon, day, hour = 0, min = 0, sec = 0;
    int64_t frac_us = 0;

    if (digits(&p, 4, &year) || *p++ != '-' || digits(&p, 2, &mon) || *p++ != '-' || digits(&p, 2, &day))
        return -1;
    if (mon < 1 || mon > 12 || day < 1 || (unsigned)day > days_in_month(year, (unsigned)mon))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (digits(&p, 2, &hour) || *p++ != ':' || digits(&p, 2, &min))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &sec))
                return -1;
            if (*p == '.' || *p == ',') {
                p++;
                int n = 0;
                int64_t scale = 100000;
                while (*p >= '0' && *p <= '9') {
                    if (n < 6) {
                        frac_us += (*p - '0') * scale;
                        scale /= 10;
                    }
                    n++;
                    p++;
                }
                if (n == 0 || n > 9)
                    return -1;
            }
        }
        if (hour > 23 || min > 59 || sec > 60)
            return -1;
    }
    int offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int oh, om = 0;
        if (digits(&p, 2, &oh))
            return -1;
        if (*p == ':')
            p++;
        if (*p >= '0' && *p <= '9' && digits(&p, 2, &om))
            return -1;
        if (oh > 23 || om > 59)
            return -1;
        offset_min = sign * (oh * 60 + om);
    }
    if (*p != '\0')
        return -1;
    int64_t days = days_from_civil(year, (unsigned)mon, (unsigned)day);
    int64_t secs = days * 86400 + hour * 3600 + min * 60 + sec - (int64_t)offset_min * 60;
    *epoch_us = secs * 1000000 + frac_us;
    return 0;
}

static void split(int64_t epoch_us, int64_t *y, unsigned *mo, unsigned *d, int *h, int *mi, int *s, int64_t *us)
{
    int64_t secs = epoch_us / 1000000;
    *us = epoch_us % 1000000;
    if (*us < 0) {
        *us += 1000000;
        secs--;
    }
    int64_t days = secs / 86400;
    int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil_from_days(days, y, mo, d);
    *h = (int)(rem / 3600);
    *mi = (int)(rem % 3600 / 60);
    *s = (int)(rem % 60);
}

void argus_format_iso8601(int64_t epoch_us, char *out, size_t n)
{
    int64_t y, us;
    unsigned mo, d;
    int h, mi, s;
    split(epoch_us, &y, &mo, &d, &h, &mi, &s, &us);
    snprintf(out, n, "%04lld-%02u-%02uT%02d:%02d:%02d.%06lld+00:00", (long long)y, mo, d, h, mi, s,
             (long long)us);
}

void argus_format_iso8601_ms(int64_t epoch_us, char *out, size_t n)
{
    int64_t y, us;
    unsigned mo, d;
    int h, mi, s;
    split(epoch_us, &y, &mo, &d, &h, &mi, &s, &us);
    snprintf(out, n, "%04lld-%02u-%02uT%02d:%02d:%02d.%03lldZ", (long long)y, mo, d, h, mi, s,
             (long long)(us / 1000));
}

int64_t argus_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t argus_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
