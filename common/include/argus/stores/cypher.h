/* FalkorDB query parameters: encodes cJSON values as Cypher literals for the `CYPHER name=value ...`
 * prefix of GRAPH.QUERY, so values never get spliced into query text.
 *
 * What FalkorDB 4.x's parameter parser accepts (measured against the server, see test_graph.c):
 * - strings in double quotes with the escapes \\ \" \' \n \r \t \b \f; \uXXXX is NOT decoded (it stays
 *   six literal characters), other control bytes and any UTF-8 pass through raw. The encoder escapes
 *   backslash, double quote, \n \r \t \b \f and writes everything else as is, so every valid UTF-8
 *   string round-trips byte for byte. Invalid UTF-8 is refused.
 * - integers (int64), floats (`1.5`, `1e+300`), true/false, null, [lists], {maps}.
 * - map keys: plain identifiers, or backtick-quoted; a backtick inside a key cannot be expressed in
 *   any form (neither `` nor \`), so such keys are refused.
 * cJSON keeps every number as a double: integral values that fit int64 are written as integers, the
 * rest as the shortest decimal that reads back to the same double. NaN and infinities are refused. */
#ifndef ARGUS_CYPHER_H
#define ARGUS_CYPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <cJSON.h>

#include "argus/base/buf.h"

/* True if s is a parameter name FalkorDB accepts unquoted: [A-Za-z_][A-Za-z0-9_]*. */
bool argus_cypher_is_identifier(const char *s);

/* Appends one value as a Cypher literal. Returns 0, or -1 with the reason in err
 * ("$.rows[3].name: invalid UTF-8 at byte 7"); path names the value in messages (may be NULL). */
int argus_cypher_encode_value(struct argus_buf *out, const cJSON *value, const char *path, char *err,
                              size_t errlen);

/* Appends "CYPHER a=1 b=\"x\" " for every member of the object params (nothing when params is NULL
 * or empty). Parameter names must be identifiers and unique. Returns 0 or -1 with err. */
int argus_cypher_encode_params(struct argus_buf *out, const cJSON *params, char *err, size_t errlen);

/* The whole query text: the parameter prefix followed by query. Returns 0 or -1 with err. */
int argus_cypher_build(struct argus_buf *out, const char *query, const cJSON *params, char *err,
                       size_t errlen);

/* Appends a label, relationship type or property name for query text: bare when it is an identifier,
 * backtick-quoted otherwise. Refuses empty names, backticks and invalid UTF-8. Returns 0 or -1. */
int argus_cypher_encode_name(struct argus_buf *out, const char *name, char *err, size_t errlen);

#endif
