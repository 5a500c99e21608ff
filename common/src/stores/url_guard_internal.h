/* What the files of the outbound guard share (url_guard*.c): address blocks, the parsed allow and
 * deny lists, and the bounded resolver. Not part of the public API (see argus/stores/url_guard.h). */
#ifndef ARGUS_URL_GUARD_INTERNAL_H
#define ARGUS_URL_GUARD_INTERNAL_H

#ifndef ARGUS_LIBARGUS_INTERNAL
#error "url_guard_internal.h is private to libargus's outbound guard"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "argus/stores/url_guard.h"

/* An address block; IPv4 is kept as AF_INET with 4 bytes. */
struct url_cidr {
    int family;
    uint8_t bytes[16];
    int prefix;
};

/* "10.0.0.0/8", "10.1.2.3", "fd00::/8", "[::1]". 0, or -1 when it is no address or block. */
int url_cidr_parse(const char *text, struct url_cidr *out);
/* Family and bytes of sa, an IPv4-mapped IPv6 address folded to IPv4. 0, or -1 for another family. */
int url_addr_bytes(const struct sockaddr *sa, int *family, uint8_t bytes[16]);
bool url_cidr_contains(const struct url_cidr *c, int family, const uint8_t *bytes);

/* Rules that no allowlist host entry opens (a CIDR that names the address does, except the last). */
bool url_rule_is_metadata(const char *rule);
bool url_rule_never_allowed(const char *rule);   /* unspecified, multicast, broadcast */

/* One allow or deny list. */
struct url_list {
    char **hosts;              /* exact names, or ".suffix" for "*.suffix" entries */
    size_t n_hosts;
    struct url_cidr *cidrs;
    size_t n_cidrs;
};

struct argus_url_guard {
    bool allow_http;
    int resolve_timeout_ms;
    struct url_list allow, deny;
};

bool url_list_has_host(const struct url_list *l, const char *host);
bool url_list_has_address(const struct url_list *l, const struct sockaddr *sa);

/* Resolves host once (A and AAAA) within timeout_ms, into at most max addresses with port set.
 * 0 with *n filled; else a getaddrinfo error (EAI_AGAIN on timeout). */
int url_resolve(const char *host, int port, int timeout_ms, struct sockaddr_storage *out, size_t max, size_t *n);

/* "1.2.3.4" or "2001:db8::1" (bracketed when brackets is set). */
void url_addr_text(const struct sockaddr *sa, int brackets, char *out, size_t outlen);

#endif
