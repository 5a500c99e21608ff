/* expect: compiles. A handler written the way workers are: it reaches the event, the outcomes,
 * argus_emit, every store handle, metrics and logs through argus/worker.h alone. If this stops
 * compiling, the failures of the bad_*.c cases beside it prove nothing. */
#include "argus/worker.h"

#include <stdlib.h>

struct handler_stores {
    struct argus_runtime *rt;
    struct argus_graph graph;
    struct argus_kv kv;
    struct argus_pg pg;
    struct argus_http http;
};

enum argus_outcome wall_good_handler(void *ctx, struct argus_item *it);

enum argus_outcome wall_good_handler(void *ctx, struct argus_item *it)
{
    struct handler_stores *s = ctx;
    const char *id = argus_event_str(&it->event, "test_id");
    if (!id)
        return argus_reject(&it->result, ARGUS_ERR_VALIDATION, "%s: data.test_id missing", it->event.type);
    enum argus_claim claim = argus_kv_claim(&s->kv, id, "token", 60, &it->result);
    if (claim == ARGUS_CLAIM_ERROR)
        return it->result.outcome;
    PGresult *rows = NULL;
    const char *params[] = {id};
    if (argus_pg_exec(&s->pg, "SELECT 1 WHERE $1 <> ''", 1, params, 0, &rows, &it->result) != 0)
        return it->result.outcome;
    PQclear(rows);
    struct argus_http_request req = {.url = "https://hooks.example/x", .label = "example"};
    struct argus_http_response resp = {0};
    enum argus_outcome o = argus_http_request(&s->http, &req, &resp, &it->result);
    argus_http_response_free(&resp);
    if (o != ARGUS_OK)
        return o;
    argus_counter_add("argus_wall_good_total", NULL, 1);
    argus_info("wall.good", "%s at %lld", id, (long long)argus_now_us());
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "test_id", id);
    if (argus_emit(s->rt, it, "argus.wall.out", "wall.done", data) != 0)
        return it->result.outcome;
    (void)s->graph;
    return ARGUS_OK;
}
