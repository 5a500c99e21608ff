/* Helpers shared by the JavaScript / TypeScript walker (code_js.c) and its call handling
 * (code_js_calls.c). */
#ifndef ARGUS_COGNEE_CODE_JS_H
#define ARGUS_COGNEE_CODE_JS_H

#include "code_internal.h"

#define DOTTED_MAX 8   /* longest a.b.c chain kept */

int code_js_is_fn(enum code_node_type t);                  /* arrow function or function expression */
int code_js_has_async(TSNode n);                            /* has the async keyword */
/* Content of a string literal or template (interpolations become '\x01'), or NULL. */
char *code_js_string(struct code_ctx *c, TSNode n);
/* "a.b.c" for identifiers, this and property chains; NULL for anything else. */
char *code_js_dotted(struct code_ctx *c, TSNode n);
const char *code_js_last_segment(const char *dotted);
/* A function or method entity for node (fn: the function node giving params and async). */
uint32_t code_js_define_fn(struct code_ctx *c, enum code_kind kind, const char *name, TSNode node, TSNode fn,
                           uint32_t extra_flags);
/* A call expression; returns 1 (its children are walked). */
int code_js_call(struct code_ctx *c, TSNode n);

#endif
