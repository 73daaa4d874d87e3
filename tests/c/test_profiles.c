/*
 * C tests of the profile, certificate and PS256 parts of the jwtmint C ABI
 * (include/jwtmint.h). Run from the repository root by tests/c/run.sh,
 * natively, under valgrind and with -fsanitize=address,undefined.
 *
 * Environment:
 *   JWTMINT_X5T, JWTMINT_X5T_S256  expected thumbprints of
 *                          examples/keys/demo-cert.pem (run.sh computes them
 *                          with `openssl x509 -fingerprint -sha1/-sha256`)
 *   JWTMINT_TEST_THREADS   threads in the shared-handle test (default 4)
 *   JWTMINT_TEST_ITERS     Google + Entra assertions per thread (default 25)
 *   JWTMINT_PROFILE_TOKENS if set, the minted assertions are written there,
 *                          one per line as `<kind> <now> <token>`, for
 *                          tests/c/verify_profiles.py
 *
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
#include "check.h"

#define TOO_SMALL JWTMINT_RESULT_BUFFER_TOO_SMALL
#define NULL_ARG JWTMINT_RESULT_NULL_ARGUMENT

/* ---------- helpers ---------- */

/*
 * One-call wrappers over the profile handles: each builds a handle from the
 * options (jwtmint_*_profile_new), makes one call through it and frees it, so
 * every option and argument check below runs through the constructor or the
 * jwtmint_profile_* call that owns it. test_handles and test_threads use
 * handles built once and shared.
 */
static jwtmint_result sf_mint(const jwtmint_key *k, const jwtmint_salesforce_options *o, int64_t now,
                              uint8_t *out, size_t cap, size_t *n) {
    jwtmint_profile *p = NULL;
    jwtmint_result rc = jwtmint_salesforce_profile_new(o, &p);
    if (rc == JWTMINT_RESULT_OK) rc = jwtmint_profile_mint(p, k, now, NONE, out, cap, n);
    jwtmint_profile_free(p);
    return rc;
}

static jwtmint_result sf_token_url(const jwtmint_salesforce_options *o, uint8_t *out, size_t cap, size_t *n) {
    jwtmint_profile *p = NULL;
    jwtmint_result rc = jwtmint_salesforce_profile_new(o, &p);
    if (rc == JWTMINT_RESULT_OK) rc = jwtmint_profile_token_url(p, out, cap, n);
    jwtmint_profile_free(p);
    return rc;
}

static jwtmint_result body_of(jwtmint_result rc, jwtmint_profile *p, const uint8_t *a, size_t len, uint8_t *out,
                              size_t cap, size_t *n) {
    if (rc == JWTMINT_RESULT_OK) rc = jwtmint_profile_token_request_body(p, a, len, out, cap, n);
    jwtmint_profile_free(p);
    return rc;
}

static jwtmint_result sf_form_body(const jwtmint_salesforce_options *o, const uint8_t *a, size_t len, uint8_t *out,
                                   size_t cap, size_t *n) {
    jwtmint_profile *p = NULL;
    jwtmint_result rc = jwtmint_salesforce_profile_new(o, &p);
    return body_of(rc, p, a, len, out, cap, n);
}

static jwtmint_result g_mint(const jwtmint_google_account *acct, const jwtmint_google_options *o, int64_t now,
                             uint8_t *out, size_t cap, size_t *n) {
    jwtmint_profile *p = NULL;
    jwtmint_result rc = jwtmint_google_profile_new(acct, o, &p);
    if (rc == JWTMINT_RESULT_OK) rc = jwtmint_profile_mint(p, NULL, now, NONE, out, cap, n);
    jwtmint_profile_free(p);
    return rc;
}

static jwtmint_result g_form_body(const jwtmint_google_account *acct, const jwtmint_google_options *o,
                                  const uint8_t *a, size_t len, uint8_t *out, size_t cap, size_t *n) {
    jwtmint_profile *p = NULL;
    jwtmint_result rc = jwtmint_google_profile_new(acct, o, &p);
    return body_of(rc, p, a, len, out, cap, n);
}

static jwtmint_result e_mint(const jwtmint_key *k, const jwtmint_entra_options *o, int64_t now, jwtmint_str jti,
                             uint8_t *out, size_t cap, size_t *n) {
    jwtmint_profile *p = NULL;
    jwtmint_result rc = jwtmint_entra_profile_new(o, &p);
    if (rc == JWTMINT_RESULT_OK) rc = jwtmint_profile_mint(p, k, now, jti, out, cap, n);
    jwtmint_profile_free(p);
    return rc;
}

static jwtmint_result e_token_url(const jwtmint_entra_options *o, uint8_t *out, size_t cap, size_t *n) {
    jwtmint_profile *p = NULL;
    jwtmint_result rc = jwtmint_entra_profile_new(o, &p);
    if (rc == JWTMINT_RESULT_OK) rc = jwtmint_profile_token_url(p, out, cap, n);
    jwtmint_profile_free(p);
    return rc;
}

/* The scope is part of the Entra profile; this sets it on a copy of `o`. */
static jwtmint_result e_form_body(const jwtmint_entra_options *o, const uint8_t *a, size_t len, jwtmint_str scope,
                                  uint8_t *out, size_t cap, size_t *n) {
    jwtmint_profile *p = NULL;
    jwtmint_entra_options copy;
    jwtmint_result rc;
    if (!o) return jwtmint_entra_profile_new(NULL, &p);
    copy = *o;
    copy.scope = scope;
    rc = jwtmint_entra_profile_new(&copy, &p);
    return body_of(rc, p, a, len, out, cap, n);
}

static jwtmint_key *load_key(const char *path) {
    blob b = read_file(path);
    jwtmint_key *k = NULL;
    CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &k), OK);
    free(b.data);
    return k;
}

/* Decodes Base64Url segment `seg` of a compact JWT (0 = header, 1 = payload)
 * into `out` as a NUL-terminated string; returns its length (0 on error). */
static size_t jwt_segment(const uint8_t *jwt, size_t len, int seg, char *out, size_t cap) {
    size_t start = 0, i, n = 0;
    int k = 0;
    for (i = 0; i <= len; i++) {
        if (i == len || jwt[i] == '.') {
            if (k == seg) {
                if (jwtmint_base64url_decode(jwt + start, i - start, (uint8_t *)out, cap - 1, &n) != OK)
                    return 0;
                out[n] = 0;
                return n;
            }
            k++;
            start = i + 1;
        }
    }
    return 0;
}

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

static FILE *tokens;

static void record(const char *kind, int64_t now, const uint8_t *tok, size_t len) {
    if (tokens) fprintf(tokens, "%s %lld %.*s\n", kind, (long long)now, (int)len, (const char *)tok);
}

static const char *DEMO_KEY = "examples/keys/demo-key.pem";
static const char *DEMO_CERT = "examples/keys/demo-cert.pem";
static const char *DEMO_CERT_DER = "tests/data/demo-cert.der";
static const char *OTHER_CERT = "tests/data/other-cert.pem";
static const char *EC_CERT = "tests/data/ec-cert.pem";
static const char *EC_P256_CERT = "tests/data/ec-p256-cert.pem"; /* of tests/data/ec-p256.pem */
static const char *ED448_CERT = "tests/data/ed448-cert.pem";     /* a key type jwtmint does not sign with */
static const char *SA_JSON = "tests/data/demo-service-account.json";

#define CONSUMER_KEY "3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h"
#define SF_USER "integration.user@example.com"
#define TENANT "contoso.onmicrosoft.com"
#define CLIENT_ID "97e0a5b7-d745-40b6-94fe-5f77d35c6e05"

static jwtmint_thumbprints demo_tp;

/* ---------- result codes ---------- */

static void test_codes(void) {
    /* Appended codes keep the old values stable. */
    CHECK(JWTMINT_RESULT_UNKNOWN_ERROR == 27);
    CHECK(JWTMINT_RESULT_CERTIFICATE_MALFORMED == 28);
    CHECK(JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH == 29);
    CHECK(JWTMINT_RESULT_INVALID_AUDIENCE == 30);
    CHECK(JWTMINT_RESULT_LIFETIME_TOO_LONG == 31);
    CHECK(JWTMINT_RESULT_LIFETIME_NOT_POSITIVE == 32);
    CHECK(JWTMINT_RESULT_INVALID_FIELD == 33);
    CHECK(JWTMINT_RESULT_SERVICE_ACCOUNT_JSON == 34);
    CHECK(strcmp(jwtmint_result_name(JWTMINT_RESULT_SERVICE_ACCOUNT_JSON),
                 "JWTMINT_RESULT_SERVICE_ACCOUNT_JSON") == 0);
    CHECK(JWTMINT_RESULT_KEY_IS_DER == 35);
    CHECK(strcmp(jwtmint_result_name(36), "JWTMINT_RESULT_<unknown>") == 0);
}

/* ---------- certificates ---------- */

static void test_cert(void) {
    blob pem = read_file(DEMO_CERT), der = read_file(DEMO_CERT_DER);
    blob other = read_file(OTHER_CERT), ec = read_file(EC_CERT);
    blob ec256 = read_file(EC_P256_CERT), ed448 = read_file(ED448_CERT);
    jwtmint_key *k = load_key(DEMO_KEY), *ec_key = load_key("tests/data/ec-p256.pem");
    jwtmint_thumbprints tp, tp2;
    const char *want_x5t = getenv("JWTMINT_X5T");
    const char *want_s256 = getenv("JWTMINT_X5T_S256");
    static const char garbage[] = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
    static const char no_cert[] = "just some text";
    static const uint8_t bad_der[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    static const uint8_t bad_utf8[] = {0xff, 0xfe, 0x00};

    CHECK_RC(jwtmint_cert_thumbprints(pem.data, pem.len, &tp), OK);
    CHECK(strlen(tp.x5t) == 27 && strlen(tp.x5t_s256) == 43);
    CHECK(strchr(tp.x5t, '=') == NULL && strchr(tp.x5t, '+') == NULL && strchr(tp.x5t, '/') == NULL);
    if (want_x5t && want_s256) {
        CHECK(strcmp(tp.x5t, want_x5t) == 0);
        CHECK(strcmp(tp.x5t_s256, want_s256) == 0);
    } else {
        fprintf(stderr, "note: JWTMINT_X5T / JWTMINT_X5T_S256 unset, openssl comparison skipped\n");
    }
    /* DER of the same certificate gives the same thumbprints. */
    CHECK_RC(jwtmint_cert_thumbprints(der.data, der.len, &tp2), OK);
    CHECK(memcmp(&tp, &tp2, sizeof tp) == 0);
    demo_tp = tp;

    /* Errors leave *out untouched. */
    memset(&tp2, 0x55, sizeof tp2);
    CHECK_RC(jwtmint_cert_thumbprints((const uint8_t *)garbage, sizeof garbage - 1, &tp2),
             JWTMINT_RESULT_CERTIFICATE_MALFORMED);
    CHECK(tp2.x5t[0] == 0x55);
    CHECK_RC(jwtmint_cert_thumbprints((const uint8_t *)no_cert, sizeof no_cert - 1, &tp2),
             JWTMINT_RESULT_CERTIFICATE_MALFORMED);
    CHECK_RC(jwtmint_cert_thumbprints(bad_der, sizeof bad_der, &tp2), JWTMINT_RESULT_CERTIFICATE_MALFORMED);
    CHECK_RC(jwtmint_cert_thumbprints(bad_utf8, sizeof bad_utf8, &tp2), JWTMINT_RESULT_INVALID_UTF8);
    CHECK_RC(jwtmint_cert_thumbprints(pem.data, 0, &tp2), JWTMINT_RESULT_CERTIFICATE_MALFORMED);
    CHECK_RC(jwtmint_cert_thumbprints(ed448.data, ed448.len, &tp2), JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE);
    CHECK(tp2.x5t[0] == 0x55);
    /* One X.509 reader for every key type: an EC certificate has thumbprints
       (recorded from openssl x509 -outform DER | openssl dgst -sha1/-sha256). */
    CHECK_RC(jwtmint_cert_thumbprints(ec.data, ec.len, &tp2), OK);
    CHECK(strcmp(tp2.x5t, "JDLiuAuBXa9YEEqiBna1C-Bj2bQ") == 0);
    CHECK(strcmp(tp2.x5t_s256, "vWGnr6RBNT7FG7ODov98SDHpCc8PSE3N2nAAkYiNXrM") == 0);
    CHECK_RC(jwtmint_cert_thumbprints(NULL, 10, &tp2), NULL_ARG);
    CHECK_RC(jwtmint_cert_thumbprints(pem.data, pem.len, NULL), NULL_ARG);

    /* The certificate belongs to the key; another one does not. */
    CHECK_RC(jwtmint_cert_check_key(pem.data, pem.len, k), OK);
    CHECK_RC(jwtmint_cert_check_key(der.data, der.len, k), OK);
    CHECK_RC(jwtmint_cert_check_key(other.data, other.len, k), JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH);
    CHECK_RC(jwtmint_cert_check_key(ec.data, ec.len, k), JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH);
    CHECK_RC(jwtmint_cert_check_key(ec.data, ec.len, ec_key), JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH);
    CHECK_RC(jwtmint_cert_check_key(ec256.data, ec256.len, ec_key), OK);
    CHECK_RC(jwtmint_cert_check_key(ec256.data, ec256.len, k), JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH);
    CHECK_RC(jwtmint_cert_check_key(ed448.data, ed448.len, k), JWTMINT_RESULT_UNSUPPORTED_KEY_TYPE);
    CHECK_RC(jwtmint_cert_check_key((const uint8_t *)garbage, sizeof garbage - 1, k),
             JWTMINT_RESULT_CERTIFICATE_MALFORMED);
    CHECK_RC(jwtmint_cert_check_key(NULL, 1, k), NULL_ARG);
    CHECK_RC(jwtmint_cert_check_key(pem.data, pem.len, NULL), NULL_ARG);

    jwtmint_key_free(k);
    jwtmint_key_free(ec_key);
    free(ec256.data);
    free(ed448.data);
    free(pem.data);
    free(der.data);
    free(other.data);
    free(ec.data);
}

/* ---------- PS256 through jwtmint_mint ---------- */

static void test_ps256(int64_t now) {
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_header_options o;
    jwtmint_claims c;
    uint8_t out[2048];
    char seg[1024];
    size_t n = 0;

    memset(&o, 0, sizeof o);
    o.alg = JWTMINT_ALG_PS256;
    o.x5t_s256 = S(demo_tp.x5t_s256);
    memset(&c, 0, sizeof c);
    c.iss = S("generic-client");
    c.sub = S("generic-client");
    c.aud = S("https://auth.example.com/token");
    c.jti = S("ps256-generic-1");
    c.has_iat = true;
    c.iat = now;
    c.has_exp = true;
    c.exp = now + 300;
    CHECK_RC(jwtmint_mint(k, &o, &c, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0);
    CHECK(contains(seg, "\"alg\":\"PS256\"") && contains(seg, demo_tp.x5t_s256));
    record("generic-ps256", now, out, n);
    jwtmint_key_free(k);
}

/* ---------- Salesforce ---------- */

static jwtmint_salesforce_options sf_options(void) {
    jwtmint_salesforce_options o;
    memset(&o, 0, sizeof o);
    o.consumer_key = S(CONSUMER_KEY);
    o.username = S(SF_USER);
    o.login = JWTMINT_SALESFORCE_PRODUCTION;
    return o;
}

static void test_salesforce(int64_t now) {
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_salesforce_options o = sf_options();
    uint8_t out[2048], body[4096], body2[4096];
    char seg[1024], want[1024];
    size_t n = 0, need = 0, len = 0, bn = 0;
    static const uint8_t bad_utf8[] = {'a', 0xff};

    /* Length query, too small (untouched), exact. */
    CHECK_RC(sf_mint(k, &o, 1700000000, NULL, 0, &need), TOO_SMALL);
    CHECK(need > 300 && need < 1024);
    memset(out, 0xAA, sizeof out);
    CHECK_RC(sf_mint(k, &o, 1700000000, out, need - 1, &n), TOO_SMALL);
    CHECK(n == need && out[0] == 0xAA && out[need - 2] == 0xAA);
    CHECK_RC(sf_mint(k, &o, 1700000000, out, need, &n), OK);
    CHECK(n == need);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 && strcmp(seg, "{\"alg\":\"RS256\"}") == 0);
    snprintf(want, sizeof want,
             "{\"iss\":\"%s\",\"sub\":\"%s\",\"aud\":\"https://login.salesforce.com\",\"exp\":1700000180}",
             CONSUMER_KEY, SF_USER);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && strcmp(seg, want) == 0);

    /* Tokens for PyJWT: production (default lifetime), sandbox (60 s), custom. */
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), OK);
    record("salesforce-production", now, out, n);
    o.login = JWTMINT_SALESFORCE_SANDBOX;
    o.lifetime = 60;
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), OK);
    record("salesforce-sandbox", now, out, n);
    o.login = JWTMINT_SALESFORCE_CUSTOM;
    o.custom_url = S("https://acme.my.salesforce.com");
    o.lifetime = 180;
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), OK);
    record("salesforce-custom", now, out, n);

    /* Token URLs with negotiation. */
    o = sf_options();
    CHECK_RC(sf_token_url(&o, NULL, 0, &len), TOO_SMALL);
    CHECK(len == strlen("https://login.salesforce.com/services/oauth2/token"));
    CHECK_RC(sf_token_url(&o, body, len - 1, &bn), TOO_SMALL);
    CHECK(bn == len);
    CHECK_RC(sf_token_url(&o, body, len, &bn), OK);
    CHECK(bn == len && memcmp(body, "https://login.salesforce.com/services/oauth2/token", len) == 0);
    o.login = JWTMINT_SALESFORCE_SANDBOX;
    CHECK_RC(sf_token_url(&o, body, sizeof body, &bn), OK);
    CHECK(bn == strlen("https://test.salesforce.com/services/oauth2/token") &&
          memcmp(body, "https://test.salesforce.com/services/oauth2/token", bn) == 0);
    o.login = JWTMINT_SALESFORCE_CUSTOM;
    o.custom_url = S("https://acme.my.salesforce.com");
    CHECK_RC(sf_token_url(&o, body, sizeof body, &bn), OK);
    CHECK(bn == strlen("https://acme.my.salesforce.com/services/oauth2/token") &&
          memcmp(body, "https://acme.my.salesforce.com/services/oauth2/token", bn) == 0);
    CHECK_RC(sf_token_url(NULL, body, sizeof body, &bn), NULL_ARG);
    CHECK_RC(sf_token_url(&o, body, sizeof body, NULL), NULL_ARG);
    CHECK_RC(sf_token_url(&o, NULL, 10, &bn), NULL_ARG);

    /* Form body == the generic RFC 7523 grant body. */
    CHECK_RC(sf_form_body(&o, out, n, NULL, 0, &need), TOO_SMALL);
    CHECK_RC(sf_form_body(&o, out, n, body, need - 1, &len), TOO_SMALL);
    CHECK(len == need);
    CHECK_RC(sf_form_body(&o, out, n, body, need, &bn), OK);
    CHECK(bn == need);
    CHECK_RC(jwtmint_form_grant_body(out, n, NULL, 0, body2, sizeof body2, &len), OK);
    CHECK(len == bn && memcmp(body, body2, bn) == 0);
    {
        static const char prefix[] = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";
        CHECK(memcmp(body, prefix, sizeof prefix - 1) == 0);
    }
    CHECK_RC(sf_form_body(&o, NULL, 1, body, sizeof body, &bn), NULL_ARG);
    CHECK_RC(sf_form_body(&o, out, n, body, sizeof body, NULL), NULL_ARG);
    CHECK_RC(sf_form_body(&o, bad_utf8, sizeof bad_utf8, body, sizeof body, &bn),
             JWTMINT_RESULT_INVALID_UTF8);

    /* Errors. */
    o = sf_options();
    o.lifetime = 181;
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    CHECK_RC(sf_token_url(&o, body, sizeof body, &n), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    o.lifetime = -5;
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), JWTMINT_RESULT_LIFETIME_NOT_POSITIVE);
    o = sf_options();
    o.consumer_key = S("");
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    o = sf_options();
    o.username = S(" user@example.com");
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    o = sf_options();
    o.username.ptr = bad_utf8;
    o.username.len = sizeof bad_utf8;
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_UTF8);
    o = sf_options();
    o.username = NONE;
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), NULL_ARG);
    o = sf_options();
    o.login = JWTMINT_SALESFORCE_CUSTOM;
    o.custom_url = S("http://acme.my.salesforce.com");
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_AUDIENCE);
    o.custom_url = S("https://acme.my.salesforce.com/");
    CHECK_RC(sf_token_url(&o, body, sizeof body, &n), JWTMINT_RESULT_INVALID_AUDIENCE);
    o.custom_url = NONE;
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), NULL_ARG);
    o = sf_options();
    o.custom_url = S("https://acme.my.salesforce.com"); /* without CUSTOM */
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_ARGUMENT);
    o = sf_options();
    o.login = 3;
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_ARGUMENT);
    o = sf_options();
    CHECK_RC(sf_mint(k, &o, 1700000000000LL, out, sizeof out, &n),
             JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS);
    CHECK_RC(sf_mint(k, &o, -1000, out, sizeof out, &n), JWTMINT_RESULT_NEGATIVE_TIMESTAMP);
    CHECK_RC(sf_mint(k, &o, INT64_MAX, out, sizeof out, &n), JWTMINT_RESULT_LENGTH_OVERFLOW);
    CHECK_RC(sf_mint(NULL, &o, now, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(sf_mint(k, NULL, now, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(sf_mint(k, &o, now, out, sizeof out, NULL), NULL_ARG);
    CHECK_RC(sf_mint(k, &o, now, NULL, 10, &n), NULL_ARG);

    jwtmint_key_free(k);
}

/* ---------- Google ---------- */

static void expect_account(const char *json, jwtmint_result want) {
    jwtmint_google_account *sentinel = (jwtmint_google_account *)(uintptr_t)0x10;
    jwtmint_google_account *a = sentinel;
    CHECK_RC(jwtmint_google_account_new_from_json((const uint8_t *)json, strlen(json), &a), want);
    if (want == OK) {
        CHECK(a != sentinel && a != NULL);
        jwtmint_google_account_free(a);
    } else {
        CHECK(a == sentinel);
    }
}

static void test_google(int64_t now) {
    blob json = read_file(SA_JSON);
    jwtmint_google_account *a = NULL;
    jwtmint_google_options o;
    jwtmint_str scopes[2];
    uint8_t out[2048], buf[256], body[4096], body2[4096];
    char seg[2048], want[1024];
    size_t n = 0, need = 0, len = 0;
    static const char *email = "jwtmint-demo@jwtmint-demo.iam.gserviceaccount.com";
    static const char *kid = "0123456789abcdef0123456789abcdef01234567";
    static const char *token_uri = "https://oauth2.googleapis.com/token";
    /* The demo key file with `private_key` replaced, to reach the key errors. */
    static const char no_key[] = "{\"type\":\"service_account\",\"client_email\":\"a@b.iam.gserviceaccount.com\"}";
    static const char bad_key[] =
        "{\"type\":\"service_account\",\"client_email\":\"a@b.c\",\"private_key\":\"-----BEGIN PRIVATE "
        "KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"}";

    CHECK_RC(jwtmint_google_account_new_from_json(json.data, json.len, &a), OK);

    /* Accessors with negotiation. */
    CHECK_RC(jwtmint_google_account_client_email(a, NULL, 0, &need), TOO_SMALL);
    CHECK(need == strlen(email));
    memset(buf, 0xAA, sizeof buf);
    CHECK_RC(jwtmint_google_account_client_email(a, buf, need - 1, &len), TOO_SMALL);
    CHECK(len == need && buf[0] == 0xAA);
    CHECK_RC(jwtmint_google_account_client_email(a, buf, need, &len), OK);
    CHECK(len == strlen(email) && memcmp(buf, email, len) == 0);
    CHECK_RC(jwtmint_google_account_token_uri(a, buf, sizeof buf, &len), OK);
    CHECK(len == strlen(token_uri) && memcmp(buf, token_uri, len) == 0);
    CHECK_RC(jwtmint_google_account_token_uri(a, buf, 3, &len), TOO_SMALL);
    CHECK(len == strlen(token_uri));
    CHECK_RC(jwtmint_google_account_private_key_id(a, buf, sizeof buf, &len), OK);
    CHECK(len == strlen(kid) && memcmp(buf, kid, len) == 0);
    CHECK_RC(jwtmint_google_account_client_email(NULL, buf, sizeof buf, &len), NULL_ARG);
    CHECK_RC(jwtmint_google_account_token_uri(a, buf, sizeof buf, NULL), NULL_ARG);
    CHECK_RC(jwtmint_google_account_private_key_id(a, NULL, 5, &len), NULL_ARG);

    /* Mint: negotiation, exact claims. */
    scopes[0] = S("https://www.googleapis.com/auth/devstorage.read_only");
    scopes[1] = S("https://www.googleapis.com/auth/cloud-platform");
    memset(&o, 0, sizeof o);
    o.scopes = scopes;
    o.scope_count = 2;
    CHECK_RC(g_mint(a, &o, 1700000000, NULL, 0, &need), TOO_SMALL);
    memset(out, 0xAA, sizeof out);
    CHECK_RC(g_mint(a, &o, 1700000000, out, need - 1, &n), TOO_SMALL);
    CHECK(n == need && out[0] == 0xAA);
    CHECK_RC(g_mint(a, &o, 1700000000, out, need, &n), OK);
    CHECK(n == need);
    snprintf(want, sizeof want, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", kid);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 && strcmp(seg, want) == 0);
    snprintf(want, sizeof want,
             "{\"iss\":\"%s\",\"aud\":\"%s\",\"exp\":1700003600,\"iat\":1700000000,"
             "\"scope\":\"https://www.googleapis.com/auth/devstorage.read_only "
             "https://www.googleapis.com/auth/cloud-platform\"}",
             email, token_uri);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0);
    /* Member order is the library's; check each member. */
    CHECK(contains(seg, "\"iss\":\"jwtmint-demo@jwtmint-demo.iam.gserviceaccount.com\""));
    CHECK(contains(seg, "\"aud\":\"https://oauth2.googleapis.com/token\""));
    CHECK(contains(seg, "\"exp\":1700003600") && contains(seg, "\"iat\":1700000000"));
    CHECK(contains(seg, "\"scope\":\"https://www.googleapis.com/auth/devstorage.read_only "
                        "https://www.googleapis.com/auth/cloud-platform\""));
    CHECK(!contains(seg, "\"sub\""));
    (void)want;

    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), OK);
    record("google", now, out, n);
    o.subject = S("admin@example.com");
    o.lifetime = 600;
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"sub\":\"admin@example.com\""));
    record("google-sub", now, out, n);

    /* Form body == the generic grant body. */
    CHECK_RC(g_form_body(a, &o, out, n, NULL, 0, &need), TOO_SMALL);
    CHECK_RC(g_form_body(a, &o, out, n, body, need, &len), OK);
    CHECK_RC(jwtmint_form_grant_body(out, n, NULL, 0, body2, sizeof body2, &n), OK);
    CHECK(len == n && memcmp(body, body2, n) == 0);
    CHECK_RC(g_form_body(a, &o, NULL, 3, body, sizeof body, &len), NULL_ARG);

    /* Mint errors. */
    o.lifetime = 3601;
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    o.lifetime = -1;
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), JWTMINT_RESULT_LIFETIME_NOT_POSITIVE);
    o.lifetime = 0;
    o.subject = S("");
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    o.subject = NONE;
    o.scope_count = 0;
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    o.scope_count = 2;
    scopes[1] = S("two scopes");
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    scopes[1] = NONE;
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), NULL_ARG);
    scopes[1] = S("https://www.googleapis.com/auth/cloud-platform");
    o.scopes = NULL;
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, &n), NULL_ARG);
    o.scopes = scopes;
    CHECK_RC(g_mint(a, &o, 1700000000000LL, out, sizeof out, &n),
             JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS);
    CHECK_RC(g_mint(NULL, &o, now, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(g_mint(a, NULL, now, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(g_mint(a, &o, now, out, sizeof out, NULL), NULL_ARG);
    CHECK_RC(g_mint(a, &o, now, NULL, 100, &n), NULL_ARG);

    /* Key-file errors. */
    expect_account("{not json", JWTMINT_RESULT_SERVICE_ACCOUNT_JSON);
    expect_account(no_key, JWTMINT_RESULT_SERVICE_ACCOUNT_JSON);
    expect_account("{\"type\":\"authorized_user\",\"private_key\":\"x\",\"client_email\":\"a@b.c\"}",
                   JWTMINT_RESULT_SERVICE_ACCOUNT_JSON);
    expect_account(bad_key, JWTMINT_RESULT_KEY_MALFORMED);
    {
        /* The real key with a bad client_email / token_uri. */
        char *doc = (char *)malloc(json.len + 64);
        char *p;
        memcpy(doc, json.data, json.len + 1);
        p = strstr(doc, "https://oauth2.googleapis.com/token");
        CHECK(p != NULL);
        if (p) {
            memcpy(p, "http:/", 6); /* "http://oauth2..." without the s */
            memmove(p + 6, p + 7, strlen(p + 7) + 1);
            expect_account(doc, JWTMINT_RESULT_INVALID_AUDIENCE);
        }
        memcpy(doc, json.data, json.len + 1);
        p = strstr(doc, "\"jwtmint-demo@jwtmint-demo.iam.gserviceaccount.com\"");
        CHECK(p != NULL);
        if (p) {
            memmove(p + 1, p + strlen("\"jwtmint-demo@jwtmint-demo.iam.gserviceaccount.com"),
                    strlen(p + strlen("\"jwtmint-demo@jwtmint-demo.iam.gserviceaccount.com")) + 1);
            expect_account(doc, JWTMINT_RESULT_INVALID_FIELD);
        }
        free(doc);
    }
    CHECK_RC(jwtmint_google_account_new_from_json(NULL, 3, &a), NULL_ARG);
    CHECK_RC(jwtmint_google_account_new_from_json(json.data, json.len, NULL), NULL_ARG);
    jwtmint_google_account_free(NULL);

    jwtmint_google_account_free(a);
    free(json.data);
}

/* ---------- Microsoft Entra ---------- */

static jwtmint_entra_options entra_options(void) {
    jwtmint_entra_options o;
    memset(&o, 0, sizeof o);
    o.tenant = S(TENANT);
    o.client_id = S(CLIENT_ID);
    o.thumbprint_kind = JWTMINT_THUMBPRINT_SHA256;
    o.thumbprint = S(demo_tp.x5t_s256);
    return o;
}

static int is_uuid_v4(const char *s) {
    int i;
    for (i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return s[14] == '4' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

/* The `jti` value of a payload, copied out (36 chars for a UUID). */
static void payload_jti(const char *payload, char *jti, size_t cap) {
    const char *p = strstr(payload, "\"jti\":\"");
    size_t i = 0;
    jti[0] = 0;
    if (!p) return;
    p += 7;
    while (p[i] && p[i] != '"' && i + 1 < cap) {
        jti[i] = p[i];
        i++;
    }
    jti[i] = 0;
}

static void test_entra(int64_t now) {
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_entra_options o = entra_options();
    uint8_t out[2048], out2[2048], body[4096];
    char seg[1024], want[256], jti1[64], jti2[64];
    size_t n = 0, n2 = 0, need = 0, len = 0;
    static const char *url = "https://login.microsoftonline.com/" TENANT "/oauth2/v2.0/token";
    static const char *scope = "https://graph.microsoft.com/.default";

    /* PS256 + x5t#S256, caller jti, negotiation. */
    CHECK_RC(e_mint(k, &o, 1700000000, S("3c5b2c8e-5d0f-4d52-9a3c-1f1f5f6b7a11"), NULL, 0, &need),
             TOO_SMALL);
    memset(out, 0xAA, sizeof out);
    CHECK_RC(e_mint(k, &o, 1700000000, S("3c5b2c8e-5d0f-4d52-9a3c-1f1f5f6b7a11"), out, need - 1, &n),
             TOO_SMALL);
    CHECK(n == need && out[0] == 0xAA);
    CHECK_RC(e_mint(k, &o, 1700000000, S("3c5b2c8e-5d0f-4d52-9a3c-1f1f5f6b7a11"), out, need, &n), OK);
    CHECK(n == need);
    snprintf(want, sizeof want, "{\"alg\":\"PS256\",\"typ\":\"JWT\",\"x5t#S256\":\"%s\"}", demo_tp.x5t_s256);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 && strcmp(seg, want) == 0);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0);
    CHECK(contains(seg, "\"iss\":\"" CLIENT_ID "\"") && contains(seg, "\"sub\":\"" CLIENT_ID "\""));
    CHECK(contains(seg, "\"aud\":\"https://login.microsoftonline.com/" TENANT "/oauth2/v2.0/token\""));
    CHECK(contains(seg, "\"jti\":\"3c5b2c8e-5d0f-4d52-9a3c-1f1f5f6b7a11\""));
    CHECK(contains(seg, "\"nbf\":1700000000") && contains(seg, "\"iat\":1700000000") &&
          contains(seg, "\"exp\":1700000300"));
    /* PS256 is randomised: same input, different signature. */
    CHECK_RC(e_mint(k, &o, 1700000000, S("3c5b2c8e-5d0f-4d52-9a3c-1f1f5f6b7a11"), out2, sizeof out2,
                                &n2),
             OK);
    CHECK(n2 == n && memcmp(out, out2, n) != 0);

    /* Random jti: UUID v4, different every call, same length. */
    CHECK_RC(e_mint(k, &o, now, NONE, NULL, 0, &need), TOO_SMALL);
    CHECK_RC(e_mint(k, &o, now, NONE, out, need, &n), OK);
    CHECK(n == need);
    CHECK_RC(e_mint(k, &o, now, NONE, out2, sizeof out2, &n2), OK);
    CHECK(n2 == n);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0);
    payload_jti(seg, jti1, sizeof jti1);
    CHECK(jwt_segment(out2, n2, 1, seg, sizeof seg) > 0);
    payload_jti(seg, jti2, sizeof jti2);
    CHECK(strlen(jti1) == 36 && is_uuid_v4(jti1) && strlen(jti2) == 36 && is_uuid_v4(jti2));
    CHECK(strcmp(jti1, jti2) != 0);
    record("entra-ps256", now, out, n);
    record("entra-ps256", now, out2, n2);

    /* Token URL and form body. */
    CHECK_RC(e_token_url(&o, NULL, 0, &len), TOO_SMALL);
    CHECK(len == strlen(url));
    CHECK_RC(e_token_url(&o, body, len - 1, &need), TOO_SMALL);
    CHECK(need == len);
    CHECK_RC(e_token_url(&o, body, len, &need), OK);
    CHECK(need == len && memcmp(body, url, len) == 0);
    CHECK_RC(e_form_body(&o, out, n, S(scope), NULL, 0, &need), TOO_SMALL);
    CHECK_RC(e_form_body(&o, out, n, S(scope), body, need - 1, &len), TOO_SMALL);
    CHECK(len == need);
    CHECK_RC(e_form_body(&o, out, n, S(scope), body, need, &len), OK);
    CHECK(len == need);
    {
        static const char prefix[] =
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
            "&client_assertion=";
        CHECK(memcmp(body, prefix, sizeof prefix - 1) == 0);
    }
    body[len] = 0;
    CHECK(contains((const char *)body, "&client_id=" CLIENT_ID));
    CHECK(contains((const char *)body, "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"));
    CHECK(contains((const char *)body, "&grant_type=client_credentials"));
    if (tokens) fprintf(tokens, "entra-form %lld %.*s\n", (long long)now, (int)len, (const char *)body);
    /* Percent-encoding of every special character (verify_profiles.py parses it back). */
    CHECK_RC(e_form_body(&o, out, n, S("api://x/.default a+b=c&d%e \xc3\xa9"), body, sizeof body, &len),
             OK);
    body[len] = 0;
    CHECK(contains((const char *)body, "&scope=api%3A%2F%2Fx%2F.default+a%2Bb%3Dc%26d%25e+%C3%A9&") ||
          contains((const char *)body, "&scope=api%3A%2F%2Fx%2F.default%20a%2Bb%3Dc%26d%25e%20%C3%A9&"));
    if (tokens) fprintf(tokens, "entra-form-special %lld %.*s\n", (long long)now, (int)len, (const char *)body);

    /* Legacy RS256 + x5t, sovereign-cloud authority, 600 s. */
    o.thumbprint_kind = JWTMINT_THUMBPRINT_SHA1;
    o.thumbprint = S(demo_tp.x5t);
    o.authority = S("https://login.microsoftonline.us");
    o.lifetime = 600;
    CHECK_RC(e_mint(k, &o, now, S("legacy-jti-1"), out, sizeof out, &n), OK);
    snprintf(want, sizeof want, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"%s\"}", demo_tp.x5t);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 && strcmp(seg, want) == 0);
    record("entra-rs256-us", now, out, n);
    CHECK_RC(e_token_url(&o, body, sizeof body, &len), OK);
    CHECK(len == strlen("https://login.microsoftonline.us/" TENANT "/oauth2/v2.0/token") &&
          memcmp(body, "https://login.microsoftonline.us/" TENANT "/oauth2/v2.0/token", len) == 0);

    /* Errors. */
    o = entra_options();
    o.thumbprint = S("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B"); /* hex, not Base64Url */
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    o.thumbprint = S(demo_tp.x5t); /* SHA-1 value with the SHA-256 kind */
    CHECK_RC(e_token_url(&o, body, sizeof body, &n), JWTMINT_RESULT_INVALID_FIELD);
    o = entra_options();
    o.thumbprint_kind = 2;
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_INVALID_ARGUMENT);
    o = entra_options();
    o.tenant = S("common");
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    o = entra_options();
    o.client_id = S("");
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    o = entra_options();
    o.authority = S("http://login.microsoftonline.com");
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_INVALID_AUDIENCE);
    o = entra_options();
    o.lifetime = 601;
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    o.lifetime = -1;
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_LIFETIME_NOT_POSITIVE);
    o = entra_options();
    CHECK_RC(e_mint(k, &o, now, S(""), out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    CHECK_RC(e_mint(k, &o, -5, NONE, out, sizeof out, &n), JWTMINT_RESULT_NEGATIVE_TIMESTAMP);
    CHECK_RC(e_mint(NULL, &o, now, NONE, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(e_mint(k, NULL, now, NONE, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, NULL), NULL_ARG);
    CHECK_RC(e_mint(k, &o, now, NONE, NULL, 9, &n), NULL_ARG);
    o.tenant = NONE;
    CHECK_RC(e_mint(k, &o, now, NONE, out, sizeof out, &n), NULL_ARG);
    o = entra_options();
    CHECK_RC(e_token_url(NULL, body, sizeof body, &len), NULL_ARG);
    CHECK_RC(e_token_url(&o, body, sizeof body, NULL), NULL_ARG);
    /* Without a scope the body has none (Entra then refuses the request). */
    CHECK_RC(e_form_body(&o, out, n, NONE, body, sizeof body, &len), OK);
    body[len < sizeof body ? len : sizeof body - 1] = 0;
    CHECK(!contains((const char *)body, "scope=") && contains((const char *)body, "&grant_type=client_credentials"));
    CHECK_RC(e_form_body(&o, NULL, 1, S(scope), body, sizeof body, &len), NULL_ARG);
    CHECK_RC(e_form_body(NULL, out, n, S(scope), body, sizeof body, &len), NULL_ARG);
    CHECK_RC(e_form_body(&o, out, n, S(scope), body, sizeof body, NULL), NULL_ARG);

    /* A PS256 profile with an RS256-only key path is impossible: the key signs
     * with the profile's algorithm. The certificate check before minting: */
    {
        blob other = read_file(OTHER_CERT);
        CHECK_RC(jwtmint_cert_check_key(other.data, other.len, k), JWTMINT_RESULT_CERTIFICATE_KEY_MISMATCH);
        free(other.data);
    }
    jwtmint_key_free(k);
}

/* ---------- one account and one key shared by threads ---------- */

typedef struct {
    const jwtmint_key *key;
    const jwtmint_profile *google;
    const jwtmint_profile *entra;
    int64_t now;
    size_t iters;
    int errors;
} thread_arg;

static void *profile_thread(void *p) {
    thread_arg *a = (thread_arg *)p;
    uint8_t out[2048];
    size_t i, n;
    for (i = 0; i < a->iters; i++) {
        if (jwtmint_profile_mint(a->google, NULL, a->now, NONE, out, sizeof out, &n) != OK) a->errors++;
        if (jwtmint_profile_mint(a->entra, a->key, a->now, NONE, out, sizeof out, &n) != OK) a->errors++;
    }
    return NULL;
}

/* Profile handles built once and shared `const` by every thread. */
static void test_threads(int64_t now) {
    const char *t = getenv("JWTMINT_TEST_THREADS"), *it = getenv("JWTMINT_TEST_ITERS");
    size_t nthreads = t && *t ? (size_t)strtoul(t, NULL, 10) : 4;
    size_t iters = it && *it ? (size_t)strtoul(it, NULL, 10) : 25;
    blob json = read_file(SA_JSON);
    jwtmint_google_account *acct = NULL;
    jwtmint_profile *google = NULL, *entra = NULL;
    jwtmint_google_options go;
    jwtmint_str scope = S("https://www.googleapis.com/auth/cloud-platform");
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_entra_options eo = entra_options();
    pthread_t *threads = (pthread_t *)calloc(nthreads, sizeof *threads);
    thread_arg *args = (thread_arg *)calloc(nthreads, sizeof *args);
    size_t i;
    int errors = 0;

    CHECK_RC(jwtmint_google_account_new_from_json(json.data, json.len, &acct), OK);
    free(json.data); /* the account keeps nothing from the JSON text */
    memset(&go, 0, sizeof go);
    go.scopes = &scope;
    go.scope_count = 1;
    CHECK_RC(jwtmint_google_profile_new(acct, &go, &google), OK);
    jwtmint_google_account_free(acct); /* the profile keeps its own reference to the key */
    CHECK_RC(jwtmint_entra_profile_new(&eo, &entra), OK);
    for (i = 0; i < nthreads; i++) {
        args[i].key = k;
        args[i].google = google;
        args[i].entra = entra;
        args[i].now = now;
        args[i].iters = iters;
        CHECK(pthread_create(&threads[i], NULL, profile_thread, &args[i]) == 0);
    }
    for (i = 0; i < nthreads; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        errors += args[i].errors;
    }
    CHECK(errors == 0);
    printf("threads: %lu x %lu Google + Entra assertions with shared profile handles, %d errors\n",
           (unsigned long)nthreads, (unsigned long)iters, errors);
    free(threads);
    free(args);
    jwtmint_profile_free(google);
    jwtmint_profile_free(entra);
    jwtmint_key_free(k);
}

/* ---------- the profile handle itself ---------- */

static void test_handles(int64_t now) {
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_salesforce_options so = sf_options();
    jwtmint_entra_options eo = entra_options();
    jwtmint_profile *sentinel = (jwtmint_profile *)(uintptr_t)0x10;
    jwtmint_profile *sf = NULL, *bad = sentinel, *entra = NULL, *google = NULL;
    jwtmint_google_account *acct = NULL;
    jwtmint_google_options go;
    jwtmint_str scope = S("https://www.googleapis.com/auth/cloud-platform");
    blob json = read_file(SA_JSON);
    uint8_t out[2048], out2[2048];
    char seg[1024];
    size_t n = 0, n2 = 0;

    /* Built once, minted many times: RS256 is deterministic, so equal bytes. */
    CHECK_RC(jwtmint_salesforce_profile_new(&so, &sf), OK);
    CHECK_RC(jwtmint_profile_mint(sf, k, now, NONE, out, sizeof out, &n), OK);
    CHECK_RC(jwtmint_profile_mint(sf, k, now, NONE, out2, sizeof out2, &n2), OK);
    CHECK(n == n2 && memcmp(out, out2, n) == 0);
    /* A caller jti is written for Salesforce too. */
    CHECK_RC(jwtmint_profile_mint(sf, k, now, S("id-1"), out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, ",\"jti\":\"id-1\"}"));
    CHECK_RC(jwtmint_profile_mint(sf, k, now, S(""), out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);

    /* Argument checks of the handle functions. */
    CHECK_RC(jwtmint_profile_mint(NULL, k, now, NONE, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(jwtmint_profile_mint(sf, NULL, now, NONE, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(jwtmint_profile_mint(sf, k, now, NONE, out, sizeof out, NULL), NULL_ARG);
    CHECK_RC(jwtmint_profile_token_url(NULL, out, sizeof out, &n), NULL_ARG);
    CHECK_RC(jwtmint_profile_token_request_body(NULL, out, 3, out2, sizeof out2, &n), NULL_ARG);
    CHECK_RC(jwtmint_salesforce_profile_new(&so, NULL), NULL_ARG);
    /* A failed constructor leaves *out untouched. */
    so.lifetime = 181;
    CHECK_RC(jwtmint_salesforce_profile_new(&so, &bad), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    CHECK(bad == sentinel);
    CHECK_RC(jwtmint_entra_profile_new(NULL, &bad), NULL_ARG);
    CHECK(bad == sentinel);
    jwtmint_profile_free(NULL);

    /* Entra requires a jti: an empty one is refused, none draws a UUID. */
    CHECK_RC(jwtmint_entra_profile_new(&eo, &entra), OK);
    CHECK_RC(jwtmint_profile_mint(entra, k, now, S(""), out, sizeof out, &n), JWTMINT_RESULT_INVALID_FIELD);
    CHECK_RC(jwtmint_profile_mint(entra, k, now, NONE, out, sizeof out, &n), OK);

    /* Google signs with its account's key: another key is refused. */
    CHECK_RC(jwtmint_google_account_new_from_json(json.data, json.len, &acct), OK);
    memset(&go, 0, sizeof go);
    go.scopes = &scope;
    go.scope_count = 1;
    CHECK_RC(jwtmint_google_profile_new(acct, &go, &google), OK);
    CHECK_RC(jwtmint_google_profile_new(NULL, &go, &bad), NULL_ARG);
    CHECK(bad == sentinel);
    CHECK_RC(jwtmint_profile_mint(google, k, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(jwtmint_profile_mint(google, NULL, now, NONE, out, sizeof out, &n), OK);
    /* Freeing the account first is fine: the profile holds the key. */
    jwtmint_google_account_free(acct);
    CHECK_RC(jwtmint_profile_mint(google, NULL, now, NONE, out2, sizeof out2, &n2), OK);
    CHECK(n == n2 && memcmp(out, out2, n) == 0);

    free(json.data);
    jwtmint_profile_free(google);
    jwtmint_profile_free(entra);
    jwtmint_profile_free(sf);
    jwtmint_key_free(k);
}

/* ---------- github-app, snowflake, docusign, okta, auth0 ---------- */

static void test_more_profiles(int64_t now) {
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_profile *p = NULL, *sentinel = (jwtmint_profile *)(uintptr_t)0x10, *bad = sentinel;
    uint8_t out[2048], body[4096];
    char seg[1024];
    size_t n = 0, m = 0;

    /* GitHub App: iat = now - 60, bearer POST with no body. */
    jwtmint_github_app_options go = {S("Iv23liABCDEF12345678"), 4242, NONE, 0};
    CHECK_RC(jwtmint_github_app_profile_new(&go, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"iss\":\"Iv23liABCDEF12345678\""));
    CHECK_RC(jwtmint_profile_token_url(p, body, sizeof body, &m), OK);
    CHECK(m == strlen("https://api.github.com/app/installations/4242/access_tokens"));
    CHECK_RC(jwtmint_profile_token_request_body(p, out, n, body, sizeof body, &m), OK);
    CHECK(m == 0);
    jwtmint_profile_free(p);
    go.lifetime = 601;
    CHECK_RC(jwtmint_github_app_profile_new(&go, &bad), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    CHECK(bad == sentinel);
    go.lifetime = 0;
    go.installation_id = 0;
    CHECK_RC(jwtmint_github_app_profile_new(&go, &bad), JWTMINT_RESULT_INVALID_FIELD);

    /* Snowflake: fingerprint from the key, no token request. */
    jwtmint_snowflake_options so = {S("xy12345.us-east-2.aws"), S("jsmith"), 0};
    CHECK_RC(jwtmint_snowflake_profile_new(&so, NULL, &bad), NULL_ARG);
    CHECK_RC(jwtmint_snowflake_profile_new(&so, k, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 &&
          contains(seg, "\"iss\":\"XY12345.JSMITH.SHA256:ftMp0SsQARgXaOvg2EQC+6lWgfwfamJ08sgejlTwwV0=\""));
    CHECK_RC(jwtmint_profile_token_url(p, body, sizeof body, &m), JWTMINT_RESULT_INVALID_ARGUMENT);
    jwtmint_profile_free(p);
    so.lifetime = 3601;
    CHECK_RC(jwtmint_snowflake_profile_new(&so, k, &bad), JWTMINT_RESULT_LIFETIME_TOO_LONG);

    /* DocuSign: aud host, scope must hold impersonation. */
    jwtmint_docusign_options dso = {S("ik"), S("uid"), JWTMINT_DOCUSIGN_PRODUCTION, NONE, 0};
    CHECK_RC(jwtmint_docusign_profile_new(&dso, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"aud\":\"account.docusign.com\""));
    jwtmint_profile_free(p);
    dso.scope = S("signature");
    CHECK_RC(jwtmint_docusign_profile_new(&dso, &bad), JWTMINT_RESULT_INVALID_FIELD);
    dso.scope = NONE;
    dso.environment = 2;
    CHECK_RC(jwtmint_docusign_profile_new(&dso, &bad), JWTMINT_RESULT_INVALID_ARGUMENT);

    /* Okta and Auth0: jti drawn, algorithms and lifetimes checked. */
    jwtmint_private_key_jwt_options oo = {S("https://acme.okta.com/oauth2/v1/token"), S("0oa1"), JWTMINT_ALG_RS256,
                                          S("k1"), NONE, 0};
    CHECK_RC(jwtmint_okta_profile_new(&oo, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"jti\":\""));
    jwtmint_profile_free(p);
    oo.alg = JWTMINT_ALG_PS256;
    CHECK_RC(jwtmint_okta_profile_new(&oo, &bad), JWTMINT_RESULT_INVALID_FIELD);
    oo.alg = JWTMINT_ALG_RS256;
    oo.lifetime = 3601;
    CHECK_RC(jwtmint_okta_profile_new(&oo, &bad), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    jwtmint_private_key_jwt_options ao = {S("acme.auth0.com"), S("c1"), JWTMINT_ALG_PS256, NONE, NONE, 0};
    CHECK_RC(jwtmint_auth0_profile_new(&ao, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"aud\":\"https://acme.auth0.com/\""));
    jwtmint_profile_free(p);
    ao.lifetime = 301;
    CHECK_RC(jwtmint_auth0_profile_new(&ao, &bad), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    CHECK(bad == sentinel);
    CHECK_RC(jwtmint_auth0_profile_new(NULL, &bad), NULL_ARG);

    /* Apple: ES256 with the P-256 .p8 key; an RSA key is refused at mint. */
    jwtmint_key *ec = load_key("tests/data/ec-p256.pem");
    jwtmint_apple_options ap = {S("ABC123DEFG"), S("DEF123GHIJ"), NONE, 0};
    CHECK_RC(jwtmint_apns_profile_new(&ap, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, ec, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 && strcmp(seg, "{\"alg\":\"ES256\",\"kid\":\"ABC123DEFG\"}") == 0);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"iss\":\"DEF123GHIJ\"") && !contains(seg, "exp"));
    CHECK(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n) != OK);
    CHECK_RC(jwtmint_profile_token_url(p, body, sizeof body, &m), JWTMINT_RESULT_INVALID_ARGUMENT);
    jwtmint_profile_free(p);
    ap.lifetime = 1200;
    CHECK_RC(jwtmint_apns_profile_new(&ap, &bad), JWTMINT_RESULT_INVALID_FIELD);
    ap.lifetime = 0;
    ap.key_id = S("ABC");
    CHECK_RC(jwtmint_apns_profile_new(&ap, &bad), JWTMINT_RESULT_INVALID_FIELD);
    jwtmint_apple_options asc = {S("2X9R4HXF34"), S("57246542-96fe-1a63-e053-0824d011072a"), NONE, 1201};
    CHECK_RC(jwtmint_app_store_connect_profile_new(&asc, &bad), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    asc.lifetime = 0;
    CHECK_RC(jwtmint_app_store_connect_profile_new(&asc, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, ec, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"aud\":\"appstoreconnect-v1\""));
    jwtmint_profile_free(p);
    jwtmint_apple_options siwa = {S("ABC123DEFG"), S("DEF123GHIJ"), NONE, 0};
    CHECK_RC(jwtmint_sign_in_with_apple_profile_new(&siwa, &bad), NULL_ARG);
    siwa.client_id = S("com.example.web");
    CHECK_RC(jwtmint_sign_in_with_apple_profile_new(&siwa, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, ec, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"sub\":\"com.example.web\""));
    jwtmint_profile_free(p);
    CHECK(bad == sentinel);

    /* Box: the config carries its own (passphrase-encrypted) key; NULL key at mint. */
    blob cfg = read_file("tests/data/box-config.json");
    jwtmint_box_options bo = {cfg.data, cfg.len, NONE, 0};
    CHECK_RC(jwtmint_box_profile_new(&bo, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, NULL, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 && contains(seg, "\"kid\":\"abcd1234\""));
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"iss\":\"abc123clientid\"") &&
          contains(seg, "\"sub\":\"1234567\"") && contains(seg, "\"box_sub_type\":\"enterprise\"") &&
          contains(seg, "\"jti\":\""));
    CHECK_RC(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n), JWTMINT_RESULT_INVALID_ARGUMENT);
    jwtmint_profile_free(p);
    bo.user_id = S("9876");
    CHECK_RC(jwtmint_box_profile_new(&bo, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, NULL, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"box_sub_type\":\"user\""));
    jwtmint_profile_free(p);
    bo.lifetime = 61;
    CHECK_RC(jwtmint_box_profile_new(&bo, &bad), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    bo.lifetime = 0;
    bo.config_json_len = 0;
    CHECK_RC(jwtmint_box_profile_new(&bo, &bad), NULL_ARG);
    bo.config_json_len = cfg.len / 2;
    CHECK(jwtmint_box_profile_new(&bo, &bad) != OK);
    CHECK(bad == sentinel);
    free(cfg.data);
    jwtmint_key_free(ec);
    jwtmint_key_free(k);
}

/* ---------- keycloak (declared provider: generated constructor) ---------- */

#define KC_ISSUER "https://sso.example.com/realms/acme"
#define KC_TOKEN_URL KC_ISSUER "/protocol/openid-connect/token"

static void test_keycloak(int64_t now) {
    jwtmint_key *k = load_key(DEMO_KEY), *ec = load_key("tests/data/ec-p256.pem");
    jwtmint_profile *p = NULL, *sentinel = (jwtmint_profile *)(uintptr_t)0x10, *bad = sentinel;
    uint8_t out[2048], url[256];
    char seg[1024], want[512];
    size_t n = 0, m = 0;

    jwtmint_keycloak_options ko = {S(KC_ISSUER), S("svc-billing"), JWTMINT_ALG_RS256, NONE, S("openid"), 0};
    CHECK_RC(jwtmint_keycloak_profile_new(&ko, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, k, now, S("jti-1"), out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 && strcmp(seg, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}") == 0);
    snprintf(want, sizeof want,
             "{\"iss\":\"svc-billing\",\"sub\":\"svc-billing\",\"aud\":\"" KC_ISSUER
             "\",\"exp\":%lld,\"iat\":%lld,\"jti\":\"jti-1\"}",
             (long long)(now + 60), (long long)now);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && strcmp(seg, want) == 0);
    CHECK_RC(jwtmint_profile_token_url(p, url, sizeof url, &m), OK);
    CHECK(m == strlen(KC_TOKEN_URL) && memcmp(url, KC_TOKEN_URL, m) == 0);
    /* No jti: a UUID v4 is drawn (Keycloak refuses a reused assertion). */
    CHECK_RC(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"jti\":\""));
    jwtmint_profile_free(p);

    /* ES256 with the P-256 key, kid in the header, the token endpoint as aud. */
    jwtmint_keycloak_options ke = {S(KC_TOKEN_URL), S("svc-billing"), JWTMINT_ALG_ES256, S("kc1"), NONE, 30};
    CHECK_RC(jwtmint_keycloak_profile_new(&ke, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, ec, now, S("j"), out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 &&
          strcmp(seg, "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"kc1\"}") == 0);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"aud\":\"" KC_TOKEN_URL "\"") &&
          contains(seg, "\"exp\":"));
    CHECK_RC(jwtmint_profile_token_url(p, url, sizeof url, &m), OK);
    CHECK(m == strlen(KC_TOKEN_URL) && memcmp(url, KC_TOKEN_URL, m) == 0);
    jwtmint_profile_free(p);

    /* A development Keycloak on the loopback over http. */
    jwtmint_keycloak_options kd = {S("http://localhost:8080/realms/dev"), S("svc"), JWTMINT_ALG_RS256, NONE, NONE, 0};
    CHECK_RC(jwtmint_keycloak_profile_new(&kd, &p), OK);
    CHECK_RC(jwtmint_profile_token_url(p, url, sizeof url, &m), OK);
    CHECK(m == strlen("http://localhost:8080/realms/dev/protocol/openid-connect/token"));
    jwtmint_profile_free(p);

    /* Keycloak's rules, each with its code; `out` untouched on failure. */
    ko.lifetime = 61;
    CHECK_RC(jwtmint_keycloak_profile_new(&ko, &bad), JWTMINT_RESULT_LIFETIME_TOO_LONG);
    ko.lifetime = 0;
    ko.alg = JWTMINT_ALG_RS384;
    CHECK_RC(jwtmint_keycloak_profile_new(&ko, &bad), JWTMINT_RESULT_INVALID_FIELD);
    ko.alg = 999;
    CHECK_RC(jwtmint_keycloak_profile_new(&ko, &bad), JWTMINT_RESULT_INVALID_ARGUMENT);
    ko.alg = JWTMINT_ALG_RS256;
    ko.endpoint = S("https://sso.example.com/oauth2/token");
    CHECK_RC(jwtmint_keycloak_profile_new(&ko, &bad), JWTMINT_RESULT_INVALID_AUDIENCE);
    ko.endpoint = S("http://sso.example.com/realms/acme");
    CHECK_RC(jwtmint_keycloak_profile_new(&ko, &bad), JWTMINT_RESULT_INVALID_AUDIENCE);
    ko.endpoint = NONE;
    CHECK_RC(jwtmint_keycloak_profile_new(&ko, &bad), NULL_ARG);
    CHECK_RC(jwtmint_keycloak_profile_new(NULL, &bad), NULL_ARG);
    CHECK(bad == sentinel);
    jwtmint_key_free(ec);
    jwtmint_key_free(k);
}

/* ---------- generic RFC 7523 (C has what Rust has; loopback http) ---------- */

static void test_rfc7523(int64_t now) {
    jwtmint_key *k = load_key(DEMO_KEY);
    jwtmint_profile *p = NULL, *sentinel = (jwtmint_profile *)(uintptr_t)0x10, *bad = sentinel;
    uint8_t out[2048], body[4096], url[256];
    char seg[1024], want[512];
    size_t n = 0, m = 0;

    /* A grant to a local IdP over http on the loopback: accepted. */
    jwtmint_rfc7523_options go = {JWTMINT_RFC7523_GRANT, S("client-1"), S("user-1"), S("https://as.example.com"),
                                  S("http://127.0.0.1:8080/token"), S("read"), JWTMINT_ALG_ES256, S("k1"), 120,
                                  NULL, 0, NULL, 0, 0};
    jwtmint_key *ec = load_key("tests/data/ec-p256.pem");
    CHECK_RC(jwtmint_rfc7523_profile_new(&go, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, ec, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 &&
          strcmp(seg, "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k1\"}") == 0);
    snprintf(want, sizeof want,
             "{\"iss\":\"client-1\",\"sub\":\"user-1\",\"aud\":\"https://as.example.com\",\"exp\":%lld,\"iat\":%lld}",
             (long long)(now + 120), (long long)now);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && strcmp(seg, want) == 0);
    CHECK_RC(jwtmint_profile_token_url(p, url, sizeof url, &m), OK);
    CHECK(m == strlen("http://127.0.0.1:8080/token") && memcmp(url, "http://127.0.0.1:8080/token", m) == 0);
    CHECK_RC(jwtmint_profile_token_request_body(p, out, n, body, sizeof body, &m), OK);
    CHECK(m > 60 && memcmp(body, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=", 75) == 0);
    jwtmint_profile_free(p);

    /* A client assertion whose aud is the (loopback http) token URL; jti drawn. */
    jwtmint_rfc7523_options co = {JWTMINT_RFC7523_CLIENT_ASSERTION, S("client-1"), NONE,
                                  S("http://localhost/realms/dev/protocol/openid-connect/token"), NONE, NONE,
                                  JWTMINT_ALG_RS256, NONE, 0, NULL, 0, NULL, 0, 0};
    CHECK_RC(jwtmint_rfc7523_profile_new(&co, &p), OK);
    CHECK_RC(jwtmint_profile_mint(p, k, now, NONE, out, sizeof out, &n), OK);
    CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 && contains(seg, "\"sub\":\"client-1\"") &&
          contains(seg, "\"jti\":\"") && contains(seg, "\"exp\":"));
    CHECK_RC(jwtmint_profile_token_request_body(p, out, n, body, sizeof body, &m), OK);
    body[m < sizeof body ? m : sizeof body - 1] = 0;
    CHECK(contains((const char *)body, "&grant_type=client_credentials&client_id=client-1"));
    jwtmint_profile_free(p);

    /* Extra claims, the certificate's thumbprints, an absolute nbf (copied: the
       options may go away before the mint). */
    {
        blob cert = read_file("examples/keys/demo-cert.pem");
        jwtmint_str claims[2] = {S("tenant=acme"), S("roles:=[\"a\", 1]")};
        jwtmint_rfc7523_options xo = {JWTMINT_RFC7523_GRANT, S("client-1"), S("user-1"), S("urn:example:as"), NONE, NONE,
                                      JWTMINT_ALG_RS256, NONE, 0, claims, 2, cert.data, cert.len, 1699999990};
        CHECK_RC(jwtmint_rfc7523_profile_new(&xo, &p), OK);
        free(cert.data);
        claims[0] = S("overwritten");
        CHECK_RC(jwtmint_profile_mint(p, k, 1700000000, NONE, out, sizeof out, &n), OK);
        CHECK(jwt_segment(out, n, 0, seg, sizeof seg) > 0 &&
              strcmp(seg, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"U8eVXOR9UENR_GwKQs0aws-pZLM\","
                          "\"x5t#S256\":\"YmZmJVHnzPqC-uwG36mB_ytG0dPVENEcIHZp3fIKw_s\"}") == 0);
        CHECK(jwt_segment(out, n, 1, seg, sizeof seg) > 0 &&
              strcmp(seg, "{\"iss\":\"client-1\",\"sub\":\"user-1\",\"aud\":\"urn:example:as\",\"exp\":1700000300,"
                          "\"nbf\":1699999990,\"iat\":1700000000,\"tenant\":\"acme\",\"roles\":[\"a\", 1]}") == 0);
        jwtmint_profile_free(p);
        claims[0] = S("tenant");
        xo.cert = NULL;
        xo.cert_len = 0;
        CHECK_RC(jwtmint_rfc7523_profile_new(&xo, &bad), JWTMINT_RESULT_INVALID_FIELD);
    }

    /* http to any other host is refused with INVALID_FIELD, as `aud` or as token URL. */
    co.aud = S("http://as.example.com/token");
    CHECK_RC(jwtmint_rfc7523_profile_new(&co, &bad), JWTMINT_RESULT_INVALID_FIELD);
    co.aud = S("https://as.example.com");
    co.token_url = S("http://10.0.0.1/token");
    CHECK_RC(jwtmint_rfc7523_profile_new(&co, &bad), JWTMINT_RESULT_INVALID_FIELD);
    co.token_url = S("http://localhost:1@evil.example/token");
    CHECK_RC(jwtmint_rfc7523_profile_new(&co, &bad), JWTMINT_RESULT_INVALID_FIELD);
    co.token_url = NONE;
    co.sub = S("user");
    CHECK_RC(jwtmint_rfc7523_profile_new(&co, &bad), JWTMINT_RESULT_INVALID_ARGUMENT);
    go.sub = NONE;
    CHECK_RC(jwtmint_rfc7523_profile_new(&go, &bad), NULL_ARG);
    go.sub = S("user-1");
    go.kind = 7;
    CHECK_RC(jwtmint_rfc7523_profile_new(&go, &bad), JWTMINT_RESULT_INVALID_ARGUMENT);
    CHECK(bad == sentinel);
    jwtmint_key_free(ec);
    jwtmint_key_free(k);
}

int main(void) {
    const char *path = getenv("JWTMINT_PROFILE_TOKENS");
    int64_t now = 0;
    if (path) {
        tokens = fopen(path, "w");
        if (!tokens) {
            fprintf(stderr, "cannot write %s\n", path);
            return 2;
        }
    }
    CHECK_RC(jwtmint_now(&now), OK);
    test_codes();
    test_cert();
    test_ps256(now);
    test_salesforce(now);
    test_google(now);
    test_entra(now);
    test_handles(now);
    test_threads(now);
    test_more_profiles(now);
    test_keycloak(now);
    test_rfc7523(now);
    if (tokens) fclose(tokens);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
