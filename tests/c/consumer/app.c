/*
 * app.c - the consumer program of tests/c/consumers.sh: a tiny application
 * built against an installed jwtmint prefix (CMake package, pkg-config), as
 * C11 and as C++17 (app_cxx.cpp includes this file).
 *
 *   app KEY.pem
 *
 * Mints one RS256 assertion with fixed claims and prints it. RS256 (PKCS#1
 * v1.5) is deterministic, so consumers.sh compares the output byte for byte
 * with the token openssl signs for the same bytes.
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

int main(int argc, char **argv) {
    static char pem[16384];
    jwtmint_key *key = NULL;
    jwtmint_header_options ho;
    jwtmint_claims c;
    uint8_t out[2048];
    size_t pem_len, n = 0;
    jwtmint_result rc;
    FILE *f;

    if (argc != 2) {
        fprintf(stderr, "usage: %s KEY.pem\n", argv[0]);
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    pem_len = fread(pem, 1, sizeof pem, f);
    fclose(f);
    memset(&ho, 0, sizeof ho); /* RS256, typ JWT */
    memset(&c, 0, sizeof c);
    c.iss = str("consumer-test");
    c.sub = str("user@example.com");
    c.aud = str("https://login.example.com");
    c.has_exp = true;
    c.exp = 2000000000;
    rc = jwtmint_key_new_from_pem((const uint8_t *)pem, pem_len, &key);
    if (rc == JWTMINT_RESULT_OK) rc = jwtmint_mint(key, &ho, &c, out, sizeof out, &n);
    jwtmint_key_free(key);
    if (rc != JWTMINT_RESULT_OK) {
        fprintf(stderr, "jwtmint %s: %s\n", jwtmint_version(), jwtmint_result_name(rc));
        return 1;
    }
    printf("%.*s\n", (int)n, (const char *)out);
    return 0;
}
