/*
 * C tests of the jwtmint C ABI (include/jwtmint.h), linked against the
 * staticlib built with feature `ffi-testing` (adds jwtmint_testing_panic).
 * Run from the repository root by tests/c/run.sh, natively, under valgrind
 * and with -fsanitize=address,undefined.
 *
 * Environment:
 *   JWTMINT_VECTORS        vectors dir (default tests/data/vectors)
 *   JWTMINT_TEST_THREADS   threads in the shared-key test (default 4)
 *   JWTMINT_TEST_ITERS     assertions per thread (default 1000)
 *   JWTMINT_TEST_TOKENS    if set, every thread-test token is written there,
 *                          one per line, for tests/c/verify_tokens.py
 *
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
#include "check.h"

#ifdef JWTMINT_TESTING
/* Test-only export (feature ffi-testing), deliberately not in the header. */
jwtmint_result jwtmint_testing_panic(void);
#endif

/* ---------- helpers ---------- */

static jwtmint_key *load_key(const char *path) {
    blob b = read_file(path);
    jwtmint_key *k = NULL;
    CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &k), OK);
    free(b.data);
    return k;
}

/* Decodes Base64Url segment `seg` of a compact JWT (0 = header, 1 = payload). */
static size_t jwt_segment(const uint8_t *jwt, size_t len, int seg, uint8_t *out, size_t cap) {
    size_t start = 0, i, n = 0;
    int k = 0;
    for (i = 0; i <= len; i++) {
        if (i == len || jwt[i] == '.') {
            if (k == seg) {
                if (jwtmint_base64url_decode(jwt + start, i - start, out, cap, &n) != OK) return 0;
                return n;
            }
            k++;
            start = i + 1;
        }
    }
    return 0;
}

static jwtmint_claims salesforce_claims(int64_t exp) {
    jwtmint_claims c;
    memset(&c, 0, sizeof c);
    c.iss = S("3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h");
    c.sub = S("integration.user@example.com");
    c.aud = S("https://login.salesforce.com");
    c.has_exp = true;
    c.exp = exp;
    return c;
}

static const char *DEMO_KEY = "examples/keys/demo-key.pem";

/* ---------- results and messages ---------- */

static void test_results(void) {
    int32_t code;
    char small[4];
    char buf[256];
    size_t len = 12345;

    CHECK(strcmp(jwtmint_version(), "0.1.0") == 0);
    CHECK(strcmp(jwtmint_result_name(JWTMINT_RESULT_OK), "JWTMINT_RESULT_OK") == 0);
    CHECK(strcmp(jwtmint_result_name(JWTMINT_RESULT_KEY_TOO_SMALL), "JWTMINT_RESULT_KEY_TOO_SMALL") == 0);
    CHECK(strcmp(jwtmint_result_name(-1), "JWTMINT_RESULT_<unknown>") == 0);
    CHECK(strcmp(jwtmint_result_name(JWTMINT_RESULT_KEY_IS_DER + 1), "JWTMINT_RESULT_<unknown>") == 0);

    /* Every code has a distinct name and a message; negotiation works. */
    for (code = JWTMINT_RESULT_OK; code <= JWTMINT_RESULT_SERVICE_ACCOUNT_JSON; code++) {
        size_t need = 0, got = 0;
        CHECK(strncmp(jwtmint_result_name(code), "JWTMINT_RESULT_", 15) == 0);
        if (code > 0) CHECK(strcmp(jwtmint_result_name(code), jwtmint_result_name(code - 1)) != 0);
        CHECK_RC(jwtmint_result_message(code, NULL, 0, &need), JWTMINT_RESULT_BUFFER_TOO_SMALL);
        CHECK(need > 1 && need <= sizeof buf);
        CHECK_RC(jwtmint_result_message(code, small, sizeof small, &got), JWTMINT_RESULT_BUFFER_TOO_SMALL);
        CHECK(got == need);
        memset(buf, 'x', sizeof buf);
        CHECK_RC(jwtmint_result_message(code, buf, need, &got), OK);
        CHECK(got == need && strlen(buf) == got - 1); /* the length counts the NUL, both ways */
    }
    CHECK_RC(jwtmint_result_message(JWTMINT_RESULT_KEY_TOO_SMALL, buf, sizeof buf, &len), OK);
    CHECK(strstr(buf, "2048") != NULL);
    CHECK_RC(jwtmint_result_message(-1, buf, sizeof buf, &len), JWTMINT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(jwtmint_result_message(JWTMINT_RESULT_KEY_IS_DER + 1, buf, sizeof buf, &len),
             JWTMINT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(jwtmint_result_message(0, buf, sizeof buf, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_result_message(0, NULL, 10, &len), JWTMINT_RESULT_NULL_ARGUMENT);

#ifdef JWTMINT_TESTING
    /* A Rust panic is caught at the boundary (its message on stderr is expected). */
    fprintf(stderr, "(expected: a deliberate panic message from jwtmint_testing_panic follows)\n");
    CHECK_RC(jwtmint_testing_panic(), JWTMINT_RESULT_INTERNAL_PANIC);
#endif
}

/* ---------- keys ---------- */

static void expect_pem(const char *path, jwtmint_result want) {
    blob b = read_file(path);
    jwtmint_key *k = (jwtmint_key *)&k; /* sentinel: must stay untouched on failure */
    jwtmint_key *sentinel = k;
    CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &k), want);
    if (want == OK) {
        CHECK(k != sentinel);
        jwtmint_key_free(k);
    } else {
        CHECK(k == sentinel);
    }
    free(b.data);
}

static void expect_der(const uint8_t *der, size_t len, jwtmint_result want) {
    jwtmint_key *k = NULL;
    CHECK_RC(jwtmint_key_new_from_der(der, len, &k), want);
    CHECK((want == OK) == (k != NULL));
    jwtmint_key_free(k);
}

static void test_keys(void) {
    jwtmint_key *k = NULL;
    size_t bits = 0, sl = 0;
    blob b;
    char path[1024];
    static const char bad_utf8[] = "-----BEGIN PRIVATE KEY-----\n\xff\xfe\n-----END PRIVATE KEY-----\n";
    static const char garbage[] = "-----BEGIN PRIVATE KEY-----\nnot base64 !!\n-----END PRIVATE KEY-----\n";
    uint8_t big[1200];
    size_t n = 0, i;

    k = load_key(DEMO_KEY);
    CHECK_RC(jwtmint_key_bits(k, &bits), OK);
    CHECK(bits == 2048);
    CHECK_RC(jwtmint_key_signature_len(k, &sl), OK);
    CHECK(sl == 256);
    CHECK_RC(jwtmint_key_bits(NULL, &bits), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_bits(k, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_signature_len(NULL, &sl), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_signature_len(k, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    jwtmint_key_free(k);
    jwtmint_key_free(NULL); /* NULL-safe */

    expect_pem("tests/data/demo-pkcs1.pem", OK);
    expect_pem("tests/data/rsa3072.pem", OK);
    expect_pem("tests/data/demo-encrypted.pem", JWTMINT_RESULT_ENCRYPTED_KEY);
    expect_pem("tests/data/ec-p256.pem", OK);
    expect_pem("tests/data/ed448.pem", JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE);
    expect_pem("tests/data/rsa1024.pem", JWTMINT_RESULT_KEY_TOO_SMALL);
    snprintf(path, sizeof path, "%s/rfc7515_a2/public.pem", vectors_dir());
    expect_pem(path, JWTMINT_RESULT_UNSUPPORTED_PEM_LABEL);

    CHECK_RC(jwtmint_key_new_from_pem((const uint8_t *)bad_utf8, sizeof bad_utf8 - 1, &k),
             JWTMINT_RESULT_INVALID_UTF8);
    CHECK_RC(jwtmint_key_new_from_pem((const uint8_t *)garbage, sizeof garbage - 1, &k),
             JWTMINT_RESULT_KEY_MALFORMED);
    CHECK_RC(jwtmint_key_new_from_pem(NULL, 10, &k), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_new_from_pem((const uint8_t *)garbage, sizeof garbage - 1, NULL),
             JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_new_from_der(NULL, 10, &k), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_new_from_der(big, 0, NULL), JWTMINT_RESULT_NULL_ARGUMENT);

    b = read_file("tests/data/demo-pkcs8.der");
    expect_der(b.data, b.len, OK);
    expect_der(b.data, b.len / 2, JWTMINT_RESULT_KEY_MALFORMED);
    free(b.data);
    b = read_file("tests/data/demo-pkcs1.der");
    expect_der(b.data, b.len, OK);
    free(b.data);
    b = read_file("tests/data/demo-encrypted.der");
    expect_der(b.data, b.len, JWTMINT_RESULT_ENCRYPTED_KEY);
    free(b.data);
    expect_der((const uint8_t *)"\x04\x01\x00", 3, JWTMINT_RESULT_KEY_MALFORMED);

    /* A PKCS#1 structure with an 8200-bit modulus: refused before any math. */
    big[n++] = 0x30; big[n++] = 0x82; big[n++] = 0x04; big[n++] = 0x1e;
    big[n++] = 0x02; big[n++] = 0x01; big[n++] = 0x00;                      /* version */
    big[n++] = 0x02; big[n++] = 0x82; big[n++] = 0x04; big[n++] = 0x02;    /* modulus */
    big[n++] = 0x00; big[n++] = 0x80;
    for (i = 0; i < 1024; i++) big[n++] = 0x01;
    for (i = 0; i < 7; i++) { big[n++] = 0x02; big[n++] = 0x01; big[n++] = 0x03; }
    CHECK(n == 4 + 0x41e);
    expect_der(big, n, JWTMINT_RESULT_KEY_TOO_LARGE);
}

/* ---------- header templates ---------- */

static void test_header(void) {
    jwtmint_header_options o;
    jwtmint_header *h = NULL;
    uint8_t buf[600];
    char kid[700];
    size_t n = 0;
    static const char want_default[] = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";
    static const char want_kid[] = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIn0"; /* {"alg":"RS256","kid":"key-1"} */

    memset(&o, 0, sizeof o);
    CHECK_RC(jwtmint_header_new(&o, &h), OK);
    CHECK_RC(jwtmint_header_encoded(h, NULL, 0, &n), JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == strlen(want_default));
    CHECK_RC(jwtmint_header_encoded(h, buf, n, &n), OK);
    CHECK(n == strlen(want_default) && memcmp(buf, want_default, n) == 0);
    CHECK_RC(jwtmint_header_encoded(NULL, buf, sizeof buf, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_header_encoded(h, buf, sizeof buf, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    jwtmint_header_free(h);
    jwtmint_header_free(NULL);

    o.omit_typ = true;
    o.kid = S("key-1");
    CHECK_RC(jwtmint_header_new(&o, &h), OK);
    CHECK_RC(jwtmint_header_encoded(h, buf, sizeof buf, &n), OK);
    CHECK(n == strlen(want_kid) && memcmp(buf, want_kid, n) == 0);
    jwtmint_header_free(h);

    o.typ = S("JWT");
    CHECK_RC(jwtmint_header_new(&o, &h), JWTMINT_RESULT_INVALID_ARGUMENT); /* typ + omit_typ */
    o.omit_typ = false;
    o.alg = 99;
    CHECK_RC(jwtmint_header_new(&o, &h), JWTMINT_RESULT_INVALID_ARGUMENT);
    o.alg = JWTMINT_ALG_PS256;
    o.x5t = S("\xc3\x28");
    CHECK_RC(jwtmint_header_new(&o, &h), JWTMINT_RESULT_INVALID_UTF8);
    o.x5t = NONE;
    memset(kid, 'k', sizeof kid - 1);
    kid[sizeof kid - 1] = 0;
    o.kid = S(kid);
    CHECK_RC(jwtmint_header_new(&o, &h), JWTMINT_RESULT_HEADER_TOO_LARGE);
    CHECK_RC(jwtmint_header_new(NULL, &h), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_header_new(&o, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
}

/* ---------- minting ---------- */

static void test_mint(void) {
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_header_options o;
    jwtmint_header *h = NULL, *hps = NULL;
    jwtmint_claims c = salesforce_claims(1700000180);
    uint8_t out[2048], out2[2048], json[1024];
    size_t n = 0, need = 0, len = 0, jl;
    size_t sentinel = 777;
    static const char want_json[] =
        "{\"iss\":\"3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h\","
        "\"sub\":\"integration.user@example.com\",\"aud\":\"https://login.salesforce.com\",\"exp\":1700000180}";
    jwtmint_str auds[2];
    jwtmint_extra_claim extra[4];

    memset(&o, 0, sizeof o);
    CHECK_RC(jwtmint_header_new(&o, &h), OK);
    o.alg = JWTMINT_ALG_PS256;
    CHECK_RC(jwtmint_header_new(&o, &hps), OK);
    o.alg = JWTMINT_ALG_RS256;

    /* Preflight length, then negotiation: too small -> required length -> retry. */
    CHECK_RC(jwtmint_mint_len(h, &c, 256, &len), OK);
    CHECK_RC(jwtmint_mint_with_header(k, h, &c, NULL, 0, &need), JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(need == len);
    memset(out, 0xAA, sizeof out);
    CHECK_RC(jwtmint_mint_with_header(k, h, &c, out, need - 1, &n), JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == need);
    CHECK(out[0] == 0xAA && out[need - 2] == 0xAA); /* untouched */
    CHECK_RC(jwtmint_mint_with_header(k, h, &c, out, need, &n), OK);
    CHECK(n == need);
    /* RS256 is deterministic: the options path gives the same bytes. */
    CHECK_RC(jwtmint_mint(k, &o, &c, out2, sizeof out2, &len), OK);
    CHECK(len == n && memcmp(out, out2, n) == 0);
    jl = jwt_segment(out, n, 1, json, sizeof json);
    CHECK(jl == strlen(want_json) && memcmp(json, want_json, jl) == 0);
    jl = jwt_segment(out, n, 0, json, sizeof json);
    CHECK(jl == strlen("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"));

    /* PS256 (randomised): right length, different bytes each time. */
    CHECK_RC(jwtmint_mint_with_header(k, hps, &c, out, sizeof out, &n), OK);
    CHECK_RC(jwtmint_mint_with_header(k, hps, &c, out2, sizeof out2, &len), OK);
    CHECK(n == len && n == need && memcmp(out, out2, n) != 0);

    /* aud list, every extra-claim kind, all registered claims. */
    auds[0] = S("https://a.example");
    auds[1] = S("https://b.example");
    memset(extra, 0, sizeof extra);
    extra[0].name = S("tenant"); extra[0].kind = JWTMINT_CLAIM_STRING; extra[0].string_value = S("ac\"me");
    extra[1].name = S("n"); extra[1].kind = JWTMINT_CLAIM_INT; extra[1].int_value = -42;
    extra[2].name = S("admin"); extra[2].kind = JWTMINT_CLAIM_BOOL; extra[2].bool_value = true;
    extra[3].name = S("cnf"); extra[3].kind = JWTMINT_CLAIM_RAW_JSON; extra[3].string_value = S(" {\"x\":[1,2]} ");
    memset(&c, 0, sizeof c);
    c.iss = S("client");
    c.aud_list = auds;
    c.aud_count = 2;
    c.has_iat = true; c.iat = 1700000000;
    c.has_nbf = true; c.nbf = 1700000000;
    c.has_exp = true; c.exp = 1700000300;
    c.jti = S("id-1");
    c.scope = S("a b");
    c.extra = extra;
    c.extra_count = 4;
    CHECK_RC(jwtmint_mint_with_header(k, h, &c, out, sizeof out, &n), OK);
    jl = jwt_segment(out, n, 1, json, sizeof json);
    {
        static const char want[] =
            "{\"iss\":\"client\",\"aud\":[\"https://a.example\",\"https://b.example\"],\"exp\":1700000300,"
            "\"nbf\":1700000000,\"iat\":1700000000,\"jti\":\"id-1\",\"scope\":\"a b\",\"tenant\":\"ac\\\"me\","
            "\"n\":-42,\"admin\":true,\"cnf\":{\"x\":[1,2]}}";
        CHECK(jl == strlen(want) && memcmp(json, want, jl) == 0);
        if (jl != strlen(want) || memcmp(json, want, jl) != 0) fprintf(stderr, "got %.*s\n", (int)jl, json);
    }

    /* Claim errors: out_len and out untouched. */
    memset(out, 0xAA, sizeof out);
#define MINT_ERR(want)                                                             \
    do {                                                                           \
        sentinel = 777;                                                            \
        CHECK_RC(jwtmint_mint_with_header(k, h, &c, out, sizeof out, &sentinel), want); \
        CHECK(sentinel == 777 && out[0] == 0xAA);                                  \
    } while (0)
    c.extra_count = 5 - 1;
    extra[3].string_value = S("{\"x\":}");
    MINT_ERR(JWTMINT_RESULT_INVALID_RAW_JSON);
    extra[3].string_value = S("1");
    extra[3].name = S("iss");
    MINT_ERR(JWTMINT_RESULT_DUPLICATE_CLAIM);
    extra[3].name = S("tenant");
    MINT_ERR(JWTMINT_RESULT_DUPLICATE_CLAIM);
    extra[3].name = S("cnf");
    extra[3].kind = 9;
    MINT_ERR(JWTMINT_RESULT_INVALID_ARGUMENT);
    extra[3].kind = JWTMINT_CLAIM_RAW_JSON;
    extra[3].name = NONE;
    MINT_ERR(JWTMINT_RESULT_NULL_ARGUMENT);
    extra[3].name = S("cnf");
    extra[0].string_value = NONE;
    MINT_ERR(JWTMINT_RESULT_NULL_ARGUMENT);
    extra[0].string_value = S("acme");
    c.extra = NULL;
    MINT_ERR(JWTMINT_RESULT_NULL_ARGUMENT);
    c.extra = extra;
    c.aud_count = 0;
    MINT_ERR(JWTMINT_RESULT_EMPTY_AUDIENCE);
    c.aud_count = 2;
    c.aud = S("https://c.example");
    MINT_ERR(JWTMINT_RESULT_INVALID_ARGUMENT); /* aud and aud_list */
    c.aud = NONE;
    auds[1] = NONE;
    MINT_ERR(JWTMINT_RESULT_NULL_ARGUMENT);
    auds[1] = S("\xe2\x82");
    MINT_ERR(JWTMINT_RESULT_INVALID_UTF8);
    auds[1] = S("https://b.example");
    c.sub = S("bad \xff utf8");
    MINT_ERR(JWTMINT_RESULT_INVALID_UTF8);
    c.sub = NONE;
    c.exp = 1700000300000LL;
    MINT_ERR(JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS);
    c.exp = -5;
    MINT_ERR(JWTMINT_RESULT_NEGATIVE_TIMESTAMP);
    c.exp = 1700000000; /* == iat */
    MINT_ERR(JWTMINT_RESULT_EXPIRY_NOT_AFTER_ISSUED_AT);
    c.exp = 1700000300;
    CHECK_RC(jwtmint_mint_len(h, &c, 256, &len), OK);
    c.nbf = -1;
    CHECK_RC(jwtmint_mint_len(h, &c, 256, &len), JWTMINT_RESULT_NEGATIVE_TIMESTAMP);
    c.nbf = 1700000000;
#undef MINT_ERR

    /* NULL arguments. */
    CHECK_RC(jwtmint_mint_with_header(NULL, h, &c, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_with_header(k, NULL, &c, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_with_header(k, h, NULL, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_with_header(k, h, &c, NULL, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_with_header(k, h, &c, out, sizeof out, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint(NULL, &o, &c, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint(k, NULL, &c, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint(k, &o, NULL, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint(k, &o, &c, out, sizeof out, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_len(NULL, &c, 256, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_len(h, NULL, 256, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_len(h, &c, 256, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    o.alg = 99;
    CHECK_RC(jwtmint_mint(k, &o, &c, out, sizeof out, &n), JWTMINT_RESULT_INVALID_ARGUMENT);

    jwtmint_header_free(h);
    jwtmint_header_free(hps);
    jwtmint_key_free(k);
}

/* ---------- raw JWS (RFC 7515 A.2), raw signatures, Base64Url, forms, clock ---------- */

static void test_raw(void) {
    blob pem = read_vector("rfc7515_a2/key.pem");
    blob hdr = read_vector("rfc7515_a2/protected_header.bin");
    blob pl = read_vector("rfc7515_a2/payload.bin");
    blob want = read_vector("rfc7515_a2/expected.jws");
    blob input = read_vector("rfc7515_a2/signing_input.txt");
    blob sig = read_vector("rfc7515_a2/signature.bin");
    jwtmint_key *k = NULL;
    uint8_t out[2048];
    size_t n = 0, need = 0, len = 0;

    while (want.len && (want.data[want.len - 1] == '\n' || want.data[want.len - 1] == '\r')) want.len--;
    CHECK_RC(jwtmint_key_new_from_pem(pem.data, pem.len, &k), OK);
    CHECK_RC(jwtmint_sign_raw_len(hdr.len, pl.len, 256, &len), OK);
    CHECK(len == want.len);
    CHECK_RC(jwtmint_sign_raw(k, JWTMINT_ALG_RS256, hdr.data, hdr.len, pl.data, pl.len, NULL, 0, &need),
             JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(need == want.len);
    CHECK_RC(jwtmint_sign_raw(k, JWTMINT_ALG_RS256, hdr.data, hdr.len, pl.data, pl.len, out, need, &n), OK);
    CHECK(n == want.len && memcmp(out, want.data, n) == 0); /* byte-exact */
    CHECK_RC(jwtmint_sign_raw(k, 99, hdr.data, hdr.len, pl.data, pl.len, out, sizeof out, &n),
             JWTMINT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(jwtmint_sign_raw(NULL, 0, hdr.data, hdr.len, pl.data, pl.len, out, sizeof out, &n),
             JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_sign_raw(k, 0, NULL, 3, pl.data, pl.len, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_sign_raw(k, 0, hdr.data, hdr.len, pl.data, pl.len, out, sizeof out, NULL),
             JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_sign_raw(k, 0, NULL, 0, NULL, 0, out, sizeof out, &n), OK); /* empty header/payload */
    CHECK(n == 2 + 342);
    CHECK_RC(jwtmint_sign_raw_len((size_t)-1, 1, 256, &len), JWTMINT_RESULT_LENGTH_OVERFLOW);
    CHECK_RC(jwtmint_sign_raw_len(1, 1, 256, NULL), JWTMINT_RESULT_NULL_ARGUMENT);

    /* The raw signature over the signing input is the RFC's. */
    CHECK_RC(jwtmint_key_sign(k, JWTMINT_ALG_RS256, input.data, input.len, out, 10, &need),
             JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(need == 256);
    CHECK_RC(jwtmint_key_sign(k, JWTMINT_ALG_RS256, input.data, input.len, out, sizeof out, &n), OK);
    CHECK(n == sig.len && memcmp(out, sig.data, n) == 0);
    CHECK_RC(jwtmint_key_sign(k, JWTMINT_ALG_PS256, input.data, input.len, out, sizeof out, &n), OK);
    CHECK(n == 256);
    CHECK_RC(jwtmint_key_sign(k, 99, input.data, input.len, out, sizeof out, &n), JWTMINT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(jwtmint_key_sign(NULL, 0, input.data, input.len, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_sign(k, 0, input.data, input.len, NULL, 256, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_key_sign(k, 0, input.data, input.len, out, sizeof out, NULL), JWTMINT_RESULT_NULL_ARGUMENT);

    jwtmint_key_free(k);
    free(pem.data); free(hdr.data); free(pl.data); free(want.data); free(input.data); free(sig.data);
}

static void test_base64_form_now(void) {
    uint8_t out[512];
    size_t n = 0;
    int64_t now = 0;
    jwtmint_form_param p[2];
    static const char jwt[] = "aaa.bbb.ccc";
    static const char want_grant[] =
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=aaa.bbb.ccc&scope=api+refresh";
    static const char want_client[] =
        "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        "&client_assertion=aaa.bbb.ccc&grant_type=client_credentials&client_id=c%2F1";

    CHECK_RC(jwtmint_base64url_encode((const uint8_t *)"hi?>", 4, NULL, 0, &n), JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == 6);
    CHECK_RC(jwtmint_base64url_encode((const uint8_t *)"hi?>", 4, out, n, &n), OK);
    CHECK(n == 6 && memcmp(out, "aGk_Pg", 6) == 0);
    CHECK_RC(jwtmint_base64url_decode((const uint8_t *)"aGk_Pg", 6, out, 2, &n), JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == 4);
    CHECK_RC(jwtmint_base64url_decode((const uint8_t *)"aGk_Pg", 6, out, n, &n), OK);
    CHECK(n == 4 && memcmp(out, "hi?>", 4) == 0);
    CHECK_RC(jwtmint_base64url_decode((const uint8_t *)"aGk/Pg==", 8, out, sizeof out, &n),
             JWTMINT_RESULT_INVALID_BASE64);
    CHECK_RC(jwtmint_base64url_encode(NULL, 4, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_base64url_decode((const uint8_t *)"aa", 2, out, sizeof out, NULL), JWTMINT_RESULT_NULL_ARGUMENT);

    p[0].name = S("scope");
    p[0].value = S("api refresh");
    CHECK_RC(jwtmint_form_grant_body((const uint8_t *)jwt, strlen(jwt), p, 1, NULL, 0, &n),
             JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == strlen(want_grant));
    memset(out, 0xAA, sizeof out);
    CHECK_RC(jwtmint_form_grant_body((const uint8_t *)jwt, strlen(jwt), p, 1, out, n - 1, &n),
             JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(out[0] == 0xAA);
    CHECK_RC(jwtmint_form_grant_body((const uint8_t *)jwt, strlen(jwt), p, 1, out, n, &n), OK);
    CHECK(n == strlen(want_grant) && memcmp(out, want_grant, n) == 0);
    p[0].name = S("grant_type");
    p[0].value = S("client_credentials");
    p[1].name = S("client_id");
    p[1].value = S("c/1");
    CHECK_RC(jwtmint_form_client_assertion_body((const uint8_t *)jwt, strlen(jwt), p, 2, out, sizeof out, &n), OK);
    CHECK(n == strlen(want_client) && memcmp(out, want_client, n) == 0);
    CHECK_RC(jwtmint_form_client_assertion_body((const uint8_t *)"\xff", 1, p, 2, out, sizeof out, &n),
             JWTMINT_RESULT_INVALID_UTF8);
    p[1].value = NONE;
    CHECK_RC(jwtmint_form_client_assertion_body((const uint8_t *)jwt, strlen(jwt), p, 2, out, sizeof out, &n),
             JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_form_grant_body((const uint8_t *)jwt, strlen(jwt), NULL, 1, out, sizeof out, &n),
             JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_form_grant_body(NULL, 3, NULL, 0, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_form_grant_body((const uint8_t *)jwt, strlen(jwt), NULL, 0, out, sizeof out, NULL),
             JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_form_grant_body((const uint8_t *)jwt, strlen(jwt), NULL, 0, out, sizeof out, &n), OK);

    CHECK_RC(jwtmint_now(&now), OK);
    CHECK(now > 1600000000 && now < 100000000000LL);
    CHECK_RC(jwtmint_now(NULL), JWTMINT_RESULT_NULL_ARGUMENT);
}

/* ---------- signer callback ---------- */

typedef struct {
    const jwtmint_key *key;
    uint32_t alg;
    int calls;
    int mode; /* 0 sign, 1 fail, 2 short signature */
} cb_ctx;

static int sign_cb(void *vctx, const uint8_t *input, size_t len, uint8_t *sig, size_t cap, size_t *sig_len) {
    cb_ctx *ctx = (cb_ctx *)vctx;
    ctx->calls++;
    if (ctx->mode == 1) return -1;
    /* Sign the signing input with a second key handle, via jwtmint itself. */
    if (jwtmint_key_sign(ctx->key, ctx->alg, input, len, sig, cap, sig_len) != JWTMINT_RESULT_OK) return 1;
    if (ctx->mode == 2) *sig_len -= 1;
    return 0;
}

static void test_callback(void) {
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_key *k2 = load_key(DEMO_KEY); /* the "HSM" key: same key, separate handle */
    jwtmint_header_options o;
    jwtmint_header *h = NULL;
    jwtmint_claims c = salesforce_claims(1700000180);
    cb_ctx ctx;
    jwtmint_signer s;
    uint8_t direct[1024], out[1024];
    size_t dn = 0, n = 0;

    memset(&o, 0, sizeof o);
    o.kid = S("hsm-key-1");
    CHECK_RC(jwtmint_header_new(&o, &h), OK);
    CHECK_RC(jwtmint_mint_with_header(k, h, &c, direct, sizeof direct, &dn), OK);

    memset(&ctx, 0, sizeof ctx);
    ctx.key = k2;
    ctx.alg = JWTMINT_ALG_RS256;
    s.sign = sign_cb;
    s.ctx = &ctx;
    s.alg = JWTMINT_ALG_RS256;
    s.signature_len = 256;

    /* Too small: reported before the callback runs. */
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, NULL, 0, &n), JWTMINT_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == dn && ctx.calls == 0);
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, n, &n), OK);
    CHECK(ctx.calls == 1);
    CHECK(n == dn && memcmp(out, direct, n) == 0); /* byte-identical to the in-library key */

    ctx.mode = 1;
    n = 777;
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), JWTMINT_RESULT_CALLBACK_FAILED);
    CHECK(n == 777 && out[0] == 0 && out[dn - 1] == 0); /* cleared, no partial token */
    ctx.mode = 2;
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), JWTMINT_RESULT_SIGNATURE_LENGTH);
    ctx.mode = 0;
    s.signature_len = 0;
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), JWTMINT_RESULT_SIGNATURE_LENGTH);
    s.signature_len = 2000;
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), JWTMINT_RESULT_SIGNATURE_LENGTH);
    s.signature_len = 255; /* callback writes 256 into a 255-byte slot: refused by jwtmint_key_sign */
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), JWTMINT_RESULT_CALLBACK_FAILED);
    s.signature_len = 256;
    s.alg = JWTMINT_ALG_PS256;
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), JWTMINT_RESULT_ALGORITHM_MISMATCH);
    s.alg = 99;
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), JWTMINT_RESULT_INVALID_ARGUMENT);
    s.alg = JWTMINT_ALG_RS256;
    s.sign = NULL;
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    s.sign = sign_cb;
    CHECK_RC(jwtmint_mint_with_signer(NULL, h, &c, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_with_signer(&s, NULL, &c, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_with_signer(&s, h, NULL, out, sizeof out, &n), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, NULL), JWTMINT_RESULT_NULL_ARGUMENT);

    /* PS256 through the callback. */
    o.alg = JWTMINT_ALG_PS256;
    jwtmint_header_free(h);
    CHECK_RC(jwtmint_header_new(&o, &h), OK);
    s.alg = JWTMINT_ALG_PS256;
    ctx.alg = JWTMINT_ALG_PS256;
    CHECK_RC(jwtmint_mint_with_signer(&s, h, &c, out, sizeof out, &n), OK);

    jwtmint_header_free(h);
    jwtmint_key_free(k);
    jwtmint_key_free(k2);
}

/* ---------- one shared key, many threads ---------- */

#define TOKEN_CAP 1024

typedef struct {
    const jwtmint_key *key;
    const jwtmint_header *header;
    int tid;
    size_t iters;
    int64_t now;
    const uint8_t *reference; /* single-thread RS256 token of fixed claims */
    size_t reference_len;
    char *tokens; /* iters * TOKEN_CAP */
    size_t *lens;
    int errors;
} thread_arg;

static void *mint_thread(void *p) {
    thread_arg *a = (thread_arg *)p;
    size_t i, n;
    char jti[64];
    uint8_t fixed[TOKEN_CAP];
    for (i = 0; i < a->iters; i++) {
        jwtmint_claims c = salesforce_claims(a->now + 600);
        c.has_iat = true;
        c.iat = a->now;
        snprintf(jti, sizeof jti, "t%d-%lu", a->tid, (unsigned long)i);
        c.jti = S(jti);
        if (jwtmint_mint_with_header(a->key, a->header, &c, (uint8_t *)a->tokens + i * TOKEN_CAP, TOKEN_CAP,
                                     &a->lens[i]) != JWTMINT_RESULT_OK)
            a->errors++;
        if (i % 100 == 0) {
            c = salesforce_claims(1700000180);
            if (jwtmint_mint_with_header(a->key, a->header, &c, fixed, sizeof fixed, &n) != JWTMINT_RESULT_OK ||
                n != a->reference_len || memcmp(fixed, a->reference, n) != 0)
                a->errors++;
        }
    }
    return NULL;
}

static void test_threads(void) {
    size_t nthreads = env_size("JWTMINT_TEST_THREADS", 4);
    size_t iters = env_size("JWTMINT_TEST_ITERS", 1000);
    const char *tokens_path = getenv("JWTMINT_TEST_TOKENS");
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_header_options o;
    jwtmint_header *h = NULL;
    jwtmint_claims c = salesforce_claims(1700000180);
    uint8_t reference[TOKEN_CAP];
    size_t ref_len = 0, t, i, total_errors = 0;
    pthread_t *threads = (pthread_t *)calloc(nthreads, sizeof *threads);
    thread_arg *args = (thread_arg *)calloc(nthreads, sizeof *args);
    int64_t now = 0;
    FILE *f = NULL;

    memset(&o, 0, sizeof o);
    CHECK_RC(jwtmint_header_new(&o, &h), OK);
    CHECK_RC(jwtmint_mint_with_header(k, h, &c, reference, sizeof reference, &ref_len), OK);
    CHECK_RC(jwtmint_now(&now), OK);
    for (t = 0; t < nthreads; t++) {
        args[t].key = k;
        args[t].header = h;
        args[t].tid = (int)t;
        args[t].iters = iters;
        args[t].now = now;
        args[t].reference = reference;
        args[t].reference_len = ref_len;
        args[t].tokens = (char *)malloc(iters * TOKEN_CAP);
        args[t].lens = (size_t *)calloc(iters, sizeof(size_t));
        CHECK(pthread_create(&threads[t], NULL, mint_thread, &args[t]) == 0);
    }
    if (tokens_path) f = fopen(tokens_path, "w");
    for (t = 0; t < nthreads; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0);
        total_errors += (size_t)args[t].errors;
        for (i = 0; i < iters; i++) {
            if (f) fprintf(f, "%.*s\n", (int)args[t].lens[i], args[t].tokens + i * TOKEN_CAP);
        }
        free(args[t].tokens);
        free(args[t].lens);
    }
    if (f) fclose(f);
    CHECK(total_errors == 0);
    printf("threads: %lu x %lu assertions with one shared key, %lu errors\n", (unsigned long)nthreads,
           (unsigned long)iters, (unsigned long)total_errors);
    free(threads);
    free(args);
    jwtmint_header_free(h);
    jwtmint_key_free(k);
}

int main(void) {
    test_results();
    test_keys();
    test_header();
    test_mint();
    test_raw();
    test_base64_form_now();
    test_callback();
    test_threads();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
