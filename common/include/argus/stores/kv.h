/* Valkey client: get/set with TTL, delete, dedupe claims (SET NX EX) with an owner token so a claim
 * can be released when the guarded side effect fails, pipelined batches, and a token bucket for
 * outbound rate limits that runs atomically on the server (Lua through EVALSHA, EVAL on NOSCRIPT).
 *
 * Dedupe recipe for an outbound call guarded by key K (e.g. "argus:dedupe:slack:<event id>:<channel>"):
 *   claim K with a fresh token -> WON: make the call; on failure release K with the same token so the
 *   retry can claim it again; TAKEN: the call was made (or is being made) by someone else: skip it. */
#ifndef ARGUS_KV_H
#define ARGUS_KV_H

#include <stddef.h>

#include "argus/base/config.h"
#include "argus/base/outcome.h"
#include "argus/stores/redis_conn.h"

struct argus_kv_script {
    const char *source;
    char sha[41];             /* "" until loaded */
};

struct argus_kv {
    struct argus_redis redis;
    struct argus_kv_script bucket;
    struct argus_kv_script release;
};

/* Connection settings only; connects on first use. 0, or -1 if out of memory. */
int argus_kv_init(struct argus_kv *kv, const char *host, int port, const char *password, int timeout_ms);
/* VALKEY_HOST/PORT/PASSWORD and STORE_TIMEOUT_MS from the loaded configuration. */
int argus_kv_init_config(struct argus_kv *kv, const struct argus_config *cfg);
void argus_kv_close(struct argus_kv *kv);
/* Health probe (see argus_redis_ping). */
int argus_kv_ping(struct argus_kv *kv, char *err, size_t errlen);

/* 1 and *value (malloc'd, NUL-terminated, *len bytes; free it) when the key exists; 0 when it does
 * not; -1 with res on failure. len may be NULL. */
int argus_kv_get(struct argus_kv *kv, const char *key, char **value, size_t *len, struct argus_result *res);
/* SET key value [EX ttl_s]; ttl_s 0 keeps it forever. 0 or -1 with res. */
int argus_kv_set(struct argus_kv *kv, const char *key, const void *value, size_t len, int ttl_s,
                 struct argus_result *res);
/* 1 if the key existed, 0 if not, -1 with res. */
int argus_kv_del(struct argus_kv *kv, const char *key, struct argus_result *res);

enum argus_claim {
    ARGUS_CLAIM_ERROR = -1,   /* res says why */
    ARGUS_CLAIM_TAKEN = 0,    /* someone holds the key: do not do the work */
    ARGUS_CLAIM_WON = 1       /* the key is ours for ttl_s seconds */
};

/* A fresh random owner token (32 hex characters) for argus_kv_claim. */
void argus_kv_new_token(char out[33]);
/* SET key token NX EX ttl_s. When the connection broke after the command was sent, the claim is sent
 * again and a key holding our own token counts as won. */
enum argus_claim argus_kv_claim(struct argus_kv *kv, const char *key, const char *token, int ttl_s,
                                struct argus_result *res);
/* Deletes key only if it still holds token (atomic on the server). 1 released, 0 not ours or gone,
 * -1 with res. */
int argus_kv_release(struct argus_kv *kv, const char *key, const char *token, struct argus_result *res);

/* Token bucket at key: holds up to burst tokens, refills at rate_per_s tokens per second (fractions
 * allowed, e.g. 0.5), uses the server's clock so every worker shares one bucket. Returns 1 when a
 * token was taken, 0 when none is available (*wait_ms = milliseconds until one is, never 0), -1 with
 * res. An idle bucket expires once it would be full again. */
int argus_kv_take(struct argus_kv *kv, const char *key, double rate_per_s, int burst, int *wait_ms,
                  struct argus_result *res);

/* Pipelined batch (build it with argus_redis_batch_add/addf). See argus_redis_batch_exec. */
int argus_kv_batch_exec(struct argus_kv *kv, struct argus_redis_batch *b, unsigned flags,
                        struct argus_result *res);

#endif
