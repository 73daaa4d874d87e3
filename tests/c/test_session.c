#define _POSIX_C_SOURCE 200809L
/*
 * The sans-IO session through the C ABI (jwtmint_session_*):
 *  - a pure state-machine part with canned HTTP answers (always runs);
 *  - with JWTMINT_SESSION_PORT set (tests/c/run.sh starts the Authlib
 *    RFC 7523 server, tests/py/rfc7523_server.py, with audience
 *    https://sessions.test and client demo-client), a part that sends every
 *    FETCH the session asks for to that server over a plain socket and feeds
 *    the answer back: one exchange for many polls, a refresh-ahead exchange,
 *    and a rejected client surfaced as FAILED. The test transport posts to
 *    127.0.0.1:PORT/token after checking the session asked for exactly
 *    https://sessions.test/services/oauth2/token (the only redirection of the
 *    request is this test shim; the bytes are the session's).
 */
#include <arpa/inet.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

#define DEMO_KEY "examples/keys/demo-key.pem"
#define SA_JSON "tests/data/demo-service-account.json"
#define T0 1700000000

static int str_eq(jwtmint_str s, const char *want) {
    return s.ptr && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static int starts_with(const uint8_t *p, size_t n, const char *prefix) {
    size_t k = strlen(prefix);
    return p && n >= k && memcmp(p, prefix, k) == 0;
}

static jwtmint_key *demo_key(void) {
    jwtmint_key *k = NULL;
    blob b = read_file(DEMO_KEY);
    CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &k), OK);
    free(b.data);
    return k;
}

static jwtmint_profile *sf_profile(const char *consumer_key) {
    jwtmint_salesforce_options o;
    jwtmint_profile *p = NULL;
    memset(&o, 0, sizeof o);
    o.consumer_key = S(consumer_key);
    o.username = S("user@example.com");
    o.login = JWTMINT_SALESFORCE_CUSTOM;
    o.custom_url = S("https://sessions.test");
    CHECK_RC(jwtmint_salesforce_profile_new(&o, &p), OK);
    return p;
}

static jwtmint_session_action poll_at(jwtmint_session *s, int64_t now) {
    jwtmint_session_action a;
    memset(&a, 0xa5, sizeof a);
    CHECK_RC(jwtmint_session_poll(s, now, &a), OK);
    return a;
}

static jwtmint_session_outcome complete(jwtmint_session *s, int64_t now, uint64_t ticket, uint16_t status,
                                        const char *body) {
    jwtmint_session_outcome o;
    memset(&o, 0, sizeof o);
    CHECK_RC(jwtmint_session_complete(s, now, ticket, status, (const uint8_t *)body, strlen(body), &o), OK);
    return o;
}

/* The FETCH of a Salesforce session: exact URL, method, headers, body shape. */
static void check_fetch(const jwtmint_session_action *a) {
    CHECK(a->kind == JWTMINT_ACTION_FETCH);
    CHECK(str_eq(a->method, "POST"));
    CHECK(str_eq(a->url, "https://sessions.test/services/oauth2/token"));
    CHECK(a->headers_len == 1);
    if (a->headers_len == 1) {
        CHECK(str_eq(a->headers[0].name, "Content-Type"));
        CHECK(str_eq(a->headers[0].value, "application/x-www-form-urlencoded"));
    }
    CHECK(starts_with(a->body, a->body_len,
                      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ"));
    CHECK(a->token.ptr == NULL);
}

static void test_canned(void) {
    jwtmint_key *k = demo_key();
    jwtmint_profile *p = sf_profile("demo-client");
    jwtmint_session *s = NULL, *s2 = NULL;
    jwtmint_session_action a;
    jwtmint_session_outcome o;
    uint64_t t1, t2;

    /* Argument checks. */
    CHECK_RC(jwtmint_session_new(NULL, k, NULL, &s), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_session_new(p, NULL, NULL, &s), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_session_new(p, k, NULL, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_session_poll(NULL, T0, &a), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_session_complete(NULL, T0, 1, 200, NULL, 0, NULL), JWTMINT_RESULT_NULL_ARGUMENT);

    /* A zeroed options struct (and NULL) is the default policy. */
    {
        jwtmint_session_options opts;
        memset(&opts, 0, sizeof opts);
        CHECK_RC(jwtmint_session_new(p, k, &opts, &s), OK);
    }
    CHECK_RC(jwtmint_session_poll(s, T0, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_session_fail(s, T0, 1, 99, NULL), JWTMINT_RESULT_INVALID_ARGUMENT);

    /* First poll fetches; a concurrent poll waits (fetch timeout 30 s). */
    a = poll_at(s, T0);
    check_fetch(&a);
    t1 = a.ticket;
    CHECK(t1 == 1);
    a = poll_at(s, T0);
    CHECK(a.kind == JWTMINT_ACTION_WAIT && a.at == T0 + 30);
    CHECK(a.headers == NULL && a.body == NULL && a.token.ptr == NULL);

    /* 500 -> retry at T0 + 1 (backoff_min), then a token. */
    o = complete(s, T0, t1, 500, "<html>oops</html>");
    CHECK(o.kind == JWTMINT_OUTCOME_RETRY && o.at == T0 + 1);
    a = poll_at(s, T0);
    CHECK(a.kind == JWTMINT_ACTION_WAIT && a.at == T0 + 1);
    a = poll_at(s, T0 + 1);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    t2 = a.ticket;
    CHECK(t2 == 2);
    /* A stale ticket changes nothing. */
    o = complete(s, T0 + 1, t1, 200, "{\"access_token\":\"stale\",\"expires_in\":3600}");
    CHECK(o.kind == JWTMINT_OUTCOME_STALE);
    o = complete(s, T0 + 1, t2, 200,
                 "{\"access_token\":\"00D!AQ.tok\",\"instance_url\":\"https://acme.my.salesforce.com\","
                 "\"id\":\"https://login.salesforce.com/id/00D/005\",\"token_type\":\"Bearer\"}");
    /* Salesforce sends no expiry: the default 900 s session lifetime. */
    CHECK(o.kind == JWTMINT_OUTCOME_STORED && o.at == T0 + 1 + 900);
    a = poll_at(s, T0 + 2);
    CHECK(a.kind == JWTMINT_ACTION_USE);
    CHECK(str_eq(a.token, "00D!AQ.tok"));
    CHECK(str_eq(a.token_type, "Bearer"));
    CHECK(str_eq(a.instance_url, "https://acme.my.salesforce.com"));
    CHECK(str_eq(a.id, "https://login.salesforce.com/id/00D/005"));
    CHECK(a.scope.ptr == NULL);
    CHECK(a.at == T0 + 901);

    /* Share it: a second session of the same grant adopts the record. */
    {
        uint8_t rec[2048];
        size_t n = 0;
        int64_t exp = 0;
        CHECK_RC(jwtmint_session_encode_record(s, NULL, 0, &n), JWTMINT_RESULT_BUFFER_TOO_SMALL);
        CHECK(n > 100 && n < sizeof rec);
        CHECK_RC(jwtmint_session_encode_record(s, rec, sizeof rec, &n), OK);
        CHECK_RC(jwtmint_session_new(p, k, NULL, &s2), OK);
        CHECK_RC(jwtmint_session_restore(s2, T0 + 902, rec, n, &exp), JWTMINT_RESULT_EXPIRED);
        CHECK_RC(jwtmint_session_restore(s2, T0 + 10, rec, n - 1, &exp), JWTMINT_RESULT_INVALID_JSON);
        CHECK_RC(jwtmint_session_restore(s2, T0 + 10, rec, n, &exp), OK);
        CHECK(exp == T0 + 901);
        a = poll_at(s2, T0 + 10);
        CHECK(a.kind == JWTMINT_ACTION_USE && str_eq(a.token, "00D!AQ.tok"));
        /* Another grant's record is refused. */
        {
            jwtmint_profile *p2 = sf_profile("other-client");
            jwtmint_session *s3 = NULL;
            CHECK_RC(jwtmint_session_new(p2, k, NULL, &s3), OK);
            CHECK_RC(jwtmint_session_restore(s3, T0 + 10, rec, n, NULL), JWTMINT_RESULT_CLAIM_MISMATCH);
            jwtmint_session_free(s3);
            jwtmint_profile_free(p2);
        }
        jwtmint_session_free(s2);
    }

    /* 401 from the API: invalidate, the next poll fetches. A transport
     * failure backs off; then invalid_grant is surfaced, not retried. */
    CHECK_RC(jwtmint_session_invalidate(s), OK);
    a = poll_at(s, T0 + 3);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    CHECK_RC(jwtmint_session_fail(s, T0 + 3, a.ticket, JWTMINT_TRANSPORT_CONNECT, &o), OK);
    CHECK(o.kind == JWTMINT_OUTCOME_RETRY && o.at == T0 + 4);
    a = poll_at(s, T0 + 4);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    o = complete(s, T0 + 4, a.ticket, 400,
                 "{\"error\":\"invalid_grant\",\"error_description\":\"expired \\u001b[1m access/refresh token\"}");
    CHECK(o.kind == JWTMINT_OUTCOME_REJECTED);
    for (int i = 0; i < 3; i++) {
        a = poll_at(s, T0 + 5 + i * 100000);
        CHECK(a.kind == JWTMINT_ACTION_FAILED);
        CHECK(str_eq(a.error_code, "invalid_grant"));
        CHECK(str_eq(a.error_description, "expired [1m access/refresh token"));
        CHECK(a.http_status == 400 && a.at == T0 + 4);
    }
    CHECK_RC(jwtmint_session_reset(s), OK);
    a = poll_at(s, T0 + 5);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);

    jwtmint_session_free(s);
    jwtmint_session_free(NULL);

    /* Google: the service account signs; a key is refused. */
    {
        blob json = read_file(SA_JSON);
        jwtmint_google_account *acct = NULL;
        jwtmint_google_options go;
        jwtmint_str scope = S("https://www.googleapis.com/auth/cloud-platform");
        jwtmint_profile *gp = NULL;
        CHECK_RC(jwtmint_google_account_new_from_json(json.data, json.len, &acct), OK);
        memset(&go, 0, sizeof go);
        go.scopes = &scope;
        go.scope_count = 1;
        CHECK_RC(jwtmint_google_profile_new(acct, &go, &gp), OK);
        CHECK_RC(jwtmint_session_new(gp, k, NULL, &s), JWTMINT_RESULT_INVALID_ARGUMENT);
        CHECK_RC(jwtmint_session_new(gp, NULL, NULL, &s), OK);
        a = poll_at(s, T0);
        CHECK(a.kind == JWTMINT_ACTION_FETCH);
        CHECK(str_eq(a.url, "https://oauth2.googleapis.com/token"));
        o = complete(s, T0, a.ticket, 200, "{\"access_token\":\"ya29.x\",\"expires_in\":\"3599\",\"token_type\":\"Bearer\"}");
        CHECK(o.kind == JWTMINT_OUTCOME_STORED && o.at == T0 + 3599);
        jwtmint_session_free(s);
        jwtmint_profile_free(gp);
        jwtmint_google_account_free(acct);
        free(json.data);
    }

    jwtmint_profile_free(p);
    jwtmint_key_free(k);
}

/* --- the Authlib server part --------------------------------------------- */

static int server_port;

/* POSTs `body` to 127.0.0.1:server_port/token (HTTP/1.0), or GETs /count when
 * body is NULL; fills status and the response body. Returns 0 on success. */
static int http(const char *method, const char *path, const uint8_t *body, size_t len, int *status, char *resp,
                size_t cap) {
    struct sockaddr_in addr;
    char head[512];
    static char buf[65536];
    size_t got = 0;
    ssize_t r;
    int fd = socket(AF_INET, SOCK_STREAM, 0), n;
    if (fd < 0) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)server_port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    n = snprintf(head, sizeof head,
                 "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 "Content-Length: %zu\r\n\r\n",
                 method, path, len);
    if (write(fd, head, (size_t)n) != n || (len && write(fd, body, len) != (ssize_t)len)) {
        close(fd);
        return -1;
    }
    while ((r = read(fd, buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)r;
    close(fd);
    buf[got] = 0;
    {
        char *sep = strstr(buf, "\r\n\r\n");
        size_t blen;
        if (!sep || sscanf(buf, "HTTP/%*s %d", status) != 1) return -1;
        sep += 4;
        blen = strlen(sep);
        if (blen >= cap) return -1;
        memcpy(resp, sep, blen + 1);
    }
    return 0;
}

static long server_count(void) {
    int status = 0;
    char resp[256];
    if (http("GET", "/count", NULL, 0, &status, resp, sizeof resp) != 0 || status != 200) return -1;
    {
        const char *c = strstr(resp, "\"token\":");
        return c ? strtol(c + 8, NULL, 10) : -1;
    }
}

/* Sends the FETCH `a` to the server and completes it; returns the outcome. */
static jwtmint_session_outcome exchange(jwtmint_session *s, int64_t now, const jwtmint_session_action *a) {
    int status = 0;
    static char resp[16384];
    jwtmint_session_outcome o;
    memset(&o, 0, sizeof o);
    CHECK(str_eq(a->url, "https://sessions.test/services/oauth2/token"));
    if (http("POST", "/token", a->body, a->body_len, &status, resp, sizeof resp) != 0) {
        CHECK_RC(jwtmint_session_fail(s, now, a->ticket, JWTMINT_TRANSPORT_CONNECT, &o), OK);
        CHECK(!"transport to the Authlib server failed");
        return o;
    }
    CHECK_RC(jwtmint_session_complete(s, now, a->ticket, (uint16_t)status, (const uint8_t *)resp, strlen(resp), &o),
             OK);
    return o;
}

static void test_server(void) {
    jwtmint_key *k = demo_key();
    jwtmint_profile *p = sf_profile("demo-client");
    jwtmint_session *s = NULL;
    jwtmint_session_action a, fetch;
    jwtmint_session_outcome o;
    int64_t now = (int64_t)time(NULL);
    char first[4096];
    long before = server_count();
    CHECK(before >= 0);

    CHECK_RC(jwtmint_session_new(p, k, NULL, &s), OK);
    fetch = poll_at(s, now);
    check_fetch(&fetch);
    /* Many callers meanwhile: nobody else fetches. */
    for (int i = 0; i < 50; i++) {
        a = poll_at(s, now);
        CHECK(a.kind == JWTMINT_ACTION_WAIT);
    }
    o = exchange(s, now, &fetch);
    CHECK(o.kind == JWTMINT_OUTCOME_STORED && o.at == now + 3600);
    for (int i = 0; i < 1000; i++) {
        a = poll_at(s, now + i);
        CHECK(a.kind == JWTMINT_ACTION_USE);
    }
    CHECK(a.token.len > 0 && a.token.len < sizeof first);
    memcpy(first, a.token.ptr, a.token.len);
    first[a.token.len] = 0;
    CHECK(server_count() == before + 1);

    /* Refresh ahead (60 s before expiry): one new exchange; the old token
     * is served meanwhile. */
    fetch = poll_at(s, now + 3540);
    CHECK(fetch.kind == JWTMINT_ACTION_FETCH);
    a = poll_at(s, now + 3540);
    CHECK(a.kind == JWTMINT_ACTION_USE && str_eq(a.token, first));
    o = exchange(s, now + 3541, &fetch);
    CHECK(o.kind == JWTMINT_OUTCOME_STORED && o.at == now + 3541 + 3600);
    a = poll_at(s, now + 3542);
    CHECK(a.kind == JWTMINT_ACTION_USE && !str_eq(a.token, first));
    CHECK(server_count() == before + 2);
    jwtmint_session_free(s);
    jwtmint_profile_free(p);

    /* An unknown client: rejected by Authlib, surfaced, not retried. */
    p = sf_profile("unknown-client");
    CHECK_RC(jwtmint_session_new(p, k, NULL, &s), OK);
    fetch = poll_at(s, now);
    o = exchange(s, now, &fetch);
    CHECK(o.kind == JWTMINT_OUTCOME_REJECTED);
    for (int i = 0; i < 20; i++) {
        a = poll_at(s, now + i * 60);
        CHECK(a.kind == JWTMINT_ACTION_FAILED);
    }
    CHECK(str_eq(a.error_code, "invalid_grant") || str_eq(a.error_code, "invalid_client"));
    CHECK(a.http_status == 400 || a.http_status == 401);
    CHECK(server_count() == before + 3);
    jwtmint_session_free(s);
    jwtmint_profile_free(p);
    jwtmint_key_free(k);
}

int main(void) {
    const char *port = getenv("JWTMINT_SESSION_PORT");
    test_canned();
    if (port && *port) {
        server_port = atoi(port);
        test_server();
    } else {
        printf("test_session: no JWTMINT_SESSION_PORT, Authlib server part not run\n");
    }
    printf("test_session: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
