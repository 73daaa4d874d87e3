/*
 * C tests of the key formats (encrypted PKCS#8 with a passphrase, private
 * JWKs, PKCS#12 with its certificate) and of the ABI rules every function follows (issue 12 item 13):
 * negative `now` refused everywhere, one rule for NULL output buffers
 * (NULL + cap 0 = length preflight, NULL + cap > 0 = NULL_ARGUMENT) in every
 * writer, lengths that mean the same on success and on BUFFER_TOO_SMALL,
 * form bodies that refuse an empty or non-compact assertion. Runs natively,
 * under valgrind and with -fsanitize=address,undefined (tests/c/run.sh).
 * Fixtures: tests/data/keys/ (README there).
 */
#include "check.h"

#define R(name) JWTMINT_RESULT_##name
#define PASS "correct horse battery staple"
#define NOW 1700000000
#define BOTH ((uint32_t)JWTMINT_ALLOW_RS256 | (uint32_t)JWTMINT_ALLOW_PS256)
#define INPUT "eyJhbGciOiJSUzI1NiJ9.e30"

static jwtmint_key *pem_key(const char *path) {
    jwtmint_key *k = NULL;
    blob b = read_file(path);
    CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &k), OK);
    free(b.data);
    return k;
}

/* RS256 is deterministic: equal signatures = the same key. */
static int same_key(const jwtmint_key *a, const jwtmint_key *b) {
    uint8_t sa[512], sb[512];
    size_t na = 0, nb = 0;
    if (jwtmint_key_sign(a, JWTMINT_ALG_RS256, (const uint8_t *)INPUT, strlen(INPUT), sa, sizeof sa, &na) != OK)
        return 0;
    if (jwtmint_key_sign(b, JWTMINT_ALG_RS256, (const uint8_t *)INPUT, strlen(INPUT), sb, sizeof sb, &nb) != OK)
        return 0;
    return na == nb && na == 256 && memcmp(sa, sb, na) == 0;
}

static void test_encrypted(void) {
    static const char *const files[] = {"tests/data/keys/rsa2048.pbkdf2-aes256.pem",
                                        "tests/data/keys/rsa2048.scrypt.pem"};
    jwtmint_key *plain = pem_key("tests/data/keys/rsa2048.pkcs8.pem");
    const uint8_t *pass = (const uint8_t *)PASS;
    size_t i, plen = strlen(PASS);
    for (i = 0; i < 2; i++) {
        blob b = read_file(files[i]);
        jwtmint_key *k = NULL;
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, pass, plen, &k), OK);
        CHECK(same_key(k, plain));
        jwtmint_key_free(k);
        k = NULL;
        /* Wrong and empty passphrases: their own code, no handle. (A NUL
         * counted in pass_len still decrypts: PBKDF2-HMAC zero-pads short
         * keys, so "pw" and "pw\0" derive the same key, as in OpenSSL.) */
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, pass, plen - 1, &k), R(WRONG_PASSPHRASE));
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, NULL, 0, &k), R(WRONG_PASSPHRASE));
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, (const uint8_t *)"Correct horse battery staple",
                                                          plen, &k),
                 R(WRONG_PASSPHRASE));
        CHECK(k == NULL);
        /* The plain constructor keeps ENCRYPTED_KEY; NULL arguments. */
        CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &k), R(ENCRYPTED_KEY));
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, NULL, 3, &k), R(NULL_ARGUMENT));
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(NULL, 0, pass, plen, &k), R(NULL_ARGUMENT));
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, pass, plen, NULL), R(NULL_ARGUMENT));
        CHECK(k == NULL);
        free(b.data);
    }
    {
        blob b = read_file("tests/data/keys/rsa2048.pbkdf2-aes128.der");
        jwtmint_key *k = NULL;
        CHECK_RC(jwtmint_key_new_from_der_with_passphrase(b.data, b.len, pass, plen, &k), OK);
        CHECK(same_key(k, plain));
        jwtmint_key_free(k);
        k = NULL;
        CHECK_RC(jwtmint_key_new_from_der_with_passphrase(b.data, b.len, (const uint8_t *)"x", 1, &k),
                 R(WRONG_PASSPHRASE));
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, pass, plen, &k), R(KEY_IS_DER));
        CHECK(k == NULL);
        free(b.data);
    }
    {
        blob b = read_file("tests/data/keys/rsa2048.pbes1-3des.pem");
        jwtmint_key *k = NULL;
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, pass, plen, &k),
                 R(UNSUPPORTED_KEY_ENCRYPTION));
        free(b.data);
        /* An unencrypted key loads through the passphrase function too. */
        b = read_file("tests/data/keys/rsa2048.pkcs8.pem");
        CHECK_RC(jwtmint_key_new_from_pem_with_passphrase(b.data, b.len, NULL, 0, &k), OK);
        CHECK(same_key(k, plain));
        jwtmint_key_free(k);
        free(b.data);
    }
    jwtmint_key_free(plain);
}

static void test_jwk(void) {
    blob jwk = read_file("tests/data/keys/rsa2048.jwk.json");
    blob der = read_file("tests/data/keys/rsa2048-jwk.pkcs8.der");
    blob ec = read_file("tests/data/keys/p256.jwk.json");
    jwtmint_key *k = NULL, *ref = NULL;
    char kid[64];
    size_t kid_len = 99;
    CHECK_RC(jwtmint_key_new_from_der(der.data, der.len, &ref), OK);
    /* kid preflight: no key made, the kid's length reported. */
    CHECK_RC(jwtmint_key_new_from_jwk(jwk.data, jwk.len, &k, NULL, 0, &kid_len), R(BUFFER_TOO_SMALL));
    CHECK(k == NULL && kid_len == strlen("rsa-2048"));
    CHECK_RC(jwtmint_key_new_from_jwk(jwk.data, jwk.len, &k, (uint8_t *)kid, 3, &kid_len), R(BUFFER_TOO_SMALL));
    CHECK(k == NULL && kid_len == 8);
    CHECK_RC(jwtmint_key_new_from_jwk(jwk.data, jwk.len, &k, NULL, 5, &kid_len), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_key_new_from_jwk(jwk.data, jwk.len, &k, (uint8_t *)kid, sizeof kid, &kid_len), OK);
    CHECK(kid_len == 8 && memcmp(kid, "rsa-2048", 8) == 0);
    CHECK(same_key(k, ref));
    jwtmint_key_free(k);
    k = NULL;
    /* kid ignored. */
    CHECK_RC(jwtmint_key_new_from_jwk(jwk.data, jwk.len, &k, NULL, 0, NULL), OK);
    CHECK(same_key(k, ref));
    jwtmint_key_free(k);
    k = NULL;
    {
        /* A missing CRT member and a broken one are JWK_MEMBER. */
        char *j = (char *)malloc(jwk.len + 1);
        char *dp;
        memcpy(j, jwk.data, jwk.len + 1);
        dp = strstr(j, "\"dp\"");
        CHECK(dp != NULL);
        dp[1] = 'x'; /* "xp": dp is missing */
        CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)j, jwk.len, &k, NULL, 0, NULL), R(JWK_MEMBER));
        dp[1] = 'd';
        dp[7] = dp[7] == 'A' ? 'B' : 'A'; /* a changed dp */
        CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)j, jwk.len, &k, NULL, 0, NULL), R(JWK_MEMBER));
        free(j);
    }
    CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)"{\"kty\":\"RSA\",\"kty\":\"RSA\"}", 25, &k, NULL, 0, NULL),
             R(DUPLICATE_MEMBER));
    {
        static const char short_d[] = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"AQAB\",\"x\":\"AA\",\"y\":\"AA\"}";
        CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)short_d, sizeof short_d - 1, &k, NULL, 0, NULL),
                 R(JWK_MEMBER));
    }
    {
        /* EC: normalised like cryptography's PKCS#8; signs once EC keys are in. */
        jwtmint_result rc = jwtmint_key_new_from_jwk(ec.data, ec.len, &k, NULL, 0, NULL);
        CHECK(rc == OK || rc == R(UNSUPPORTED_KEY_TYPE));
        jwtmint_key_free(k);
        k = NULL;
    }
    CHECK_RC(jwtmint_key_new_from_jwk(NULL, 0, &k, NULL, 0, NULL), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_key_new_from_jwk(jwk.data, jwk.len, NULL, NULL, 0, NULL), R(NULL_ARGUMENT));
    CHECK(k == NULL);
    jwtmint_key_free(ref);
    free(jwk.data);
    free(der.data);
    free(ec.data);
}

static void test_pkcs12(void) {
    static const char *const files[] = {"tests/data/keys/rsa2048.aes256.p12", "tests/data/keys/rsa2048.legacy.p12"};
    jwtmint_key *plain = pem_key("tests/data/keys/rsa2048.pkcs8.pem");
    blob cert_pem = read_file("tests/data/keys/rsa2048.cert.pem");
    jwtmint_thumbprints want, got;
    const uint8_t *pass = (const uint8_t *)PASS;
    size_t i, plen = strlen(PASS);
    CHECK_RC(jwtmint_cert_thumbprints(cert_pem.data, cert_pem.len, &want), OK);
    for (i = 0; i < 2; i++) {
        blob p12 = read_file(files[i]);
        jwtmint_key *k = NULL;
        size_t need = 0, n = 0;
        uint8_t *cert;
        /* Certificate preflight: no key made. */
        CHECK_RC(jwtmint_key_new_from_pkcs12(p12.data, p12.len, pass, plen, &k, NULL, 0, &need), R(BUFFER_TOO_SMALL));
        CHECK(k == NULL && need > 500);
        cert = (uint8_t *)malloc(need);
        CHECK_RC(jwtmint_key_new_from_pkcs12(p12.data, p12.len, pass, plen, &k, cert, need, &n), OK);
        CHECK(n == need && same_key(k, plain));
        /* x5t#S256 from the certificate in the same file. */
        CHECK_RC(jwtmint_cert_thumbprints(cert, n, &got), OK);
        CHECK(memcmp(got.x5t_s256, want.x5t_s256, sizeof want.x5t_s256) == 0);
        jwtmint_key_free(k);
        k = NULL;
        CHECK_RC(jwtmint_key_new_from_pkcs12(p12.data, p12.len, pass, plen - 1, &k, NULL, 0, NULL), R(WRONG_PASSPHRASE));
        CHECK_RC(jwtmint_key_new_from_pkcs12(p12.data, p12.len, NULL, 0, &k, NULL, 0, NULL), R(WRONG_PASSPHRASE));
        CHECK_RC(jwtmint_key_new_from_pkcs12(p12.data, p12.len, (const uint8_t *)"\xff", 1, &k, NULL, 0, NULL),
                 R(INVALID_UTF8));
        CHECK_RC(jwtmint_key_new_from_pkcs12(p12.data, p12.len - 1, pass, plen, &k, NULL, 0, NULL), R(KEY_MALFORMED));
        CHECK_RC(jwtmint_key_new_from_pkcs12(p12.data, p12.len, pass, plen, &k, NULL, 7, &n), R(NULL_ARGUMENT));
        CHECK(k == NULL);
        CHECK_RC(jwtmint_key_new_from_pkcs12(p12.data, p12.len, pass, plen, &k, NULL, 0, NULL), OK);
        CHECK(same_key(k, plain));
        jwtmint_key_free(k);
        free(cert);
        free(p12.data);
    }
    jwtmint_key_free(plain);
    free(cert_pem.data);
}

/* ---------- the ABI rules ---------- */

typedef jwtmint_result (*writer_fn)(uint8_t *out, size_t cap, size_t *len);

static jwtmint_key *g_key;
static jwtmint_header *g_header;
static jwtmint_profile *g_profile;
static jwtmint_verifier *g_verifier;
static jwtmint_google_account *g_account;
static char g_token[1024];
static size_t g_token_len;

static jwtmint_claims claims(void) {
    jwtmint_claims c;
    memset(&c, 0, sizeof c);
    c.iss = S("iss");
    c.sub = S("sub");
    c.aud = S("https://login.salesforce.com");
    c.has_exp = true;
    c.exp = NOW + 180;
    return c;
}
static jwtmint_header_options header_options(void) {
    jwtmint_header_options h;
    memset(&h, 0, sizeof h);
    h.alg = JWTMINT_ALG_RS256;
    return h;
}

static jwtmint_result w_mint(uint8_t *o, size_t c, size_t *n) {
    jwtmint_claims cl = claims();
    jwtmint_header_options h = header_options();
    return jwtmint_mint(g_key, &h, &cl, o, c, n);
}
static jwtmint_result w_mint_with_header(uint8_t *o, size_t c, size_t *n) {
    jwtmint_claims cl = claims();
    return jwtmint_mint_with_header(g_key, g_header, &cl, o, c, n);
}
static jwtmint_result w_sign_raw(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_sign_raw(g_key, JWTMINT_ALG_RS256, (const uint8_t *)"{}", 2, (const uint8_t *)"{}", 2, o, c, n);
}
static jwtmint_result w_key_sign(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_key_sign(g_key, JWTMINT_ALG_RS256, (const uint8_t *)"x", 1, o, c, n);
}
static jwtmint_result w_b64_encode(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_base64url_encode((const uint8_t *)"hello", 5, o, c, n);
}
static jwtmint_result w_b64_decode(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_base64url_decode((const uint8_t *)"aGVsbG8", 7, o, c, n);
}
static jwtmint_result w_header_encoded(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_header_encoded(g_header, o, c, n);
}
static jwtmint_result w_grant_body(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_form_grant_body((const uint8_t *)g_token, g_token_len, NULL, 0, o, c, n);
}
static jwtmint_result w_client_body(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_form_client_assertion_body((const uint8_t *)g_token, g_token_len, NULL, 0, o, c, n);
}
static jwtmint_result w_profile_mint(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_profile_mint(g_profile, g_key, NOW, NONE, o, c, n);
}
static jwtmint_result w_profile_url(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_profile_token_url(g_profile, o, c, n);
}
static jwtmint_result w_profile_body(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_profile_token_request_body(g_profile, (const uint8_t *)g_token, g_token_len, o, c, n);
}
static jwtmint_result w_client_email(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_google_account_client_email(g_account, o, c, n);
}
static jwtmint_result w_token_uri(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_google_account_token_uri(g_account, o, c, n);
}
static jwtmint_result w_key_id(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_google_account_private_key_id(g_account, o, c, n);
}
static jwtmint_result w_message(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_result_message(R(KEY_TOO_SMALL), (char *)o, c, n);
}
static jwtmint_result w_verify(uint8_t *o, size_t c, size_t *n) {
    jwtmint_verified v;
    return jwtmint_verify(g_verifier, (const uint8_t *)g_token, g_token_len, NULL, NOW, o, c, n, &v);
}
static jwtmint_result w_unescape(uint8_t *o, size_t c, size_t *n) {
    return jwtmint_json_unescape((const uint8_t *)"a\\u00e9\\n", 9, o, c, n);
}
static jwtmint_result w_p12_cert(uint8_t *o, size_t c, size_t *n) {
    static blob p12;
    jwtmint_key *k = NULL;
    jwtmint_result rc;
    if (!p12.data) p12 = read_file("tests/data/keys/rsa2048.aes256.p12");
    if (!o && !c && !n) { /* cleanup call */
        free(p12.data);
        return OK;
    }
    rc = jwtmint_key_new_from_pkcs12(p12.data, p12.len, (const uint8_t *)PASS, strlen(PASS), &k, o, c, n);
    jwtmint_key_free(k);
    return rc;
}
static jwtmint_result w_jwk_kid(uint8_t *o, size_t c, size_t *n) {
    static blob jwk;
    jwtmint_key *k = NULL;
    jwtmint_result rc;
    if (!jwk.data) jwk = read_file("tests/data/keys/rsa2048.jwk.json");
    if (!o && !c && !n) { /* cleanup call */
        free(jwk.data);
        return OK;
    }
    rc = jwtmint_key_new_from_jwk(jwk.data, jwk.len, &k, o, c, n);
    jwtmint_key_free(k);
    return rc;
}

/* The one NULL/capacity rule and the one length meaning, for every writer. */
static void check_writer(const char *name, writer_fn f) {
    size_t need = 12345, got = 12345;
    uint8_t *buf;
    jwtmint_result rc = f(NULL, 5, &need);
    if (rc != R(NULL_ARGUMENT)) fprintf(stderr, "writer %s: NULL with cap 5\n", name);
    CHECK_RC(rc, R(NULL_ARGUMENT));
    CHECK(need == 12345); /* nothing written */
    rc = f(NULL, 0, &need);
    if (rc != R(BUFFER_TOO_SMALL)) fprintf(stderr, "writer %s: preflight\n", name);
    CHECK_RC(rc, R(BUFFER_TOO_SMALL));
    CHECK(need > 0 && need < 4096);
    buf = (uint8_t *)malloc(need);
    CHECK_RC(f(buf, need - 1, &got), R(BUFFER_TOO_SMALL));
    CHECK(got == need);
    got = 0;
    rc = f(buf, need, &got);
    if (rc != OK) fprintf(stderr, "writer %s: exact buffer\n", name);
    CHECK_RC(rc, OK);
    CHECK(got == need); /* success and BUFFER_TOO_SMALL report the same length */
    free(buf);
}

static void test_abi_rules(void) {
    static const struct {
        const char *name;
        writer_fn f;
    } writers[] = {
        {"jwtmint_mint", w_mint},
        {"jwtmint_mint_with_header", w_mint_with_header},
        {"jwtmint_sign_raw", w_sign_raw},
        {"jwtmint_key_sign", w_key_sign},
        {"jwtmint_base64url_encode", w_b64_encode},
        {"jwtmint_base64url_decode", w_b64_decode},
        {"jwtmint_header_encoded", w_header_encoded},
        {"jwtmint_form_grant_body", w_grant_body},
        {"jwtmint_form_client_assertion_body", w_client_body},
        {"jwtmint_profile_mint", w_profile_mint},
        {"jwtmint_profile_token_url", w_profile_url},
        {"jwtmint_profile_token_request_body", w_profile_body},
        {"jwtmint_google_account_client_email", w_client_email},
        {"jwtmint_google_account_token_uri", w_token_uri},
        {"jwtmint_google_account_private_key_id", w_key_id},
        {"jwtmint_result_message", w_message},
        {"jwtmint_verify", w_verify},
        {"jwtmint_json_unescape", w_unescape},
        {"jwtmint_key_new_from_jwk (kid)", w_jwk_kid},
        {"jwtmint_key_new_from_pkcs12 (certificate)", w_p12_cert},
    };
    jwtmint_header_options h = header_options();
    jwtmint_salesforce_options so;
    jwtmint_claims cl = claims();
    blob pub = read_file("examples/keys/demo-key.pub.pem"), sa = read_file("tests/data/demo-service-account.json");
    size_t i, n = 0;
    uint8_t out[2048];
    char msg[512];

    g_key = pem_key("examples/keys/demo-key.pem");
    CHECK_RC(jwtmint_header_new(&h, &g_header), OK);
    memset(&so, 0, sizeof so);
    so.consumer_key = S("3MVG9client");
    so.username = S("user@example.com");
    so.login = JWTMINT_SALESFORCE_PRODUCTION;
    CHECK_RC(jwtmint_salesforce_profile_new(&so, &g_profile), OK);
    CHECK_RC(jwtmint_verifier_new_from_pem(pub.data, pub.len, BOTH, &g_verifier), OK);
    CHECK_RC(jwtmint_google_account_new_from_json(sa.data, sa.len, &g_account), OK);
    CHECK_RC(jwtmint_mint_with_header(g_key, g_header, &cl, (uint8_t *)g_token, sizeof g_token, &g_token_len), OK);

    for (i = 0; i < sizeof writers / sizeof writers[0]; i++) check_writer(writers[i].name, writers[i].f);
    w_jwk_kid(NULL, 0, NULL);
    w_p12_cert(NULL, 0, NULL);

    /* jwtmint_result_message: the length counts the NUL, both ways. */
    CHECK_RC(jwtmint_result_message(R(WRONG_PASSPHRASE), msg, sizeof msg, &n), OK);
    CHECK(n == strlen(msg) + 1 && strstr(msg, "passphrase") != NULL);

    /* Negative `now`: refused by every function that takes one. */
    CHECK_RC(jwtmint_profile_mint(g_profile, g_key, -5, NONE, out, sizeof out, &n), R(NEGATIVE_TIMESTAMP));
    CHECK_RC(jwtmint_profile_mint(g_profile, g_key, -1, NONE, NULL, 0, &n), R(NEGATIVE_TIMESTAMP));
    CHECK_RC(jwtmint_profile_mint(g_profile, g_key, 0, NONE, out, sizeof out, &n), OK);
    {
        jwtmint_verified v;
        size_t need = 0;
        CHECK_RC(jwtmint_verify(g_verifier, (const uint8_t *)g_token, g_token_len, NULL, -1, out, sizeof out, &need, &v),
                 R(NEGATIVE_TIMESTAMP));
    }

    /* Form bodies: only a compact JWS is an assertion. */
    {
        static const char *const bad[] = {"", "a.b", "a.b.c.d", "a..c", "a.b.c\n", "a b.c.d", "{\"a\":1}"};
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            size_t len = strlen(bad[i]);
            CHECK_RC(jwtmint_form_grant_body((const uint8_t *)bad[i], len, NULL, 0, out, sizeof out, &n),
                     R(MALFORMED_TOKEN));
            CHECK_RC(jwtmint_form_client_assertion_body((const uint8_t *)bad[i], len, NULL, 0, out, sizeof out, &n),
                     R(MALFORMED_TOKEN));
            CHECK_RC(jwtmint_profile_token_request_body(g_profile, (const uint8_t *)bad[i], len, out, sizeof out, &n),
                     R(MALFORMED_TOKEN));
        }
    }

    jwtmint_key_free(g_key);
    jwtmint_header_free(g_header);
    jwtmint_profile_free(g_profile);
    jwtmint_verifier_free(g_verifier);
    jwtmint_google_account_free(g_account);
    free(pub.data);
    free(sa.data);
}

/* ---------- the last-error detail (issue 22) ---------- */

/* The calling thread's detail, NUL-terminated, into buf (checks the length rule). */
static const char *detail(char *buf, size_t cap) {
    size_t need = 0, got = 0;
    CHECK_RC(jwtmint_last_error_detail(NULL, 0, &need), R(BUFFER_TOO_SMALL));
    CHECK(need >= 1 && need <= cap);
    CHECK_RC(jwtmint_last_error_detail(buf, cap, &got), OK);
    CHECK(got == need && strlen(buf) == got - 1);
    return buf;
}

static void *other_thread(void *arg) {
    char buf[256];
    size_t need = 0;
    jwtmint_key *k = NULL;
    (void)arg;
    /* A fresh thread has no detail: "" (1 byte with its NUL). */
    CHECK_RC(jwtmint_last_error_detail(buf, sizeof buf, &need), OK);
    CHECK(need == 1 && buf[0] == '\0');
    /* Its own failure is its own. */
    CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)"[1]", 3, &k, NULL, 0, NULL), R(NOT_JSON_OBJECT));
    CHECK(strcmp(detail(buf, sizeof buf), "JWK is not a JSON object") == 0);
    return NULL;
}

static void test_last_error_detail(void) {
    static const char dup[] = "{\"kty\":\"RSA\",\"kty\":\"RSA\"}";
    static const char trailing_comma[] = "{\"kty\":\"RSA\",}";
    static const char no_email[] = "{\"type\":\"service_account\",\"private_key\":\"x\"}";
    blob jwk = read_file("tests/data/keys/rsa2048.jwk.json");
    blob der = read_file("tests/data/keys/rsa2048-jwk.pkcs8.der");
    jwtmint_key *k = NULL;
    jwtmint_google_account *acct = NULL;
    char buf[512], small[4];
    size_t len = 0;
    pthread_t t;

    /* Which member: a private JWK without `dp`. */
    {
        char *j = (char *)malloc(jwk.len + 1);
        char *dp;
        memcpy(j, jwk.data, jwk.len + 1);
        dp = strstr(j, "\"dp\"");
        CHECK(dp != NULL);
        dp[1] = 'x';
        CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)j, jwk.len, &k, NULL, 0, NULL), R(JWK_MEMBER));
        CHECK(strcmp(detail(buf, sizeof buf), "JWK member `dp`: missing") == 0);
        free(j);
    }
    /* Which byte: the repeated `kty` starts at byte 13; the stray `}` is byte 13. */
    CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)dup, sizeof dup - 1, &k, NULL, 0, NULL),
             R(DUPLICATE_MEMBER));
    CHECK(strcmp(detail(buf, sizeof buf), "JWK repeats a member name (at byte 13)") == 0);
    CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)trailing_comma, sizeof trailing_comma - 1, &k, NULL, 0,
                                      NULL),
             R(INVALID_JSON));
    CHECK(strcmp(detail(buf, sizeof buf), "JWK is not valid JSON (at byte 13)") == 0);
    /* Which field of a service-account file. */
    CHECK_RC(jwtmint_google_account_new_from_json((const uint8_t *)no_email, sizeof no_email - 1, &acct),
             R(SERVICE_ACCOUNT_JSON));
    CHECK(strcmp(detail(buf, sizeof buf), "Google service-account JSON: missing or malformed `client_email`") ==
          0);
    /* DER given to the PEM reader: the detail names the function to use. */
    CHECK_RC(jwtmint_key_new_from_pem(der.data, der.len, &k), R(KEY_IS_DER));
    CHECK(strstr(detail(buf, sizeof buf), "jwtmint_key_new_from_der") != NULL);
    /* A failure without a Rust error has its code's message as detail. */
    CHECK_RC(jwtmint_key_new_from_jwk(NULL, 0, &k, NULL, 0, NULL), R(NULL_ARGUMENT));
    {
        char msg[256];
        CHECK_RC(jwtmint_result_message(R(NULL_ARGUMENT), msg, sizeof msg, &len), OK);
        CHECK(strcmp(detail(buf, sizeof buf), msg) == 0);
    }
    /* Successes, message look-ups and the detail's own failures leave it. */
    CHECK_RC(jwtmint_key_new_from_jwk((const uint8_t *)dup, sizeof dup - 1, &k, NULL, 0, NULL),
             R(DUPLICATE_MEMBER));
    CHECK_RC(jwtmint_key_new_from_jwk(jwk.data, jwk.len, &k, NULL, 0, NULL), OK);
    CHECK_RC(jwtmint_result_message(R(DUPLICATE_MEMBER), NULL, 0, &len), R(BUFFER_TOO_SMALL));
    CHECK_RC(jwtmint_last_error_detail(small, sizeof small, &len), R(BUFFER_TOO_SMALL));
    CHECK(len == strlen("JWK repeats a member name (at byte 13)") + 1);
    CHECK_RC(jwtmint_last_error_detail(NULL, 5, &len), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_last_error_detail(buf, sizeof buf, NULL), R(NULL_ARGUMENT));
    CHECK(strcmp(detail(buf, sizeof buf), "JWK repeats a member name (at byte 13)") == 0);
    /* Per thread: another thread starts empty and does not disturb this one. */
    CHECK(pthread_create(&t, NULL, other_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(strcmp(detail(buf, sizeof buf), "JWK repeats a member name (at byte 13)") == 0);
    jwtmint_key_free(k);
    free(jwk.data);
    free(der.data);
}

int main(void) {
    test_encrypted();
    test_jwk();
    test_pkcs12();
    test_abi_rules();
    test_last_error_detail();
    printf("test_key_formats: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
