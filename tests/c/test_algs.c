/*
 * C tests of every signing algorithm through the C ABI: for each of the 13
 * JOSE algorithms, a key (PEM: RSA, EC P-256/384/521 PKCS#8 and SEC1,
 * Ed25519; a raw HMAC secret) mints with jwtmint_mint and jwtmint_key_sign,
 * the token verifies with a verifier pinned to that algorithm, a tampered
 * one is refused, and every key/algorithm mismatch gives
 * JWTMINT_RESULT_KEY_ALGORITHM_MISMATCH. Run from the repository root by
 * tests/c/run.sh, natively, under valgrind and with
 * -fsanitize=address,undefined; also compiled as C++11.
 *
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
#include "check.h"

#define R(name) JWTMINT_RESULT_##name

typedef struct {
    const char *key;    /* PEM private key, or NULL for the HMAC secret */
    const char *pub;    /* PEM public key, or NULL for the HMAC secret */
    uint32_t alg;       /* jwtmint_alg */
    uint32_t allow;     /* jwtmint_allow */
    size_t sig_len;     /* expected signature length */
} alg_case;

static const alg_case CASES[] = {
    {"examples/keys/demo-key.pem", "examples/keys/demo-key.pub.pem", JWTMINT_ALG_RS256, JWTMINT_ALLOW_RS256, 256},
    {"examples/keys/demo-key.pem", "examples/keys/demo-key.pub.pem", JWTMINT_ALG_RS384, JWTMINT_ALLOW_RS384, 256},
    {"examples/keys/demo-key.pem", "examples/keys/demo-key.pub.pem", JWTMINT_ALG_RS512, JWTMINT_ALLOW_RS512, 256},
    {"examples/keys/demo-key.pem", "examples/keys/demo-key.pub.pem", JWTMINT_ALG_PS256, JWTMINT_ALLOW_PS256, 256},
    {"examples/keys/demo-key.pem", "examples/keys/demo-key.pub.pem", JWTMINT_ALG_PS384, JWTMINT_ALLOW_PS384, 256},
    {"examples/keys/demo-key.pem", "examples/keys/demo-key.pub.pem", JWTMINT_ALG_PS512, JWTMINT_ALLOW_PS512, 256},
    {"tests/data/ec-p256.pem", "tests/data/ec-p256.pub.pem", JWTMINT_ALG_ES256, JWTMINT_ALLOW_ES256, 64},
    {"tests/data/ec-p256-sec1.pem", NULL, JWTMINT_ALG_ES256, JWTMINT_ALLOW_ES256, 64},
    {"tests/data/ec-p384.pem", "tests/data/ec-p384.pub.pem", JWTMINT_ALG_ES384, JWTMINT_ALLOW_ES384, 96},
    {"tests/data/ec-p521.pem", "tests/data/ec-p521.pub.pem", JWTMINT_ALG_ES512, JWTMINT_ALLOW_ES512, 132},
    {"tests/data/ed25519.pem", "tests/data/ed25519.pub.pem", JWTMINT_ALG_EDDSA, JWTMINT_ALLOW_EDDSA, 64},
    {NULL, NULL, JWTMINT_ALG_HS256, JWTMINT_ALLOW_HS256, 32},
    {NULL, NULL, JWTMINT_ALG_HS384, JWTMINT_ALLOW_HS384, 48},
    {NULL, NULL, JWTMINT_ALG_HS512, JWTMINT_ALLOW_HS512, 64},
};

static uint8_t SECRET[64];

static jwtmint_key *load_key(const alg_case *t) {
    jwtmint_key *k = NULL;
    if (t->key == NULL) {
        CHECK_RC(jwtmint_key_new_from_hmac_secret(SECRET, sizeof SECRET, &k), OK);
    } else {
        blob b = read_file(t->key);
        CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &k), OK);
        free(b.data);
    }
    return k;
}

static jwtmint_verifier *load_verifier(const alg_case *t, uint32_t allow, jwtmint_result want) {
    jwtmint_verifier *v = NULL;
    if (t->key == NULL) {
        CHECK_RC(jwtmint_verifier_new_from_hmac_secret(SECRET, sizeof SECRET, allow, &v), want);
    } else if (t->pub != NULL) {
        blob b = read_file(t->pub);
        CHECK_RC(jwtmint_verifier_new_from_pem(b.data, b.len, allow, &v), want);
        free(b.data);
    }
    return v;
}

static void one_algorithm(const alg_case *t) {
    jwtmint_header_options o;
    jwtmint_claims c;
    uint8_t out[2048], sig[1024], *buf;
    size_t n = 0, need = 0, got = 0, len = 0;
    jwtmint_verified res;
    jwtmint_validation p;
    jwtmint_key *k = load_key(t);
    jwtmint_verifier *v;
    if (!k) return;
    memset(&o, 0, sizeof o);
    memset(&c, 0, sizeof c);
    memset(&p, 0, sizeof p);
    o.alg = t->alg;
    c.iss = S("client");
    c.sub = S("user@example.com");
    c.aud = S("https://login.example.com/token");
    c.has_exp = true;
    c.exp = 2000000000;
    CHECK_RC(jwtmint_mint(k, &o, &c, out, sizeof out, &n), OK);
    CHECK(n > 0);
    /* The raw signature has the algorithm's length. */
    CHECK_RC(jwtmint_key_sign(k, t->alg, (const uint8_t *)"abc", 3, sig, sizeof sig, &len), OK);
    CHECK(len == t->sig_len);
    CHECK_RC(jwtmint_key_sign(k, t->alg, (const uint8_t *)"abc", 3, sig, t->sig_len - 1, &len),
             R(BUFFER_TOO_SMALL));
    CHECK(len == t->sig_len);

    v = load_verifier(t, t->allow, OK);
    if (v) {
        CHECK_RC(jwtmint_verify(v, out, n, &p, 1700000000, NULL, 0, &need, &res), R(BUFFER_TOO_SMALL));
        buf = (uint8_t *)malloc(need);
        CHECK_RC(jwtmint_verify(v, out, n, &p, 1700000000, buf, need, &got, &res), OK);
        CHECK(res.alg == t->alg);
        /* A flipped claims byte is refused. */
        out[40] ^= 1;
        CHECK(jwtmint_verify(v, out, n, &p, 1700000000, buf, need, &got, &res) != OK);
        free(buf);
        jwtmint_verifier_free(v);
        /* RS256 pinned on this key: refused unless it is that key's own. */
        if (t->alg != JWTMINT_ALG_RS256) {
            v = load_verifier(t, JWTMINT_ALLOW_RS256,
                              t->sig_len == 256 ? OK : R(KEY_ALGORITHM_MISMATCH));
            CHECK(t->sig_len == 256 ? v != NULL : v == NULL);
            jwtmint_verifier_free(v);
        }
    }
    /* Every algorithm of another key type: refused at signer build. */
    {
        uint32_t other = t->key == NULL ? JWTMINT_ALG_ES256 : JWTMINT_ALG_HS256;
        o.alg = other;
        CHECK_RC(jwtmint_mint(k, &o, &c, out, sizeof out, &n), R(KEY_ALGORITHM_MISMATCH));
        CHECK_RC(jwtmint_key_sign(k, other, (const uint8_t *)"abc", 3, sig, sizeof sig, &len),
                 R(KEY_ALGORITHM_MISMATCH));
    }
    jwtmint_key_free(k);
}

int main(void) {
    size_t i;
    jwtmint_key *k = NULL;
    for (i = 0; i < sizeof SECRET; i++) SECRET[i] = (uint8_t)(i * 7 + 1);
    for (i = 0; i < sizeof CASES / sizeof CASES[0]; i++) one_algorithm(&CASES[i]);
    /* Too short an HMAC secret. */
    CHECK_RC(jwtmint_key_new_from_hmac_secret(SECRET, 31, &k), R(KEY_TOO_SMALL));
    CHECK(k == NULL);
    CHECK_RC(jwtmint_key_new_from_hmac_secret(NULL, 32, &k), R(NULL_ARGUMENT));
    /* HS512 needs a 64-byte secret. */
    CHECK_RC(jwtmint_key_new_from_hmac_secret(SECRET, 32, &k), OK);
    {
        uint8_t sig[64];
        size_t len = 0;
        CHECK_RC(jwtmint_key_sign(k, JWTMINT_ALG_HS512, SECRET, 3, sig, sizeof sig, &len), R(KEY_TOO_SMALL));
        CHECK_RC(jwtmint_key_sign(k, JWTMINT_ALG_HS256, SECRET, 3, sig, sizeof sig, &len), OK);
    }
    jwtmint_key_free(k);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
