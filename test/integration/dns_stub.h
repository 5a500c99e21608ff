/* A tiny authoritative DNS responder over UDP for tests that must control what a name resolves to,
 * and when: answers (A, AAAA) for the first query of a name and for the ones after it (DNS
 * rebinding), NXDOMAIN for unknown names, a count of queries per name and type, and a silent mode
 * (a resolver that does not answer). */
#ifndef ARGUS_DNS_STUB_H
#define ARGUS_DNS_STUB_H

#define DNS_A    1
#define DNS_AAAA 28

enum dns_when { DNS_ALWAYS, DNS_FIRST, DNS_LATER };

struct dns_stub;

/* Listens on address:port (UDP). NULL on failure. */
struct dns_stub *dns_stub_start(const char *address, int port);
/* One more answer for name (IPv4 or IPv6 text; its family gives the record type), for the first
 * query of that name and type, the later ones, or all. Call before queries arrive. */
void dns_stub_answer(struct dns_stub *s, const char *name, const char *address, enum dns_when when);
/* Queries of name and type received so far. */
unsigned dns_stub_queries(struct dns_stub *s, const char *name, int type);
/* While silent, queries are read and never answered. */
void dns_stub_silent(struct dns_stub *s, int silent);
void dns_stub_stop(struct dns_stub *s);

#endif
