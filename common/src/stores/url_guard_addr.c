/* The address rules of the outbound guard: which IPv4 and IPv6 blocks are no destination for a URL
 * an event or a tenant supplied (IANA special-purpose registries, the cloud metadata addresses), and
 * the address-block parsing the allow and deny lists share. No I/O here. */
#include "url_guard_internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* First match wins: the specific blocks (metadata, broadcast) come before the ones holding them.
 * EMBEDDED marks IPv6 blocks that carry an IPv4 address, judged by that address. */
#define EMBEDDED "embedded"

struct block_rule {
    const char *block;
    const char *rule;
    const char *via;           /* for EMBEDDED: the form's name */
    int v4_offset;             /* for EMBEDDED: where the IPv4 address starts */
};

static const struct block_rule v4_rules[] = {
    {"0.0.0.0/8", "unspecified", NULL, 0},
    {"10.0.0.0/8", "private", NULL, 0},
    {"100.64.0.0/10", "cgnat", NULL, 0},          /* also Alibaba's metadata 100.100.100.200 */
    {"127.0.0.0/8", "loopback", NULL, 0},
    {"169.254.169.254/32", "metadata", NULL, 0},  /* AWS, GCP, Azure, OpenStack, DigitalOcean, Vultr */
    {"169.254.0.0/16", "link-local", NULL, 0},
    {"172.16.0.0/12", "private", NULL, 0},
    {"192.0.0.0/24", "reserved", NULL, 0},        /* IETF protocol assignments */
    {"192.0.2.0/24", "reserved", NULL, 0},        /* documentation */
    {"192.88.99.0/24", "reserved", NULL, 0},      /* 6to4 relay anycast */
    {"192.168.0.0/16", "private", NULL, 0},
    {"198.18.0.0/15", "reserved", NULL, 0},       /* benchmarking */
    {"198.51.100.0/24", "reserved", NULL, 0},
    {"203.0.113.0/24", "reserved", NULL, 0},
    {"224.0.0.0/4", "multicast", NULL, 0},
    {"255.255.255.255/32", "broadcast", NULL, 0},
    {"240.0.0.0/4", "reserved", NULL, 0},
};

static const struct block_rule v6_rules[] = {
    {"::/128", "unspecified", NULL, 0},
    {"::1/128", "loopback", NULL, 0},
    {"::ffff:0:0/96", EMBEDDED, "ipv4-mapped", 12},
    {"::/96", EMBEDDED, "ipv4-compatible", 12},
    {"64:ff9b::/96", EMBEDDED, "nat64", 12},
    {"64:ff9b:1::/48", "reserved", NULL, 0},      /* local-use NAT64 */
    {"100::/64", "reserved", NULL, 0},            /* discard-only */
    {"2001:db8::/32", "reserved", NULL, 0},       /* documentation */
    {"2001::/23", "reserved", NULL, 0},           /* IETF protocol assignments, Teredo */
    {"2002::/16", EMBEDDED, "6to4", 2},
    {"fd00:ec2::254/128", "metadata", NULL, 0},   /* AWS IMDS over IPv6 */
    {"fc00::/7", "private", NULL, 0},             /* unique local */
    {"fe80::/10", "link-local", NULL, 0},
    {"fec0::/10", "private", NULL, 0},            /* deprecated site-local */
    {"ff00::/8", "multicast", NULL, 0},
};

#define N_V4 (sizeof v4_rules / sizeof v4_rules[0])
#define N_V6 (sizeof v6_rules / sizeof v6_rules[0])
static struct url_cidr v4_blocks[N_V4], v6_blocks[N_V6];
static struct url_cidr global_unicast;   /* 2000::/3: everything else in IPv6 is not routable */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void parse_tables(void)
{
    for (size_t i = 0; i < N_V4; i++)
        if (url_cidr_parse(v4_rules[i].block, &v4_blocks[i]) != 0)
            abort();   /* a typo in the table above */
    for (size_t i = 0; i < N_V6; i++)
        if (url_cidr_parse(v6_rules[i].block, &v6_blocks[i]) != 0)
            abort();
    if (url_cidr_parse("2000::/3", &global_unicast) != 0)
        abort();
}

int url_cidr_parse(const char *text, struct url_cidr *out)
{
    char buf[64];
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len + 1);
    char *slash = strchr(buf, '/');
    long prefix = -1;
    if (slash) {
        char *end;
        *slash = '\0';
        if (!slash[1] || slash[1] == '-' || slash[1] == '+')
            return -1;
        prefix = strtol(slash + 1, &end, 10);
        if (*end)
            return -1;
    }
    char *addr = buf;
    size_t alen = strlen(addr);
    if (alen >= 2 && addr[0] == '[' && addr[alen - 1] == ']') {
        addr[alen - 1] = '\0';
        addr++;
    }
    memset(out, 0, sizeof *out);
    int max;
    if (inet_pton(AF_INET, addr, out->bytes) == 1) {
        out->family = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, addr, out->bytes) == 1) {
        out->family = AF_INET6;
        max = 128;
    } else {
        return -1;
    }
    if (prefix > max || (slash && prefix < 0))
        return -1;
    out->prefix = prefix < 0 ? max : (int)prefix;
    /* keep the network part only: "10.1.2.3/8" means 10.0.0.0/8 */
    for (int bit = out->prefix; bit < max; bit++)
        out->bytes[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
    return 0;
}

bool url_cidr_contains(const struct url_cidr *c, int family, const uint8_t *bytes)
{
    if (c->family != family)
        return false;
    int full = c->prefix / 8, rest = c->prefix % 8;
    if (memcmp(c->bytes, bytes, (size_t)full) != 0)
        return false;
    if (!rest)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8 - rest));
    return (c->bytes[full] & mask) == (bytes[full] & mask);
}

int url_addr_bytes(const struct sockaddr *sa, int *family, uint8_t bytes[16])
{
    memset(bytes, 0, 16);
    if (sa->sa_family == AF_INET) {
        memcpy(bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        *family = AF_INET;
        return 0;
    }
    if (sa->sa_family != AF_INET6)
        return -1;
    const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(b, mapped, sizeof mapped)) {
        memcpy(bytes, b + 12, 4);
        *family = AF_INET;
    } else {
        memcpy(bytes, b, 16);
        *family = AF_INET6;
    }
    return 0;
}

static const char *v4_rule(const uint8_t *b)
{
    for (size_t i = 0; i < N_V4; i++)
        if (url_cidr_contains(&v4_blocks[i], AF_INET, b))
            return v4_rules[i].rule;
    return NULL;
}

const char *argus_url_address_rule(const struct sockaddr *sa, const char **via)
{
    pthread_once(&tables_once, parse_tables);
    if (via)
        *via = NULL;
    if (sa->sa_family == AF_INET)
        return v4_rule((const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr);
    if (sa->sa_family != AF_INET6)
        return "unspecified";
    const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    for (size_t i = 0; i < N_V6; i++) {
        if (!url_cidr_contains(&v6_blocks[i], AF_INET6, b))
            continue;
        if (strcmp(v6_rules[i].rule, EMBEDDED) != 0)
            return v6_rules[i].rule;
        if (via)
            *via = v6_rules[i].via;
        const char *inner = v4_rule(b + v6_rules[i].v4_offset);
        /* the deprecated compatible form has no public use: refused whatever it embeds */
        if (!inner && !strcmp(v6_rules[i].via, "ipv4-compatible"))
            return "reserved";
        return inner;
    }
    return url_cidr_contains(&global_unicast, AF_INET6, b) ? NULL : "reserved";
}

bool url_rule_is_metadata(const char *rule)
{
    return rule && !strcmp(rule, "metadata");
}

bool url_rule_never_allowed(const char *rule)
{
    return rule && (!strcmp(rule, "unspecified") || !strcmp(rule, "multicast") || !strcmp(rule, "broadcast"));
}

void url_addr_text(const struct sockaddr *sa, int brackets, char *out, size_t outlen)
{
    char text[INET6_ADDRSTRLEN] = "?";
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof text);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text, sizeof text);
    if (brackets && sa->sa_family == AF_INET6)
        snprintf(out, outlen, "[%s]", text);
    else
        snprintf(out, outlen, "%s", text);
}
