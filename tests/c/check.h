/*
 * The shared harness of the C tests (test_ffi.c, test_profiles.c,
 * test_verify.c): pass/fail counters and CHECK macros, jwtmint_str helpers,
 * and reading test files. Each test program includes it once.
 */
#ifndef JWTMINT_TESTS_CHECK_H
#define JWTMINT_TESTS_CHECK_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwtmint.h"

static int passed, failed;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
        } else {                                                            \
            failed++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                   \
    } while (0)

#define CHECK_RC(expr, want)                                                       \
    do {                                                                           \
        jwtmint_result rc_ = (expr);                                               \
        if (rc_ == (want)) {                                                       \
            passed++;                                                              \
        } else {                                                                   \
            failed++;                                                              \
            fprintf(stderr, "FAIL %s:%d: %s -> %s, want %s\n", __FILE__, __LINE__, \
                    #expr, jwtmint_result_name(rc_), jwtmint_result_name(want));   \
        }                                                                          \
    } while (0)

#define OK JWTMINT_RESULT_OK

/* A jwtmint_str view of a NUL-terminated string. */
static inline jwtmint_str S(const char *s) {
    jwtmint_str r;
    r.ptr = (const uint8_t *)s;
    r.len = strlen(s);
    return r;
}

/* An absent string (NULL ptr). */
static const jwtmint_str NONE = {NULL, 0};

typedef struct {
    uint8_t *data;
    size_t len;
} blob;

/* Reads a whole file (NUL-terminated for convenience); exits 2 on failure. */
static inline blob read_file(const char *path) {
    blob b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    long n;
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.data = (uint8_t *)malloc((size_t)n + 1);
    if (!b.data || fread(b.data, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    b.data[n] = 0;
    b.len = (size_t)n;
    fclose(f);
    return b;
}

/* The vendored test vectors (JWTMINT_VECTORS, default tests/data/vectors,
 * relative to the repository root where run.sh runs the programs). */
static inline const char *vectors_dir(void) {
    const char *v = getenv("JWTMINT_VECTORS");
    return v ? v : "tests/data/vectors";
}

static inline blob read_vector(const char *rel) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", vectors_dir(), rel);
    return read_file(path);
}

/* A size from the environment, or `dflt`. */
static inline size_t env_size(const char *name, size_t dflt) {
    const char *v = getenv(name);
    return v && *v ? (size_t)strtoul(v, NULL, 10) : dflt;
}

#endif
