/* JavaScript regular expressions as tests write them (getByText(/sign in/i), text=/.../,
 * :text-matches()), translated to POSIX extended expressions: \d \w \s and their negations, (?:...),
 * the i flag. Lookarounds, backreferences, lazy quantifiers and \b are refused with a clear error
 * rather than matched differently from a browser. */
#ifndef HEAL_JSREGEX_H
#define HEAL_JSREGEX_H

#include <stddef.h>

struct text_regex;

struct text_regex *text_regex_compile(const char *pattern, const char *flags, char *err, size_t errlen);
int text_regex_test(const struct text_regex *r, const char *s);
void text_regex_free(struct text_regex *r);

#endif
