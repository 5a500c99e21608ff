/* Shared librdkafka configuration: connection, security and log routing for every client. */
#include "argus/kafka/kafka_conf.h"
#include "argus/base/log.h"

#include <stdio.h>
#include <string.h>

int argus_kafka_set(rd_kafka_conf_t *conf, const char *name, const char *value, char *err, size_t errlen)
{
    char why[256];
    if (rd_kafka_conf_set(conf, name, value, why, sizeof why) != RD_KAFKA_CONF_OK) {
        /* Values of secret properties are not echoed. */
        int secret = strstr(name, "password") != NULL;
        snprintf(err, errlen, "%s=%s: %s", name, secret ? "<secret>" : value, why);
        return -1;
    }
    return 0;
}

int argus_kafka_client_max_bytes(const struct argus_config *cfg)
{
    return cfg->max_message_bytes > 16 * 1024 * 1024 ? cfg->max_message_bytes : 16 * 1024 * 1024;
}

/* librdkafka syslog levels 0..7 onto ours. */
static void kafka_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    enum argus_log_level l = level <= 3 ? ARGUS_LOG_ERROR : level <= 5 ? ARGUS_LOG_WARN
                           : level == 6 ? ARGUS_LOG_INFO : ARGUS_LOG_DEBUG;
    argus_log(l, "kafka.log", "%s: %s: %s", rk ? rd_kafka_name(rk) : "rdkafka", fac, buf);
}

rd_kafka_conf_t *argus_kafka_conf_new(const struct argus_config *cfg, const char *client_id_suffix,
                                      char *err, size_t errlen)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char client_id[128];
    if (cfg->client_id && *cfg->client_id)
        snprintf(client_id, sizeof client_id, "%s", cfg->client_id);
    else
        snprintf(client_id, sizeof client_id, "argus-%s", client_id_suffix ? client_id_suffix : "client");

    if (argus_kafka_set(conf, "bootstrap.servers", cfg->bootstrap_servers, err, errlen) ||
        argus_kafka_set(conf, "client.id", client_id, err, errlen) ||
        argus_kafka_set(conf, "security.protocol", cfg->security_protocol, err, errlen))
        goto fail;

    if (!strncmp(cfg->security_protocol, "SASL", 4)) {
        if (argus_kafka_set(conf, "sasl.mechanisms", cfg->sasl_mechanism, err, errlen) ||
            argus_kafka_set(conf, "sasl.username", cfg->sasl_username, err, errlen) ||
            argus_kafka_set(conf, "sasl.password", cfg->sasl_password ? cfg->sasl_password : "", err, errlen))
            goto fail;
    }
    if (strstr(cfg->security_protocol, "SSL")) {
        if (cfg->ssl_ca_location && *cfg->ssl_ca_location &&
            argus_kafka_set(conf, "ssl.ca.location", cfg->ssl_ca_location, err, errlen))
            goto fail;
        if (argus_kafka_set(conf, "ssl.endpoint.identification.algorithm",
                            cfg->ssl_verify_hostname ? "https" : "none", err, errlen))
            goto fail;
    }
    char max_bytes[32];
    snprintf(max_bytes, sizeof max_bytes, "%d", argus_kafka_client_max_bytes(cfg));
    if (argus_kafka_set(conf, "message.max.bytes", max_bytes, err, errlen))
        goto fail;
    rd_kafka_conf_set_log_cb(conf, kafka_log_cb);
    return conf;
fail:
    rd_kafka_conf_destroy(conf);
    return NULL;
}
