/* Valkey client: get/set/del, owner-token dedupe claims, batches and the server-side token bucket;
 * see argus/kv.h. */
#include "argus/stores/kv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* KEYS[1] bucket hash {tokens, ts}; ARGV rate per second, burst, cost. Time comes from the server so
 * workers on different machines agree; microseconds since the epoch fit a Lua double exactly. */
static const char bucket_lua[] =
    "local rate = tonumber(ARGV[1])\n"
    "local burst = tonumber(ARGV[2])\n"
    "local cost = tonumber(ARGV[3])\n"
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
    "local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')\n"
    "local tokens = tonumber(state[1])\n"
    "local ts = tonumber(state[2])\n"
    "if tokens == nil or ts == nil then tokens = burst; ts = now end\n"
    "if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate / 1000000) end\n"
    "local allowed = 0\n"
    "local wait = 0\n"
    "if tokens >= cost then\n"
    "  tokens = tokens - cost\n"
    "  allowed = 1\n"
    "else\n"
    "  wait = math.ceil((cost - tokens) * 1000 / rate)\n"
    "  if wait < 1 then wait = 1 end\n"
    "end\n"
    "redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%d', now))\n"
    "redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)\n"
    "return {allowed, wait}\n";

static const char release_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n";

int argus_kv_init(struct argus_kv *kv, const char *host, int port, const char *password, int timeout_ms)
{
    memset(kv, 0, sizeof *kv);
    kv->bucket.source = bucket_lua;
    kv->release.source = release_lua;
    return argus_redis_init(&kv->redis, "valkey", ARGUS_ERR_CACHE, host, port, password, timeout_ms);
}

int argus_kv_init_config(struct argus_kv *kv, const struct argus_config *cfg)
{
    return argus_kv_init(kv, cfg->valkey_host, cfg->valkey_port, cfg->valkey_password, cfg->store_timeout_ms);
}

void argus_kv_close(struct argus_kv *kv)
{
    argus_redis_close(&kv->redis);
}

int argus_kv_ping(struct argus_kv *kv, char *err, size_t errlen)
{
    return argus_redis_ping(&kv->redis, err, errlen);
}

int argus_kv_get(struct argus_kv *kv, const char *key, char **value, size_t *len, struct argus_result *res)
{
    *value = NULL;
    redisReply *reply = argus_redis_commandf(&kv->redis, ARGUS_REDIS_IDEMPOTENT, res, "GET %s", key);
    if (!reply)
        return -1;
    int found = reply->type == REDIS_REPLY_STRING;
    if (found) {
        *value = malloc(reply->len + 1);
        if (!*value) {
            freeReplyObject(reply);
            argus_retry(res, ARGUS_ERR_CACHE, "valkey: out of memory for a %zu-byte value", reply->len);
            return -1;
        }
        memcpy(*value, reply->str, reply->len);
        (*value)[reply->len] = '\0';
        if (len)
            *len = reply->len;
    }
    freeReplyObject(reply);
    return found;
}

int argus_kv_set(struct argus_kv *kv, const char *key, const void *value, size_t len, int ttl_s,
                 struct argus_result *res)
{
    redisReply *reply = ttl_s > 0
        ? argus_redis_commandf(&kv->redis, ARGUS_REDIS_IDEMPOTENT, res, "SET %s %b EX %d", key, value, len, ttl_s)
        : argus_redis_commandf(&kv->redis, ARGUS_REDIS_IDEMPOTENT, res, "SET %s %b", key, value, len);
    if (!reply)
        return -1;
    freeReplyObject(reply);
    return 0;
}

int argus_kv_del(struct argus_kv *kv, const char *key, struct argus_result *res)
{
    redisReply *reply = argus_redis_commandf(&kv->redis, ARGUS_REDIS_IDEMPOTENT, res, "DEL %s", key);
    if (!reply)
        return -1;
    int existed = reply->type == REDIS_REPLY_INTEGER && reply->integer > 0;
    freeReplyObject(reply);
    return existed;
}

void argus_kv_new_token(char out[33])
{
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        /* no entropy source: time and pid still make a token unique enough per attempt */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long mix = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
                                 ((unsigned long long)getpid() << 40);
        for (size_t i = 0; i < sizeof raw; i++, mix = mix * 6364136223846793005ULL + 1442695040888963407ULL)
            raw[i] = (unsigned char)(mix >> 56);
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

enum argus_claim argus_kv_claim(struct argus_kv *kv, const char *key, const char *token, int ttl_s,
                                struct argus_result *res)
{
    if (ttl_s < 1) {
        argus_reject(res, ARGUS_ERR_CACHE, "valkey: a claim needs a TTL of at least 1 s");
        return ARGUS_CLAIM_ERROR;
    }
    redisReply *reply = argus_redis_commandf(&kv->redis, ARGUS_REDIS_IDEMPOTENT, res, "SET %s %s NX EX %d",
                                             key, token, ttl_s);
    if (!reply)
        return ARGUS_CLAIM_ERROR;
    int won = reply->type == REDIS_REPLY_STATUS;
    int resent = kv->redis.last_call_resent;
    freeReplyObject(reply);
    if (won)
        return ARGUS_CLAIM_WON;
    if (resent) {
        /* the first SET may have landed before the connection broke: then the key holds our token */
        char *holder = NULL;
        int found = argus_kv_get(kv, key, &holder, NULL, res);
        if (found < 0)
            return ARGUS_CLAIM_ERROR;
        int ours = found && strcmp(holder, token) == 0;
        free(holder);
        if (ours)
            return ARGUS_CLAIM_WON;
    }
    return ARGUS_CLAIM_TAKEN;
}

/* EVALSHA with the cached SHA (loaded once per client with SCRIPT LOAD); on NOSCRIPT (the server
 * restarted or flushed its scripts) EVAL, which also caches the script on the server again. */
static redisReply *run_script(struct argus_kv *kv, struct argus_kv_script *s, const char *key, int argc,
                              const char **args, struct argus_result *res)
{
    if (!s->sha[0]) {
        redisReply *sha = argus_redis_commandf(&kv->redis, ARGUS_REDIS_IDEMPOTENT, res, "SCRIPT LOAD %s",
                                               s->source);
        if (!sha)
            return NULL;
        if (sha->type == REDIS_REPLY_STRING && sha->len == 40)
            memcpy(s->sha, sha->str, 41);
        freeReplyObject(sha);
    }
    const char *argv[8];
    argv[0] = s->sha[0] ? "EVALSHA" : "EVAL";
    argv[1] = s->sha[0] ? s->sha : s->source;
    argv[2] = "1";
    argv[3] = key;
    for (int i = 0; i < argc && i < 4; i++)
        argv[4 + i] = args[i];
    redisReply *reply = argus_redis_command(&kv->redis, ARGUS_REDIS_IDEMPOTENT, res, 4 + argc, argv, NULL);
    if (!reply && strncmp(kv->redis.server_error, "NOSCRIPT", 8) == 0) {
        argv[0] = "EVAL";
        argv[1] = s->source;
        reply = argus_redis_command(&kv->redis, ARGUS_REDIS_IDEMPOTENT, res, 4 + argc, argv, NULL);
    }
    return reply;
}

int argus_kv_release(struct argus_kv *kv, const char *key, const char *token, struct argus_result *res)
{
    redisReply *reply = run_script(kv, &kv->release, key, 1, &token, res);
    if (!reply)
        return -1;
    int released = reply->type == REDIS_REPLY_INTEGER && reply->integer > 0;
    freeReplyObject(reply);
    return released;
}

int argus_kv_take(struct argus_kv *kv, const char *key, double rate_per_s, int burst, int *wait_ms,
                  struct argus_result *res)
{
    *wait_ms = 0;
    if (!(rate_per_s > 0) || burst < 1) {
        argus_reject(res, ARGUS_ERR_CACHE, "valkey: token bucket %s needs rate > 0 and burst >= 1", key);
        return -1;
    }
    char rate[32], cap[16];
    snprintf(rate, sizeof rate, "%.9g", rate_per_s);
    snprintf(cap, sizeof cap, "%d", burst);
    const char *args[3] = {rate, cap, "1"};
    redisReply *reply = run_script(kv, &kv->bucket, key, 3, args, res);
    if (!reply)
        return -1;
    int ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
             reply->element[0]->type == REDIS_REPLY_INTEGER && reply->element[1]->type == REDIS_REPLY_INTEGER;
    int allowed = ok && reply->element[0]->integer == 1;
    if (ok && !allowed)
        *wait_ms = (int)reply->element[1]->integer;
    freeReplyObject(reply);
    if (!ok) {
        argus_reject(res, ARGUS_ERR_CACHE, "valkey: token bucket %s: unexpected script reply", key);
        return -1;
    }
    return allowed;
}

int argus_kv_batch_exec(struct argus_kv *kv, struct argus_redis_batch *b, unsigned flags,
                        struct argus_result *res)
{
    return argus_redis_batch_exec(&kv->redis, b, flags, res);
}
