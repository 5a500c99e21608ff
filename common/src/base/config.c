/* The settings every worker and tool shares, with the README's local defaults. */
#include "argus/base/config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char *const offset_resets[] = {"earliest", "latest", NULL};
static const char *const protocols[] = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL", NULL};
static const char *const mechanisms[] = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", NULL};
static const char *const codecs[] = {"none", "gzip", "snappy", "lz4", "zstd", NULL};
static const char *const log_levels[] = {"debug", "info", "warn", "warning", "error", "off", NULL};

#define OFF(f) offsetof(struct argus_config, f)
#define STR(name, def, f, flags, help) {name, ARGUS_ENV_STRING, def, OFF(f), 0, 0, NULL, flags, help, NULL}
#define INT(name, def, f, lo, hi, help) {name, ARGUS_ENV_INT, def, OFF(f), lo, hi, NULL, 0, help, NULL}

const struct argus_env_var argus_config_vars[] = {
    {"KAFKA_BOOTSTRAP_SERVERS", ARGUS_ENV_STRING, "localhost:19092", OFF(bootstrap_servers), 0, 0, NULL,
     ARGUS_ENV_REQUIRED, "Kafka/Redpanda brokers, host:port[,host:port]", "REDPANDA_BROKERS"},
    STR("KAFKA_CONSUMER_GROUP", NULL, group_id, 0, "consumer group (default: the worker's own group)"),
    {"KAFKA_AUTO_OFFSET_RESET", ARGUS_ENV_CHOICE, "earliest", OFF(auto_offset_reset), 0, 0, offset_resets, 0,
     "where a new group starts", NULL},
    {"KAFKA_SECURITY_PROTOCOL", ARGUS_ENV_CHOICE, "PLAINTEXT", OFF(security_protocol), 0, 0, protocols, 0,
     "security.protocol", "REDPANDA_SECURITY_PROTOCOL"},
    {"KAFKA_SASL_MECHANISM", ARGUS_ENV_CHOICE, "SCRAM-SHA-512", OFF(sasl_mechanism), 0, 0, mechanisms, 0,
     "SASL mechanism when the protocol is SASL_*", "REDPANDA_SASL_MECHANISM"},
    {"KAFKA_SASL_USERNAME", ARGUS_ENV_STRING, NULL, OFF(sasl_username), 0, 0, NULL, 0, "SASL user",
     "REDPANDA_SASL_USERNAME"},
    {"KAFKA_SASL_PASSWORD", ARGUS_ENV_STRING, NULL, OFF(sasl_password), 0, 0, NULL, ARGUS_ENV_SECRET,
     "SASL password", "REDPANDA_SASL_PASSWORD"},
    STR("KAFKA_SSL_CA_LOCATION", NULL, ssl_ca_location, 0, "CA bundle for SSL/SASL_SSL (default: system store)"),
    {"KAFKA_SSL_VERIFY_HOSTNAME", ARGUS_ENV_BOOL, "true", OFF(ssl_verify_hostname), 0, 0, NULL, 0,
     "check the broker certificate's host name", NULL},
    STR("KAFKA_CLIENT_ID", NULL, client_id, 0, "client.id (default: argus-<worker>)"),
    {"KAFKA_INPUT_TOPICS", ARGUS_ENV_LIST, NULL, OFF(input_topics), 0, 0, NULL, 0,
     "comma-separated topics to consume (default: the worker's own)", NULL},
    STR("KAFKA_DLQ_TOPIC", "argus.dlq", dlq_topic, ARGUS_ENV_REQUIRED, "dead letter topic"),
    INT("KAFKA_MAX_MESSAGE_BYTES", "11534336", max_message_bytes, 1024, 104857600,
        "largest record a worker handles (larger ones are dead-lettered as oversize_event)"),
    {"KAFKA_COMPRESSION_TYPE", ARGUS_ENV_CHOICE, "lz4", OFF(compression), 0, 0, codecs, 0,
     "compression of produced records", NULL},
    STR("FALKORDB_HOST", "localhost", falkordb_host, ARGUS_ENV_REQUIRED, "FalkorDB host"),
    INT("FALKORDB_PORT", "6379", falkordb_port, 1, 65535, "FalkorDB port"),
    STR("FALKORDB_PASSWORD", "argus_dev_password", falkordb_password, ARGUS_ENV_SECRET, "FalkorDB password"),
    STR("VALKEY_HOST", "localhost", valkey_host, ARGUS_ENV_REQUIRED, "Valkey host"),
    INT("VALKEY_PORT", "6380", valkey_port, 1, 65535, "Valkey port"),
    STR("VALKEY_PASSWORD", "argus_cache_password", valkey_password, ARGUS_ENV_SECRET, "Valkey password"),
    STR("DATABASE_URL", "postgresql://argus:argus_db_password@localhost:5432/argus", database_url,
        ARGUS_ENV_SECRET, "PostgreSQL (Supabase) connection URL"),
    INT("STORE_TIMEOUT_MS", "5000", store_timeout_ms, 100, 600000, "connect and command timeout for stores"),
    INT("WORKER_BATCH_SIZE", "500", batch_size, 1, 100000, "most messages handed to a handler at once"),
    INT("WORKER_BATCH_TIMEOUT_MS", "50", batch_timeout_ms, 0, 60000, "longest wait to fill a batch"),
    INT("WORKER_CONCURRENCY", "1", concurrency, 1, 1,
        "handler threads per process: 1 (partitions are handled in order by one loop; scale with replicas)"),
    INT("WORKER_MAX_ATTEMPTS", "10", max_attempts, 1, 1000,
        "attempts for a transiently failing message (stores up) before the DLQ"),
    INT("WORKER_MAX_RETRY_AGE_S", "900", max_retry_age_s, 1, 604800,
        "longest a message is retried (stores up) before the DLQ"),
    INT("WORKER_BACKOFF_INITIAL_MS", "1000", backoff_initial_ms, 1, 600000, "first retry delay"),
    INT("WORKER_BACKOFF_MAX_MS", "30000", backoff_max_ms, 1, 3600000, "longest retry delay"),
    INT("WORKER_COMMIT_INTERVAL_MS", "1000", commit_interval_ms, 10, 600000, "offset commit period"),
    INT("WORKER_SHUTDOWN_TIMEOUT_MS", "20000", shutdown_timeout_ms, 100, 600000,
        "drain deadline after SIGTERM"),
    INT("WORKER_STALL_TIMEOUT_S", "120", stall_timeout_s, 1, 86400,
        "liveness fails when the loop makes no progress this long while there is lag"),
    STR("HEALTH_HOST", "0.0.0.0", health_host, 0, "address of the health/metrics server"),
    {"HEALTH_PORT", ARGUS_ENV_INT, "8080", OFF(health_port), 0, 65535, NULL, 0,
     "port of /health, /ready, /metrics (0 = off)", "HEALTH_CHECK_PORT"},
    {"LOG_LEVEL", ARGUS_ENV_CHOICE, "info", OFF(log_level), 0, 0, log_levels, 0, "log level", NULL},
    {"OUTBOUND_ALLOW_HTTP", ARGUS_ENV_BOOL, "false", OFF(outbound_allow_http), 0, 0, NULL, 0,
     "plain http:// for URLs from events and tenants (local stack and tests; off in Kubernetes)", NULL},
    {"OUTBOUND_ALLOWLIST", ARGUS_ENV_LIST, NULL, OFF(outbound_allowlist), 0, 0, NULL, 0,
     "hosts (name or *.domain) and IPs/CIDRs that URLs from events and tenants may reach although internal "
     "(an internal GitLab or Jira)", NULL},
    {"OUTBOUND_DENYLIST", ARGUS_ENV_LIST, NULL, OFF(outbound_denylist), 0, 0, NULL, 0,
     "hosts (name or *.domain) and IPs/CIDRs always refused to URLs from events and tenants", NULL},
    INT("OUTBOUND_RESOLVE_TIMEOUT_MS", "5000", outbound_resolve_timeout_ms, 100, 60000,
        "longest DNS lookup of a URL from an event or a tenant"),
    {NULL, 0, NULL, 0, 0, 0, NULL, 0, NULL, NULL},
};

int argus_config_load(struct argus_config *cfg, const char *default_group, const char *default_topics,
                      char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    if (argus_env_load(argus_config_vars, cfg, err, errlen) != 0)
        return -1;
    if (!*cfg->group_id && default_group) {
        free(cfg->group_id);
        cfg->group_id = strdup(default_group);
    }
    if (cfg->input_topics.n == 0 && default_topics &&
        argus_strlist_split(&cfg->input_topics, default_topics) != 0) {
        snprintf(err, errlen, "KAFKA_INPUT_TOPICS: out of memory");
        argus_config_free(cfg);
        return -1;
    }
    if (cfg->backoff_max_ms < cfg->backoff_initial_ms) {
        snprintf(err, errlen, "WORKER_BACKOFF_MAX_MS=%d: smaller than WORKER_BACKOFF_INITIAL_MS=%d",
                 cfg->backoff_max_ms, cfg->backoff_initial_ms);
        argus_config_free(cfg);
        return -1;
    }
    if (!strncmp(cfg->security_protocol, "SASL", 4) && !*cfg->sasl_username) {
        snprintf(err, errlen, "KAFKA_SASL_USERNAME: must be set when KAFKA_SECURITY_PROTOCOL=%s",
                 cfg->security_protocol);
        argus_config_free(cfg);
        return -1;
    }
    return 0;
}

void argus_config_free(struct argus_config *cfg)
{
    argus_env_free(argus_config_vars, cfg);
}
