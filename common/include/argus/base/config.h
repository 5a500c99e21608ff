/* Configuration from the environment. Every setting is a row of a table (name, type, default,
 * limits, help), so --help, --check-config and validation all come from one place. A bad value
 * gives one line naming the variable; binaries exit 2 on it. Secret values are never printed. */
#ifndef ARGUS_CONFIG_H
#define ARGUS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum argus_env_type {
    ARGUS_ENV_STRING,   /* char * (malloc'd, never NULL after load) */
    ARGUS_ENV_INT,      /* int, checked against [min, max] */
    ARGUS_ENV_BOOL,     /* bool: true/false/1/0/yes/no/on/off */
    ARGUS_ENV_CHOICE,   /* char *, one of choices[] (compared case-insensitively, stored as listed) */
    ARGUS_ENV_LIST      /* struct argus_strlist: comma-separated, items trimmed, empty items dropped */
};

#define ARGUS_ENV_SECRET   0x1u  /* never printed: shown as <set> / <unset> */
#define ARGUS_ENV_REQUIRED 0x2u  /* an empty value is an error */

struct argus_strlist {
    char **items;
    size_t n;
};

struct argus_env_var {
    const char *name;
    enum argus_env_type type;
    const char *def;              /* default as text; NULL means empty */
    size_t offset;                /* offsetof(target struct, field) */
    long min, max;                /* for ARGUS_ENV_INT */
    const char *const *choices;   /* NULL-terminated, for ARGUS_ENV_CHOICE */
    unsigned flags;
    const char *help;
    const char *alias;            /* an older name read when `name` is unset (e.g. HEALTH_CHECK_PORT) */
};

/* Loads every row of table into base. Returns 0, or -1 with a one-line message in err
 * ("WORKER_BATCH_SIZE=abc: not an integer (expected 1..100000)"). */
int argus_env_load(const struct argus_env_var *table, void *base, char *err, size_t errlen);
void argus_env_free(const struct argus_env_var *table, void *base);
/* Help text: one block per variable with its default. */
void argus_env_print_help(FILE *out, const struct argus_env_var *table);
/* Effective values, secrets redacted, as KEY=value lines. */
void argus_env_print_values(FILE *out, const struct argus_env_var *table, const void *base);

void argus_strlist_free(struct argus_strlist *l);
int argus_strlist_split(struct argus_strlist *l, const char *csv);

/* The settings every worker and tool shares. Defaults equal the README's local connection strings. */
struct argus_config {
    /* Kafka / Redpanda */
    char *bootstrap_servers;
    char *group_id;
    char *auto_offset_reset;
    char *security_protocol;
    char *sasl_mechanism;
    char *sasl_username;
    char *sasl_password;
    char *ssl_ca_location;
    bool ssl_verify_hostname;
    char *client_id;
    struct argus_strlist input_topics;
    char *dlq_topic;
    int max_message_bytes;
    char *compression;
    /* stores */
    char *falkordb_host;
    int falkordb_port;
    char *falkordb_password;
    char *valkey_host;
    int valkey_port;
    char *valkey_password;
    char *database_url;
    int store_timeout_ms;
    /* the loop */
    int batch_size;
    int batch_timeout_ms;
    int concurrency;               /* WORKER_CONCURRENCY: only 1 is accepted */
    int max_attempts;
    int max_retry_age_s;
    int backoff_initial_ms;
    int backoff_max_ms;
    int commit_interval_ms;
    int shutdown_timeout_ms;
    int stall_timeout_s;
    /* operations */
    char *health_host;
    int health_port;
    char *log_level;
    /* the outbound guard for URLs from events and tenants: argus_url_guard_from_config (stores) */
    bool outbound_allow_http;
    struct argus_strlist outbound_allowlist;
    struct argus_strlist outbound_denylist;
    int outbound_resolve_timeout_ms;
};

extern const struct argus_env_var argus_config_vars[];

/* Loads argus_config_vars; group and topics default to the given worker values (may be NULL). */
int argus_config_load(struct argus_config *cfg, const char *default_group, const char *default_topics,
                      char *err, size_t errlen);
void argus_config_free(struct argus_config *cfg);

#endif
