/* Unit tests of the outbound guard (no DNS, no network): the address rules (IPv4, IPv6 and the forms
 * that embed IPv4), every spelling of a host normalised, the issue's hostile URLs refused with the
 * rule that refuses them, allow and deny lists, bad settings naming their variable, the canonical
 * URL, and redaction of URLs in messages and free text. Names that need DNS are covered by
 * test/integration/test_url_guard.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/config.h"
#include "argus/base/log.h"
#include "argus/stores/url_guard.h"

static struct sockaddr_storage addr(const char *text)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (inet_pton(AF_INET, text, &((struct sockaddr_in *)&ss)->sin_addr) == 1)
        ss.ss_family = AF_INET;
    else if (inet_pton(AF_INET6, text, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1)
        ss.ss_family = AF_INET6;
    else
        fail_msg("bad test address %s", text);
    return ss;
}

static void address_rules(void **state)
{
    (void)state;
    static const struct { const char *addr, *rule, *via; } cases[] = {
        {"127.0.0.1", "loopback", NULL},           {"127.255.255.254", "loopback", NULL},
        {"10.1.2.3", "private", NULL},             {"172.16.0.1", "private", NULL},
        {"172.31.255.255", "private", NULL},       {"172.32.0.1", NULL, NULL},
        {"192.168.1.1", "private", NULL},          {"169.254.169.254", "metadata", NULL},
        {"169.254.1.1", "link-local", NULL},       {"100.64.0.1", "cgnat", NULL},
        {"100.100.100.200", "cgnat", NULL},        {"100.128.0.1", NULL, NULL},
        {"0.0.0.0", "unspecified", NULL},          {"0.1.2.3", "unspecified", NULL},
        {"224.0.0.1", "multicast", NULL},          {"239.255.255.250", "multicast", NULL},
        {"255.255.255.255", "broadcast", NULL},    {"240.0.0.1", "reserved", NULL},
        {"192.0.2.1", "reserved", NULL},           {"198.18.0.1", "reserved", NULL},
        {"192.0.0.170", "reserved", NULL},         {"8.8.8.8", NULL, NULL},
        {"1.1.1.1", NULL, NULL},                   {"140.82.112.3", NULL, NULL},
        {"::1", "loopback", NULL},                 {"::", "unspecified", NULL},
        {"::ffff:127.0.0.1", "loopback", "ipv4-mapped"},
        {"::ffff:169.254.169.254", "metadata", "ipv4-mapped"},
        {"::ffff:10.0.0.1", "private", "ipv4-mapped"},
        {"::ffff:8.8.8.8", NULL, "ipv4-mapped"},
        {"::127.0.0.1", "loopback", "ipv4-compatible"},
        {"::8.8.8.8", "reserved", "ipv4-compatible"},
        {"::2", "unspecified", "ipv4-compatible"},
        {"64:ff9b::10.0.0.1", "private", "nat64"}, {"64:ff9b::8.8.8.8", NULL, "nat64"},
        {"64:ff9b:1::1", "reserved", NULL},
        {"2002:7f00:1::", "loopback", "6to4"},     {"2002:a9fe:a9fe::1", "metadata", "6to4"},
        {"2002:808:808::1", NULL, "6to4"},
        {"fd00:ec2::254", "metadata", NULL},       {"fd12:3456::1", "private", NULL},
        {"fc00::1", "private", NULL},              {"fe80::1", "link-local", NULL},
        {"febf::1", "link-local", NULL},           {"fec0::1", "private", NULL},
        {"ff02::1", "multicast", NULL},            {"2001:db8::1", "reserved", NULL},
        {"2001::1", "reserved", NULL},             {"100::1", "reserved", NULL},
        {"4000::1", "reserved", NULL},             {"2606:4700:4700::1111", NULL, NULL},
        {"2a00:1450:4001::1", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sockaddr_storage ss = addr(cases[i].addr);
        const char *via = "unset";
        const char *rule = argus_url_address_rule((struct sockaddr *)&ss, &via);
        if ((rule == NULL) != (cases[i].rule == NULL) || (rule && strcmp(rule, cases[i].rule)))
            fail_msg("%s: rule %s, want %s", cases[i].addr, rule ? rule : "(public)", cases[i].rule ? cases[i].rule : "(public)");
        if ((via == NULL) != (cases[i].via == NULL) || (via && strcmp(via, cases[i].via)))
            fail_msg("%s: via %s, want %s", cases[i].addr, via ? via : "(none)", cases[i].via ? cases[i].via : "(none)");
    }
}

static void host_spellings(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"0x7f000001", "127.0.0.1"},   {"2130706433", "127.0.0.1"},     {"0177.0.0.1", "127.0.0.1"},
        {"127.1", "127.0.0.1"},        {"0x7f.1", "127.0.0.1"},         {"017700000001", "127.0.0.1"},
        {"127.0.0.1.", "127.0.0.1"},   {"LOCALHOST.", "localhost"},     {"Example.COM.", "example.com"},
        {"[::FFFF:127.0.0.1]", "::ffff:127.0.0.1"},                     {"[0:0:0:0:0:0:0:1]", "::1"},
        {"::1", "::1"},                {"\xe2\x93\x9b\xe2\x93\x9e\xe2\x93\x92\xe2\x93\x90\xe2\x93\x9b\xe2\x93\x97\xe2\x93\x9e\xe2\x93\xa2\xe2\x93\xa3",
                                        "localhost"},   /* circled letters */
        {"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97.\xef\xbc\x90.\xef\xbc\x90.\xef\xbc\x91", "127.0.0.1"},   /* full-width digits */
        {"b\xc3\xbc" "cher.de", "xn--bcher-kva.de"},                   {"git_lab.corp", "git_lab.corp"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        if (argus_url_normalize_host(cases[i].in, out, sizeof out) != 0)
            fail_msg("%s: refused, want %s", cases[i].in, cases[i].out);
        assert_string_equal(out, cases[i].out);
    }
    static const char *const bad[] = {"1.2.3.4.5", "999.1.1.1", "a..b", "exa mple.com", "[::1", "[nothost]", "",
                                      "a/b", "x%2ey", ".", "0x1g"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[256];
        if (argus_url_normalize_host(bad[i], out, sizeof out) == 0)
            fail_msg("\"%s\" accepted as %s", bad[i], out);
    }
}

static struct argus_url_guard *guard_with(bool http, const char *allow, const char *deny)
{
    struct argus_strlist a, d;
    assert_int_equal(argus_strlist_split(&a, allow), 0);
    assert_int_equal(argus_strlist_split(&d, deny), 0);
    struct argus_url_guard_settings s = {http, &a, &d, 0};
    char err[256] = "";
    struct argus_url_guard *g = argus_url_guard_new(&s, err, sizeof err);
    if (!g)
        fail_msg("guard: %s", err);
    argus_strlist_free(&a);
    argus_strlist_free(&d);
    return g;
}

/* Refused (no DNS needed) with a message naming rule, the URL redacted. */
static void expect_refused(const struct argus_url_guard *g, const char *url, const char *rule)
{
    struct argus_url_target t;
    struct argus_result res;
    enum argus_outcome o = argus_url_prepare(g, url, "repository_url", &t, &res);
    char want[96];
    snprintf(want, sizeof want, "destination refused (%s", rule);
    if (o != ARGUS_REJECT || strcmp(res.error_class, ARGUS_ERR_DESTINATION_REFUSED) || !strstr(res.message, want))
        fail_msg("%s: %s %s \"%s\", want a refusal by %s", url, argus_outcome_name(o), res.error_class, res.message, rule);
    assert_non_null(strstr(res.message, "repository_url: "));
    argus_url_target_free(&t);
}

/* The issue's table: each refused by the rule that should refuse it, before any lookup. */
static void hostile_urls(void **state)
{
    (void)state;
    struct argus_url_guard *g = guard_with(true, NULL, NULL);
    static const struct { const char *url, *rule; } cases[] = {
        {"http://127.0.0.1:8081/metrics", "loopback"},
        {"http://169.254.169.254/latest/meta-data/", "metadata"},
        {"http://[::1]:6379/", "loopback"},
        {"http://0x7f000001/", "loopback"},
        {"http://localhost.:5432/", "loopback"},
        {"http://2130706433/", "loopback"},
        {"http://0177.0.0.1/", "loopback"},
        {"http://017700000001/", "loopback"},
        {"http://127.1/", "loopback"},
        {"http://0x7f.0.0.1/", "loopback"},
        {"http://localhost/", "loopback"},
        {"http://LOCALHOST:8080/", "loopback"},
        {"http://api.localhost/", "loopback"},
        {"http://0.0.0.0:6379/", "unspecified"},
        {"http://0/", "unspecified"},
        {"http://[::]/", "unspecified"},
        {"http://[::ffff:127.0.0.1]/", "loopback via ipv4-mapped"},
        {"http://[::ffff:7f00:1]/", "loopback via ipv4-mapped"},
        {"http://[::ffff:169.254.169.254]/", "metadata via ipv4-mapped"},
        {"http://[::127.0.0.1]/", "loopback via ipv4-compatible"},
        {"http://[64:ff9b::a9fe:a9fe]/", "metadata via nat64"},
        {"http://[fd00:ec2::254]/latest/meta-data/", "metadata"},
        {"http://[fe80::1]/", "link-local"},
        {"http://10.0.0.1/", "private"},
        {"http://172.16.5.4/", "private"},
        {"http://192.168.0.1/", "private"},
        {"http://[fd12::1]/", "private"},
        {"http://100.64.0.1/", "cgnat"},
        {"http://224.0.0.1/", "multicast"},
        {"http://255.255.255.255/", "broadcast"},
        {"http://\xe2\x93\x9b\xe2\x93\x9e\xe2\x93\x92\xe2\x93\x90\xe2\x93\x9b\xe2\x93\x97\xe2\x93\x9e\xe2\x93\xa2\xe2\x93\xa3/", "loopback"},
        {"http://\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97.\xef\xbc\x90.\xef\xbc\x90.\xef\xbc\x91/", "loopback"},
        {"http://%31%32%37.0.0.1/", "loopback"},
        {"https://user:hunter22@127.0.0.1/", "loopback"},
        {"HTTPS://127.0.0.1./", "loopback"},
        {"http://[fe80::1%25eth0]/", "invalid URL"},
        {"http://127.0.0.1:8081\\@example.com/", "invalid URL"},
        {"http://example.com /", "invalid URL"},
        {"ext::sh -c touch% /tmp/pwned", "invalid URL"},
        {"//127.0.0.1/", "invalid URL"},
        {"http://1.2.3.4.5/", "invalid URL"},
        {"http://[::1/", "invalid URL"},
        {"http://127.0.0.1:0/", "invalid URL"},
        {"", "invalid URL"},
        {"file:///etc/passwd", "scheme"},
        {"gopher://127.0.0.1:6379/_FLUSHALL", "scheme"},
        {"dict://127.0.0.1:11211/", "scheme"},
        {"ftp://example.com/", "scheme"},
        {"git://example.com/repo.git", "scheme"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_refused(g, cases[i].url, cases[i].rule);
    argus_url_guard_free(g);

    /* http only when allowed; https is never refused for its scheme */
    expect_refused(NULL, "http://example.com/", "scheme: http is off");   /* no settings: the defaults */
    g = guard_with(false, NULL, NULL);
    expect_refused(g, "http://example.com/", "scheme: http is off: OUTBOUND_ALLOW_HTTP=false");
    expect_refused(g, "HTTP://example.com/", "scheme");
    expect_refused(g, "https://127.0.0.1/", "loopback");
    argus_url_guard_free(g);
}

static void no_secret_in_refusals(void **state)
{
    (void)state;
    struct argus_url_guard *g = guard_with(false, NULL, NULL);
    const char *urls[] = {"https://x-access-token:ghp_abcdef123456@127.0.0.1/acme/shop.git?token=s3cr3tvalue",
                          "http://oauth2:glpat-xyz9876543@gitlab.example.com/a/b.git?private_token=s3cr3tvalue"};
    for (size_t i = 0; i < 2; i++) {
        struct argus_url_target t;
        struct argus_result res;
        assert_int_equal(argus_url_prepare(g, urls[i], "repository_url", &t, &res), ARGUS_REJECT);
        assert_null(strstr(res.message, "ghp_abcdef123456"));
        assert_null(strstr(res.message, "glpat"));
        assert_null(strstr(res.message, "s3cr3tvalue"));
        assert_non_null(strstr(res.message, "***@"));
        argus_url_target_free(&t);
    }
    argus_url_guard_free(g);
}

/* Literal addresses and names on the lists are decided without DNS. */
static void allow_and_deny_lists(void **state)
{
    (void)state;
    struct argus_url_guard *g = guard_with(true, "127.0.0.1/32, 169.254.169.254, 0.0.0.0/0, 10.9.0.0/16, localhost",
                                           "8.8.8.8, 10.9.9.0/24, *.evil.example, bad.example.");
    struct argus_url_target t;
    struct argus_result res;
    assert_int_equal(argus_url_prepare(g, "http://127.0.0.1:8080/ok", "u", &t, &res), ARGUS_OK);
    assert_true(t.literal);
    assert_int_equal(t.n_addrs, 1);
    assert_int_equal(t.port, 8080);
    assert_null(t.pin);
    argus_url_target_free(&t);
    /* a CIDR naming the metadata address opens it; it never opens unspecified or multicast */
    assert_int_equal(argus_url_prepare(g, "http://169.254.169.254/", "u", &t, &res), ARGUS_OK);
    argus_url_target_free(&t);
    expect_refused(g, "http://0.0.0.0/", "unspecified");
    expect_refused(g, "http://224.0.0.1/", "multicast");
    assert_int_equal(argus_url_prepare(g, "http://10.9.1.1/", "u", &t, &res), ARGUS_OK);
    argus_url_target_free(&t);
    /* the denylist wins over the allowlist */
    expect_refused(g, "https://8.8.8.8/", "denylist");
    expect_refused(g, "https://10.9.9.9/", "denylist");
    expect_refused(g, "https://a.b.evil.example/", "denylist");
    expect_refused(g, "https://BAD.example/", "denylist");
    /* an allowlisted name passes the name rule (its addresses are checked once resolved) */
    assert_int_equal(argus_url_prepare(g, "http://localhost:9/", "u", &t, &res), ARGUS_OK);
    assert_false(t.literal);
    argus_url_target_free(&t);
    argus_url_guard_free(g);

    /* without those entries the same URLs are refused */
    g = guard_with(true, "10.9.0.0/16", NULL);
    expect_refused(g, "http://127.0.0.1:8080/ok", "loopback");
    expect_refused(g, "http://10.8.0.1/", "private");
    expect_refused(g, "http://localhost:9/", "loopback");
    /* an IPv4-mapped spelling of an allowlisted address is the same address */
    assert_int_equal(argus_url_prepare(g, "http://[::ffff:10.9.0.1]/", "u", &t, &res), ARGUS_OK);
    argus_url_target_free(&t);
    argus_url_guard_free(g);
}

static void bad_settings(void **state)
{
    (void)state;
    static const struct { const char *allow, *deny, *want; } cases[] = {
        {"10.0.0.0/33", NULL, "OUTBOUND_ALLOWLIST: \"10.0.0.0/33\""},
        {"not a host!", NULL, "OUTBOUND_ALLOWLIST: \"not a host!\""},
        {"10.0.0.0/-1", NULL, "OUTBOUND_ALLOWLIST"},
        {"gitlab.corp/24", NULL, "OUTBOUND_ALLOWLIST"},
        {NULL, "[::1", "OUTBOUND_DENYLIST: \"[::1\""},
        {NULL, "*.", "OUTBOUND_DENYLIST"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct argus_strlist a, d;
        argus_strlist_split(&a, cases[i].allow);
        argus_strlist_split(&d, cases[i].deny);
        struct argus_url_guard_settings s = {false, &a, &d, 0};
        char err[256] = "";
        struct argus_url_guard *g = argus_url_guard_new(&s, err, sizeof err);
        if (g)
            fail_msg("%s / %s accepted", cases[i].allow, cases[i].deny);
        assert_non_null(strstr(err, cases[i].want));
        argus_strlist_free(&a);
        argus_strlist_free(&d);
    }
    /* through the shared configuration every worker loads */
    setenv("OUTBOUND_ALLOWLIST", "gitlab.corp, 10.0.0.0/8", 1);
    setenv("OUTBOUND_DENYLIST", "300.1.2.3/8", 1);
    struct argus_config cfg;
    char err[256] = "";
    assert_int_equal(argus_config_load(&cfg, "g", "t", err, sizeof err), 0);
    assert_null(argus_url_guard_from_config(&cfg, err, sizeof err));
    assert_non_null(strstr(err, "OUTBOUND_DENYLIST: \"300.1.2.3/8\""));
    argus_config_free(&cfg);
    setenv("OUTBOUND_DENYLIST", "*.evil.example", 1);
    setenv("OUTBOUND_ALLOW_HTTP", "true", 1);
    assert_int_equal(argus_config_load(&cfg, "g", "t", err, sizeof err), 0);
    struct argus_url_guard *g = argus_url_guard_from_config(&cfg, err, sizeof err);
    assert_non_null(g);
    assert_true(argus_url_guard_allows_http(g));
    expect_refused(g, "http://x.evil.example/", "denylist");
    argus_url_guard_free(g);
    argus_config_free(&cfg);
    unsetenv("OUTBOUND_ALLOWLIST");
    unsetenv("OUTBOUND_DENYLIST");
    unsetenv("OUTBOUND_ALLOW_HTTP");
    assert_int_equal(argus_config_load(&cfg, "g", "t", err, sizeof err), 0);
    assert_non_null(g = argus_url_guard_from_config(&cfg, err, sizeof err));
    assert_false(argus_url_guard_allows_http(g));   /* off unless a deployment turns it on */
    argus_url_guard_free(g);
    argus_config_free(&cfg);
}

/* What curl and git are given: one spelling, with the host as it was checked. */
static void canonical_url(void **state)
{
    (void)state;
    struct argus_url_guard *g = guard_with(true, "10.0.0.0/8", NULL);
    static const struct { const char *in, *out; } cases[] = {
        {"HTTPS://User:Pw@10.1.2.3:8443/a/b?q=1#frag", "https://User:Pw@10.1.2.3:8443/a/b?q=1"},
        {"http://0x0a010203/x", "http://10.1.2.3/x"},
        {"http://[::ffff:a01:203]:81/", "http://[::ffff:10.1.2.3]:81/"},
        {"http://012.1.2.3./", "http://10.1.2.3/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct argus_url_target t, again;
        struct argus_result res;
        if (argus_url_prepare(g, cases[i].in, "u", &t, &res) != ARGUS_OK)
            fail_msg("%s: %s", cases[i].in, res.message);
        assert_string_equal(t.url, cases[i].out);
        /* a canonical URL is its own canonical form */
        assert_int_equal(argus_url_prepare(g, t.url, "u", &again, &res), ARGUS_OK);
        assert_string_equal(again.url, t.url);
        assert_true(argus_url_target_has_address(&t, (struct sockaddr *)&again.addrs[0]));
        argus_url_target_free(&t);
        argus_url_target_free(&again);
    }
    argus_url_guard_free(g);
}

static void connect_time_check(void **state)
{
    (void)state;
    struct argus_url_guard *g = guard_with(true, "10.0.0.0/8", NULL);
    struct argus_url_target t;
    struct argus_result res;
    assert_int_equal(argus_url_prepare(g, "http://10.1.2.3/", "u", &t, &res), ARGUS_OK);
    struct sockaddr_storage same = addr("10.1.2.3"), mapped = addr("::ffff:10.1.2.3"), other = addr("10.1.2.4");
    assert_true(argus_url_target_has_address(&t, (struct sockaddr *)&same));
    assert_true(argus_url_target_has_address(&t, (struct sockaddr *)&mapped));
    assert_false(argus_url_target_has_address(&t, (struct sockaddr *)&other));
    argus_url_target_free(&t);
    argus_url_guard_free(g);
}

static void redaction(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"https://user:secret@github.com/acme/shop.git?token=abc&x=1#frag", "https://***@github.com/acme/shop.git?token=***&x=***"},
        {"https://hooks.slack.com/services/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",
         "https://hooks.slack.com/services/T0ABC1234/B0DEF5678/***"},
        {"https://discord.com/api/webhooks/123456789012345678/AbCdEf-123456_ghIJKLmnopQRstuVWxyz",
         "https://discord.com/api/webhooks/123456789012345678/***"},
        {"https://github.com/acme/my-very-long-repository-name", "https://github.com/acme/my-very-long-repository-name"},
        {"https://example.com/a?flag&empty=&k=v", "https://example.com/a?flag&empty=&k=***"},
        {"https://example.com/a?ghp_0123456789abcdefghij", "https://example.com/a?***"},
        {"not a url", "not a url"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[512];
        argus_url_redact(cases[i].in, out, sizeof out);
        assert_string_equal(out, cases[i].out);
    }
    char tiny[12];
    argus_url_redact("https://user:secret@github.com/", tiny, sizeof tiny);
    assert_string_equal(tiny, "https://***");
    assert_null(strstr(tiny, "secret"));

    char text[256] = "fatal: unable to access 'https://x-access-token:ghp_abc@github.com/a/b/?t=1': 403 "
                     "and git://u:p@h/x then http://ok.example/path";
    argus_url_redact_text(text, sizeof text);
    assert_string_equal(text, "fatal: unable to access 'https://***@github.com/a/b/?t=***': 403 "
                              "and git://***@h/x then http://ok.example/path");
    char small[24] = "see https://u:pw@h/";
    argus_url_redact_text(small, 10);
    assert_string_equal(small, "see https");
}

int main(void)
{
    argus_log_set_level(ARGUS_LOG_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(address_rules),
        cmocka_unit_test(host_spellings),
        cmocka_unit_test(hostile_urls),
        cmocka_unit_test(no_secret_in_refusals),
        cmocka_unit_test(allow_and_deny_lists),
        cmocka_unit_test(bad_settings),
        cmocka_unit_test(canonical_url),
        cmocka_unit_test(connect_time_check),
        cmocka_unit_test(redaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
