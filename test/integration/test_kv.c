/* Integration tests for the Valkey client against a real server (VALKEY_HOST/PORT/PASSWORD): AUTH
 * failures, get/set/del with binary values and TTLs, pipelining, SET NX EX dedupe claims and their
 * release, the token bucket (burst, denial with a sane wait, refill, NOSCRIPT fallback), timeouts and
 * reconnects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "argus/stores/kv.h"
#include "it_env.h"

static struct argus_config cfg;
static struct argus_kv kv;
static char key[96];

static int setup(void **state)
{
    (void)state;
    it_unique_name(key, sizeof key, "argus:test:kv");
    return 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void wrong_password_is_a_clear_error(void **state)
{
    (void)state;
    struct argus_kv bad;
    struct argus_result res;
    char err[256];
    assert_int_equal(argus_kv_init(&bad, cfg.valkey_host, cfg.valkey_port, "not-the-password", 2000), 0);
    assert_int_equal(argus_kv_ping(&bad, err, sizeof err), -1);
    assert_non_null(strstr(err, "authentication failed"));
    assert_non_null(strstr(err, "WRONGPASS"));
    assert_null(strstr(err, "not-the-password"));
    char *v;
    assert_int_equal(argus_kv_get(&bad, key, &v, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_RETRY);   /* configuration, not the event: never the DLQ */
    assert_string_equal(res.error_class, ARGUS_ERR_CONNECTION);
    argus_kv_close(&bad);

    /* no password at all against a server that wants one */
    assert_int_equal(argus_kv_init(&bad, cfg.valkey_host, cfg.valkey_port, NULL, 2000), 0);
    assert_int_equal(argus_kv_get(&bad, key, &v, NULL, &res), -1);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_non_null(strstr(res.message, "NOAUTH"));
    argus_kv_close(&bad);
    assert_int_equal(argus_kv_ping(&kv, err, sizeof err), 0);
}

static void get_set_del(void **state)
{
    (void)state;
    struct argus_result res;
    char *v = NULL;
    size_t len = 0;
    assert_int_equal(argus_kv_get(&kv, key, &v, &len, &res), 0);
    assert_null(v);
    const char value[] = "bin\0ary \"value\"\r\n";
    assert_int_equal(argus_kv_set(&kv, key, value, sizeof value, 0, &res), 0);
    assert_int_equal(argus_kv_get(&kv, key, &v, &len, &res), 1);
    assert_int_equal(len, sizeof value);
    assert_memory_equal(v, value, len);
    free(v);
    assert_int_equal(argus_kv_del(&kv, key, &res), 1);
    assert_int_equal(argus_kv_del(&kv, key, &res), 0);

    assert_int_equal(argus_kv_set(&kv, key, "x", 1, 100, &res), 0);
    redisReply *ttl = argus_redis_commandf(&kv.redis, 0, &res, "TTL %s", key);
    assert_non_null(ttl);
    assert_true(ttl->integer > 95 && ttl->integer <= 100);
    freeReplyObject(ttl);
    argus_kv_del(&kv, key, &res);

    /* a command error is a reject with the cache class */
    assert_int_equal(argus_kv_set(&kv, key, "x", 1, 0, &res), 0);
    assert_null(argus_redis_commandf(&kv.redis, 0, &res, "LPUSH %s y", key));
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_string_equal(res.error_class, ARGUS_ERR_CACHE);
    assert_non_null(strstr(res.message, "WRONGTYPE"));
    argus_kv_del(&kv, key, &res);
}

static void pipelined_batch(void **state)
{
    (void)state;
    struct argus_result res;
    struct argus_redis_batch b;
    argus_redis_batch_init(&b);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(argus_redis_batch_addf(&b, "SET %s:%d v%d EX 60", key, i, i), 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(argus_redis_batch_addf(&b, "GET %s:%d", key, i), 0);
    unsigned long connects = kv.redis.connects;
    assert_int_equal(argus_kv_batch_exec(&kv, &b, ARGUS_REDIS_IDEMPOTENT, &res), 0);
    assert_int_equal(kv.redis.connects, connects);
    for (int i = 0; i < 1000; i++) {
        const redisReply *set = argus_redis_batch_reply(&b, (size_t)i);
        const redisReply *get = argus_redis_batch_reply(&b, (size_t)(1000 + i));
        char want[16];
        snprintf(want, sizeof want, "v%d", i);
        assert_int_equal(set->type, REDIS_REPLY_STATUS);
        assert_string_equal(get->str, want);
    }
    assert_null(argus_redis_batch_reply(&b, 2000));
    redisReply *taken = argus_redis_batch_take(&b, 1000);
    assert_string_equal(taken->str, "v0");
    freeReplyObject(taken);
    assert_null(argus_redis_batch_reply(&b, 1000));

    /* one failing command: the batch reports it, every reply stays readable */
    argus_redis_batch_reset(&b);
    argus_redis_batch_addf(&b, "SET %s:a 1", key);
    argus_redis_batch_addf(&b, "LPUSH %s:a x", key);
    argus_redis_batch_addf(&b, "GET %s:a", key);
    assert_int_equal(argus_kv_batch_exec(&kv, &b, 0, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_non_null(strstr(res.message, "command 2 of 3"));
    assert_int_equal(b.first_error, 1);
    assert_string_equal(argus_redis_batch_reply(&b, 2)->str, "1");

    /* an empty batch is a no-op */
    argus_redis_batch_reset(&b);
    assert_int_equal(argus_kv_batch_exec(&kv, &b, 0, &res), 0);
    argus_redis_batch_free(&b);
}

static void claims_dedupe(void **state)
{
    (void)state;
    struct argus_result res;
    char mine[33], theirs[33];
    argus_kv_new_token(mine);
    argus_kv_new_token(theirs);
    assert_int_equal(strlen(mine), 32);
    assert_string_not_equal(mine, theirs);

    assert_int_equal(argus_kv_claim(&kv, key, mine, 1, &res), ARGUS_CLAIM_WON);
    assert_int_equal(argus_kv_claim(&kv, key, theirs, 1, &res), ARGUS_CLAIM_TAKEN);
    assert_int_equal(argus_kv_claim(&kv, key, mine, 1, &res), ARGUS_CLAIM_TAKEN);   /* NX, even for us */
    /* the claim expires after its TTL */
    sleep_ms(1100);
    assert_int_equal(argus_kv_claim(&kv, key, theirs, 30, &res), ARGUS_CLAIM_WON);

    /* only the holder can release it */
    assert_int_equal(argus_kv_release(&kv, key, mine, &res), 0);
    assert_int_equal(argus_kv_claim(&kv, key, mine, 30, &res), ARGUS_CLAIM_TAKEN);
    assert_int_equal(argus_kv_release(&kv, key, theirs, &res), 1);
    assert_int_equal(argus_kv_claim(&kv, key, mine, 30, &res), ARGUS_CLAIM_WON);
    assert_int_equal(argus_kv_release(&kv, key, mine, &res), 1);
    assert_int_equal(argus_kv_release(&kv, key, mine, &res), 0);
    assert_int_equal(argus_kv_claim(&kv, key, mine, 0, &res), ARGUS_CLAIM_ERROR);
    assert_int_equal(res.outcome, ARGUS_REJECT);
}

static void token_bucket(void **state)
{
    (void)state;
    struct argus_result res;
    int wait = -1;
    /* 5 per second, burst 3: three at once, then a wait of about 200 ms */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(argus_kv_take(&kv, key, 5, 3, &wait, &res), 1);
        assert_int_equal(wait, 0);
    }
    assert_int_equal(argus_kv_take(&kv, key, 5, 3, &wait, &res), 0);
    assert_true(wait > 0 && wait <= 200);
    /* after waiting, one token is there again, and only one */
    sleep_ms(wait + 20);
    assert_int_equal(argus_kv_take(&kv, key, 5, 3, &wait, &res), 1);
    assert_int_equal(argus_kv_take(&kv, key, 5, 3, &wait, &res), 0);
    assert_true(wait > 50 && wait <= 200);

    /* a slow bucket: 0.5 per second */
    char slow[128];
    snprintf(slow, sizeof slow, "%s:slow", key);
    assert_int_equal(argus_kv_take(&kv, slow, 0.5, 1, &wait, &res), 1);
    assert_int_equal(argus_kv_take(&kv, slow, 0.5, 1, &wait, &res), 0);
    assert_true(wait > 1500 && wait <= 2000);
    /* the bucket key expires once it would be full again */
    redisReply *ttl = argus_redis_commandf(&kv.redis, 0, &res, "PTTL %s", slow);
    assert_true(ttl->integer > 0 && ttl->integer <= 3000);
    freeReplyObject(ttl);

    /* the server lost its scripts (restart, SCRIPT FLUSH): EVAL takes over */
    redisReply *flush = argus_redis_commandf(&kv.redis, 0, &res, "SCRIPT FLUSH");
    assert_non_null(flush);
    freeReplyObject(flush);
    assert_int_equal(argus_kv_take(&kv, slow, 0.5, 1, &wait, &res), 0);
    assert_true(wait > 1000);
    assert_int_equal(argus_kv_take(&kv, key, 0, 3, &wait, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    argus_kv_del(&kv, slow, &res);
    argus_kv_del(&kv, key, &res);
}

static void slow_reply_is_a_timeout(void **state)
{
    (void)state;
    struct argus_kv quick;
    struct argus_result res;
    assert_int_equal(argus_kv_init(&quick, cfg.valkey_host, cfg.valkey_port, cfg.valkey_password, 200), 0);
    /* the server answers a BLPOP on an empty list only after 1 s */
    redisReply *r = argus_redis_commandf(&quick.redis, 0, &res, "BLPOP %s:empty 1", key);
    assert_null(r);
    assert_int_equal(res.outcome, ARGUS_RETRY);
    assert_string_equal(res.error_class, ARGUS_ERR_TIMEOUT);
    assert_null(quick.redis.ctx);   /* a timed-out connection is never reused */
    argus_kv_close(&quick);
}

static void reconnects_after_kill(void **state)
{
    (void)state;
    struct argus_result res;
    char token[33];
    argus_kv_new_token(token);
    redisReply *id = argus_redis_commandf(&kv.redis, 0, &res, "CLIENT ID");
    if (!id)
        fail_msg("CLIENT ID: %s", res.message);
    struct argus_kv killer;
    assert_int_equal(argus_kv_init_config(&killer, &cfg), 0);
    redisReply *k = argus_redis_commandf(&killer.redis, 0, &res, "CLIENT KILL ID %lld", id->integer);
    assert_non_null(k);
    freeReplyObject(k);
    freeReplyObject(id);
    argus_kv_close(&killer);

    unsigned long before = kv.redis.connects;
    assert_int_equal(argus_kv_claim(&kv, key, token, 30, &res), ARGUS_CLAIM_WON);
    assert_int_equal(kv.redis.connects, before + 1);
    argus_kv_del(&kv, key, &res);
}

int main(void)
{
    it_config_load(&cfg);
    if (argus_kv_init_config(&kv, &cfg) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(wrong_password_is_a_clear_error, setup),
        cmocka_unit_test_setup(get_set_del, setup),
        cmocka_unit_test_setup(pipelined_batch, setup),
        cmocka_unit_test_setup(claims_dedupe, setup),
        cmocka_unit_test_setup(token_bucket, setup),
        cmocka_unit_test_setup(slow_reply_is_a_timeout, setup),
        cmocka_unit_test_setup(reconnects_after_kill, setup),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    argus_kv_close(&kv);
    argus_config_free(&cfg);
    return failed;
}
