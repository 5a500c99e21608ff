/* What the semantic layer embeds for a function, a test case and a failure: short sentences that
 * carry the names a person would search for, split into words ("formatUser" -> "format user") so
 * that a question in words lands near the code that spells them in camelCase or snake_case. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/buf.h"
#include "code_model.h"
#include "embeddings.h"

/* "PriceBook.get_item" -> "price book get item": identifier parts, lower case, one space apart. */
static void name_words(struct argus_buf *out, const char *name)
{
    int pending_space = 0, prev_lower = 0;
    for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
        if (!isalnum(*s) && *s < 0x80) {
            pending_space = out->len > 0;
            prev_lower = 0;
            continue;
        }
        if (isupper(*s) && prev_lower)
            pending_space = 1;
        if (pending_space)
            argus_buf_putc(out, ' ');
        pending_space = 0;
        argus_buf_putc(out, *s < 0x80 ? (char)tolower(*s) : (char)*s);
        prev_lower = islower(*s) || isdigit(*s);
    }
}

static char *finish(struct argus_buf *b)
{
    if (b->oom) {
        argus_buf_free(b);
        return NULL;
    }
    return argus_buf_steal(b);
}

char *cognee_embed_text_function(const struct code_entity *fn)
{
    const char *name = fn->qname ? fn->qname : fn->name;
    if (!name)
        return NULL;
    struct argus_buf b = ARGUS_BUF_INIT;
    argus_buf_printf(&b, "%s %s (", fn->kind == CODE_METHOD ? "method" : "function", name);
    name_words(&b, name);
    argus_buf_putc(&b, ')');
    if (fn->path)
        argus_buf_printf(&b, " in %s", fn->path);
    return finish(&b);
}

char *cognee_embed_text_test_case(const struct code_entity *test)
{
    const char *name = test->qname ? test->qname : test->name;
    if (!name)
        return NULL;
    struct argus_buf b = ARGUS_BUF_INIT;
    argus_buf_printf(&b, "test %s", name);
    if (test->framework)
        argus_buf_printf(&b, " (%s)", test->framework);
    if (test->path)
        argus_buf_printf(&b, " in %s", test->path);
    return finish(&b);
}

char *cognee_embed_text_failure(const char *error_type, const char *message)
{
    int has_type = error_type && *error_type, has_message = message && *message;
    if (!has_type && !has_message)
        return NULL;
    struct argus_buf b = ARGUS_BUF_INIT;
    argus_buf_printf(&b, "%s%s%s", has_type ? error_type : "", has_type && has_message ? ": " : "",
                     has_message ? message : "");
    return finish(&b);
}
