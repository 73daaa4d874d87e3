/*
 * C tests of the reverse path of the jwtmint C ABI (include/jwtmint.h):
 * public keys and verification (jwtmint_verifier, jwtmint_verify, claim
 * lookup, jwtmint_json_unescape) and token-endpoint responses (tokens are
 * kept by the session, test_session.c / test_sessions.c). Run from the repository root by tests/c/run.sh, natively, under
 * valgrind and with -fsanitize=address,undefined; also compiled as C++11.
 *
 * Environment:
 *   JWTMINT_VECTORS        vectors dir (default tests/data/vectors)
 *   JWTMINT_TEST_ITERS     verifications per thread (default 200)
 *
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
#include "check.h"

#define R(name) JWTMINT_RESULT_##name
#define BOTH ((uint32_t)JWTMINT_ALLOW_RS256 | (uint32_t)JWTMINT_ALLOW_PS256)

/* A2_EXP - 1: before the RFC 7515 A.2 token expires. */
#define A2_EXP 1300819380
#define NOW 1700000000

/* ---------- helpers ---------- */

/* Whether view `v` holds exactly the text `s`. */
static int eq(jwtmint_str v, const char *s) {
    return v.ptr != NULL && v.len == strlen(s) && memcmp(v.ptr, s, v.len) == 0;
}

static jwtmint_verifier *load_verifier(const char *path, int vector, uint32_t allowed) {
    blob b = vector ? read_vector(path) : read_file(path);
    jwtmint_verifier *v = NULL;
    CHECK_RC(jwtmint_verifier_new_from_pem(b.data, b.len, allowed, &v), OK);
    free(b.data);
    return v;
}

static jwtmint_validation zero_policy(void) {
    jwtmint_validation p;
    memset(&p, 0, sizeof p);
    return p;
}

/* Verifies with a right-sized heap buffer (so ASan/valgrind see overruns). */
static jwtmint_result verify_blob(const jwtmint_verifier *v, const uint8_t *tok, size_t len,
                                  const jwtmint_validation *p, int64_t now, jwtmint_verified *out,
                                  uint8_t **buf_out) {
    size_t need = 0, got = 0;
    jwtmint_result rc = jwtmint_verify(v, tok, len, p, now, NULL, 0, &need, out);
    uint8_t *buf;
    if (rc != R(BUFFER_TOO_SMALL)) {
        if (buf_out) *buf_out = NULL;
        return rc;
    }
    buf = (uint8_t *)malloc(need ? need : 1);
    rc = jwtmint_verify(v, tok, len, p, now, buf, need, &got, out);
    if (rc == OK) CHECK(got == need);
    if (buf_out) {
        *buf_out = buf;
    } else {
        free(buf);
    }
    return rc;
}

static const char *DEMO_KEY = "examples/keys/demo-key.pem";
static const char *DEMO_PUB = "examples/keys/demo-key.pub.pem";

/* Mints an assertion with the demo key through the C API (malloc'd, NUL-terminated). */
static char *mint(jwtmint_key *k, uint32_t alg, const jwtmint_claims *c, size_t *len) {
    jwtmint_header_options h;
    size_t need = 0;
    char *out;
    memset(&h, 0, sizeof h);
    h.alg = alg;
    h.kid = S("demo-kid");
    CHECK_RC(jwtmint_mint(k, &h, c, NULL, 0, &need), R(BUFFER_TOO_SMALL));
    out = (char *)malloc(need + 1);
    CHECK_RC(jwtmint_mint(k, &h, c, (uint8_t *)out, need, len), OK);
    out[*len] = 0;
    return out;
}

static jwtmint_claims base_claims(void) {
    jwtmint_claims c;
    memset(&c, 0, sizeof c);
    c.iss = S("3MVG9client");
    c.sub = S("user@example.com");
    c.aud = S("https://login.salesforce.com");
    c.has_iat = true;
    c.iat = NOW;
    c.has_exp = true;
    c.exp = NOW + 180;
    c.jti = S("jti-1");
    return c;
}

/* ---------- result codes ---------- */

static void test_result_codes(void) {
    int32_t code;
    char buf[256];
    for (code = JWTMINT_RESULT_MALFORMED_TOKEN; code <= JWTMINT_RESULT_JWK_NOT_FOR_VERIFICATION; code++) {
        size_t need = 0, got = 0;
        CHECK(strncmp(jwtmint_result_name(code), "JWTMINT_RESULT_", 15) == 0);
        CHECK(strcmp(jwtmint_result_name(code), jwtmint_result_name(code - 1)) != 0);
        CHECK_RC(jwtmint_result_message(code, NULL, 0, &need), R(BUFFER_TOO_SMALL));
        CHECK(need > 1 && need <= sizeof buf);
        CHECK_RC(jwtmint_result_message(code, buf, need, &got), OK);
        CHECK(got == need && strlen(buf) == got - 1); /* the length counts the NUL, both ways */
    }
    CHECK(JWTMINT_RESULT_MALFORMED_TOKEN == 40);
    CHECK(JWTMINT_RESULT_JWK_NOT_FOR_VERIFICATION == 63);
    CHECK(strcmp(jwtmint_result_name(JWTMINT_RESULT_ALGORITHM_NONE), "JWTMINT_RESULT_ALGORITHM_NONE") == 0);
    CHECK(strcmp(jwtmint_result_name(67), "JWTMINT_RESULT_<unknown>") == 0);
    CHECK(strcmp(jwtmint_result_name(39), "JWTMINT_RESULT_<unknown>") == 0);
    {
        size_t len = 0;
        CHECK_RC(jwtmint_result_message(67, buf, sizeof buf, &len), R(INVALID_ARGUMENT));
        CHECK_RC(jwtmint_result_message(37, buf, sizeof buf, &len), R(INVALID_ARGUMENT));
        CHECK(JWTMINT_RESULT_LIFETIME_TOO_LONG == 31);
    }
}

/* ---------- verifiers (public keys) ---------- */

static void expect_verifier_pem(const char *text, size_t len, uint32_t allowed, jwtmint_result want) {
    jwtmint_verifier *v = NULL;
    CHECK_RC(jwtmint_verifier_new_from_pem((const uint8_t *)text, len, allowed, &v), want);
    CHECK((want == OK) == (v != NULL));
    jwtmint_verifier_free(v);
}

static void expect_verifier_file(const char *path, jwtmint_result want) {
    blob b = read_file(path);
    expect_verifier_pem((const char *)b.data, b.len, BOTH, want);
    free(b.data);
}

static void test_verifier_new(void) {
    static const char garbage[] = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
    static const char bad_utf8[] = "\xff\xfe";
    /* A 512-bit modulus. */
    static const char small_jwk[] =
        "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":"
        "\"gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwOQ\"}";
    static const char enc_jwk_head[] = "{\"kty\":\"RSA\",\"use\":\"enc\",";
    static const char ec_jwk[] = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}";
    jwtmint_verifier *v = NULL;
    blob b, jwk;
    char *enc;

    expect_verifier_file(DEMO_PUB, OK);
    expect_verifier_file("examples/keys/demo-cert.pem", OK); /* certificate: its key */
    expect_verifier_file("tests/data/ec-cert.pem", R(KEY_ALGORITHM_MISMATCH)); /* EC key, RS256/PS256 allowed */
    expect_verifier_file(DEMO_KEY, R(UNSUPPORTED_PEM_LABEL)); /* a private key */
    expect_verifier_pem(garbage, sizeof garbage - 1, BOTH, R(PUBLIC_KEY_MALFORMED));
    expect_verifier_pem(bad_utf8, 2, BOTH, R(INVALID_UTF8));
    expect_verifier_pem(garbage, sizeof garbage - 1, 0, R(INVALID_ARGUMENT));
    expect_verifier_pem(garbage, sizeof garbage - 1, 8192, R(INVALID_ARGUMENT));
    CHECK_RC(jwtmint_verifier_new_from_pem(NULL, 3, BOTH, &v), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verifier_new_from_pem((const uint8_t *)garbage, 3, BOTH, NULL), R(NULL_ARGUMENT));
    jwtmint_verifier_free(NULL); /* NULL-safe */

    /* DER: the certificate and the SPKI behind it. */
    b = read_file("tests/data/demo-cert.der");
    CHECK_RC(jwtmint_verifier_new_from_der(b.data, b.len, JWTMINT_ALLOW_RS256, &v), OK);
    jwtmint_verifier_free(v);
    v = NULL;
    CHECK_RC(jwtmint_verifier_new_from_der(b.data, b.len / 2, JWTMINT_ALLOW_RS256, &v),
             R(PUBLIC_KEY_MALFORMED));
    CHECK(v == NULL);
    CHECK_RC(jwtmint_verifier_new_from_der(NULL, 1, JWTMINT_ALLOW_RS256, &v), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verifier_new_from_der(b.data, b.len, 0, &v), R(INVALID_ARGUMENT));
    free(b.data);

    /* JWK: the RFC 7515 A.2 key (private members ignored). */
    jwk = read_vector("rfc7515_a2/key.jwk.json");
    CHECK_RC(jwtmint_verifier_new_from_jwk(jwk.data, jwk.len, JWTMINT_ALLOW_RS256, &v), OK);
    jwtmint_verifier_free(v);
    /* ... marked for encryption. */
    enc = (char *)malloc(jwk.len + sizeof enc_jwk_head);
    {
        const char *brace = strchr((const char *)jwk.data, '{');
        size_t off = (size_t)(brace - (const char *)jwk.data) + 1;
        strcpy(enc, enc_jwk_head);
        memcpy(enc + strlen(enc_jwk_head), jwk.data + off, jwk.len - off);
        enc[strlen(enc_jwk_head) + jwk.len - off] = 0;
        /* The original `"kty":"RSA"` repeats: a duplicate member. */
        CHECK_RC(jwtmint_verifier_new_from_jwk((const uint8_t *)enc, strlen(enc), BOTH, &v),
                 R(DUPLICATE_MEMBER));
    }
    free(enc);
    free(jwk.data);
    {
        static const char enc_jwk[] =
            "{\"kty\":\"RSA\",\"use\":\"enc\",\"e\":\"AQAB\",\"n\":"
            "\"gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwOQ\"}";
        CHECK_RC(jwtmint_verifier_new_from_jwk((const uint8_t *)enc_jwk, sizeof enc_jwk - 1, BOTH, &v),
                 R(JWK_NOT_FOR_VERIFICATION));
    }
    CHECK_RC(jwtmint_verifier_new_from_jwk((const uint8_t *)small_jwk, sizeof small_jwk - 1, BOTH, &v),
             R(KEY_TOO_SMALL));
    /* An EC JWK with a bad point; an EC key for RS256/PS256 is refused. */
    CHECK_RC(jwtmint_verifier_new_from_jwk((const uint8_t *)ec_jwk, sizeof ec_jwk - 1, BOTH, &v),
             R(PUBLIC_KEY_MALFORMED));
    CHECK_RC(jwtmint_verifier_new_from_jwk((const uint8_t *)"[1]", 3, BOTH, &v), R(NOT_JSON_OBJECT));
    CHECK_RC(jwtmint_verifier_new_from_jwk((const uint8_t *)"{\"kty\":", 7, BOTH, &v), R(INVALID_JSON));
    CHECK_RC(jwtmint_verifier_new_from_jwk((const uint8_t *)"{\"kty\":1}", 9, BOTH, &v),
             R(INVALID_MEMBER_TYPE));
    CHECK_RC(jwtmint_verifier_new_from_jwk(NULL, 0, BOTH, &v), R(NULL_ARGUMENT));
}

/* ---------- verification: RFC 7515 A.2 and the fuzz seeds ---------- */

static void test_verify_a2(void) {
    blob tok = read_vector("rfc7515_a2/expected.jws");
    jwtmint_verifier *v = load_verifier("rfc7515_a2/public.pem", 1, JWTMINT_ALLOW_RS256);
    jwtmint_verifier *ps_only = load_verifier("rfc7515_a2/public.pem", 1, JWTMINT_ALLOW_PS256);
    jwtmint_verifier *demo = load_verifier(DEMO_PUB, 0, BOTH);
    jwtmint_validation p = zero_policy();
    jwtmint_verified out, untouched;
    jwtmint_str val;
    uint8_t *buf = NULL;
    uint8_t small[8];
    size_t need = 0, got = 12345;
    uint8_t *tampered;
    size_t i;

    /* Default policy (NULL): exp required and checked. */
    CHECK_RC(verify_blob(v, tok.data, tok.len, NULL, A2_EXP - 1, &out, &buf), OK);
    CHECK(out.alg == JWTMINT_ALG_RS256);
    CHECK(eq(out.header_json, "{\"alg\":\"RS256\"}"));
    CHECK(eq(out.iss, "joe"));
    CHECK(out.sub.ptr == NULL && out.jti.ptr == NULL && out.aud_json.ptr == NULL);
    CHECK(out.typ.ptr == NULL && out.kid.ptr == NULL);
    CHECK(out.has_exp && out.exp == A2_EXP && !out.has_nbf && !out.has_iat);
    /* The views point into the caller buffer. */
    CHECK(out.claims_json.ptr >= buf && out.iss.ptr >= buf);
    CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"http://example.com/is_root", 26, &val), OK);
    CHECK(eq(val, "true"));
    CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"exp", 3, &val), OK);
    CHECK(eq(val, "1300819380"));
    CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"iss", 3, &val), OK);
    CHECK(eq(val, "\"joe\""));
    CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"nope", 4, &val), R(MISSING_CLAIM));
    CHECK_RC(jwtmint_verified_claim(NULL, (const uint8_t *)"iss", 3, &val), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verified_claim(&out, NULL, 3, &val), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"iss", 3, NULL), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"\xff", 1, &val), R(INVALID_UTF8));
    free(buf);

    /* Expired under the default policy; fine with a policy requiring nothing at a past `now`. */
    CHECK_RC(verify_blob(v, tok.data, tok.len, NULL, A2_EXP, &out, NULL), R(EXPIRED));
    CHECK_RC(verify_blob(v, tok.data, tok.len, &p, A2_EXP, &out, NULL), R(EXPIRED));
    p.leeway = 10;
    CHECK_RC(verify_blob(v, tok.data, tok.len, &p, A2_EXP + 9, &out, NULL), OK);
    CHECK_RC(verify_blob(v, tok.data, tok.len, &p, A2_EXP + 10, &out, NULL), R(EXPIRED));
    p = zero_policy();
    p.require_iat = true;
    CHECK_RC(verify_blob(v, tok.data, tok.len, &p, A2_EXP - 1, &out, NULL), R(MISSING_CLAIM));
    p = zero_policy();
    p.audience = S("https://api.example.com");
    CHECK_RC(verify_blob(v, tok.data, tok.len, &p, A2_EXP - 1, &out, NULL), R(MISSING_CLAIM));
    p = zero_policy();
    p.issuer = S("joe");
    CHECK_RC(verify_blob(v, tok.data, tok.len, &p, A2_EXP - 1, &out, NULL), OK);
    p.issuer = S("jane");
    CHECK_RC(verify_blob(v, tok.data, tok.len, &p, A2_EXP - 1, &out, NULL), R(CLAIM_MISMATCH));

    /* Algorithm policy of the verifier; wrong key. */
    CHECK_RC(verify_blob(ps_only, tok.data, tok.len, NULL, A2_EXP - 1, &out, NULL), R(ALGORITHM_NOT_ALLOWED));
    CHECK_RC(verify_blob(demo, tok.data, tok.len, NULL, A2_EXP - 1, &out, NULL), R(INVALID_SIGNATURE));

    /* Tampered signature and payload. */
    tampered = (uint8_t *)malloc(tok.len);
    memcpy(tampered, tok.data, tok.len);
    i = tok.len - 20;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    CHECK_RC(verify_blob(v, tampered, tok.len, NULL, A2_EXP - 1, &out, NULL), R(INVALID_SIGNATURE));
    memcpy(tampered, tok.data, tok.len);
    for (i = 0; tampered[i] != '.'; i++) {
    }
    i += 5;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    CHECK_RC(verify_blob(v, tampered, tok.len, NULL, A2_EXP - 1, &out, NULL), R(INVALID_SIGNATURE));
    free(tampered);

    /* Buffer negotiation: length query, too small, outputs untouched. */
    memset(&untouched, 0xA5, sizeof untouched);
    out = untouched;
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, NULL, A2_EXP - 1, NULL, 0, &need, &out), R(BUFFER_TOO_SMALL));
    CHECK(need > 0 && need < tok.len);
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, NULL, A2_EXP - 1, small, sizeof small, &got, &out),
             R(BUFFER_TOO_SMALL));
    CHECK(got == need);
    CHECK(memcmp(&out, &untouched, sizeof out) == 0);
    buf = (uint8_t *)malloc(need);
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, NULL, A2_EXP - 1, buf, need - 1, &got, &out),
             R(BUFFER_TOO_SMALL));
    CHECK(memcmp(&out, &untouched, sizeof out) == 0);
    /* Failure after the size check: *out untouched. */
    got = 777;
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, NULL, A2_EXP, buf, need, &got, &out), R(EXPIRED));
    CHECK(got == 777 && memcmp(&out, &untouched, sizeof out) == 0);
    {
        /* ... and no unverified claims are left in the buffer. */
        size_t z;
        int zeros = 1;
        for (z = 0; z < need; z++) zeros &= buf[z] == 0;
        CHECK(zeros);
        /* Same after a bad signature. */
        memset(buf, 0x77, need);
        CHECK_RC(jwtmint_verify(demo, tok.data, tok.len, NULL, A2_EXP - 1, buf, need, &got, &out),
                 R(INVALID_SIGNATURE));
        for (z = 0; z < need; z++) zeros &= buf[z] == 0;
        CHECK(zeros);
    }

    /* NULL arguments. */
    CHECK_RC(jwtmint_verify(NULL, tok.data, tok.len, NULL, 0, buf, need, &got, &out), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verify(v, NULL, tok.len, NULL, 0, buf, need, &got, &out), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, NULL, 0, buf, need, NULL, &out), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, NULL, 0, buf, need, &got, NULL), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, NULL, 0, NULL, need, &got, &out), R(NULL_ARGUMENT));
    p = zero_policy();
    p.audience_count = 2; /* audiences NULL */
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, &p, 0, buf, need, &got, &out), R(NULL_ARGUMENT));
    p = zero_policy();
    p.issuer.ptr = (const uint8_t *)"\xff";
    p.issuer.len = 1;
    CHECK_RC(jwtmint_verify(v, tok.data, tok.len, &p, 0, buf, need, &got, &out), R(INVALID_UTF8));
    /* A malformed token is reported before the buffer size. */
    CHECK_RC(jwtmint_verify(v, (const uint8_t *)"a.b", 3, NULL, 0, NULL, 0, &got, &out), R(MALFORMED_TOKEN));
    free(buf);

    jwtmint_verifier_free(v);
    jwtmint_verifier_free(ps_only);
    jwtmint_verifier_free(demo);
    free(tok.data);
}

typedef struct {
    const char *file;
    jwtmint_result want;
} seed_case;

static void test_fuzz_seeds(void) {
    static const seed_case cases[] = {
        {"valid_rfc7515_a2_rs256.jws", OK},
        {"claims_aud_array_SIGNED.jws", OK},
        {"claims_nul_escape_in_sub_SIGNED.jws", OK},
        {"claims_surrogate_pair_escaped_SIGNED.jws", OK},
        {"claims_escaped_solidus_SIGNED.jws", OK},
        {"valid_rfc7520_4_1_rs256_non_json_payload.jws", R(INVALID_SIGNATURE)}, /* other key */
        {"claims_exp_fraction_SIGNED.jws", R(INVALID_NUMERIC_DATE)},
        {"empty_input.jws", R(MALFORMED_TOKEN)},
        {"only_two_dots.jws", R(MALFORMED_TOKEN)},
        {"one_segment_no_dots.jws", R(MALFORMED_TOKEN)},
        {"two_segments_missing_signature_part.jws", R(MALFORMED_TOKEN)},
        {"four_segments_extra_dot.jws", R(MALFORMED_TOKEN)},
        {"five_segments_jwe_shape.jws", R(MALFORMED_TOKEN)},
        {"empty_signature_segment_rs256.jws", R(SIGNATURE_LENGTH_MISMATCH)},
        {"truncated_signature_255_bytes.jws", R(SIGNATURE_LENGTH_MISMATCH)},
        {"signature_prefixed_zero_byte_257_bytes.jws", R(SIGNATURE_LENGTH_MISMATCH)},
        {"trailing_newline.jws", R(INVALID_BASE64)},
        {"padding_in_signature_segment.jws", R(INVALID_BASE64)},
        {"nul_byte_in_token.jws", R(INVALID_BASE64)},
        {"alg_none_rfc7515_a5_unsecured.jws", R(ALGORITHM_NONE)},
        {"alg_none_with_rs256_signature_kept.jws", R(ALGORITHM_NONE)},
        {"alg_NONE_upper.jws", R(ALGORITHM_NONE)},
        {"alg_confusion_hs256_keyed_with_rsa_public_pem.jws", R(ALGORITHM_NOT_ALLOWED)},
        {"crit_unknown_extension_rfc7515_appendix_e.jws", R(CRITICAL_HEADER)},
        {"header_duplicate_alg_none_then_rs256_SIGNED.jws", R(DUPLICATE_MEMBER)},
        {"header_is_json_array_SIGNED.jws", R(NOT_JSON_OBJECT)},
        {"header_not_json_SIGNED.jws", R(INVALID_JSON)},
        {"header_missing_alg_SIGNED.jws", R(MISSING_ALGORITHM)},
        {"header_alg_non_string_SIGNED.jws", R(INVALID_MEMBER_TYPE)},
        {"claims_duplicate_exp_SIGNED.jws", R(DUPLICATE_MEMBER)},
        {"claims_exp_negative_SIGNED.jws", R(INVALID_NUMERIC_DATE)},
        {"claims_trailing_comma_SIGNED.jws", R(INVALID_JSON)},
        {"claims_invalid_utf8_SIGNED.jws", R(INVALID_UTF8)},
        {"claims_nested_arrays_depth_10000_SIGNED.jws", R(JSON_TOO_DEEP)},
        {"claims_nested_objects_depth_1000_SIGNED.jws", R(JSON_TOO_DEEP)},
        {"claims_not_object_array_SIGNED.jws", R(NOT_JSON_OBJECT)},
    };
    jwtmint_verifier *v = load_verifier("rfc7515_a2/public.pem", 1, JWTMINT_ALLOW_RS256);
    /* No claim required; `now` before every seed's exp/iat window matters not. */
    jwtmint_validation p = zero_policy();
    size_t i;
    p.allow_missing_exp = true;
    p.leeway = (int64_t)1 << 40;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rel[512];
        blob tok;
        jwtmint_verified out;
        jwtmint_result rc;
        snprintf(rel, sizeof rel, "fuzz_seeds/%s", cases[i].file);
        tok = read_vector(rel);
        rc = verify_blob(v, tok.data, tok.len, &p, NOW, &out, NULL);
        if (rc != cases[i].want) {
            failed++;
            fprintf(stderr, "FAIL seed %s -> %s, want %s\n", cases[i].file, jwtmint_result_name(rc),
                    jwtmint_result_name(cases[i].want));
        } else {
            passed++;
        }
        free(tok.data);
    }
    /* Escaped claims: views are raw, jwtmint_json_unescape decodes them. */
    {
        blob tok = read_vector("fuzz_seeds/claims_escaped_solidus_SIGNED.jws");
        jwtmint_verified out;
        uint8_t *buf = NULL;
        CHECK_RC(verify_blob(v, tok.data, tok.len, &p, NOW, &out, &buf), OK);
        if (buf) {
            jwtmint_str val;
            char dec[256];
            size_t n = 0;
            /* aud is "https:\/\/login.microsoftonline.com\/x\/oauth2\/v2.0\/token". */
            CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"aud", 3, &val), OK);
            CHECK(val.ptr == out.aud_json.ptr && val.len == out.aud_json.len);
            CHECK(val.len >= 2 && val.ptr[0] == '"' && memchr(val.ptr, '\\', val.len) != NULL);
            CHECK_RC(jwtmint_json_unescape(val.ptr + 1, val.len - 2, (uint8_t *)dec, sizeof dec, &n), OK);
            CHECK(n == strlen("https://login.microsoftonline.com/x/oauth2/v2.0/token") &&
                  memcmp(dec, "https://login.microsoftonline.com/x/oauth2/v2.0/token", n) == 0);
            p.audience = S("https://login.microsoftonline.com/x/oauth2/v2.0/token");
            CHECK_RC(verify_blob(v, tok.data, tok.len, &p, NOW, &out, NULL), OK);
            p.audience = NONE;
            free(buf);
        }
        free(tok.data);
    }
    jwtmint_verifier_free(v);
}

static void test_json_unescape(void) {
    static const char raw[] = "a\\/b\\u00e9\\n\\\"";
    char buf[32];
    size_t n = 0, need = 0;
    CHECK_RC(jwtmint_json_unescape((const uint8_t *)raw, sizeof raw - 1, (uint8_t *)buf, sizeof buf, &n), OK);
    CHECK(n == 7 && memcmp(buf, "a/b\xc3\xa9\n\"", 7) == 0);
    CHECK_RC(jwtmint_json_unescape((const uint8_t *)raw, sizeof raw - 1, NULL, 0, &need), R(BUFFER_TOO_SMALL));
    CHECK(need == 7);
    n = 99;
    CHECK_RC(jwtmint_json_unescape((const uint8_t *)raw, sizeof raw - 1, (uint8_t *)buf, 6, &n), R(BUFFER_TOO_SMALL));
    CHECK(n == 7);
    CHECK_RC(jwtmint_json_unescape((const uint8_t *)"plain", 5, (uint8_t *)buf, 5, &n), OK);
    CHECK(n == 5 && memcmp(buf, "plain", 5) == 0);
    CHECK_RC(jwtmint_json_unescape((const uint8_t *)"", 0, NULL, 0, &n), OK);
    CHECK(n == 0);
    CHECK_RC(jwtmint_json_unescape(NULL, 0, (uint8_t *)buf, sizeof buf, &n), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_json_unescape((const uint8_t *)"x", 1, (uint8_t *)buf, sizeof buf, NULL), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_json_unescape((const uint8_t *)"x", 1, NULL, 4, &n), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_json_unescape((const uint8_t *)"\xff", 1, (uint8_t *)buf, sizeof buf, &n), R(INVALID_UTF8));
    {
        /* Malformed escapes never crash; they decode to U+FFFD (EF BF BD). */
        static const char *bad[] = {"\\", "a\\", "\\u12", "\\ud800", "\\udc00x", "\\q"};
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            size_t m = 0;
            CHECK_RC(jwtmint_json_unescape((const uint8_t *)bad[i], strlen(bad[i]), NULL, 0, &need),
                     need ? R(BUFFER_TOO_SMALL) : OK);
            CHECK_RC(jwtmint_json_unescape((const uint8_t *)bad[i], strlen(bad[i]), (uint8_t *)buf, sizeof buf, &m), OK);
            CHECK(m == need && m <= sizeof buf);
            {
                size_t j;
                int fffd = 0;
                for (j = 0; j + 3 <= m; j++) fffd |= memcmp(buf + j, "\xef\xbf\xbd", 3) == 0;
                CHECK(fffd);
            }
        }
    }
}

/* ---------- round trip: mint through the C API, verify through the C API ---------- */

static void test_round_trip(void) {
    jwtmint_key *k = NULL;
    jwtmint_verifier *both = load_verifier(DEMO_PUB, 0, BOTH);
    jwtmint_verifier *rs_only = load_verifier(DEMO_PUB, 0, JWTMINT_ALLOW_RS256);
    blob pem = read_file(DEMO_KEY);
    jwtmint_extra_claim extra[2];
    jwtmint_str auds[2];
    uint32_t algs[2];
    int a;

    CHECK_RC(jwtmint_key_new_from_pem(pem.data, pem.len, &k), OK);
    free(pem.data);
    memset(extra, 0, sizeof extra);
    extra[0].name = S("tenant");
    extra[0].kind = JWTMINT_CLAIM_STRING;
    extra[0].string_value = S("https://t/x");
    extra[1].name = S("n");
    extra[1].kind = JWTMINT_CLAIM_INT;
    extra[1].int_value = 42;
    auds[0] = S("https://other");
    auds[1] = S("https://login.salesforce.com");
    algs[0] = JWTMINT_ALG_RS256;
    algs[1] = JWTMINT_ALG_PS256;

    for (a = 0; a < 2; a++) {
        jwtmint_claims c = base_claims();
        jwtmint_validation p = zero_policy();
        jwtmint_verified out;
        jwtmint_str val;
        size_t len = 0;
        char *tok;
        uint8_t *buf = NULL;
        c.extra = extra;
        c.extra_count = 2;
        tok = mint(k, algs[a], &c, &len);

        p.require_iat = true;
        p.audience = S("https://login.salesforce.com");
        p.issuer = S("3MVG9client");
        p.subject = S("user@example.com");
        p.has_max_lifetime = true;
        p.max_lifetime = 300;
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW + 10, &out, &buf), OK);
        if (buf) {
            CHECK(out.alg == algs[a]);
            CHECK(eq(out.iss, "3MVG9client") && eq(out.sub, "user@example.com") && eq(out.jti, "jti-1"));
            CHECK(eq(out.aud_json, "\"https://login.salesforce.com\""));
            CHECK(eq(out.kid, "demo-kid") && eq(out.typ, "JWT"));
            CHECK(out.has_iat && out.iat == NOW && out.has_exp && out.exp == NOW + 180 && !out.has_nbf);
            CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"n", 1, &val), OK);
            CHECK(eq(val, "42"));
            CHECK_RC(jwtmint_verified_claim(&out, (const uint8_t *)"tenant", 6, &val), OK);
            CHECK(eq(val, "\"https://t/x\""));
            free(buf);
        }
        /* The default policy accepts it too. */
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, NULL, NOW, &out, NULL), OK);
        /* RS256-only verifier. */
        CHECK_RC(verify_blob(rs_only, (const uint8_t *)tok, len, NULL, NOW, &out, NULL),
                 a == 0 ? OK : R(ALGORITHM_NOT_ALLOWED));

        /* Policy failures, one at a time. */
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW + 180, &out, NULL), R(EXPIRED));
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW - 1, &out, NULL), R(ISSUED_IN_FUTURE));
        p.leeway = 5;
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW - 5, &out, NULL), OK);
        p.leeway = 0;
        p.max_lifetime = 179;
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), R(LIFETIME_TOO_LONG));
        p.max_lifetime = 180;
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), OK);
        p.require_nbf = true;
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), R(MISSING_CLAIM));
        p.require_nbf = false;
        p.audience = S("https://wrong.example.com");
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), R(CLAIM_MISMATCH));
        p.audiences = auds;
        p.audience_count = 2; /* any of them */
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), OK);
        p.audience_count = 1;
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), R(CLAIM_MISMATCH));
        p.audience = NONE;
        p.audiences = NULL;
        p.audience_count = 0;
        p.subject = S("someone@else");
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), R(CLAIM_MISMATCH));
        free(tok);

        /* nbf in the future; no exp at all. */
        c = base_claims();
        c.has_nbf = true;
        c.nbf = NOW + 60;
        tok = mint(k, algs[a], &c, &len);
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, NULL, NOW, &out, NULL), R(NOT_YET_VALID));
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, NULL, NOW + 60, &out, NULL), OK);
        free(tok);
        c = base_claims();
        c.has_exp = false;
        tok = mint(k, algs[a], &c, &len);
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, NULL, NOW, &out, NULL), R(MISSING_CLAIM));
        p = zero_policy(); /* zeroed = the safe default: exp required */
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), R(MISSING_CLAIM));
        p.allow_missing_exp = true;
        CHECK_RC(verify_blob(both, (const uint8_t *)tok, len, &p, NOW, &out, NULL), OK);
        free(tok);
    }
    jwtmint_key_free(k);
    jwtmint_verifier_free(both);
    jwtmint_verifier_free(rs_only);
}

/* ---------- threads: one const verifier shared ---------- */

typedef struct {
    const jwtmint_verifier *v;
    const char *tok;
    size_t len;
    size_t iters;
    int errors;
} thread_ctx;

static void *verify_thread(void *p) {
    thread_ctx *t = (thread_ctx *)p;
    size_t i;
    uint8_t buf[2048];
    for (i = 0; i < t->iters; i++) {
        jwtmint_verified out;
        size_t got = 0;
        if (jwtmint_verify(t->v, (const uint8_t *)t->tok, t->len, NULL, NOW, buf, sizeof buf, &got, &out) != OK ||
            !eq(out.iss, "3MVG9client"))
            t->errors++;
    }
    return NULL;
}

static void test_threads(void) {
    jwtmint_key *k = NULL;
    jwtmint_verifier *v = load_verifier(DEMO_PUB, 0, BOTH);
    blob pem = read_file(DEMO_KEY);
    jwtmint_claims c = base_claims();
    pthread_t th[4];
    thread_ctx ctx[4];
    const char *iters_env = getenv("JWTMINT_TEST_ITERS");
    size_t iters = iters_env && *iters_env ? (size_t)strtoul(iters_env, NULL, 10) : 200;
    size_t len = 0;
    char *tok;
    int i;
    CHECK_RC(jwtmint_key_new_from_pem(pem.data, pem.len, &k), OK);
    free(pem.data);
    tok = mint(k, JWTMINT_ALG_PS256, &c, &len);
    for (i = 0; i < 4; i++) {
        ctx[i].v = v;
        ctx[i].tok = tok;
        ctx[i].len = len;
        ctx[i].iters = iters / 4 + 1;
        ctx[i].errors = 0;
        CHECK(pthread_create(&th[i], NULL, verify_thread, &ctx[i]) == 0);
    }
    for (i = 0; i < 4; i++) {
        CHECK(pthread_join(th[i], NULL) == 0);
        CHECK(ctx[i].errors == 0);
    }
    free(tok);
    jwtmint_key_free(k);
    jwtmint_verifier_free(v);
}

/* ---------- token responses ---------- */

static const char SALESFORCE[] =
    "{\"access_token\":\"00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoWr78nt1u44zU31IbYNNJguseu\","
    "\"signature\":\"d/SxeYBxH0GSVko0HMgcUxuZy0PA2cDDz1u7g7JtDHw=\",\"scope\":\"web openid api id\","
    "\"instance_url\":\"https:\\/\\/yourInstance.salesforce.com\","
    "\"id\":\"https:\\/\\/login.salesforce.com\\/id\\/00Dxx0000001gPLEAY\\/005xx000001SwiUAAS\","
    "\"token_type\":\"Bearer\",\"issued_at\":\"1700000000000\"}";
static const char GOOGLE[] =
    "{\n  \"access_token\": \"ya29.c.b0AXv0zTOKEN\",\n  \"expires_in\": 3599,\n  \"token_type\": \"Bearer\"\n}";
static const char ENTRA[] =
    "{\"token_type\":\"Bearer\",\"expires_in\":\"3599\",\"ext_expires_in\":\"3599\","
    "\"access_token\":\"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGkifQ.c2ln\"}";
static const char ERROR_BODY[] =
    "{\"error\":\"invalid_grant\",\"error_description\":\"audience is invalid\","
    "\"error_uri\":\"https://example.com/e\"}";

static void expect_response(const char *body, jwtmint_result want) {
    jwtmint_token_response r;
    CHECK_RC(jwtmint_token_response_parse((const uint8_t *)body, strlen(body), &r), want);
}

static void test_token_responses(void) {
    jwtmint_token_response r, untouched;
    char dec[128];
    size_t n = 0;

    CHECK_RC(jwtmint_token_response_parse((const uint8_t *)SALESFORCE, sizeof SALESFORCE - 1, &r), OK);
    CHECK(!r.is_error && r.error.ptr == NULL);
    CHECK(r.access_token.len > 20 && memcmp(r.access_token.ptr, "00Dxx", 5) == 0);
    CHECK(r.access_token.ptr > (const uint8_t *)SALESFORCE &&
          r.access_token.ptr < (const uint8_t *)SALESFORCE + sizeof SALESFORCE);
    CHECK(eq(r.token_type, "Bearer") && eq(r.scope, "web openid api id"));
    CHECK(eq(r.instance_url, "https:\\/\\/yourInstance.salesforce.com")); /* raw */
    CHECK_RC(jwtmint_json_unescape(r.instance_url.ptr, r.instance_url.len, (uint8_t *)dec, sizeof dec, &n), OK);
    CHECK(n == strlen("https://yourInstance.salesforce.com") && memcmp(dec, "https://yourInstance.salesforce.com", n) == 0);
    CHECK(r.id.ptr != NULL && r.signature.ptr != NULL);
    CHECK(r.has_issued_at_ms && r.issued_at_ms == 1700000000000ULL);
    CHECK(!r.has_expires_in && !r.has_ext_expires_in);
    CHECK(r.refresh_token.ptr == NULL && r.id_token.ptr == NULL);

    CHECK_RC(jwtmint_token_response_parse((const uint8_t *)GOOGLE, sizeof GOOGLE - 1, &r), OK);
    CHECK(eq(r.access_token, "ya29.c.b0AXv0zTOKEN") && r.has_expires_in && r.expires_in == 3599);
    CHECK(!r.has_issued_at_ms && r.instance_url.ptr == NULL && !r.is_error);

    CHECK_RC(jwtmint_token_response_parse((const uint8_t *)ENTRA, sizeof ENTRA - 1, &r), OK);
    CHECK(r.has_expires_in && r.expires_in == 3599 && r.has_ext_expires_in && r.ext_expires_in == 3599);
    CHECK(r.access_token.len > 0 && eq(r.token_type, "Bearer"));

    CHECK_RC(jwtmint_token_response_parse((const uint8_t *)ERROR_BODY, sizeof ERROR_BODY - 1, &r), OK);
    CHECK(r.is_error && r.access_token.ptr == NULL);
    CHECK(eq(r.error, "invalid_grant") && eq(r.error_description, "audience is invalid"));
    CHECK(eq(r.error_uri, "https://example.com/e"));

    /* null members are absent. */
    expect_response("{\"access_token\":\"t\",\"refresh_token\":null,\"expires_in\":null}", OK);
    {
        static const char nulls[] = "{\"access_token\":\"t\",\"refresh_token\":null}";
        CHECK_RC(jwtmint_token_response_parse((const uint8_t *)nulls, sizeof nulls - 1, &r), OK);
    }
    CHECK(eq(r.access_token, "t") && r.refresh_token.ptr == NULL);

    expect_response("{\"token_type\":\"Bearer\"}", R(NOT_A_TOKEN_RESPONSE));
    expect_response("{\"access_token\":\"t\",\"expires_in\":-1}", R(INVALID_MEMBER_TYPE));
    expect_response("{\"access_token\":\"t\",\"expires_in\":1.5}", R(INVALID_MEMBER_TYPE));
    expect_response("{\"access_token\":42}", R(INVALID_MEMBER_TYPE));
    expect_response("{\"access_token\":\"a\",\"access_token\":\"b\"}", R(DUPLICATE_MEMBER));
    expect_response("[\"access_token\"]", R(NOT_JSON_OBJECT));
    expect_response("{\"access_token\":\"t\"", R(INVALID_JSON));
    expect_response("<html>502 Bad Gateway</html>", R(INVALID_JSON));
    expect_response("", R(INVALID_JSON));
    {
        /* 200 levels of nesting in an unknown member. */
        char deep[512];
        size_t i, at = 0;
        at += (size_t)sprintf(deep, "{\"access_token\":\"t\",\"x\":");
        for (i = 0; i < 200; i++) deep[at++] = '[';
        for (i = 0; i < 200; i++) deep[at++] = ']';
        deep[at++] = '}';
        deep[at] = 0;
        expect_response(deep, R(JSON_TOO_DEEP));
    }
    CHECK_RC(jwtmint_token_response_parse((const uint8_t *)"{\"error\":\"\xff\"}", 13, &r), R(INVALID_UTF8));

    memset(&untouched, 0x5A, sizeof untouched);
    r = untouched;
    CHECK_RC(jwtmint_token_response_parse((const uint8_t *)"{}", 2, &r), R(NOT_A_TOKEN_RESPONSE));
    CHECK(memcmp(&r, &untouched, sizeof r) == 0);
    CHECK_RC(jwtmint_token_response_parse(NULL, 2, &r), R(NULL_ARGUMENT));
    CHECK_RC(jwtmint_token_response_parse((const uint8_t *)GOOGLE, sizeof GOOGLE - 1, NULL), R(NULL_ARGUMENT));
}

/* ---------- issue 12: key input and safe defaults ---------- */

/* RS256 by the demo key (PyJWT): {"iss":"x","exp":1700000180000}. */
static const char MS_EXP_TOKEN[] =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4IiwiZXhwIjoxNzAwMDAwMTgwMDAwfQ."
    "F0qDlDoy-XWGK9PPp9pIJrxiPNeTimrSD_xxak4beGD_FUQJ2R0mx6I1YbD5MVc4N_Th8SGcb7hsnBoSFH0WDprPXM2PVuVY-QSrsGzJ5NcMRhx_"
    "gCIXGPvqUkyeJkY4s_y-jgKP6UaPrljoVuyAQEMWfBZsct1hJlk7G3pPm6VtsareGyONjEVqXpdZBorKeP36-2mC9lSpLt85wSGNkQ0aJAYUFiBrSN_"
    "qDbrEyZzbuPkEJILjl4ZhjjoZPlvAsR4_-6HboZ_bLd_f3SeuJm4WsZAVE1ZaV6L_jGuo1uezKogB0henEpa-XsblI77cvjM2PBBe8iA5X6Alcn07Ig";

/* `text` (a file's bytes, without its final line break) + `tail`, malloc'd
 * to the exact length so ASan/valgrind see any over-read. */
static uint8_t *with_tail(const blob *b, const char *tail, size_t tail_len, size_t *len) {
    size_t n = b->len;
    uint8_t *out;
    while (n > 0 && (b->data[n - 1] == '\n' || b->data[n - 1] == '\r')) n--;
    out = (uint8_t *)malloc(n + tail_len);
    memcpy(out, b->data, n);
    memcpy(out + n, tail, tail_len);
    *len = n + tail_len;
    return out;
}

static void test_key_input(void) {
    static const struct {
        const char *s;
        size_t len;
    } tails[] = {{"\n", 1}, {"\n\n", 2}, {"\r\n", 2}, {" \n", 2}, {"\n\0", 2}, {"\0", 1}};
    blob key = read_file(DEMO_KEY), pub = read_file(DEMO_PUB), cert = read_file("examples/keys/demo-cert.pem");
    blob der = read_file("tests/data/demo-pkcs8.der"), cert_der = read_file("tests/data/demo-cert.der");
    size_t i, len;
    for (i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        jwtmint_key *k = NULL;
        jwtmint_verifier *v = NULL;
        jwtmint_thumbprints t;
        uint8_t *b = with_tail(&key, tails[i].s, tails[i].len, &len);
        CHECK_RC(jwtmint_key_new_from_pem(b, len, &k), OK);
        jwtmint_key_free(k);
        free(b);
        b = with_tail(&pub, tails[i].s, tails[i].len, &len);
        CHECK_RC(jwtmint_verifier_new_from_pem(b, len, BOTH, &v), OK);
        jwtmint_verifier_free(v);
        free(b);
        b = with_tail(&cert, tails[i].s, tails[i].len, &len);
        CHECK_RC(jwtmint_verifier_new_from_pem(b, len, BOTH, &v), OK);
        jwtmint_verifier_free(v);
        CHECK_RC(jwtmint_cert_thumbprints(b, len, &t), OK);
        free(b);
    }
    {
        /* Text after the END line is still refused. */
        jwtmint_key *k = NULL;
        uint8_t *b = with_tail(&key, "\nx\n", 3, &len);
        CHECK_RC(jwtmint_key_new_from_pem(b, len, &k), R(KEY_MALFORMED));
        free(b);
    }
    {
        /* DER given to a PEM function. */
        jwtmint_key *k = NULL;
        jwtmint_verifier *v = NULL;
        CHECK_RC(jwtmint_key_new_from_pem(der.data, der.len, &k), R(KEY_IS_DER));
        CHECK_RC(jwtmint_verifier_new_from_pem(cert_der.data, cert_der.len, BOTH, &v), R(KEY_IS_DER));
        CHECK(k == NULL && v == NULL);
        CHECK_RC(jwtmint_key_new_from_der(der.data, der.len, &k), OK);
        jwtmint_key_free(k);
    }
    {
        /* Legacy OpenSSL encryption headers: an encrypted key, not garbage. */
        static const char legacy[] =
            "-----BEGIN RSA PRIVATE KEY-----\n"
            "Proc-Type: 4,ENCRYPTED\n"
            "DEK-Info: AES-256-CBC,8A2F6C3D1E0B4A5968D7C2B1A0F9E8D7\n"
            "\n"
            "MIIEpAIBAAKCAQEA\n"
            "-----END RSA PRIVATE KEY-----\n";
        jwtmint_key *k = NULL;
        CHECK_RC(jwtmint_key_new_from_pem((const uint8_t *)legacy, sizeof legacy - 1, &k), R(ENCRYPTED_KEY));
        CHECK(k == NULL);
    }
    free(key.data);
    free(pub.data);
    free(cert.data);
    free(der.data);
    free(cert_der.data);
}

static void test_safe_defaults(void) {
    jwtmint_key *k = NULL;
    jwtmint_verifier *v = load_verifier(DEMO_PUB, 0, BOTH);
    jwtmint_claims c = base_claims();
    jwtmint_validation p = zero_policy();
    jwtmint_verified out;
    size_t len = 0;
    char *tok;
    blob kb = read_file(DEMO_KEY);
    CHECK_RC(jwtmint_key_new_from_pem(kb.data, kb.len, &k), OK);
    free(kb.data);

    /* A zeroed policy is the safe one: exp required. */
    c.has_exp = false;
    tok = mint(k, JWTMINT_ALG_RS256, &c, &len);
    CHECK_RC(verify_blob(v, (const uint8_t *)tok, len, &p, NOW + 10, &out, NULL), R(MISSING_CLAIM));
    CHECK_RC(verify_blob(v, (const uint8_t *)tok, len, NULL, NOW + 10, &out, NULL), R(MISSING_CLAIM));
    p.allow_missing_exp = true;
    CHECK_RC(verify_blob(v, (const uint8_t *)tok, len, &p, NOW + 10, &out, NULL), OK);
    p.has_max_lifetime = true; /* a maximum lifetime needs exp again */
    p.max_lifetime = 300;
    CHECK_RC(verify_blob(v, (const uint8_t *)tok, len, &p, NOW + 10, &out, NULL), R(MISSING_CLAIM));
    free(tok);

    /* exp in milliseconds: refused on the verify side as when minting. */
    p = zero_policy();
    CHECK_RC(verify_blob(v, (const uint8_t *)MS_EXP_TOKEN, sizeof MS_EXP_TOKEN - 1, &p, NOW, &out, NULL),
             R(TIMESTAMP_IN_MILLISECONDS));
    p.allow_missing_exp = true;
    CHECK_RC(verify_blob(v, (const uint8_t *)MS_EXP_TOKEN, sizeof MS_EXP_TOKEN - 1, &p, NOW, &out, NULL),
             R(TIMESTAMP_IN_MILLISECONDS));
    jwtmint_key_free(k);
    jwtmint_verifier_free(v);
}

int main(void) {
    test_result_codes();
    test_verifier_new();
    test_verify_a2();
    test_fuzz_seeds();
    test_json_unescape();
    test_round_trip();
    test_threads();
    test_token_responses();
    test_key_input();
    test_safe_defaults();
    printf("test_verify: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
