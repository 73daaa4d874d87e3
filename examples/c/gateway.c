/*
 * gateway.c - what a C gateway does with jwtmint: load the PEM key and encode
 * the header once at start-up, then mint a fresh Salesforce JWT bearer
 * assertion (RFC 7523) per token request, and build the token-request body.
 *
 *   usage: gateway [KEY.pem] [COUNT]     (defaults: examples/keys/demo-key.pem, 1000)
 *
 * Build (see README "Using jwtmint from C"):
 *   scripts/build-c.sh --prefix dist
 *   export PKG_CONFIG_PATH=dist/lib/pkgconfig
 *   cc -std=c99 -O2 examples/c/gateway.c $(pkg-config --cflags --libs jwtmint-static) -o gateway
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwtmint.h"

static jwtmint_str str(const char *s) {
    jwtmint_str r;
    r.ptr = (const uint8_t *)s;
    r.len = strlen(s);
    return r;
}

static int fail(const char *what, jwtmint_result rc) {
    char msg[256];
    size_t len = 0;
    if (jwtmint_result_message(rc, msg, sizeof msg, &len) != JWTMINT_RESULT_OK) strcpy(msg, "?");
    fprintf(stderr, "gateway: %s: %s (%s)\n", what, msg, jwtmint_result_name(rc));
    return 1;
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = (char *)malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    const char *key_path = argc > 1 ? argv[1] : "examples/keys/demo-key.pem";
    long count = argc > 2 ? atol(argv[2]) : 1000;
    size_t pem_len = 0, n = 0, body_len = 0;
    char *pem = read_all(key_path, &pem_len);
    jwtmint_key *key = NULL;
    jwtmint_header *header = NULL;
    jwtmint_header_options hopts;
    jwtmint_result rc;
    uint8_t assertion[1024];
    uint8_t body[1400];
    long i;
    int64_t now = 0;

    if (!pem) {
        fprintf(stderr, "gateway: cannot read %s\n", key_path);
        return 1;
    }
    /* Start-up: parse the key once (then wipe our copy of the PEM). */
    rc = jwtmint_key_new_from_pem((const uint8_t *)pem, pem_len, &key);
    memset(pem, 0, pem_len);
    free(pem);
    if (rc != JWTMINT_RESULT_OK) return fail("loading the key", rc);

    /* Start-up: encode the header once: {"alg":"RS256","typ":"JWT"}. */
    memset(&hopts, 0, sizeof hopts);
    hopts.alg = JWTMINT_ALG_RS256;
    rc = jwtmint_header_new(&hopts, &header);
    if (rc != JWTMINT_RESULT_OK) return fail("encoding the header", rc);

    /* Per request: mint into a stack buffer. */
    for (i = 0; i < count; i++) {
        jwtmint_claims claims;
        rc = jwtmint_now(&now);
        if (rc != JWTMINT_RESULT_OK) return fail("reading the clock", rc);
        memset(&claims, 0, sizeof claims);
        claims.iss = str("3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h");
        claims.sub = str("integration.user@example.com");
        claims.aud = str("https://login.salesforce.com");
        claims.has_exp = true;
        claims.exp = now + 180; /* Salesforce: at most 3 minutes */
        rc = jwtmint_mint_with_header(key, header, &claims, assertion, sizeof assertion, &n);
        if (rc != JWTMINT_RESULT_OK) return fail("minting", rc);
    }

    /* The POST body for https://login.salesforce.com/services/oauth2/token. */
    rc = jwtmint_form_grant_body(assertion, n, NULL, 0, body, sizeof body, &body_len);
    if (rc != JWTMINT_RESULT_OK) return fail("building the body", rc);

    printf("minted %ld assertions with one key handle (jwtmint %s)\n", count, jwtmint_version());
    printf("assertion: %.*s\n", (int)n, (const char *)assertion);
    printf("body: %.*s\n", (int)body_len, (const char *)body);

    jwtmint_header_free(header);
    jwtmint_key_free(key);
    return 0;
}
