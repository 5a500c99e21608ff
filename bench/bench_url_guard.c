/* What the outbound guard costs, each against its baseline in the same run (no stack needed):
 *   1. deciding on a URL without DNS (argus_url_prepare) vs libcurl's URL parser alone;
 *   2. the bounded lookup (argus_url_check of a name: getaddrinfo_a, the address rules, the pin)
 *      vs a plain getaddrinfo of the same name (/etc/hosts);
 *   3. a keep-alive GET to a loopback server: argus_http_request (baseline) vs
 *      argus_http_request_guarded to the address, and to a name (one lookup per request).
 *   bench_url_guard [N]   N operations per run of 3. (default 2000; 1. and 2. run 50 N)
 * Built by make benches into build/bench/bench_url_guard; make bench runs it. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/stores/http.h"
#include "argus/base/log.h"
#include "argus/stores/url_guard.h"
#include "bench_compare.h"

static const char *const URLS[] = {
    "https://github.com/acme/shop.git",
    "https://hooks.slack.com/services/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",
    "https://gitlab.corp.example:8443/group/sub/repo.git?ref=main",
    "https://user:token@example.com/a/b/c?x=1&y=2#frag",
    "https://B\xc3\x9c" "CHER.example./index.html",
    "https://[2606:4700:4700::1111]/dns-query",
    "https://140.82.112.3/",
    "https://api.atlassian.com/ex/jira/11223344-a1b2-c3d4-e5f6-112233445566/rest/api/3/issue",
};
#define N_URLS (sizeof URLS / sizeof URLS[0])

static struct argus_url_guard *guard;
static struct argus_http http;
static char by_address[64], by_name[64];

static void die(const char *what, const char *why)
{
    fprintf(stderr, "bench_url_guard: %s: %s\n", what, why);
    exit(1);
}

static void curl_parse(int n, int run)
{
    (void)run;
    for (int i = 0; i < n; i++) {
        CURLU *u = curl_url();
        char *host = NULL;
        if (curl_url_set(u, CURLUPART_URL, URLS[i % N_URLS], 0) == CURLUE_OK)
            curl_url_get(u, CURLUPART_HOST, &host, 0);
        curl_free(host);
        curl_url_cleanup(u);
    }
}

static void guard_prepare(int n, int run)
{
    (void)run;
    for (int i = 0; i < n; i++) {
        struct argus_url_target t;
        struct argus_result res;
        if (argus_url_prepare(guard, URLS[i % N_URLS], "u", &t, &res) != ARGUS_OK)
            die(URLS[i % N_URLS], res.message);
        argus_url_target_free(&t);
    }
}

static void plain_lookup(int n, int run)
{
    (void)run;
    for (int i = 0; i < n; i++) {
        struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
        if (getaddrinfo("localhost", NULL, &hints, &ai) != 0)
            die("getaddrinfo", "localhost");
        freeaddrinfo(ai);
    }
}

static void guard_lookup(int n, int run)
{
    (void)run;
    for (int i = 0; i < n; i++) {
        struct argus_url_target t;
        struct argus_result res;
        if (argus_url_check(guard, by_name, "u", &t, &res) != ARGUS_OK)
            die(by_name, res.message);
        argus_url_target_free(&t);
    }
}

static void get_n(int n, const char *url, int guarded)
{
    for (int i = 0; i < n; i++) {
        struct argus_http_request req = {.url = url};
        struct argus_http_response resp;
        struct argus_result res;
        enum argus_outcome o = guarded ? argus_http_request_guarded(&http, guard, &req, &resp, &res)
                                       : argus_http_request(&http, &req, &resp, &res);
        if (o != ARGUS_OK)
            die(url, res.message);
        argus_http_response_free(&resp);
    }
}

static void get_unguarded(int n, int run)
{
    (void)run;
    get_n(n, by_address, 0);
}

static void get_guarded_address(int n, int run)
{
    (void)run;
    get_n(n, by_address, 1);
}

static void get_guarded_name(int n, int run)
{
    (void)run;
    get_n(n, by_name, 1);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **state)
{
    (void)cls, (void)url, (void)method, (void)version, (void)data, (void)size, (void)state;
    struct MHD_Response *r = MHD_create_response_from_buffer(2, (void *)"ok", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    if (n <= 0)
        die("N", "must be a positive number");
    argus_log_set_level(ARGUS_LOG_OFF);
    struct argus_strlist allow;
    argus_strlist_split(&allow, "127.0.0.1, localhost, 10.0.0.0/8, *.corp.example");
    struct argus_url_guard_settings s = {true, &allow, NULL, 0};
    char err[256];
    if (!(guard = argus_url_guard_new(&s, err, sizeof err)))
        die("guard", err);
    argus_strlist_free(&allow);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, answer,
                                            NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info || argus_http_init(&http, "bench", 2000, 10000) != 0)
        die("server", "cannot start");
    snprintf(by_address, sizeof by_address, "http://127.0.0.1:%u/", (unsigned)info->port);
    snprintf(by_name, sizeof by_name, "http://localhost:%u/", (unsigned)info->port);

    printf("-- deciding on a URL, no DNS (%d per run, median of %d interleaved runs)\n", 50 * n, BENCH_RUNS);
    const struct variant parse[] = {{"libcurl URL parser alone (baseline)", curl_parse, NULL},
                                    {"argus_url_prepare", guard_prepare, NULL}};
    compare(parse, 2, 50 * n);
    printf("-- one lookup of localhost (%d per run)\n", 50 * n);
    const struct variant lookup[] = {{"getaddrinfo (baseline)", plain_lookup, NULL},
                                     {"argus_url_check (bounded lookup, rules, pin)", guard_lookup, NULL}};
    compare(lookup, 2, 50 * n);
    printf("-- keep-alive GET to a loopback server (%d per run)\n", n);
    const struct variant get[] = {{"argus_http_request (baseline)", get_unguarded, NULL},
                                  {"argus_http_request_guarded, address", get_guarded_address, NULL},
                                  {"argus_http_request_guarded, name", get_guarded_name, NULL}};
    compare(get, 3, n);
    argus_http_close(&http);
    MHD_stop_daemon(d);
    argus_url_guard_free(guard);
    return 0;
}
