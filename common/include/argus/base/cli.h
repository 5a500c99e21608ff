/* Command-line numbers for the tools: strict parsing (the whole text, in range) and one clear line
 * on stderr naming the option when it is wrong, so that a typo never becomes 0 ("all") or a prefix. */
#ifndef ARGUS_CLI_H
#define ARGUS_CLI_H

/* 0 and *out set when s is a decimal integer (optional sign, nothing else) within [min, max]; else -1
 * and *out untouched. */
int argus_parse_long(const char *s, long min, long max, long *out);

/* argus_parse_long, and on failure "<prog>: <what> <s>: expected an integer in <min>..<max>" on stderr. */
int argus_cli_long(const char *prog, const char *what, const char *s, long min, long max, long *out);

#endif
