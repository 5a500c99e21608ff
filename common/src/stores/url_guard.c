/* The outbound guard's decision for one URL: parse it with libcurl's URL parser (the parser of the
 * code that connects, curl and git alike), normalise the host, apply the scheme, name, list and
 * address rules, resolve once and pin; see argus/stores/url_guard.h. */
#include "url_guard_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <idn2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "argus/base/buf.h"
#include "argus/base/log.h"

/* ---- host spelling ---- */

static int has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 1;
    return 0;
}

/* Letters, digits, '-', '_' and dots between non-empty labels of at most 63 bytes. */
static int valid_name(const char *h)
{
    size_t label = 0;
    if (!*h || strlen(h) > 253)
        return 0;
    for (const char *p = h; *p; p++) {
        if (*p == '.') {
            if (label == 0)
                return 0;
            label = 0;
        } else if (isalnum((unsigned char)*p) || *p == '-' || *p == '_') {
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return label > 0;
}

/* A last label of digits (or 0x...) makes the whole host an IPv4 attempt, as resolvers read it. */
static int looks_numeric(const char *h)
{
    const char *last = strrchr(h, '.');
    last = last ? last + 1 : h;
    if (!strncasecmp(last, "0x", 2))
        return 1;
    return *last && strspn(last, "0123456789") == strlen(last);
}

int argus_url_normalize_host(const char *host, char *out, size_t outlen)
{
    char buf[512];
    size_t len = host ? strlen(host) : 0;
    if (len == 0 || len >= sizeof buf || outlen == 0)
        return -1;
    memcpy(buf, host, len + 1);
    if (buf[0] == '[') {   /* IPv6 literal */
        if (buf[len - 1] != ']')
            return -1;
        buf[len - 1] = '\0';
        struct in6_addr a6;
        if (inet_pton(AF_INET6, buf + 1, &a6) != 1)
            return -1;
        return inet_ntop(AF_INET6, &a6, out, (socklen_t)outlen) ? 0 : -1;
    }
    if (has_non_ascii(buf)) {
        /* UTS #46 as curl and browsers do it: non-transitional, then transitional */
        char *ascii = NULL;
        if (idn2_lookup_u8((const uint8_t *)buf, (uint8_t **)&ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK &&
            idn2_lookup_u8((const uint8_t *)buf, (uint8_t **)&ascii, IDN2_NFC_INPUT | IDN2_TRANSITIONAL) != IDN2_OK)
            return -1;
        size_t al = strlen(ascii);
        if (al >= sizeof buf) {
            idn2_free(ascii);
            return -1;
        }
        memcpy(buf, ascii, al + 1);
        idn2_free(ascii);
        len = al;
    }
    for (char *p = buf; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (len > 1 && buf[len - 1] == '.')
        buf[--len] = '\0';
    struct in6_addr a6;
    if (strchr(buf, ':') && inet_pton(AF_INET6, buf, &a6) == 1)
        return inet_ntop(AF_INET6, &a6, out, (socklen_t)outlen) ? 0 : -1;
    if (looks_numeric(buf)) {
        struct in_addr a4;   /* inet_aton reads what getaddrinfo reads: 127.1, 0x7f000001, 0177.0.0.1 */
        if (inet_aton(buf, &a4) == 0)
            return -1;
        return inet_ntop(AF_INET, &a4, out, (socklen_t)outlen) ? 0 : -1;
    }
    if (!valid_name(buf) || strlen(buf) >= outlen)
        return -1;
    memcpy(out, buf, strlen(buf) + 1);
    return 0;
}

/* ---- refusals ---- */

/* "<label>: destination refused (<rule>: <detail>): <url redacted>" */
static enum argus_outcome refuse(struct argus_result *res, const char *label, const char *rule, const char *detail,
                                 const char *safe_url)
{
    argus_reject(res, ARGUS_ERR_DESTINATION_REFUSED, "%s: destination refused (%s%s%s): %s", label, rule,
                 detail && *detail ? ": " : "", detail ? detail : "", safe_url);
    argus_warn("outbound.refused", "%s", res->message);
    return ARGUS_REJECT;
}

/* Why an address may not be used, or NULL. An allowlisted host opens the internal ranges but not the
 * metadata addresses; a CIDR entry opens what it names; nothing opens unspecified or multicast. */
static const char *address_refusal(const struct argus_url_guard *g, const struct sockaddr *sa, int host_allowed)
{
    const char *rule = argus_url_address_rule(sa, NULL);
    if (url_list_has_address(&g->deny, sa))
        return "denylist";
    if (url_rule_never_allowed(rule))
        return rule;
    if (!rule || url_list_has_address(&g->allow, sa))
        return NULL;
    if (host_allowed && !url_rule_is_metadata(rule))
        return NULL;
    return rule;
}

/* Refuses when the address may not be used: "(loopback via ipv4-mapped: [<host> resolves to ]::ffff:127.0.0.1)". */
static int refuse_address(const struct argus_url_guard *g, const struct argus_url_target *t, const struct sockaddr *sa,
                          int host_allowed, const char *label, struct argus_result *res)
{
    const char *rule = address_refusal(g, sa, host_allowed);
    if (!rule)
        return 0;
    const char *via = NULL;
    argus_url_address_rule(sa, &via);
    char full[64], addr[INET6_ADDRSTRLEN + 2], detail[400];
    snprintf(full, sizeof full, "%s%s%s", rule, via && strcmp(rule, "denylist") ? " via " : "",
             via && strcmp(rule, "denylist") ? via : "");
    url_addr_text(sa, 0, addr, sizeof addr);
    snprintf(detail, sizeof detail, "%s%s%s", t->literal ? "" : t->host, t->literal ? "" : " resolves to ", addr);
    refuse(res, label, full, detail, t->safe_url);
    return 1;
}

/* ---- parsing ---- */

static enum argus_outcome invalid(struct argus_result *res, const char *label, const char *why, const char *safe)
{
    return refuse(res, label, "invalid URL", why, safe);
}

/* What curl's parser tolerates but other readers of the same text (git, a browser, a proxy) may
 * read differently: refuse it rather than guess. */
static const char *unsafe_characters(const char *url)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f)
            return "control character or space";
        if (*p == '\\')
            return "backslash";
    }
    return NULL;
}

/* "scheme://" with a known scheme; *scheme gets it in lower case. */
static const char *scheme_of(const char *url, char *scheme, size_t n)
{
    size_t len = 0;
    while (isalnum((unsigned char)url[len]) || url[len] == '+' || url[len] == '-' || url[len] == '.')
        len++;
    if (len == 0 || !isalpha((unsigned char)url[0]) || strncmp(url + len, "://", 3) != 0)
        return "not an absolute URL";
    if (len >= n)
        return "unknown scheme";
    for (size_t i = 0; i < len; i++)
        scheme[i] = (char)tolower((unsigned char)url[i]);
    scheme[len] = '\0';
    return NULL;
}

static int curl_part(CURLU *u, CURLUPart part, unsigned flags, char *out, size_t n)
{
    char *v = NULL;
    CURLUcode rc = curl_url_get(u, part, &v, flags);
    int ok = rc == CURLUE_OK && v && strlen(v) < n;
    if (ok)
        memcpy(out, v, strlen(v) + 1);
    curl_free(v);
    return ok ? 0 : -1;
}

/* The canonical URL: curl's own rendering with the normalised host and no fragment. */
static char *canonical_url(CURLU *u, const struct argus_url_target *t)
{
    char host[260];
    snprintf(host, sizeof host, t->literal && strchr(t->host, ':') ? "[%s]" : "%s", t->host);
    char *v = NULL;
    if (curl_url_set(u, CURLUPART_HOST, host, 0) != CURLUE_OK || curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &v, 0) != CURLUE_OK)
        return NULL;
    char *copy = strdup(v);
    curl_free(v);
    return copy;
}

static void set_literal_address(struct argus_url_target *t)
{
    struct sockaddr_storage *ss = &t->addrs[0];
    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, t->host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
        ss->ss_family = AF_INET;
        ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)t->port);
        t->literal = true;
    } else if (inet_pton(AF_INET6, t->host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
        ss->ss_family = AF_INET6;
        ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)t->port);
        t->literal = true;
    }
    t->n_addrs = t->literal ? 1 : 0;
}

/* Scheme, host and port into t; NULL, or why the URL cannot be used. */
static const char *parse_into(CURLU *u, const char *url, struct argus_url_target *t)
{
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        return "libcurl cannot parse it";
    char raw[512], zone[64], port[8];
    if (curl_part(u, CURLUPART_ZONEID, 0, zone, sizeof zone) == 0)
        return "IPv6 zone id";
    if (curl_part(u, CURLUPART_HOST, 0, raw, sizeof raw) != 0 || argus_url_normalize_host(raw, t->host, sizeof t->host) != 0)
        return "bad host";
    if (curl_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT, port, sizeof port) != 0 || (t->port = atoi(port)) <= 0)
        return "bad port";
    set_literal_address(t);
    return NULL;
}

/* What a caller without settings gets: https only, no lists. */
static const struct argus_url_guard default_guard = {.resolve_timeout_ms = ARGUS_URL_DEFAULT_RESOLVE_TIMEOUT_MS};

enum argus_outcome argus_url_prepare(const struct argus_url_guard *g, const char *url, const char *label,
                                     struct argus_url_target *t, struct argus_result *res)
{
    memset(t, 0, sizeof *t);
    g = g ? g : &default_guard;
    argus_result_ok(res);
    label = label ? label : "url";
    if (!url || !*url)
        return invalid(res, label, "empty", "");
    size_t len = strlen(url);
    /* redaction may grow a URL ("?a=b" -> "?a=***") and IDN may lengthen the host */
    size_t safe_size = 3 * (len < ARGUS_URL_MAX_LEN ? len : ARGUS_URL_MAX_LEN) + 300;
    char *safe = malloc(safe_size);
    if (!safe)
        return argus_retry(res, ARGUS_ERR_PROCESSING, "%s: out of memory", label);
    argus_url_redact(url, safe, safe_size);
    t->safe_url = safe;
    const char *why = len > ARGUS_URL_MAX_LEN ? "too long" : unsafe_characters(url);
    if (!why)
        why = scheme_of(url, t->scheme, sizeof t->scheme);
    if (why)
        return invalid(res, label, why, safe);
    if (strcmp(t->scheme, "https") != 0 && (strcmp(t->scheme, "http") != 0 || !g->allow_http))
        return refuse(res, label, "scheme",
                      strcmp(t->scheme, "http") ? "only https" : "http is off: OUTBOUND_ALLOW_HTTP=false", safe);
    CURLU *u = curl_url();
    if (!u)
        return argus_retry(res, ARGUS_ERR_PROCESSING, "%s: out of memory", label);
    why = parse_into(u, url, t);
    if (!why && !(t->url = canonical_url(u, t)))
        why = "libcurl cannot render it";
    curl_url_cleanup(u);
    if (why)
        return invalid(res, label, why, safe);
    /* the redacted form of what will really be fetched */
    argus_url_redact(t->url, safe, safe_size);

    int host_allowed = !t->literal && url_list_has_host(&g->allow, t->host);
    if (!t->literal && url_list_has_host(&g->deny, t->host))
        return refuse(res, label, "denylist", t->host, safe);
    size_t hl = strlen(t->host);
    if (!host_allowed && (!strcmp(t->host, "localhost") || (hl > 10 && !strcmp(t->host + hl - 10, ".localhost"))))
        return refuse(res, label, "loopback", t->host, safe);
    if (t->literal && refuse_address(g, t, (struct sockaddr *)&t->addrs[0], 0, label, res))
        return ARGUS_REJECT;
    return ARGUS_OK;
}

/* ---- resolution and the pin ---- */

static char *pin_of(const struct argus_url_target *t)
{
    struct argus_buf b = ARGUS_BUF_INIT;
    argus_buf_printf(&b, "%s:%d:", t->host, t->port);
    for (size_t i = 0; i < t->n_addrs; i++) {
        char a[INET6_ADDRSTRLEN + 2];
        url_addr_text((const struct sockaddr *)&t->addrs[i], 1, a, sizeof a);
        argus_buf_printf(&b, "%s%s", i ? "," : "", a);
    }
    if (b.oom) {
        argus_buf_free(&b);
        return NULL;
    }
    return b.data;
}

enum argus_outcome argus_url_check(const struct argus_url_guard *g, const char *url, const char *label,
                                   struct argus_url_target *t, struct argus_result *res)
{
    enum argus_outcome o = argus_url_prepare(g, url, label, t, res);
    if (o != ARGUS_OK || t->literal)
        return o;
    g = g ? g : &default_guard;
    label = label ? label : "url";
    int rc = url_resolve(t->host, t->port, g->resolve_timeout_ms, t->addrs, ARGUS_URL_MAX_ADDRS, &t->n_addrs);
    if (rc == EAI_NONAME || rc == EAI_NODATA)
        return argus_reject(res, ARGUS_ERR_VALIDATION, "%s: host %s not found: %s", label, t->host, t->safe_url);
    if (rc != 0)
        return argus_retry(res, ARGUS_ERR_CONNECTION, "%s: cannot resolve %s for now (%s): %s", label, t->host,
                           gai_strerror(rc), t->safe_url);
    /* one refused address refuses the name: a mixed answer is how rebinding starts */
    int host_allowed = url_list_has_host(&g->allow, t->host);
    for (size_t i = 0; i < t->n_addrs; i++)
        if (refuse_address(g, t, (struct sockaddr *)&t->addrs[i], host_allowed, label, res))
            return ARGUS_REJECT;
    if (!(t->pin = pin_of(t)))
        return argus_retry(res, ARGUS_ERR_PROCESSING, "%s: out of memory", label);
    return ARGUS_OK;
}

void argus_url_target_free(struct argus_url_target *t)
{
    free(t->url);
    free(t->safe_url);
    free(t->pin);
    memset(t, 0, sizeof *t);
}

int argus_url_target_has_address(const struct argus_url_target *t, const struct sockaddr *sa)
{
    int family, f;
    uint8_t want[16], have[16];
    if (url_addr_bytes(sa, &family, want) != 0)
        return 0;
    for (size_t i = 0; i < t->n_addrs; i++)
        if (url_addr_bytes((const struct sockaddr *)&t->addrs[i], &f, have) == 0 && f == family &&
            !memcmp(want, have, 16))
            return 1;
    return 0;
}
