/* Playwright locators, in both forms tests write them:
 *   expressions   page.getByRole('button', { name: 'Sign in', exact: true }).filter({ hasText: 'x' }).nth(1)
 *                 getByText, getByLabel, getByPlaceholder, getByAltText, getByTitle, getByTestId, locator(),
 *                 filter({ hasText, hasNotText }), nth(), first(), last()
 *   selector strings   text=..., role=button[name="x"], css=..., xpath=..., id=..., data-testid=...,
 *                 data-test-id=..., data-test=..., nth=N, visible=true, chained with >>; a part with no
 *                 engine is XPath when it starts with // or .., text when quoted, else CSS.
 * Both parse into one chain of steps, evaluated as Playwright's injected script does (its text,
 * role, label, attribute and test id engines). */
#ifndef HEAL_PW_H
#define HEAL_PW_H

#include <stddef.h>

#include "dom.h"

struct pw_locator;

struct pw_locator *pw_parse(const char *s, char *err, size_t errlen);
void pw_free(struct pw_locator *l);

/* Elements in Playwright's order; returns the count (*out malloc'd) or -1 with err (bad XPath). */
long pw_query(heal_doc *doc, const struct pw_locator *l, const char *test_id_attribute, struct dom_node ***out,
              char *err, size_t errlen);

/* What a locator says about its target, for healing without the old page. */
struct pw_hints {
    const char *role, *name, *text, *label, *placeholder, *alt, *title, *test_id, *id;
    const char *css;     /* a locator('...') / css= part (last one) */
    const char *xpath;
};
void pw_hints(const struct pw_locator *l, struct pw_hints *h);

/* Writes s as a JavaScript single-quoted string literal. */
struct text_buf;
void pw_put_string(struct text_buf *b, const char *s);

#endif
