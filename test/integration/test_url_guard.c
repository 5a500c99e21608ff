/* Integration tests of the outbound guard on a real network stack: the process moves into its own
 * network namespace (netns_sandbox.h) whose loopback also carries the "internal" destinations
 * (169.254.169.254, fd00:ec2::254, 10.0.0.1, ...) and two "public" ones (1.2.3.4, 1.2.3.5), with
 * its own /etc/hosts and a resolver the test runs (dns_stub.h). In there:
 *   - the hostile URLs (and names that resolve inward through DNS or /etc/hosts) are refused
 *     by the guarded HTTP client and by cognee's git fetch with the rule that refuses them, while
 *     listeners on every address of the namespace record no connection; an unguarded request to
 *     the same URL does reach them (the destinations are real);
 *   - allowed destinations still work: by address, by name, POST, the size cap, an allowlisted
 *     loopback server, a git fetch over smart HTTP;
 *   - redirects: to an internal host refused at the hop, same-origin followed, credentials dropped
 *     across origins, POST turned into GET on 302 and kept on 307, the hop limit; git follows none;
 *   - DNS rebinding: a name whose answer turns from public to 127.0.0.1 after the first lookup is
 *     fetched (HTTP and git) from the address that was checked, with one lookup only;
 *   - a resolver that does not answer is a retry within the lookup bound, NXDOMAIN a rejection.
 * Ports are fixed: the namespace is private to this process, nothing else can hold them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argus/stores/http.h"
#include "argus/base/log.h"
#include "argus/stores/url_guard.h"
#include "dns_stub.h"
#include "git_http_server.h"
#include "http_test_server.h"
#include "it_cognee.h"
#include "it_env.h"
#include "netns_sandbox.h"
#include "repo_fetch.h"
#include "tcp_recorder.h"

#define FIXTURE "test/fixtures/repo"
#define PUBLIC_A "1.2.3.4"
#define PUBLIC_B "1.2.3.5"
#define WEB 9000        /* public HTTP servers; a recorder on 127.0.0.1 (rebinding and redirect target) */
#define GIT 9001        /* the public git server; a recorder on 127.0.0.1 */
#define GIT_MOVED 9002  /* a git server that redirects inward */
#define LOOPBACK_WEB 9100

static const char *const ADDRESSES[] = {
    PUBLIC_A "/32", PUBLIC_B "/32", "169.254.169.254/32", "10.0.0.1/32", "172.16.5.4/32", "192.168.0.1/32",
    "100.64.0.1/32", "fd00:ec2::254/128", "fd12::1/128", NULL,
};
static const char RESOLV_CONF[] = "nameserver 127.0.0.1\noptions timeout:3 attempts:2\n";
static const char HOSTS[] = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n127.0.0.1 hosts-loopback.test\n";
/* Every port a hostile URL below names: a listener on all addresses of the namespace each. */
static const int TRAP_PORTS[] = {80, 443, 5432, 6379, 8081};
#define N_TRAPS (sizeof TRAP_PORTS / sizeof TRAP_PORTS[0])

static struct {
    struct dns_stub *dns;
    struct tcp_recorder *traps[N_TRAPS], *evil_web, *evil_git;
    struct http_test_server *web_a, *web_b, *loopback_web;
    struct git_http_server *git, *git_moved;
    struct argus_url_guard *guard;            /* http allowed, no lists */
    struct argus_url_guard *guard_loopback;   /* and 127.0.0.1/32 and localhost allowlisted */
    struct argus_http http;
    char dir[64], repo_sha[41];
} w;

static struct argus_url_guard *make_guard(const char *allow, int resolve_timeout_ms)
{
    struct argus_strlist a;
    assert_int_equal(argus_strlist_split(&a, allow), 0);
    struct argus_url_guard_settings s = {true, &a, NULL, resolve_timeout_ms};
    char err[256];
    struct argus_url_guard *g = argus_url_guard_new(&s, err, sizeof err);
    argus_strlist_free(&a);
    if (!g)
        fail_msg("guard: %s", err);
    return g;
}

static unsigned trapped(void)
{
    unsigned n = 0;
    for (size_t i = 0; i < N_TRAPS; i++)
        n += tcp_recorder_connections(w.traps[i]);
    return n;
}

static void serve_names(void)
{
    static const struct { const char *name, *addr; enum dns_when when; } names[] = {
        {"public.test", PUBLIC_A, DNS_ALWAYS},        {"public2.test", PUBLIC_B, DNS_ALWAYS},
        {"internal.test", "127.0.0.1", DNS_ALWAYS},   {"meta.test", "169.254.169.254", DNS_ALWAYS},
        {"v6meta.test", "fd00:ec2::254", DNS_ALWAYS}, {"private.test", "10.0.0.1", DNS_ALWAYS},
        {"mixed.test", PUBLIC_A, DNS_ALWAYS},         {"mixed.test", "10.0.0.1", DNS_ALWAYS},
        {"ula.test", "fd12::1", DNS_ALWAYS},          {"nat64.test", "64:ff9b::a9fe:a9fe", DNS_ALWAYS},
        {"rebind.test", PUBLIC_A, DNS_FIRST},         {"rebind.test", "127.0.0.1", DNS_LATER},
        {"rebind-git.test", PUBLIC_A, DNS_FIRST},     {"rebind-git.test", "127.0.0.1", DNS_LATER},
        {"localhost", "127.0.0.1", DNS_ALWAYS},       /* "localhost." is a DNS question: answer it as resolvers do */
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        dns_stub_answer(w.dns, names[i].name, names[i].addr, names[i].when);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(w.dns = dns_stub_start("127.0.0.1", 53));
    serve_names();
    for (size_t i = 0; i < N_TRAPS; i++)
        assert_non_null(w.traps[i] = tcp_recorder_start("::", TRAP_PORTS[i]));
    assert_non_null(w.evil_web = tcp_recorder_start("127.0.0.1", WEB));
    assert_non_null(w.evil_git = tcp_recorder_start("127.0.0.1", GIT));
    assert_non_null(w.web_a = http_test_server_start_on(PUBLIC_A, WEB));
    assert_non_null(w.web_b = http_test_server_start_on(PUBLIC_B, WEB));
    assert_non_null(w.loopback_web = http_test_server_start_on("127.0.0.1", LOOPBACK_WEB));

    snprintf(w.dir, sizeof w.dir, "/tmp/argus-url-guard-XXXXXX");
    assert_non_null(mkdtemp(w.dir));
    char repo[128];
    snprintf(repo, sizeof repo, "%s/repos/shop", w.dir);
    it_git_repo_from_dir(FIXTURE, repo, w.repo_sha);
    snprintf(repo, sizeof repo, "%s/repos", w.dir);
    assert_non_null(w.git = git_http_server_start(PUBLIC_A, GIT, repo, NULL));
    assert_non_null(w.git_moved = git_http_server_start(PUBLIC_A, GIT_MOVED, repo, "http://127.0.0.1:9001"));

    w.guard = make_guard(NULL, 0);
    w.guard_loopback = make_guard("127.0.0.1/32, localhost", 0);
    assert_int_equal(argus_http_init(&w.http, "argus-test", 2000, 10000), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    argus_http_close(&w.http);
    argus_url_guard_free(w.guard);
    argus_url_guard_free(w.guard_loopback);
    git_http_server_stop(w.git);
    git_http_server_stop(w.git_moved);
    http_test_server_stop(w.web_a);
    http_test_server_stop(w.web_b);
    http_test_server_stop(w.loopback_web);
    tcp_recorder_stop(w.evil_web);
    tcp_recorder_stop(w.evil_git);
    for (size_t i = 0; i < N_TRAPS; i++)
        tcp_recorder_stop(w.traps[i]);
    dns_stub_stop(w.dns);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w.dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- requests ---- */

static enum argus_outcome get(const struct argus_url_guard *g, const char *url, int max_redirects,
                              struct argus_http_response *resp, struct argus_result *res)
{
    struct argus_http_request req = {.url = url, .label = "page_url", .max_redirects = max_redirects};
    return argus_http_request_guarded(&w.http, g, &req, resp, res);
}

static int fetch_capped(const struct argus_url_guard *g, const char *url, long long max_bytes, char sha[41],
                        struct argus_result *res)
{
    char cache[128], dir[1024];
    snprintf(cache, sizeof cache, "%s/cache", w.dir);
    struct repo_fetch_options o = {.cache_dir = cache, .timeout_s = 60, .max_bytes = max_bytes, .guard = g};
    argus_result_ok(res);
    return repo_fetch(&o, url, "main", NULL, dir, sizeof dir, sha, res);
}

static int fetch(const struct argus_url_guard *g, const char *url, char sha[41], struct argus_result *res)
{
    return fetch_capped(g, url, 64 << 20, sha, res);
}

static void expect_refusal(const char *what, const char *url, const struct argus_result *res, const char *rule)
{
    char want[96];
    snprintf(want, sizeof want, "destination refused (%s", rule);
    if (res->outcome != ARGUS_REJECT || strcmp(res->error_class, ARGUS_ERR_DESTINATION_REFUSED) != 0 ||
        !strstr(res->message, want))
        fail_msg("%s %s: %s %s \"%s\", want a refusal by %s", what, url, argus_outcome_name(res->outcome),
                 res->error_class, res->message, rule);
}

/* Waits (bounded) for a recorder-side count to pass before. */
static unsigned wait_trapped_above(unsigned before)
{
    for (int i = 0; i < 100 && trapped() <= before; i++)
        usleep(20 * 1000);
    return trapped();
}

static const struct {
    const char *url, *rule;
    int reachable;   /* an unguarded request gets to a listener (the control) */
} HOSTILE[] = {
    {"http://127.0.0.1:8081/metrics", "loopback", 1},
    {"http://169.254.169.254/latest/meta-data/", "metadata", 1},
    {"http://[::1]:6379/", "loopback", 1},
    {"http://0x7f000001/", "loopback", 1},
    {"http://localhost.:5432/", "loopback", 1},
    {"http://2130706433/", "loopback", 1},
    {"http://0177.0.0.1/", "loopback", 1},
    {"http://127.1/", "loopback", 1},
    {"http://localhost/", "loopback", 1},
    {"http://0.0.0.0:6379/", "unspecified", 1},
    {"http://[::ffff:127.0.0.1]/", "loopback via ipv4-mapped", 1},
    {"http://[fd00:ec2::254]/latest/meta-data/", "metadata", 1},
    {"http://10.0.0.1/", "private", 1},
    {"http://172.16.5.4/", "private", 1},
    {"http://192.168.0.1/", "private", 1},
    {"http://[fd12::1]/", "private", 1},
    {"http://100.64.0.1/", "cgnat", 1},
    {"http://user:s3cret@127.0.0.1:8081/x?token=t0ken", "loopback", 1},
    {"https://127.0.0.1/", "loopback", 1},
    {"http://internal.test/", "loopback", 1},
    {"http://hosts-loopback.test:8081/metrics", "loopback", 1},
    {"http://meta.test/latest/meta-data/", "metadata", 1},
    {"http://v6meta.test/", "metadata", 1},
    {"http://private.test:5432/", "private", 1},
    {"http://ula.test:6379/", "private", 1},
    {"http://mixed.test/", "private", 1},
    {"http://nat64.test/", "metadata via nat64", 0},
    {"http://\xe2\x93\x9b\xe2\x93\x9e\xe2\x93\x92\xe2\x93\x90\xe2\x93\x9b\xe2\x93\x97\xe2\x93\x9e\xe2\x93\xa2\xe2\x93\xa3:8081/",
     "loopback", 0},
};
#define N_HOSTILE (sizeof HOSTILE / sizeof HOSTILE[0])

static void hostile_urls_refused_without_a_connection(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_HOSTILE; i++) {
        const char *url = HOSTILE[i].url;
        unsigned before = trapped();
        struct argus_http_response resp;
        struct argus_result res;
        get(w.guard, url, 3, &resp, &res);
        expect_refusal("GET", url, &res, HOSTILE[i].rule);
        assert_int_equal(resp.status, 0);
        argus_http_response_free(&resp);
        assert_null(strstr(res.message, "s3cret"));
        assert_null(strstr(res.message, "t0ken"));
        char sha[41];
        assert_int_equal(fetch(w.guard, url, sha, &res), -1);
        expect_refusal("git fetch", url, &res, HOSTILE[i].rule);
        if (trapped() != before)
            fail_msg("%s: a listener recorded a connection", url);
    }
}

/* The control: the same URLs without the guard do reach the listeners, so "nothing recorded" above
 * means the guard stopped them, not that nothing was there. */
static void hostile_destinations_are_real(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_HOSTILE; i++) {
        if (!HOSTILE[i].reachable)
            continue;
        unsigned before = trapped();
        struct argus_http_request req = {.url = HOSTILE[i].url, .timeout_ms = 3000};
        struct argus_http_response resp;
        struct argus_result res;
        argus_http_request(&w.http, &req, &resp, &res);
        argus_http_response_free(&resp);
        if (wait_trapped_above(before) <= before)
            fail_msg("%s: unguarded, no listener saw it (%s)", HOSTILE[i].url, res.message);
    }
}

static void unknown_names_and_a_silent_resolver(void **state)
{
    (void)state;
    struct argus_url_target t;
    struct argus_result res;
    assert_int_equal(argus_url_check(w.guard, "https://nosuch.test/x", "webhook_url", &t, &res), ARGUS_REJECT);
    assert_string_equal(res.error_class, ARGUS_ERR_VALIDATION);
    assert_non_null(strstr(res.message, "nosuch.test not found"));
    argus_url_target_free(&t);

    /* a resolver that does not answer: transient, and bounded by OUTBOUND_RESOLVE_TIMEOUT_MS, not by
     * resolv.conf's 3 s per try */
    struct argus_url_guard *quick = make_guard(NULL, 300);
    unsigned asked = dns_stub_queries(w.dns, "public.test", DNS_A);
    dns_stub_silent(w.dns, 1);
    double t0 = it_now_ms();
    enum argus_outcome o = argus_url_check(quick, "https://public.test/", "webhook_url", &t, &res);
    double took = it_now_ms() - t0;
    dns_stub_silent(w.dns, 0);
    assert_int_equal(o, ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    assert_non_null(strstr(res.message, "cannot resolve public.test for now"));
    assert_true(took < 2500);
    argus_url_target_free(&t);
    argus_url_guard_free(quick);
    /* the abandoned lookup asks again after resolv.conf's timeout, gets its answer and ends */
    for (int i = 0; i < 100 && dns_stub_queries(w.dns, "public.test", DNS_A) < asked + 2; i++)
        usleep(100 * 1000);
    assert_true(dns_stub_queries(w.dns, "public.test", DNS_A) >= asked + 2);
    usleep(200 * 1000);
}

static void allowed_destinations_work(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    const char *urls[] = {"http://public.test:9000/ok", "http://1.2.3.4:9000/ok", "HTTP://PUBLIC.test.:9000/ok"};
    for (size_t i = 0; i < 3; i++) {
        if (get(w.guard, urls[i], 0, &resp, &res) != ARGUS_OK)
            fail_msg("%s: %s", urls[i], res.message);
        assert_int_equal(resp.status, 200);
        assert_string_equal(argus_buf_str(&resp.body), "hello");
        argus_http_response_free(&resp);
    }
    struct argus_url_target t;
    assert_int_equal(argus_url_check(w.guard, "http://public.test:9000/ok", "u", &t, &res), ARGUS_OK);
    assert_string_equal(t.pin, "public.test:9000:1.2.3.4");
    argus_url_target_free(&t);

    /* a webhook: POST with a body and headers */
    const char *headers[] = {"X-Test: 42", "Content-Type: application/json", NULL};
    struct argus_http_request post = {.url = "http://public2.test:9000/echo", .headers = headers, .body = "{\"a\":1}",
                                      .body_len = 7, .label = "webhook"};
    assert_int_equal(argus_http_request_guarded(&w.http, w.guard, &post, &resp, &res), ARGUS_OK);
    assert_string_equal(argus_buf_str(&resp.body), "POST 42|{\"a\":1}");
    argus_http_response_free(&resp);

    /* a page snapshot over the cap stops at the cap */
    struct argus_http_request big = {.url = "http://public.test:9000/big", .max_body = 65536, .label = "page_url"};
    assert_int_equal(argus_http_request_guarded(&w.http, w.guard, &big, &resp, &res), ARGUS_OK);
    assert_true(resp.truncated);
    assert_int_equal(resp.body.len, 65536);
    argus_http_response_free(&resp);

    /* a loopback server, reachable only through an allowlist entry */
    const char *lo[] = {"http://127.0.0.1:9100/ok", "http://localhost:9100/ok"};
    for (size_t i = 0; i < 2; i++) {
        get(w.guard, lo[i], 0, &resp, &res);
        expect_refusal("GET", lo[i], &res, "loopback");
        argus_http_response_free(&resp);
        if (get(w.guard_loopback, lo[i], 0, &resp, &res) != ARGUS_OK)
            fail_msg("%s allowlisted: %s", lo[i], res.message);
        assert_string_equal(argus_buf_str(&resp.body), "hello");
        argus_http_response_free(&resp);
    }
    /* an allowlisted name still never reaches the metadata address */
    struct argus_url_guard *named = make_guard("meta.test", 0);
    get(named, "http://meta.test/latest/meta-data/", 0, &resp, &res);
    expect_refusal("GET", "meta.test", &res, "metadata");
    argus_http_response_free(&resp);
    argus_url_guard_free(named);

    /* git over smart HTTP, by name */
    char sha[41];
    if (fetch(w.guard, "http://public.test:9001/shop", sha, &res) != 0)
        fail_msg("git fetch: %s", res.message);
    assert_string_equal(sha, w.repo_sha);
    /* bounded size: a pack larger than the cap stops git, for good */
    assert_int_equal(fetch_capped(w.guard, "http://1.2.3.4:9001/shop", 2048, sha, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_non_null(strstr(res.message, "larger than COGNEE_GIT_MAX_MB"));
}

static void redirects(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    const char *inward[] = {"http://public.test:9000/redirect?to=http://127.0.0.1:9000/ok",
                            "http://public.test:9000/redirect?to=http://internal.test:9000/ok",
                            "http://public.test:9000/redirect?to=http://[::ffff:7f00:1]:9000/ok"};
    for (size_t i = 0; i < 3; i++) {
        get(w.guard, inward[i], 5, &resp, &res);
        expect_refusal("redirect", inward[i], &res, "loopback");
        assert_non_null(strstr(res.message, "page_url (redirect 1)"));
        argus_http_response_free(&resp);
    }
    assert_int_equal(tcp_recorder_connections(w.evil_web), 0);

    /* same origin: followed; not allowed any: the 3xx is the answer */
    assert_int_equal(get(w.guard, "http://public.test:9000/redirect?to=/ok", 1, &resp, &res), ARGUS_OK);
    assert_string_equal(argus_buf_str(&resp.body), "hello");
    argus_http_response_free(&resp);
    assert_int_equal(get(w.guard, "http://public.test:9000/redirect?to=/ok", 0, &resp, &res), ARGUS_REJECT);
    assert_int_equal(resp.status, 302);
    assert_string_equal(resp.redirect_url, "http://public.test:9000/ok");
    assert_non_null(strstr(res.message, "not followed"));
    argus_http_response_free(&resp);
    assert_int_equal(get(w.guard, "http://public.test:9000/redirect?to=/redirect%3Fto%3D/ok", 1, &resp, &res),
                     ARGUS_REJECT);
    assert_non_null(strstr(res.message, "(1 redirect(s) allowed)"));
    argus_http_response_free(&resp);

    /* credentials stay with their origin */
    const char *auth[] = {"Authorization: Bearer tok-123", NULL};
    struct argus_http_request req = {.headers = auth, .max_redirects = 2, .label = "jira"};
    req.url = "http://public.test:9000/redirect?to=/echo-auth";
    argus_http_request_guarded(&w.http, w.guard, &req, &resp, &res);
    assert_string_equal(argus_buf_str(&resp.body), "bad credentials: Bearer tok-123");
    argus_http_response_free(&resp);
    req.url = "http://public.test:9000/redirect?to=http://public2.test:9000/echo-auth";
    argus_http_request_guarded(&w.http, w.guard, &req, &resp, &res);
    assert_string_equal(argus_buf_str(&resp.body), "bad credentials: (none)");
    argus_http_response_free(&resp);

    /* a POST: 302 turns it into a GET without the body, 307 keeps both */
    struct argus_http_request post = {.url = "http://public.test:9000/redirect?to=/echo", .body = "payload",
                                      .body_len = 7, .max_redirects = 1};
    assert_int_equal(argus_http_request_guarded(&w.http, w.guard, &post, &resp, &res), ARGUS_OK);
    assert_string_equal(argus_buf_str(&resp.body), "GET -|");
    argus_http_response_free(&resp);
    post.url = "http://public.test:9000/redirect?status=307&to=/echo";
    assert_int_equal(argus_http_request_guarded(&w.http, w.guard, &post, &resp, &res), ARGUS_OK);
    assert_string_equal(argus_buf_str(&resp.body), "POST -|payload");
    argus_http_response_free(&resp);

    /* git follows no redirect: the inward target sees nothing */
    char sha[41];
    assert_int_equal(fetch(w.guard, "http://public.test:9002/shop", sha, &res), -1);
    expect_refusal("git fetch", "a redirect", &res, "redirect not followed");   /* permanent: no retries */
    assert_true(git_http_server_requests(w.git_moved) > 0);
    assert_int_equal(tcp_recorder_connections(w.evil_git), 0);
}

/* The name is checked once and connected to as checked, although every later answer says 127.0.0.1. */
static void dns_rebinding_is_pinned(void **state)
{
    (void)state;
    struct argus_http_response resp;
    struct argus_result res;
    assert_int_equal(get(w.guard, "http://rebind.test:9000/ok", 0, &resp, &res), ARGUS_OK);
    assert_string_equal(argus_buf_str(&resp.body), "hello");
    argus_http_response_free(&resp);
    char sha[41];
    if (fetch(w.guard, "http://rebind-git.test:9001/shop", sha, &res) != 0)
        fail_msg("git fetch: %s", res.message);
    assert_string_equal(sha, w.repo_sha);
    assert_int_equal(tcp_recorder_connections(w.evil_web), 0);
    assert_int_equal(tcp_recorder_connections(w.evil_git), 0);
    assert_int_equal(dns_stub_queries(w.dns, "rebind.test", DNS_A), 1);
    assert_int_equal(dns_stub_queries(w.dns, "rebind-git.test", DNS_A), 1);

    /* the attack was live: the next lookup of either name says 127.0.0.1 */
    const char *names[] = {"rebind.test", "rebind-git.test"};
    for (size_t i = 0; i < 2; i++) {
        struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai = NULL;
        assert_int_equal(getaddrinfo(names[i], NULL, &hints, &ai), 0);
        char text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, text, sizeof text);
        assert_string_equal(text, "127.0.0.1");
        freeaddrinfo(ai);
    }
    /* and checking again now refuses it */
    get(w.guard, "http://rebind.test:9000/ok", 0, &resp, &res);
    expect_refusal("GET", "rebind.test", &res, "loopback");
    argus_http_response_free(&resp);
    assert_int_equal(tcp_recorder_connections(w.evil_web), 0);
}

int main(void)
{
    char err[256];
    if (netns_sandbox_enter(ADDRESSES, RESOLV_CONF, HOSTS, err, sizeof err) != 0) {
        fprintf(stderr, "test_url_guard: cannot make a private network namespace: %s\n", err);
        return 1;
    }
    argus_log_set_level(ARGUS_LOG_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_urls_refused_without_a_connection),
        cmocka_unit_test(hostile_destinations_are_real),
        cmocka_unit_test(unknown_names_and_a_silent_resolver),
        cmocka_unit_test(allowed_destinations_work),
        cmocka_unit_test(redirects),
        cmocka_unit_test(dns_rebinding_is_pinned),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
