/* Strict integers from the command line and the environment of the tools; see argus/cli.h. */
#include "argus/base/cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int argus_parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int argus_cli_long(const char *prog, const char *what, const char *s, long min, long max, long *out)
{
    if (argus_parse_long(s, min, max, out) == 0)
        return 0;
    fprintf(stderr, "%s: %s %s: expected an integer in %ld..%ld\n", prog, what, s ? s : "(none)", min, max);
    return -1;
}
