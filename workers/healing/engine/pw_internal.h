/* The parsed form of a Playwright locator (pw.h), shared by its parser and its evaluator. */
#ifndef HEAL_PW_INTERNAL_H
#define HEAL_PW_INTERNAL_H

#include "css.h"
#include "jsregex.h"
#include "pw.h"

enum pw_step_kind {
    PW_CSS, PW_XPATH, PW_TEXT, PW_ROLE, PW_LABEL, PW_ATTR, PW_TESTID, PW_HAS_TEXT, PW_HAS_NOT_TEXT, PW_NTH,
    PW_VISIBLE
};

/* How a text is matched: Playwright's createTextMatcher kinds. */
enum pw_text_kind { PW_LAX, PW_STRICT, PW_REGEX };

struct pw_text {
    enum pw_text_kind kind;
    int internal;                 /* internal:text (exact = full normalised text) vs text= (text nodes) */
    char *value;                  /* normalised (lax: as given; comparison lower-cases) */
    struct text_regex *re;
};

struct pw_step {
    enum pw_step_kind kind;
    char *source;                 /* CSS / XPath text, attribute name */
    struct css_list *css;
    struct pw_text text;          /* text, label, has-text, attribute value, role name */
    int has_name;
    char *role;
    int level, checked, disabled, expanded, pressed, selected, include_hidden; /* -1: not filtered */
    long nth;
};

struct pw_locator {
    struct pw_step *steps;
    size_t n;
};

#endif
