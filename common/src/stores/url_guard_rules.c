/* The outbound guard's settings: OUTBOUND_ALLOWLIST and OUTBOUND_DENYLIST read into host names,
 * "*.suffix" patterns and address blocks, and the lookups the checks make in them. */
#include "url_guard_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void list_free(struct url_list *l)
{
    for (size_t i = 0; i < l->n_hosts; i++)
        free(l->hosts[i]);
    free(l->hosts);
    free(l->cidrs);
    memset(l, 0, sizeof *l);
}

/* One entry: an address or block, else a host name or "*.suffix" (kept as ".suffix"). */
static int list_add(struct url_list *l, const char *entry)
{
    struct url_cidr c;
    if (url_cidr_parse(entry, &c) == 0) {
        struct url_cidr *grown = realloc(l->cidrs, (l->n_cidrs + 1) * sizeof *grown);
        if (!grown)
            return -1;
        l->cidrs = grown;
        l->cidrs[l->n_cidrs++] = c;
        return 0;
    }
    if (strchr(entry, '/'))
        return -1;   /* a block that does not parse is a typo, not a host */
    int wildcard = !strncmp(entry, "*.", 2);
    char host[256];
    if (argus_url_normalize_host(entry + (wildcard ? 2 : 0), host + 1, sizeof host - 1) != 0)
        return -1;
    host[0] = '.';
    if (!wildcard && url_cidr_parse(host + 1, &c) == 0)
        return list_add(l, host + 1);   /* "127.1", "0x7f000001": an address after all */
    char **grown = realloc(l->hosts, (l->n_hosts + 1) * sizeof *grown);
    if (!grown)
        return -1;
    l->hosts = grown;
    l->hosts[l->n_hosts] = strdup(wildcard ? host : host + 1);
    return l->hosts[l->n_hosts++] ? 0 : -1;
}

static int list_load(struct url_list *l, const struct argus_strlist *entries, const char *var, char *err,
                     size_t errlen)
{
    for (size_t i = 0; entries && i < entries->n; i++) {
        if (list_add(l, entries->items[i]) != 0) {
            snprintf(err, errlen, "%s: \"%.100s\" is not a host name, *.domain, IP address or CIDR block", var,
                     entries->items[i]);
            return -1;
        }
    }
    return 0;
}

struct argus_url_guard *argus_url_guard_new(const struct argus_url_guard_settings *s, char *err, size_t errlen)
{
    struct argus_url_guard *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->allow_http = s->allow_http;
    g->resolve_timeout_ms = s->resolve_timeout_ms > 0 ? s->resolve_timeout_ms : ARGUS_URL_DEFAULT_RESOLVE_TIMEOUT_MS;
    if (list_load(&g->allow, s->allow, "OUTBOUND_ALLOWLIST", err, errlen) != 0 ||
        list_load(&g->deny, s->deny, "OUTBOUND_DENYLIST", err, errlen) != 0) {
        argus_url_guard_free(g);
        return NULL;
    }
    return g;
}

struct argus_url_guard *argus_url_guard_from_config(const struct argus_config *cfg, char *err, size_t errlen)
{
    struct argus_url_guard_settings s = {cfg->outbound_allow_http, &cfg->outbound_allowlist, &cfg->outbound_denylist,
                                         cfg->outbound_resolve_timeout_ms};
    return argus_url_guard_new(&s, err, errlen);
}

void argus_url_guard_free(struct argus_url_guard *g)
{
    if (!g)
        return;
    list_free(&g->allow);
    list_free(&g->deny);
    free(g);
}

bool argus_url_guard_allows_http(const struct argus_url_guard *g)
{
    return g && g->allow_http;
}

bool url_list_has_host(const struct url_list *l, const char *host)
{
    size_t hl = strlen(host);
    for (size_t i = 0; i < l->n_hosts; i++) {
        const char *e = l->hosts[i];
        size_t el = strlen(e);
        if (e[0] != '.' ? !strcmp(e, host) : hl > el && !strcmp(host + hl - el, e))
            return true;
    }
    return false;
}

bool url_list_has_address(const struct url_list *l, const struct sockaddr *sa)
{
    int family;
    uint8_t bytes[16];
    if (url_addr_bytes(sa, &family, bytes) != 0)
        return false;
    for (size_t i = 0; i < l->n_cidrs; i++)
        if (url_cidr_contains(&l->cidrs[i], family, bytes))
            return true;
    return false;
}
