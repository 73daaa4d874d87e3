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
#include "http_client.h"

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
    /* Retried by itself after rejected_retry (300 s by default), not before. */
    for (int i = 0; i < 3; i++) {
        a = poll_at(s, T0 + 5 + i * 100);
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

/* --- issue 21: fault injection through the C ABI ------------------------ */

/* A session holding "good" (refresh token, instance_url), expiring at
 * T0 + 3600, no refresh spread (a fixed seed) so it is due at T0 + 3540. */
static jwtmint_session *good_session(jwtmint_profile *p, jwtmint_key *k) {
    jwtmint_session *s = NULL;
    jwtmint_session_options o;
    jwtmint_session_action a;
    jwtmint_session_outcome out;
    memset(&o, 0, sizeof o);
    o.jitter_seed = 7;
    o.refresh_spread = -1;
    CHECK_RC(jwtmint_session_new(p, k, &o, &s), OK);
    a = poll_at(s, T0);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    out = complete(s, T0, a.ticket, 200,
                   "{\"access_token\":\"good\",\"refresh_token\":\"rt-good\",\"instance_url\":\"https://x.example\","
                   "\"token_type\":\"Bearer\",\"expires_in\":3600}");
    CHECK(out.kind == JWTMINT_OUTCOME_STORED && out.at == T0 + 3600);
    return s;
}

static void check_good(jwtmint_session *s, int64_t now) {
    /* The first poll may start a retry; the good token is used meanwhile. */
    jwtmint_session_action a = poll_at(s, now);
    a = poll_at(s, now);
    if (a.kind != JWTMINT_ACTION_USE) {
        CHECK(!"the good token is still used");
        return;
    }
    CHECK(str_eq(a.token, "good"));
    CHECK(str_eq(a.instance_url, "https://x.example"));
    CHECK(a.at == T0 + 3600);
}

static void test_hardening(void) {
    jwtmint_key *k = demo_key();
    jwtmint_profile *p = sf_profile("demo-client");
    jwtmint_session *s = NULL;
    jwtmint_session_action a;
    jwtmint_session_outcome o;
    /* JSON string contents: CR LF, escaped CR LF, NUL, space, DEL,
     * non-ASCII (escaped and raw UTF-8), TAB. */
    static const char *hostile[] = {
        "x\\r\\nX-Injected: 1", "x\\u000d\\u000aX-Injected: 1", "x\\u0000y", "x y",
        "x\\u007fy", "x\\u00e9y", "x\xc3\xa9y", "x\\ty",
    };
    static const char *members[] = {"access_token", "refresh_token", "id_token", "token_type"};
    char body[512];

    /* 1. Hostile token syntax: RETRY (malformed), the old token, refresh
     * token and extras kept; never handed out. */
    for (size_t m = 0; m < sizeof members / sizeof *members; m++) {
        for (size_t h = 0; h < sizeof hostile / sizeof *hostile; h++) {
            s = good_session(p, k);
            a = poll_at(s, T0 + 3550);
            CHECK(a.kind == JWTMINT_ACTION_FETCH);
            if (strcmp(members[m], "access_token") == 0)
                snprintf(body, sizeof body, "{\"access_token\":\"%s\",\"expires_in\":3600}", hostile[h]);
            else
                snprintf(body, sizeof body, "{\"access_token\":\"fresh\",\"%s\":\"%s\",\"expires_in\":3600}",
                         members[m], hostile[h]);
            o = complete(s, T0 + 3550, a.ticket, 200, body);
            CHECK(o.kind == JWTMINT_OUTCOME_RETRY);
            check_good(s, T0 + 3551);
            jwtmint_session_free(s);
        }
    }

    /* ... and a record holding one is refused (a store is untrusted). */
    s = good_session(p, k);
    {
        uint8_t rec[2048];
        size_t n = 0;
        char bad[2048];
        char *at;
        CHECK_RC(jwtmint_session_encode_record(s, rec, sizeof rec - 1, &n), OK);
        rec[n] = 0;
        at = strstr((char *)rec, "\"access_token\":\"good\"");
        CHECK(at != NULL);
        if (at) {
            size_t head = (size_t)(at - (char *)rec);
            snprintf(bad, sizeof bad, "%.*s\"access_token\":\"g\\r\\nX: 1\"%s", (int)head, (char *)rec,
                     at + strlen("\"access_token\":\"good\""));
            CHECK_RC(jwtmint_session_restore(s, T0 + 10, (const uint8_t *)bad, strlen(bad), NULL),
                     JWTMINT_RESULT_INVALID_TOKEN_SYNTAX);
        }
        check_good(s, T0 + 10);

        /* 2 + 11. invalidate_token: a stale 401 is a no-op; the current
         * token goes and its record is never restored again. */
        {
            bool dropped = true;
            int64_t exp = 0;
            CHECK_RC(jwtmint_session_invalidate_token(s, (const uint8_t *)"older", 5, &dropped), OK);
            CHECK(!dropped);
            check_good(s, T0 + 11);
            CHECK_RC(jwtmint_session_invalidate_token(s, (const uint8_t *)"good", 4, &dropped), OK);
            CHECK(dropped);
            CHECK_RC(jwtmint_session_restore(s, T0 + 12, rec, n, &exp), JWTMINT_RESULT_TOKEN_REVOKED);
            a = poll_at(s, T0 + 12);
            CHECK(a.kind == JWTMINT_ACTION_FETCH);
            CHECK_RC(jwtmint_session_invalidate_token(s, NULL, 0, &dropped), JWTMINT_RESULT_NULL_ARGUMENT);
        }
    }
    jwtmint_session_free(s);

    /* 3. A refused refresh answer (already expired; too large) keeps the
     * token, refresh token and extras. */
    {
        static char big[10000];
        const char *bodies[2];
        memset(big, 0, sizeof big);
        snprintf(big, sizeof big, "{\"access_token\":\"");
        memset(big + strlen(big), 'a', 9000);
        strcat(big, "\",\"expires_in\":60}");
        bodies[0] = "{\"access_token\":\"fresh\",\"expires_in\":0}";
        bodies[1] = big;
        for (int i = 0; i < 2; i++) {
            s = good_session(p, k);
            a = poll_at(s, T0 + 3550);
            CHECK(a.kind == JWTMINT_ACTION_FETCH);
            o = complete(s, T0 + 3550, a.ticket, 200, bodies[i]);
            CHECK(o.kind == JWTMINT_OUTCOME_RETRY || o.kind == JWTMINT_OUTCOME_REJECTED);
            check_good(s, T0 + 3551);
            {
                uint8_t rec[2048];
                size_t n = 0;
                CHECK_RC(jwtmint_session_encode_record(s, rec, sizeof rec - 1, &n), OK);
                rec[n] = 0;
                CHECK(strstr((char *)rec, "rt-good") != NULL);
            }
            jwtmint_session_free(s);
        }
    }

    /* 4. A rejection is retried after 300 s (the default), not before. */
    {
        jwtmint_session_options opts;
        memset(&opts, 0, sizeof opts);
        opts.jitter_seed = 7;
        CHECK_RC(jwtmint_session_new(p, k, &opts, &s), OK);
    }
    a = poll_at(s, T0 + 20);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    o = complete(s, T0 + 20, a.ticket, 400, "{\"error\":\"invalid_grant\"}");
    CHECK(o.kind == JWTMINT_OUTCOME_REJECTED);
    a = poll_at(s, T0 + 20 + 299);
    CHECK(a.kind == JWTMINT_ACTION_FAILED);
    a = poll_at(s, T0 + 20 + 300);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);

    /* 7. Retry-After: honoured, clamped to backoff_max (300). */
    {
        int64_t secs = -1;
        CHECK_RC(jwtmint_parse_retry_after((const uint8_t *)"120", 3, T0, &secs), OK);
        CHECK(secs == 120);
        CHECK_RC(jwtmint_parse_retry_after((const uint8_t *)"Tue, 14 Nov 2023 22:15:20 GMT", 29, T0, &secs), OK);
        CHECK(secs == 120);
        CHECK_RC(jwtmint_parse_retry_after((const uint8_t *)"soon", 4, T0, &secs), JWTMINT_RESULT_INVALID_ARGUMENT);
        CHECK_RC(jwtmint_session_complete_retry_after(s, T0 + 320, a.ticket, 429, (const uint8_t *)"{}", 2, 120, &o),
                 OK);
        CHECK(o.kind == JWTMINT_OUTCOME_RETRY && o.at == T0 + 320 + 120);
        a = poll_at(s, T0 + 320 + 119);
        CHECK(a.kind == JWTMINT_ACTION_WAIT && a.at == T0 + 440);
        a = poll_at(s, T0 + 440);
        CHECK(a.kind == JWTMINT_ACTION_FETCH);
        CHECK_RC(jwtmint_session_complete_retry_after(s, T0 + 440, a.ticket, 503, NULL, 0, 86400, &o), OK);
        CHECK(o.kind == JWTMINT_OUTCOME_RETRY && o.at == T0 + 440 + 300);
    }
    jwtmint_session_free(s);

    /* 8. USE carries refresh_at; a late answer to the latest fetch is taken. */
    s = good_session(p, k);
    a = poll_at(s, T0 + 1);
    CHECK(a.kind == JWTMINT_ACTION_USE && a.at == T0 + 3600 && a.refresh_at == T0 + 3540);
    a = poll_at(s, T0 + 3540);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    {
        uint64_t late = a.ticket;
        a = poll_at(s, T0 + 3570); /* fetch_timeout (30 s) passed: abandoned */
        CHECK(a.kind == JWTMINT_ACTION_USE);
        o = complete(s, T0 + 3575, late, 200, "{\"access_token\":\"late\",\"expires_in\":3600}");
        CHECK(o.kind == JWTMINT_OUTCOME_STORED && o.at == T0 + 3575 + 3600);
        a = poll_at(s, T0 + 3576);
        CHECK(a.kind == JWTMINT_ACTION_USE && str_eq(a.token, "late") && a.refresh_at == T0 + 3575 + 3540);
    }

    /* 12. A bad `now` is an error code; the session is unchanged. */
    CHECK_RC(jwtmint_session_poll(s, -1, &a), JWTMINT_RESULT_NEGATIVE_TIMESTAMP);
    CHECK_RC(jwtmint_session_poll(s, (T0 + 3577) * 1000LL, &a), JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS);
    CHECK_RC(jwtmint_session_complete(s, -5, 1, 200, NULL, 0, &o), JWTMINT_RESULT_NEGATIVE_TIMESTAMP);
    CHECK_RC(jwtmint_session_fail(s, (T0 + 3577) * 1000LL, 1, JWTMINT_TRANSPORT_CONNECT, &o),
             JWTMINT_RESULT_TIMESTAMP_IN_MILLISECONDS);
    CHECK_RC(jwtmint_session_restore(s, -1, (const uint8_t *)"{}", 2, NULL), JWTMINT_RESULT_NEGATIVE_TIMESTAMP);
    a = poll_at(s, T0 + 3577);
    CHECK(a.kind == JWTMINT_ACTION_USE && str_eq(a.token, "late"));
    jwtmint_session_free(s);

    /* 12. A key that cannot sign for the profile: refused at creation. */
    {
        jwtmint_key *ec = NULL;
        blob b = read_file("tests/data/ec-p256.pem");
        CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &ec), OK);
        free(b.data);
        s = NULL;
        CHECK_RC(jwtmint_session_new(p, ec, NULL, &s), JWTMINT_RESULT_KEY_ALGORITHM_MISMATCH);
        CHECK(s == NULL);
        jwtmint_key_free(ec);
    }

    /* 5. Seed 0 (the default) draws from the OS: sessions sharing one
     * record refresh at different moments within the spread. */
    {
        uint8_t rec[2048];
        size_t n = 0;
        int64_t moments[8];
        int distinct = 0;
        s = good_session(p, k);
        CHECK_RC(jwtmint_session_encode_record(s, rec, sizeof rec, &n), OK);
        jwtmint_session_free(s);
        for (int i = 0; i < 8; i++) {
            CHECK_RC(jwtmint_session_new(p, k, NULL, &s), OK);
            CHECK_RC(jwtmint_session_restore(s, T0 + 1, rec, n, NULL), OK);
            a = poll_at(s, T0 + 1);
            CHECK(a.kind == JWTMINT_ACTION_USE);
            moments[i] = a.refresh_at;
            CHECK(a.refresh_at >= T0 + 3510 && a.refresh_at <= T0 + 3540);
            jwtmint_session_free(s);
        }
        for (int i = 1; i < 8; i++) distinct += moments[i] != moments[0];
        CHECK(distinct > 0);
    }

    /* stats: every outcome counted, never a secret. */
    {
        jwtmint_session_counters c;
        uint64_t t;
        int64_t exp = 0;
        uint8_t rec[2048];
        size_t n = 0;
        bool dropped = false;
        s = good_session(p, k);
        CHECK_RC(jwtmint_session_encode_record(s, rec, sizeof rec, &n), OK);
        a = poll_at(s, T0 + 3540);
        CHECK(a.kind == JWTMINT_ACTION_FETCH);
        t = a.ticket;
        o = complete(s, T0 + 3540, t, 503, "busy");
        CHECK(o.kind == JWTMINT_OUTCOME_RETRY);
        o = complete(s, T0 + 3540, t, 200, "{\"access_token\":\"x\",\"expires_in\":60}");
        CHECK(o.kind == JWTMINT_OUTCOME_STALE);
        a = poll_at(s, T0 + 3545);
        CHECK(a.kind == JWTMINT_ACTION_FETCH);
        CHECK_RC(jwtmint_session_fail(s, T0 + 3545, a.ticket, JWTMINT_TRANSPORT_TIMEOUT, &o), OK);
        CHECK_RC(jwtmint_session_invalidate_token(s, (const uint8_t *)"good", 4, &dropped), OK);
        CHECK(dropped);
        CHECK_RC(jwtmint_session_restore(s, T0 + 3546, rec, n, &exp), JWTMINT_RESULT_TOKEN_REVOKED);
        CHECK_RC(jwtmint_session_stats(s, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
        CHECK_RC(jwtmint_session_stats(NULL, &c), JWTMINT_RESULT_NULL_ARGUMENT);
        CHECK_RC(jwtmint_session_stats(s, &c), OK);
        CHECK(c.fetches == 3 && c.stored == 1 && c.retries == 2 && c.transport_failures == 1);
        CHECK(c.rejected == 0 && c.stale == 1 && c.restored == 0 && c.invalidated == 1);
        CHECK(c.last_http_status == 0); /* the last failure had no HTTP answer */
        jwtmint_session_free(s);
    }

    jwtmint_profile_free(p);
    jwtmint_key_free(k);
}

/* --- issue 21: store hits and lock waits in jwtmint_session_stats ------- */

/* One shared record in memory, answered as a store would (the protocol of
 * examples/c/shared_file_gateway.c with a flag for the lock). */
typedef struct {
    uint8_t rec[4 * 8192];
    size_t len;
    int lock; /* 0: free, else the holder */
} mem_store;

static jwtmint_store_outcome loaded(jwtmint_session *s, int64_t now, uint64_t ticket, const mem_store *m) {
    jwtmint_store_outcome o = JWTMINT_STORE_STALE;
    CHECK_RC(jwtmint_session_store_loaded(s, now, ticket, m->len ? m->rec : NULL, m->len, &o), OK);
    return o;
}

static jwtmint_store_outcome answered(jwtmint_session *s, int64_t now, uint64_t ticket, uint32_t r) {
    jwtmint_store_outcome o = JWTMINT_STORE_STALE;
    CHECK_RC(jwtmint_session_store_result(s, now, ticket, r, &o), OK);
    return o;
}

static void test_store_stats(void) {
    static mem_store m;
    jwtmint_key *k = demo_key();
    jwtmint_profile *p = sf_profile("demo-client");
    jwtmint_session *a = NULL, *b = NULL;
    jwtmint_session_action x;
    jwtmint_session_counters c;
    uint64_t fetch_a, wait_b;
    memset(&m, 0, sizeof m);
    CHECK_RC(jwtmint_session_new(p, k, NULL, &a), OK);
    CHECK_RC(jwtmint_session_new(p, k, NULL, &b), OK);
    CHECK_RC(jwtmint_session_share_store(a, 30, 0, 0), OK);
    CHECK_RC(jwtmint_session_share_store(b, 30, 0, 0), OK);

    /* A: load (none), lock (taken), load again (none), then FETCH. */
    x = poll_at(a, T0);
    CHECK(x.kind == JWTMINT_ACTION_STORE_LOAD);
    CHECK(loaded(a, T0, x.ticket, &m) == JWTMINT_STORE_CONTINUE);
    x = poll_at(a, T0);
    CHECK(x.kind == JWTMINT_ACTION_STORE_LOCK);
    m.lock = 1;
    CHECK(answered(a, T0, x.ticket, JWTMINT_STORE_LOCKED) == JWTMINT_STORE_CONTINUE);
    x = poll_at(a, T0);
    CHECK(x.kind == JWTMINT_ACTION_STORE_LOAD);
    CHECK(loaded(a, T0, x.ticket, &m) == JWTMINT_STORE_CONTINUE);
    x = poll_at(a, T0);
    check_fetch(&x);
    fetch_a = x.ticket;

    /* B meanwhile: load (none), lock BUSY (A holds it), wait for A's save;
     * the same BUSY again is stale and not counted twice. */
    x = poll_at(b, T0 + 1);
    CHECK(x.kind == JWTMINT_ACTION_STORE_LOAD);
    CHECK(loaded(b, T0 + 1, x.ticket, &m) == JWTMINT_STORE_CONTINUE);
    x = poll_at(b, T0 + 1);
    CHECK(x.kind == JWTMINT_ACTION_STORE_LOCK);
    CHECK(m.lock == 1);
    CHECK(answered(b, T0 + 1, x.ticket, JWTMINT_STORE_BUSY) == JWTMINT_STORE_CONTINUE);
    CHECK(answered(b, T0 + 1, x.ticket, JWTMINT_STORE_BUSY) == JWTMINT_STORE_STALE);
    x = poll_at(b, T0 + 1);
    CHECK(x.kind == JWTMINT_ACTION_STORE_AWAIT_SAVE);
    wait_b = x.ticket;

    /* A's answer lands; A saves the record under its lock and releases it. */
    CHECK(complete(a, T0 + 2, fetch_a, 200,
                   "{\"access_token\":\"shared\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
              .kind == JWTMINT_OUTCOME_STORED);
    x = poll_at(a, T0 + 2);
    CHECK(x.kind == JWTMINT_ACTION_STORE_SAVE);
    CHECK(x.body && x.body_len > 0 && x.body_len <= sizeof m.rec && x.at >= T0 + 3600);
    if (x.body && x.body_len <= sizeof m.rec) {
        memcpy(m.rec, x.body, x.body_len);
        m.len = x.body_len;
    }
    m.lock = 0;
    CHECK(answered(a, T0 + 2, x.ticket, JWTMINT_STORE_SAVED) == JWTMINT_STORE_CONTINUE);
    x = poll_at(a, T0 + 2);
    CHECK(x.kind == JWTMINT_ACTION_USE && str_eq(x.token, "shared"));

    /* B reads the saved record: adopted, no FETCH. */
    CHECK(loaded(b, T0 + 3, wait_b, &m) == JWTMINT_STORE_ADOPTED);
    x = poll_at(b, T0 + 3);
    CHECK(x.kind == JWTMINT_ACTION_USE && str_eq(x.token, "shared"));

    CHECK_RC(jwtmint_session_stats(a, &c), OK);
    CHECK(c.fetches == 1 && c.stored == 1 && c.restored == 0);
    CHECK(c.store_hits == 0 && c.lock_waits == 0);
    CHECK_RC(jwtmint_session_stats(b, &c), OK);
    CHECK(c.fetches == 0 && c.stored == 0 && c.restored == 1);
    CHECK(c.store_hits == 1 && c.lock_waits == 1);

    /* A plain restore counts in `restored`, not in `store_hits`. */
    {
        jwtmint_session *r = NULL;
        int64_t exp = 0;
        CHECK_RC(jwtmint_session_new(p, k, NULL, &r), OK);
        CHECK_RC(jwtmint_session_restore(r, T0 + 4, m.rec, m.len, &exp), OK);
        CHECK_RC(jwtmint_session_stats(r, &c), OK);
        CHECK(c.restored == 1 && c.store_hits == 0 && c.lock_waits == 0);
        jwtmint_session_free(r);
    }
    jwtmint_session_free(a);
    jwtmint_session_free(b);
    jwtmint_profile_free(p);
    jwtmint_key_free(k);
}

/* --- the Authlib server part --------------------------------------------- */

static int server_port;

/* POSTs a form `body` to 127.0.0.1:server_port`path` (HTTP/1.0), or GETs
 * it when body is NULL; fills status and the response body. Returns 0 on
 * success. */
static int http(const char *method, const char *path, const uint8_t *body, size_t len, int *status, char *resp,
                size_t cap) {
    jwtmint_header_pair form;
    form.name.ptr = (const uint8_t *)"Content-Type";
    form.name.len = strlen("Content-Type");
    form.value.ptr = (const uint8_t *)"application/x-www-form-urlencoded";
    form.value.len = strlen("application/x-www-form-urlencoded");
    return http_request(server_port, method, path, &form, 1, body, len, status, resp, cap);
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
        a = poll_at(s, now + i * 10);
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
    test_hardening();
    test_store_stats();
    if (port && *port) {
        server_port = atoi(port);
        test_server();
    } else {
        printf("test_session: no JWTMINT_SESSION_PORT, Authlib server part not run\n");
    }
    printf("test_session: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
