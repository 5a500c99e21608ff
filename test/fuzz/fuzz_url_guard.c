/* libFuzzer target for the outbound guard's input, URLs from events and tenants: the first byte
 * picks the guard (http allowed or not, both with allow and deny lists); the rest is the URL,
 * decided without DNS (argus_url_prepare), then redacted on its own and inside text. Besides the
 * sanitizers, it checks what the guard promises:
 *   - a refusal is destination_refused (or out of memory), never anything else;
 *   - an accepted URL's canonical form is accepted again and is its own canonical form, with the
 *     same host and port (what curl and git are given reads the same every time);
 *   - an accepted host is normalised (normalising it again changes nothing) and is no localhost;
 *   - an accepted literal address is public or on the allowlist, and the connect-time check knows it;
 *   - redaction never shows the user info of a URL. */
#include <stddef.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "argus/base/log.h"
#include "argus/stores/url_guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct argus_url_guard *guard(int allow_http)
{
    static struct argus_url_guard *g[2];
    if (!g[allow_http]) {
        argus_log_set_level(ARGUS_LOG_OFF);
        struct argus_strlist allow, deny;
        argus_strlist_split(&allow, "10.0.0.0/8, *.corp.example, fd00::/8");
        argus_strlist_split(&deny, "*.evil.example, 8.8.8.8, 2001:4860::/32");
        struct argus_url_guard_settings s = {allow_http, &allow, &deny, 0};
        char err[256];
        g[allow_http] = argus_url_guard_new(&s, err, sizeof err);
        argus_strlist_free(&allow);
        argus_strlist_free(&deny);
        if (!g[allow_http])
            abort();
    }
    return g[allow_http];
}

/* The guard's allowlist above: 10.0.0.0/8 and fd00::/8, also in IPv4-mapped form. */
static int allowlisted(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return ((const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr)[0] == 10;
    const uint8_t *b = ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return b[0] == 0xfd || (!memcmp(b, mapped, 12) && b[12] == 10);
}

static void check_accepted(const struct argus_url_guard *g, const struct argus_url_target *t)
{
    struct argus_url_target again;
    struct argus_result res;
    if (argus_url_prepare(g, t->url, "fuzz", &again, &res) != ARGUS_OK || strcmp(again.url, t->url) != 0 ||
        strcmp(again.host, t->host) != 0 || again.port != t->port)
        abort();
    argus_url_target_free(&again);
    char host[256];
    if (argus_url_normalize_host(t->host, host, sizeof host) != 0 || strcmp(host, t->host) != 0 ||
        !strcmp(t->host, "localhost"))
        abort();
    if (t->literal) {
        const char *rule = argus_url_address_rule((const struct sockaddr *)&t->addrs[0], NULL);
        if ((rule && !allowlisted(&t->addrs[0])) || !argus_url_target_has_address(t, (const struct sockaddr *)&t->addrs[0]))
            abort();
    }
}

static void check_redaction(const char *text, size_t len)
{
    char small[48];
    argus_url_redact(text, small, sizeof small);
    if (strnlen(small, sizeof small) == sizeof small)
        abort();
    char *big = malloc(3 * len + 16);
    if (!big)
        return;
    argus_url_redact(text, big, 3 * len + 16);
    /* user info, when there is any, is gone */
    const char *sep = strstr(text, "://");
    const char *at = sep ? strchr(sep + 3, '@') : NULL;
    const char *end = sep ? sep + 3 + strcspn(sep + 3, "/?#") : NULL;
    if (at && at < end && at > sep + 3 && strspn(sep + 3, "*") < (size_t)(at - sep - 3) &&
        strncmp(big, text, (size_t)(at - text)) == 0)
        abort();
    memcpy(big, text, len + 1);
    argus_url_redact_text(big, len + 1);
    free(big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text_after_selector(data, size);
    if (!text)
        return 0;
    const struct argus_url_guard *g = guard(data[0] & 1);
    struct argus_url_target t;
    struct argus_result res;
    enum argus_outcome o = argus_url_prepare(g, text, "fuzz", &t, &res);
    if (o == ARGUS_OK)
        check_accepted(g, &t);
    else if (strcmp(res.error_class, ARGUS_ERR_DESTINATION_REFUSED) != 0 && strcmp(res.error_class, ARGUS_ERR_PROCESSING) != 0)
        abort();
    argus_url_target_free(&t);
    check_redaction(text, strlen(text));
    free(text);
    return 0;
}
