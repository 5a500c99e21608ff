/* A git smart-HTTP server for tests of repository fetches over the network: libmicrohttpd in front
 * of `git http-backend` (the CGI program git ships), serving the repositories under a directory on
 * a chosen address and port; or answering every request with a redirect. */
#ifndef ARGUS_GIT_HTTP_SERVER_H
#define ARGUS_GIT_HTTP_SERVER_H

struct git_http_server;

/* Serves project_root's repositories (http://address:port/<repo>) or, when redirect_to is set,
 * answers every request 302 with Location: redirect_to + the request path. port 0: a free one.
 * NULL on failure. */
struct git_http_server *git_http_server_start(const char *address, int port, const char *project_root,
                                              const char *redirect_to);
int git_http_server_port(const struct git_http_server *s);
unsigned git_http_server_requests(const struct git_http_server *s);
void git_http_server_stop(struct git_http_server *s);

#endif
