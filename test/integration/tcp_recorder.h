/* A TCP listener that only records: it accepts, counts and closes every connection. A test points
 * a refused destination at one and checks that it recorded nothing. */
#ifndef ARGUS_TCP_RECORDER_H
#define ARGUS_TCP_RECORDER_H

struct tcp_recorder;

/* Listens on address:port; "::" listens on every local IPv6 and IPv4 address. port 0: a free one.
 * NULL on failure. */
struct tcp_recorder *tcp_recorder_start(const char *address, int port);
int tcp_recorder_port(const struct tcp_recorder *r);
unsigned tcp_recorder_connections(const struct tcp_recorder *r);
void tcp_recorder_stop(struct tcp_recorder *r);

#endif
