/* The operations endpoints every worker serves on one port: GET /health (liveness), GET /ready
 * (readiness), GET /metrics (Prometheus text). /livez and /readyz are accepted as aliases. */
#ifndef ARGUS_HEALTH_H
#define ARGUS_HEALTH_H

#include <stddef.h>

/* Return 1 when healthy/ready, 0 otherwise with a short reason in why. Called from the HTTP thread. */
typedef int (*argus_health_check_fn)(void *arg, char *why, size_t whylen);

struct argus_health;

/* Starts the server on host:port (port 0 = pick a free one, see argus_health_port). NULL on error. */
struct argus_health *argus_health_start(const char *host, int port, argus_health_check_fn live,
                                        argus_health_check_fn ready, void *arg, char *err, size_t errlen);
int argus_health_port(const struct argus_health *h);
void argus_health_stop(struct argus_health *h);

/* GET http://127.0.0.1:port/path with a plain socket; returns the HTTP status or -1. For
 * `--health-probe` (Docker HEALTHCHECK with no curl in the image) and for tests. If body is not NULL it
 * receives up to bodylen-1 bytes of the response body. */
int argus_http_get_local(int port, const char *path, int timeout_ms, char *body, size_t bodylen);

#endif
