/* A private network for a test process: it moves itself into new network and mount namespaces
 * (as root; otherwise inside a new user namespace), brings up its own loopback with extra addresses
 * (the "internal" and "public" destinations of a test), and bind-mounts its own /etc/resolv.conf
 * and /etc/hosts over the real ones, as `ip netns exec` does. Nothing outside the process sees any
 * of it, and all of it ends with the process: nothing to clean up. */
#ifndef ARGUS_NETNS_SANDBOX_H
#define ARGUS_NETNS_SANDBOX_H

#include <stddef.h>

/* Call first in main(), before any thread starts. addresses: "169.254.169.254/32", "fd00:ec2::254/128"
 * (NULL-terminated). resolv_conf and hosts: the files' text. 0, or -1 with the reason in err. */
int netns_sandbox_enter(const char *const *addresses, const char *resolv_conf, const char *hosts, char *err,
                        size_t errlen);

#endif
