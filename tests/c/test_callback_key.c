/*
 * The signer callback as a key handle (jwtmint_key_new_from_signer): an
 * HSM / KMS key works wherever a parsed key does. The "HSM" here is a
 * second jwtmint key handle behind the callback (jwtmint_key_sign), so every
 * RS256 assertion must be byte-identical to the parsed key's, and each one
 * is verified with the demo PUBLIC key (jwtmint_verify):
 *  - a Salesforce profile minted with jwtmint_profile_mint;
 *  - a session (jwtmint_session_new) whose FETCH carries an assertion the
 *    callback signed, answered with a canned token;
 *  - jwtmint_mint_with_header;
 *  - the errors: a failing callback (CALLBACK_FAILED, nothing left in the
 *    buffer), another algorithm (UNSUPPORTED_ALGORITHM), what needs the key
 *    itself (UNSUPPORTED_KEY_TYPE), argument checks.
 * With JWTMINT_CALLBACK_TOKENS set, every verified token is also written
 * there, one a line, for PyJWT (tests/c/run.sh).
 */
#include "check.h"

#define DEMO_KEY "examples/keys/demo-key.pem"
#define DEMO_PUB "examples/keys/demo-key.pub.pem"
#define DEMO_CERT "examples/keys/demo-cert.pem"
#define T0 1700000000

static FILE *tokens_out; /* JWTMINT_CALLBACK_TOKENS, when set */

typedef struct {
    const jwtmint_key *hsm; /* the key behind the callback */
    int calls;
    int fail;
} hsm_ctx;

static int hsm_sign(void *vctx, const uint8_t *input, size_t len, uint8_t *sig, size_t cap, size_t *sig_len) {
    hsm_ctx *ctx = (hsm_ctx *)vctx;
    ctx->calls++;
    if (ctx->fail) return -1;
    return jwtmint_key_sign(ctx->hsm, JWTMINT_ALG_RS256, input, len, sig, cap, sig_len) == JWTMINT_RESULT_OK ? 0 : 1;
}

static jwtmint_key *load_key(const char *path) {
    jwtmint_key *k = NULL;
    blob b = read_file(path);
    CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &k), OK);
    free(b.data);
    return k;
}

/* Verifies `token` with the demo public key: RS256, iss and sub as minted. */
static void check_verifies(const uint8_t *token, size_t len) {
    jwtmint_verifier *v = NULL;
    jwtmint_validation policy;
    jwtmint_verified out;
    uint8_t buf[2048];
    size_t used = 0;
    blob pub = read_file(DEMO_PUB);
    CHECK_RC(jwtmint_verifier_new_from_pem(pub.data, pub.len, JWTMINT_ALLOW_RS256, &v), OK);
    free(pub.data);
    memset(&policy, 0, sizeof policy);
    policy.issuer = S("demo-client");
    policy.subject = S("user@example.com");
    CHECK_RC(jwtmint_verify(v, token, len, &policy, T0 + 10, buf, sizeof buf, &used, &out), OK);
    jwtmint_verifier_free(v);
    if (tokens_out) {
        fwrite(token, 1, len, tokens_out);
        fputc('\n', tokens_out);
    }
}

static jwtmint_profile *sf_profile(void) {
    jwtmint_salesforce_options o;
    jwtmint_profile *p = NULL;
    memset(&o, 0, sizeof o);
    o.consumer_key = S("demo-client");
    o.username = S("user@example.com");
    o.login = JWTMINT_SALESFORCE_CUSTOM;
    o.custom_url = S("https://sessions.test");
    CHECK_RC(jwtmint_salesforce_profile_new(&o, &p), OK);
    return p;
}

static void test_profile_and_mint(jwtmint_key *cb, jwtmint_key *direct, hsm_ctx *ctx) {
    jwtmint_profile *p = sf_profile();
    uint8_t want[1024], out[1024];
    size_t wn = 0, n = 0, bits = 0, sl = 0;

    /* The profile mint: byte-identical to the parsed key's, verified. */
    CHECK_RC(jwtmint_profile_mint(p, direct, T0, NONE, want, sizeof want, &wn), OK);
    ctx->calls = 0;
    CHECK_RC(jwtmint_profile_mint(p, cb, T0, NONE, NULL, 0, &n), JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == wn && ctx->calls == 0); /* the length is known before the callback runs */
    CHECK_RC(jwtmint_profile_mint(p, cb, T0, NONE, out, sizeof out, &n), OK);
    CHECK(ctx->calls == 1);
    CHECK(n == wn && memcmp(out, want, n) == 0);
    check_verifies(out, n);

    /* A failing callback: CALLBACK_FAILED, no partial token left. */
    ctx->fail = 1;
    memset(out, 0, sizeof out);
    n = 777;
    CHECK_RC(jwtmint_profile_mint(p, cb, T0, NONE, out, sizeof out, &n), JWTMINT_RESULT_CALLBACK_FAILED);
    CHECK(n == 777 && out[0] == 0 && out[wn - 1] == 0);
    ctx->fail = 0;
    /* ...and the next (software) failure-free mint is OK again. */
    CHECK_RC(jwtmint_profile_mint(p, direct, T0, NONE, out, sizeof out, &n), OK);

    /* With a header template. */
    {
        jwtmint_header_options o;
        jwtmint_header *h = NULL;
        jwtmint_claims c;
        memset(&o, 0, sizeof o);
        o.alg = JWTMINT_ALG_RS256;
        CHECK_RC(jwtmint_header_new(&o, &h), OK);
        memset(&c, 0, sizeof c);
        c.iss = S("demo-client");
        c.sub = S("user@example.com");
        c.aud = S("https://sessions.test");
        c.has_exp = true;
        c.exp = T0 + 300;
        CHECK_RC(jwtmint_mint_with_header(direct, h, &c, want, sizeof want, &wn), OK);
        CHECK_RC(jwtmint_mint_with_header(cb, h, &c, out, sizeof out, &n), OK);
        CHECK(n == wn && memcmp(out, want, n) == 0);
        check_verifies(out, n);
        jwtmint_header_free(h);
        /* Another algorithm than the callback's. */
        memset(&o, 0, sizeof o);
        o.alg = JWTMINT_ALG_PS256;
        CHECK_RC(jwtmint_header_new(&o, &h), OK);
        CHECK_RC(jwtmint_mint_with_header(cb, h, &c, out, sizeof out, &n), JWTMINT_RESULT_UNSUPPORTED_ALGORITHM);
        jwtmint_header_free(h);
    }

    /* Sizes from the callback's declaration; the key itself is not there. */
    CHECK_RC(jwtmint_key_signature_len(cb, &sl), OK);
    CHECK(sl == 256);
    CHECK_RC(jwtmint_key_bits(cb, &bits), OK);
    CHECK(bits == 2048);
    {
        blob cert = read_file(DEMO_CERT);
        CHECK_RC(jwtmint_cert_check_key(cert.data, cert.len, direct), OK);
        CHECK_RC(jwtmint_cert_check_key(cert.data, cert.len, cb), JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE);
        free(cert.data);
    }
    jwtmint_profile_free(p);
}

/* The assertion of a FETCH body (`...&assertion=<jwt>`). */
static const uint8_t *assertion_of(const uint8_t *body, size_t len, size_t *n) {
    const char *key = "assertion=";
    size_t k = strlen(key), i, j;
    for (i = 0; i + k <= len; i++) {
        if (memcmp(body + i, key, k) == 0) {
            for (j = i + k; j < len && body[j] != '&'; j++) {
            }
            *n = j - (i + k);
            return body + i + k;
        }
    }
    *n = 0;
    return NULL;
}

static void test_session(jwtmint_key *cb, hsm_ctx *ctx) {
    jwtmint_profile *p = sf_profile();
    jwtmint_session *s = NULL;
    jwtmint_session_action a;
    jwtmint_session_outcome o;
    const uint8_t *jwt;
    size_t jn = 0;
    const char *answer = "{\"access_token\":\"00D!AQ.hsm\",\"token_type\":\"Bearer\"}";

    ctx->calls = 0;
    CHECK_RC(jwtmint_session_new(p, cb, NULL, &s), OK);
    memset(&a, 0, sizeof a);
    CHECK_RC(jwtmint_session_poll(s, T0, &a), OK);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    CHECK(ctx->calls == 1); /* the session's assertion came from the callback */
    jwt = assertion_of(a.body, a.body_len, &jn);
    CHECK(jwt != NULL && jn > 0);
    if (jwt) check_verifies(jwt, jn);
    memset(&o, 0, sizeof o);
    CHECK_RC(jwtmint_session_complete(s, T0, a.ticket, 200, (const uint8_t *)answer, strlen(answer), &o), OK);
    CHECK(o.kind == JWTMINT_OUTCOME_STORED);
    memset(&a, 0, sizeof a);
    CHECK_RC(jwtmint_session_poll(s, T0 + 1, &a), OK);
    CHECK(a.kind == JWTMINT_ACTION_USE);
    CHECK(a.token.len == strlen("00D!AQ.hsm") && memcmp(a.token.ptr, "00D!AQ.hsm", a.token.len) == 0);
    CHECK(ctx->calls == 1);
    jwtmint_session_free(s);

    /* A failing callback: the session reports the failure, nothing stored. */
    ctx->fail = 1;
    CHECK_RC(jwtmint_session_new(p, cb, NULL, &s), OK);
    memset(&a, 0, sizeof a);
    CHECK(jwtmint_session_poll(s, T0, &a) != OK || a.kind != JWTMINT_ACTION_USE);
    CHECK(ctx->calls >= 2);
    ctx->fail = 0;
    jwtmint_session_free(s);
    jwtmint_profile_free(p);
}

static void test_arguments(hsm_ctx *ctx) {
    jwtmint_signer s;
    jwtmint_key *k = NULL;
    memset(&s, 0, sizeof s);
    s.sign = hsm_sign;
    s.ctx = ctx;
    s.alg = JWTMINT_ALG_RS256;
    s.signature_len = 256;
    CHECK_RC(jwtmint_key_new_from_signer(NULL, &k), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_new_from_signer(&s, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    s.sign = NULL;
    CHECK_RC(jwtmint_key_new_from_signer(&s, &k), JWTMINT_RESULT_NULL_ARGUMENT);
    s.sign = hsm_sign;
    s.alg = 99;
    CHECK_RC(jwtmint_key_new_from_signer(&s, &k), JWTMINT_RESULT_INVALID_ARGUMENT);
    s.alg = JWTMINT_ALG_RS256;
    s.signature_len = 0;
    CHECK_RC(jwtmint_key_new_from_signer(&s, &k), JWTMINT_RESULT_SIGNATURE_LENGTH);
    s.signature_len = 2000;
    CHECK_RC(jwtmint_key_new_from_signer(&s, &k), JWTMINT_RESULT_SIGNATURE_LENGTH);
    CHECK(k == NULL);
}

int main(void) {
    jwtmint_key *direct = load_key(DEMO_KEY);
    jwtmint_key *hsm = load_key(DEMO_KEY); /* the "HSM": same key, its own handle */
    jwtmint_key *cb = NULL;
    hsm_ctx ctx;
    jwtmint_signer s;
    const char *tokens_path = getenv("JWTMINT_CALLBACK_TOKENS");

    if (tokens_path && *tokens_path) tokens_out = fopen(tokens_path, "w");
    memset(&ctx, 0, sizeof ctx);
    ctx.hsm = hsm;
    memset(&s, 0, sizeof s);
    s.sign = hsm_sign;
    s.ctx = &ctx;
    s.alg = JWTMINT_ALG_RS256;
    s.signature_len = 256;
    CHECK_RC(jwtmint_key_new_from_signer(&s, &cb), OK);

    test_profile_and_mint(cb, direct, &ctx);
    test_session(cb, &ctx);
    test_arguments(&ctx);

    jwtmint_key_free(cb);
    jwtmint_key_free(hsm);
    jwtmint_key_free(direct);
    if (tokens_out) fclose(tokens_out);
    printf("test_callback_key: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
