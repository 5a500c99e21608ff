/* The selector healing engine: public API. A library with no libargus and no store dependency: it
 * parses HTML pages into a browser-equivalent tree (libgumbo, the HTML5 tree construction algorithm),
 * evaluates CSS, XPath and Playwright selectors on them, and heals a selector that stopped finding
 * the element a UI test meant, or refuses. See docs/healing.md for the scoring and the refusal rule.
 *
 * Elements are named by their document-order index: the position of the element in
 * document.querySelectorAll('*') of the same page in a browser (template contents excluded), so
 * results can be compared with a real browser element for element.
 *
 * Typical use:
 *     heal_doc *now = heal_doc_parse(html, len, err, sizeof err);
 *     heal_doc *then = heal_doc_parse(old_html, old_len, err, sizeof err);   (optional)
 *     struct heal_options o = HEAL_OPTIONS_INIT;  o.syntax = HEAL_SYNTAX_CSS;
 *     struct heal_result r;
 *     if (heal_selector("#login-btn", &o, now, then, &r, err, sizeof err) == 0) { ... heal_result_free(&r); }
 * Every function that can fail returns -1 (or NULL) and writes one line into err. Not thread-safe
 * per document (a document caches derived data); distinct documents may be used from distinct threads. */
#ifndef ARGUS_HEAL_H
#define ARGUS_HEAL_H

#include <stddef.h>

#define HEAL_PAGE_MAX      (5u * 1024 * 1024)  /* largest page accepted, bytes */
#define HEAL_CANDIDATES    5                   /* candidates reported with a result */

enum heal_syntax { HEAL_SYNTAX_CSS, HEAL_SYNTAX_XPATH, HEAL_SYNTAX_PLAYWRIGHT };

typedef struct heal_doc heal_doc;

/* Parses an HTML page (any encoding label is ignored: UTF-8 is assumed, invalid bytes are replaced).
 * NULL with err set when the page is empty, larger than HEAL_PAGE_MAX or not parseable. */
heal_doc *heal_doc_parse(const char *html, size_t len, char *err, size_t errlen);
void heal_doc_free(heal_doc *doc);

/* Number of elements, and the lower-case local name of element i (NULL when out of range). */
size_t heal_doc_element_count(const heal_doc *doc);
const char *heal_doc_tag(const heal_doc *doc, size_t element);

/* The whole text of an element, white space normalised, as Playwright's text matching reads it
 * (copied into buf, truncated to fit). -1 when element is out of range. */
int heal_doc_text(heal_doc *doc, size_t element, char *buf, size_t len);

/* "css", "xpath", "playwright" <-> enum; -1 for an unknown name. */
const char *heal_syntax_name(enum heal_syntax s);
int heal_syntax_parse(const char *name);

/* Elements that a selector matches, in document order (for Playwright in the order Playwright
 * returns them: document order except after nth()). */
struct heal_matches {
    size_t *items;
    size_t count;
};

/* Evaluates selector on doc. test_id_attribute is what Playwright's getByTestId reads (NULL:
 * data-testid). 0 on success (count may be 0); -1 with err when the selector does not parse. */
int heal_select(heal_doc *doc, enum heal_syntax syntax, const char *selector, const char *test_id_attribute,
                struct heal_matches *out, char *err, size_t errlen);
void heal_matches_free(struct heal_matches *m);

/* The visible text a selector looks for (text=, getByText, a role's name, :has-text(), text()='...'),
 * copied into buf; "" when it names none. */
void heal_selector_text(const char *selector, enum heal_syntax syntax, char *buf, size_t len);

/* Checks that a selector parses (for input validation); same errors as heal_select. */
int heal_selector_check(enum heal_syntax syntax, const char *selector, char *err, size_t errlen);

enum heal_error_type { HEAL_ERROR_SELECTOR, HEAL_ERROR_TIMEOUT };

struct heal_options {
    enum heal_syntax syntax;          /* syntax of the broken selector, and of the answer */
    const char *test_id_attribute;    /* NULL: data-testid */
    enum heal_error_type error_type;  /* what the test reported: no element, or a timeout */
};
#define HEAL_OPTIONS_INIT { HEAL_SYNTAX_CSS, NULL, HEAL_ERROR_SELECTOR }

struct heal_candidate {
    size_t element;      /* element index in the new page */
    double score;        /* similarity to what the selector meant, 0..1 */
    char *selector;      /* the best selector found for it (NULL when none is unique) */
    char *description;   /* short readable description: tag, name, id */
};

struct heal_result {
    int success;                 /* 1: selector finds the intended element (healed or unchanged) */
    int changed;                 /* 1: selector differs from the input */
    char *selector;              /* NULL when refused */
    enum heal_syntax syntax;
    double confidence;           /* 0..1, calibrated on the corpus (docs/benchmarks.md) */
    const char *strategy;        /* static string: how the answer was found, or why not */
    char *reason;                /* one sentence for people */
    long element;                /* element index in the new page, -1 when refused */
    struct heal_candidate candidates[HEAL_CANDIDATES];
    size_t n_candidates;
};

/* Heals selector against new_doc; old_doc (may be NULL) is the page as it was when the selector
 * still worked. 0 with *out filled (success or refusal); -1 with err when the selector does not
 * parse. heal_result_free releases *out. */
int heal_selector(const char *selector, const struct heal_options *opt, heal_doc *new_doc, heal_doc *old_doc,
                  struct heal_result *out, char *err, size_t errlen);
void heal_result_free(struct heal_result *r);

#endif
