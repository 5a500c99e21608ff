/* Unit tests of the semantic layer's pieces that need no server: the strict parser of embeddings
 * answers (order by index, counts, ragged, non-numeric, out-of-range, error objects, dimension
 * changes), the request body (escaping, the per-input cut at a UTF-8 boundary), the embedding key and
 * the texts embedded for functions, test cases and failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argus/base/buf.h"
#include "code_model.h"
#include "embeddings.h"

static int parse(const char *body, size_t n, size_t dim, struct cognee_vectors *v, char *err)
{
    return cognee_embed_parse(body, strlen(body), n, dim, v, err, 200);
}

static void parses_in_index_order(void **state)
{
    (void)state;
    /* OpenAI's shape, answered out of order: vectors land by index. */
    const char *body = "{\"object\":\"list\",\"data\":["
                       "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.5,-1.25,3]},"
                       "{\"object\":\"embedding\",\"index\":0,\"embedding\":[1,2,-0.0001]}],"
                       "\"model\":\"m\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}";
    struct cognee_vectors v;
    char err[200];
    assert_int_equal(parse(body, 2, 0, &v, err), 0);
    assert_int_equal(v.n, 2);
    assert_int_equal(v.dim, 3);
    assert_true(v.data[0] == 1.0f && v.data[1] == 2.0f && v.data[2] == -0.0001f);
    assert_true(v.data[3] == 0.5f && v.data[4] == -1.25f && v.data[5] == 3.0f);
    cognee_vectors_free(&v);
    /* the dimension the embedder already knows is accepted */
    assert_int_equal(parse(body, 2, 3, &v, err), 0);
    cognee_vectors_free(&v);
    /* no index: positions give the order */
    assert_int_equal(parse("{\"data\":[{\"embedding\":[1]},{\"embedding\":[2]}]}", 2, 0, &v, err), 0);
    assert_true(v.data[0] == 1.0f && v.data[1] == 2.0f);
    cognee_vectors_free(&v);
}

static void rejects_what_breaks_the_contract(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        size_t n, dim;
        const char *reason;
    } bad[] = {
        {"not json", 1, 0, "not a JSON object"},
        {"[1,2]", 1, 0, "not a JSON object"},
        {"{}", 1, 0, "no list of embeddings"},
        {"{\"data\":{}}", 1, 0, "no list of embeddings"},
        {"{\"data\":[{\"index\":0,\"embedding\":[1]}]}", 2, 0, "1 embeddings for 2 inputs"},
        {"{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}", 2, 0, "data[1].index"},
        {"{\"data\":[{\"index\":2,\"embedding\":[1]}]}", 1, 0, "data[0].index"},
        {"{\"data\":[{\"index\":-1,\"embedding\":[1]}]}", 1, 0, "data[0].index"},
        {"{\"data\":[{\"index\":0.5,\"embedding\":[1]}]}", 1, 0, "data[0].index"},
        {"{\"data\":[{\"index\":\"0\",\"embedding\":[1]}]}", 1, 0, "data[0].index"},
        {"{\"data\":[7]}", 1, 0, "data[0].index"},
        {"{\"data\":[{\"index\":0}]}", 1, 0, "data[0].embedding is not a list"},
        {"{\"data\":[{\"index\":0,\"embedding\":\"AAAA\"}]}", 1, 0, "data[0].embedding is not a list"},
        {"{\"data\":[{\"index\":0,\"embedding\":[]}]}", 1, 0, "has 0 numbers"},
        {"{\"data\":[{\"index\":0,\"embedding\":[1,\"x\"]}]}", 1, 0, "data[0].embedding[1] is not a finite"},
        {"{\"data\":[{\"index\":0,\"embedding\":[1,null]}]}", 1, 0, "data[0].embedding[1] is not a finite"},
        {"{\"data\":[{\"index\":0,\"embedding\":[1e39]}]}", 1, 0, "data[0].embedding[0] is not a finite"},
        {"{\"data\":[{\"index\":0,\"embedding\":[1,2]},{\"index\":1,\"embedding\":[1]}]}", 2, 0,
         "data[1].embedding has 1 numbers, expected 2"},
        {"{\"data\":[{\"index\":0,\"embedding\":[1,2]}]}", 1, 3, "data[0].embedding has 2 numbers, expected 3"},
        {"{\"error\":{\"message\":\"key sk-secret is wrong\",\"type\":\"invalid_request_error\","
         "\"code\":\"invalid_api_key\"}}",
         1, 0, "the answer is an error (invalid_api_key)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cognee_vectors v;
        char err[200] = "";
        if (parse(bad[i].body, bad[i].n, bad[i].dim, &v, err) != -1)
            fail_msg("accepted %s", bad[i].body);
        if (!strstr(err, bad[i].reason))
            fail_msg("%s: reason \"%s\", expected \"%s\"", bad[i].body, err, bad[i].reason);
        assert_null(strstr(err, "sk-secret")); /* an API message may quote input: never repeated */
        assert_null(v.data);
    }
}

static void request_body(void **state)
{
    (void)state;
    const char *texts[] = {"plain", "quote \" backslash \\ newline\n", "é"};
    struct argus_buf b = ARGUS_BUF_INIT;
    cognee_embed_request_body(&b, "text-embedding-3-small", texts, 3);
    assert_string_equal(argus_buf_str(&b), "{\"model\":\"text-embedding-3-small\",\"input\":[\"plain\","
                                           "\"quote \\\" backslash \\\\ newline\\n\",\"é\"]}");
    cJSON *o = cJSON_Parse(argus_buf_str(&b));
    assert_non_null(o);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "input"), 1)->valuestring, texts[1]);
    cJSON_Delete(o);

    /* one input over the cap: cut at the cap, never inside a UTF-8 sequence */
    char *big = malloc(COGNEE_EMBED_TEXT_MAX + 10);
    memset(big, 'a', COGNEE_EMBED_TEXT_MAX + 9);
    big[COGNEE_EMBED_TEXT_MAX + 9] = '\0';
    memcpy(big + COGNEE_EMBED_TEXT_MAX - 1, "\xc3\xa9", 2); /* é straddles the cap */
    const char *one[] = {big};
    argus_buf_reset(&b);
    cognee_embed_request_body(&b, "m", one, 1);
    o = cJSON_Parse(argus_buf_str(&b));
    assert_non_null(o);
    const char *sent = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "input"), 0)->valuestring;
    assert_int_equal(strlen(sent), COGNEE_EMBED_TEXT_MAX - 1);
    assert_int_equal(strncmp(sent, big, COGNEE_EMBED_TEXT_MAX - 1), 0);
    cJSON_Delete(o);
    free(big);
    argus_buf_free(&b);
}

static void key_names_model_and_text(void **state)
{
    (void)state;
    char a[17], b[17];
    cognee_embed_key("m1", "text", a);
    assert_int_equal(strlen(a), 16);
    cognee_embed_key("m1", "text", b);
    assert_string_equal(a, b);
    cognee_embed_key("m2", "text", b);
    assert_string_not_equal(a, b);
    cognee_embed_key("m1", "text ", b);
    assert_string_not_equal(a, b);
    cognee_embed_key("ab", "c", a);
    cognee_embed_key("a", "bc", b);
    assert_string_not_equal(a, b);
}

static void embedded_texts(void **state)
{
    (void)state;
    struct code_entity fn = {.kind = CODE_FUNCTION, .name = "formatUser", .qname = "formatUser", .path = "server/users.js"};
    char *t = cognee_embed_text_function(&fn);
    assert_string_equal(t, "function formatUser (format user) in server/users.js");
    free(t);
    struct code_entity m = {.kind = CODE_METHOD, .name = "_get", .qname = "PriceBook._get", .path = "backend/app/services.py"};
    t = cognee_embed_text_function(&m);
    assert_string_equal(t, "method PriceBook._get (price book get) in backend/app/services.py");
    free(t);
    struct code_entity inl = {.kind = CODE_FUNCTION, .name = "GET /api/users/:id", .qname = "GET /api/users/:id",
                              .path = "server/app.js"};
    t = cognee_embed_text_function(&inl);
    assert_string_equal(t, "function GET /api/users/:id (get api users id) in server/app.js");
    free(t);
    struct code_entity tc = {.kind = CODE_TEST_CASE, .name = "signs in", .qname = "login > signs in",
                             .path = "e2e/login.spec.ts", .framework = "playwright"};
    t = cognee_embed_text_test_case(&tc);
    assert_string_equal(t, "test login > signs in (playwright) in e2e/login.spec.ts");
    free(t);
    t = cognee_embed_text_failure("TimeoutError", "locator('#email') not visible");
    assert_string_equal(t, "TimeoutError: locator('#email') not visible");
    free(t);
    t = cognee_embed_text_failure(NULL, "only a message");
    assert_string_equal(t, "only a message");
    free(t);
    t = cognee_embed_text_failure("OnlyType", "");
    assert_string_equal(t, "OnlyType");
    free(t);
    assert_null(cognee_embed_text_failure(NULL, NULL));
    struct code_entity anon = {.kind = CODE_FUNCTION};
    assert_null(cognee_embed_text_function(&anon));
}

static void off_without_url(void **state)
{
    (void)state;
    struct cognee_embed_config c = {.url = "", .model = "m"};
    assert_false(cognee_embed_enabled(&c));
    assert_null(cognee_embedder_new(&c));
    c.url = NULL;
    assert_false(cognee_embed_enabled(&c));
    c.url = "http://127.0.0.1:1/v1/embeddings";
    assert_true(cognee_embed_enabled(&c));
    struct cognee_embedder *e = cognee_embedder_new(&c);
    assert_non_null(e);
    assert_int_equal(cognee_embedder_dimension(e), 0);
    /* empty input is refused before any request */
    const char *texts[] = {"x", ""};
    struct cognee_vectors v;
    struct argus_result res;
    assert_int_equal(cognee_embed_texts(e, texts, 2, &v, &res), -1);
    assert_int_equal(res.outcome, ARGUS_REJECT);
    assert_int_equal(cognee_embedder_stats(e)->requests, 0);
    cognee_embedder_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_in_index_order), cmocka_unit_test(rejects_what_breaks_the_contract),
        cmocka_unit_test(request_body),          cmocka_unit_test(key_names_model_and_text),
        cmocka_unit_test(embedded_texts),        cmocka_unit_test(off_without_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
