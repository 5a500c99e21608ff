/* Socket addresses for the integration tests' local servers (HTTP, git, DNS, recorders). */
#ifndef ARGUS_IT_NET_H
#define ARGUS_IT_NET_H

#include <sys/socket.h>

/* address (IPv4 or IPv6 text) and port into ss and its length. 0, or -1 when it is no address. */
int it_sockaddr(const char *address, int port, struct sockaddr_storage *ss, socklen_t *len);

#endif
