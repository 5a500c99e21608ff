/* The outbound guard for every URL an event or a tenant supplies (SSRF): a repository to fetch, a page
 * snapshot, a webhook, a GitHub Enterprise, GitLab or Jira host. One decision, made before any
 * connection, in this order:
 *   1. the URL: absolute, no control characters, spaces or backslashes, at most ARGUS_URL_MAX_LEN;
 *   2. the scheme: https; http only when OUTBOUND_ALLOW_HTTP is on;
 *   3. the host, normalised the way a resolver would read it (decimal, hex, octal and short IPv4
 *      forms, IDN to A-labels, upper case, a trailing dot, IPv6 brackets); `localhost` and
 *      `*.localhost` are loopback by name (RFC 6761);
 *   4. OUTBOUND_DENYLIST (hosts or CIDRs) refuses, whatever else says;
 *   5. the addresses: an IP literal as is, a name resolved once (bounded in time); every address must
 *      be public: loopback, private (RFC 1918, ULA), link-local, the metadata addresses
 *      (169.254.169.254, fd00:ec2::254), CGNAT, multicast, unspecified, broadcast, reserved ranges and
 *      the IPv4-mapped, -compatible, NAT64 and 6to4 forms of them are refused; OUTBOUND_ALLOWLIST
 *      (hosts or CIDRs) lets a deployment reach an internal GitLab or Jira (a host entry never opens
 *      the metadata addresses; only a CIDR that names them does);
 *   6. the checked addresses are pinned for the connection (CURLOPT_RESOLVE, git's
 *      http.curloptResolve), so a second DNS answer cannot swap them.
 * A refusal is permanent (ARGUS_REJECT, class ARGUS_ERR_DESTINATION_REFUSED) with a message naming
 * the rule; messages show the URL redacted (argus_url_redact). Thread-safe: a guard is immutable. */
#ifndef ARGUS_URL_GUARD_H
#define ARGUS_URL_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "argus/base/config.h"
#include "argus/base/outcome.h"

#define ARGUS_URL_MAX_LEN   8192
#define ARGUS_URL_MAX_ADDRS 16
#define ARGUS_URL_DEFAULT_RESOLVE_TIMEOUT_MS 5000

struct argus_url_guard;

struct argus_url_guard_settings {
    bool allow_http;                     /* OUTBOUND_ALLOW_HTTP */
    const struct argus_strlist *allow;   /* OUTBOUND_ALLOWLIST: host, *.suffix, IP or CIDR; may be NULL */
    const struct argus_strlist *deny;    /* OUTBOUND_DENYLIST: the same forms; may be NULL */
    int resolve_timeout_ms;              /* OUTBOUND_RESOLVE_TIMEOUT_MS; 0: the default */
};

/* NULL with one line in err naming the variable and the entry it cannot read. */
struct argus_url_guard *argus_url_guard_new(const struct argus_url_guard_settings *s, char *err, size_t errlen);
/* The guard of the shared settings (OUTBOUND_* in argus_config_vars); the worker runtime builds it
 * once at start (a bad entry stops the worker, exit 2) and hands it out: argus_runtime_url_guard. */
struct argus_url_guard *argus_url_guard_from_config(const struct argus_config *cfg, char *err, size_t errlen);
void argus_url_guard_free(struct argus_url_guard *g);
bool argus_url_guard_allows_http(const struct argus_url_guard *g);

/* A checked destination: what a connection may use, and nothing else. */
struct argus_url_target {
    char *url;                 /* canonical: scheme://[user@]host[:port]/path?query, normalised host,
                                  no fragment; give exactly this to curl or git */
    char *safe_url;            /* url redacted for messages and logs */
    char scheme[8];            /* "https" or "http" */
    char host[256];            /* lower case, A-labels, no trailing dot; an IPv6 literal without brackets */
    int port;
    bool literal;              /* host is an IP address (no resolution, no pin needed) */
    size_t n_addrs;
    struct sockaddr_storage addrs[ARGUS_URL_MAX_ADDRS];
    char *pin;                 /* "host:port:addr[,addr...]" (IPv6 in brackets) for CURLOPT_RESOLVE and
                                  http.curloptResolve; NULL for a literal */
};

/* Steps 1-6. ARGUS_OK with t filled; ARGUS_REJECT when refused or unusable (res names the rule; a
 * host that does not exist is refused too); ARGUS_RETRY when the resolver fails for now. label names
 * the URL in messages ("repository_url"). g NULL: https only, no lists. Free t with
 * argus_url_target_free whatever the outcome. */
enum argus_outcome argus_url_check(const struct argus_url_guard *g, const char *url, const char *label,
                                   struct argus_url_target *t, struct argus_result *res);
/* Steps 1-4 and, for an IP literal, 5: no DNS (what argus_url_check does before it resolves). */
enum argus_outcome argus_url_prepare(const struct argus_url_guard *g, const char *url, const char *label,
                                     struct argus_url_target *t, struct argus_result *res);
void argus_url_target_free(struct argus_url_target *t);

/* 1 when sa (AF_INET/AF_INET6) is one of the target's checked addresses: the connect-time check. */
int argus_url_target_has_address(const struct argus_url_target *t, const struct sockaddr *sa);

/* ---- the pieces, usable on their own ---- */

/* The rule that refuses an address ("loopback", "private", "link-local", "metadata", "cgnat",
 * "multicast", "unspecified", "broadcast", "reserved"), or NULL for a public one. An address that
 * embeds an IPv4 address (IPv4-mapped, -compatible, NAT64, 6to4) is judged by it; *via then names
 * the form ("ipv4-mapped"), else NULL. via may be NULL. */
const char *argus_url_address_rule(const struct sockaddr *sa, const char **via);

/* A host as a resolver reads it: IDN to A-labels, lower case, no trailing dot, IPv4 in any inet_aton
 * spelling to dotted quad, IPv6 (with or without brackets) to its canonical text. 0, or -1 when it is
 * no valid host name or address. */
int argus_url_normalize_host(const char *host, char *out, size_t outlen);

/* url with its secrets replaced by ***: user info, every query value, and path segments that look
 * like tokens (20 or more letters and digits, both present: webhook secrets live there); no fragment. */
void argus_url_redact(const char *url, char *out, size_t outlen);
/* Every URL inside free text (a git or curl error line), redacted in place. */
void argus_url_redact_text(char *text, size_t size);

#endif
