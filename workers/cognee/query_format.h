/* Output of argus-cognee-query: a query result as aligned text columns (for people) or as JSON lines
 * (one object per row, keys = the query's RETURN aliases, for programs). */
#ifndef ARGUS_COGNEE_QUERY_FORMAT_H
#define ARGUS_COGNEE_QUERY_FORMAT_H

#include <stdio.h>

#include "argus/base/buf.h"
#include "argus/stores/graph.h"
#include "query_table.h"

/* Longest cell in text output, in characters; longer values end in "..." (JSON keeps them whole). */
#define COGNEE_TEXT_CELL_MAX 96

/* Appends rows [0, nrows) of r (nrows is capped at r->nrows): JSON lines when json, else a header line
 * and aligned rows. Column formats come from q (may be NULL: everything as text). */
void cognee_format_result(struct argus_buf *out, const struct cognee_query *q, const struct argus_graph_result *r,
                          size_t nrows, int json);

/* One cell as text output shows it ("-" for null); used by the tests. */
void cognee_format_cell_text(struct argus_buf *out, const struct argus_graph_value *v,
                             enum cognee_column_format format);

#endif
