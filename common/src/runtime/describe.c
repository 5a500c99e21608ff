/* --describe: a worker as data. The group, topics, outputs, event types, stores and settings that its
 * table declares, as one JSON object, so that the deployment files can be generated from it
 * (scripts/new-worker) and checked against it (test/deploy) instead of repeating it by hand. */
#include "argus/runtime/worker_spec.h"

#include <stdlib.h>

static const char *const type_names[] = {
    [ARGUS_ENV_STRING] = "string", [ARGUS_ENV_INT] = "int", [ARGUS_ENV_BOOL] = "bool",
    [ARGUS_ENV_CHOICE] = "choice", [ARGUS_ENV_LIST] = "list",
};

static cJSON *csv_array(const char *csv)
{
    cJSON *a = cJSON_CreateArray();
    struct argus_strlist l;
    if (a && argus_strlist_split(&l, csv) == 0) {
        for (size_t i = 0; i < l.n; i++)
            cJSON_AddItemToArray(a, cJSON_CreateString(l.items[i]));
        argus_strlist_free(&l);
    }
    return a;
}

static cJSON *env_var(const struct argus_env_var *v, const char *owner)
{
    cJSON *o = cJSON_CreateObject();
    bool secret = v->flags & ARGUS_ENV_SECRET;
    cJSON_AddStringToObject(o, "name", v->name);
    cJSON_AddStringToObject(o, "type", type_names[v->type]);
    if (v->def && *v->def && !secret)
        cJSON_AddStringToObject(o, "default", v->def);
    else
        cJSON_AddNullToObject(o, "default");
    cJSON_AddBoolToObject(o, "secret", secret);
    cJSON_AddBoolToObject(o, "required", (v->flags & ARGUS_ENV_REQUIRED) != 0);
    if (v->type == ARGUS_ENV_INT) {
        cJSON_AddNumberToObject(o, "min", (double)v->min);
        cJSON_AddNumberToObject(o, "max", (double)v->max);
    }
    if (v->type == ARGUS_ENV_CHOICE && v->choices) {
        cJSON *c = cJSON_AddArrayToObject(o, "choices");
        for (const char *const *ch = v->choices; *ch; ch++)
            cJSON_AddItemToArray(c, cJSON_CreateString(*ch));
    }
    if (v->alias)
        cJSON_AddStringToObject(o, "alias", v->alias);
    cJSON_AddStringToObject(o, "help", v->help ? v->help : "");
    cJSON_AddStringToObject(o, "owner", owner);
    return o;
}

static void add_env(cJSON *list, const struct argus_env_var *table, const char *owner)
{
    for (const struct argus_env_var *v = table; v && v->name; v++)
        cJSON_AddItemToArray(list, env_var(v, owner));
}

static cJSON *uses_array(const struct argus_worker_spec *spec)
{
    static const struct {
        unsigned flag;
        const char *name;
    } names[] = {
        {ARGUS_USES_FALKORDB, "falkordb"},
        {ARGUS_USES_VALKEY, "valkey"},
        {ARGUS_USES_DATABASE, "database"},
        {ARGUS_USES_HTTPS, "https"},
    };
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateString("kafka"));
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (spec->uses & names[i].flag)
            cJSON_AddItemToArray(a, cJSON_CreateString(names[i].name));
    return a;
}

static cJSON *describe(const struct argus_worker_spec *spec)
{
    cJSON *o = cJSON_CreateObject();
    char binary[128];
    snprintf(binary, sizeof binary, "argus-%s-worker", spec->name);
    cJSON_AddStringToObject(o, "worker", spec->name);
    cJSON_AddStringToObject(o, "binary", binary);
    cJSON_AddStringToObject(o, "version", ARGUS_VERSION);
    cJSON_AddStringToObject(o, "summary", spec->summary ? spec->summary : "");
    cJSON_AddStringToObject(o, "group", spec->group ? spec->group : "");
    cJSON_AddItemToObject(o, "topics", csv_array(spec->topics));
    cJSON_AddItemToObject(o, "outputs", csv_array(spec->outputs));
    cJSON *types = cJSON_AddArrayToObject(o, "event_types");
    for (const struct argus_route *r = spec->routes; r && r->event_type; r++)
        cJSON_AddItemToArray(types, cJSON_CreateString(r->event_type));
    cJSON_AddBoolToObject(o, "skip_unknown_types", spec->skip_unknown_types);
    cJSON_AddItemToObject(o, "uses", uses_array(spec));
    if (spec->external_apis)
        cJSON_AddStringToObject(o, "external_apis", spec->external_apis);
    else
        cJSON_AddNullToObject(o, "external_apis");
    cJSON *env = cJSON_AddArrayToObject(o, "env");
    for (const struct argus_env_block *b = spec->env; b && b->vars; b++)
        add_env(env, b->vars, "worker");
    add_env(env, argus_config_vars, "libargus");
    return o;
}

int argus_worker_describe(const struct argus_worker_spec *spec, FILE *out)
{
    cJSON *o = describe(spec);
    char *json = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    if (!json)
        return -1;
    int rc = fputs(json, out) < 0 || fputc('\n', out) == EOF || fflush(out) != 0 ? -1 : 0;
    free(json);
    return rc;
}
