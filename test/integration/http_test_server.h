/* A local HTTP server (libmicrohttpd, thread per connection) for integration tests of outbound HTTP:
 * fixed routes that answer like the APIs we call do when things go right and wrong. */
#ifndef ARGUS_HTTP_TEST_SERVER_H
#define ARGUS_HTTP_TEST_SERVER_H

/* Routes:
 *   /ok            200 "hello"            /echo        200 with the request's method, body and
 *   /missing       404 JSON error                      X-Test header echoed back
 *   /ratelimited   429 Retry-After: 7     /ratelimited-date  429 Retry-After: HTTP-date in 5 s
 *   /unavailable   503                    /slow        200 after 2 s
 *   /close         closes the connection without answering
 *   /big           200 with 3 MiB         /quota       403 X-RateLimit-Remaining: 0, reset in 30 s
 *   /forbidden     403                    /echo-auth   401 with the Authorization header in the body
 *   /redirect?to=URL[&status=N]  N (302) with Location: URL */

struct http_test_server;

/* Starts on 127.0.0.1 on a free port. NULL on failure. */
struct http_test_server *http_test_server_start(void);
/* Starts on address (IPv4 or IPv6 text) and port (0: a free one). NULL on failure. */
struct http_test_server *http_test_server_start_on(const char *address, int port);
int http_test_server_port(const struct http_test_server *s);
/* TCP connections accepted so far (to check keep-alive). */
unsigned http_test_server_connections(const struct http_test_server *s);
void http_test_server_stop(struct http_test_server *s);

#endif
