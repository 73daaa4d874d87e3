#define _POSIX_C_SOURCE 200809L
/*
 * Grant configuration through the C ABI (issue 17 item 5):
 * jwtmint_custom_profile_new (password login through a callback, renewal by
 * refresh token then previous token, per-grant form fields and headers)
 * driven by the jwtmint_session_* functions with a NULL key.
 *  - Always: argument checks (GRANT_KIND, KEY_NOT_USED, NULL callback,
 *    a non-loopback http:// URL, a bad header), the exact password request
 *    built from the callback, a failing callback surfaced as FAILED.
 *  - With JWTMINT_CUSTOM_IDP_PORT and JWTMINT_CUSTOM_IDP_PASSWORD_FILE set
 *    (tests/c/run.sh starts tests/py/custom_idp.py, Authlib, 4 s JWTs,
 *    X-Api-Key required): every FETCH is sent, with exactly the session's
 *    headers and body, to the IdP: password -> refresh token -> (refresh
 *    revoked) previous token -> (both refused) password, counted by the
 *    IdP's /count (reset first: run.sh runs the program natively, under
 *    valgrind and ASan against one IdP), and the IdP's /received shows the
 *    password twice.
 * The password is only ever in the callback's buffer: this program never
 * prints it, and run.sh checks its output does not contain it.
 */
#include <time.h>

#include "check.h"
#include "http_client.h"

#define API_KEY "c-grants-api-key"

static jwtmint_header_pair pair(const char *name, const char *value) {
    jwtmint_header_pair p;
    p.name = S(name);
    p.value = S(value);
    return p;
}

static int str_eq(jwtmint_str s, const char *want) {
    return s.ptr && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

/* The password callback's context: where the password is, and how often
 * the library asked for it. */
struct password_ctx {
    char password[256];
    int calls;
    int fail;
};

static int password_cb(void *ctx, uint8_t *buf, size_t cap, size_t *len) {
    struct password_ctx *c = (struct password_ctx *)ctx;
    size_t n = strlen(c->password);
    c->calls++;
    if (c->fail || n > cap) return 1;
    memcpy(buf, c->password, n);
    *len = n;
    return 0;
}

static const jwtmint_header_pair CLIENT_ID[] = {{{(const uint8_t *)"client_id", 9}, {(const uint8_t *)"app", 3}}};
static const jwtmint_header_pair API_KEY_HEADER[] = {
    {{(const uint8_t *)"X-Api-Key", 9}, {(const uint8_t *)API_KEY, sizeof API_KEY - 1}}};

static jwtmint_grant_spec grant(uint32_t kind) {
    jwtmint_grant_spec g;
    memset(&g, 0, sizeof g);
    g.kind = kind;
    g.form = CLIENT_ID;
    g.form_len = 1;
    g.headers = API_KEY_HEADER;
    g.headers_len = 1;
    return g;
}

/* A custom profile: password (alice, callback over `ctx`), renewed by
 * refresh token then previous token; all steps send client_id and X-Api-Key. */
static jwtmint_result custom_profile(const char *url, struct password_ctx *ctx, jwtmint_profile **out) {
    jwtmint_grant_spec initial = grant(JWTMINT_GRANT_PASSWORD);
    jwtmint_grant_spec renew[2];
    jwtmint_custom_options o;
    renew[0] = grant(JWTMINT_GRANT_REFRESH_TOKEN);
    renew[1] = grant(JWTMINT_GRANT_PREVIOUS_TOKEN);
    initial.username = S("alice");
    initial.password = password_cb;
    initial.password_ctx = ctx;
    memset(&o, 0, sizeof o);
    o.initial = &initial;
    o.renew = renew;
    o.renew_len = 2;
    return jwtmint_custom_profile_new(S(url), &o, out);
}

static jwtmint_session_action poll_at(jwtmint_session *s, int64_t now) {
    jwtmint_session_action a;
    memset(&a, 0, sizeof a);
    CHECK_RC(jwtmint_session_poll(s, now, &a), OK);
    return a;
}

static int body_starts(const jwtmint_session_action *a, const char *prefix) {
    size_t n = strlen(prefix);
    return a->kind == JWTMINT_ACTION_FETCH && a->body_len >= n && memcmp(a->body, prefix, n) == 0;
}

static int has_header(const jwtmint_session_action *a, const char *name, const char *value) {
    size_t i;
    for (i = 0; i < a->headers_len; i++)
        if (str_eq(a->headers[i].name, name) && str_eq(a->headers[i].value, value)) return 1;
    return 0;
}

static void test_arguments(void) {
    struct password_ctx ctx;
    jwtmint_profile *p = NULL;
    jwtmint_session *s = NULL;
    jwtmint_key *key = NULL;
    jwtmint_grant_spec initial = grant(JWTMINT_GRANT_PASSWORD), bad;
    jwtmint_custom_options o;
    jwtmint_header_pair bad_header = pair("X Api", "v");
    memset(&ctx, 0, sizeof ctx);
    strcpy(ctx.password, "not-used");
    initial.username = S("alice");
    initial.password = password_cb;
    initial.password_ctx = &ctx;
    memset(&o, 0, sizeof o);

    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), NULL, &p), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, &p), JWTMINT_RESULT_NULL_ARGUMENT);
    o.initial = &initial;
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    /* A renewal step as the initial grant; an unknown kind; a login as a renewal step. */
    bad = grant(JWTMINT_GRANT_REFRESH_TOKEN);
    o.initial = &bad;
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, &p), JWTMINT_RESULT_GRANT_KIND);
    bad.kind = 9;
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, &p), JWTMINT_RESULT_GRANT_KIND);
    o.initial = &initial;
    o.renew = &initial;
    o.renew_len = 1;
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, &p), JWTMINT_RESULT_GRANT_KIND);
    o.renew = NULL;
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, &p), JWTMINT_RESULT_NULL_ARGUMENT);
    o.renew_len = 0;
    /* No callback; a password sent in clear over a network; a bad header. */
    initial.password = NULL;
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, &p), JWTMINT_RESULT_NULL_ARGUMENT);
    initial.password = password_cb;
    CHECK_RC(jwtmint_custom_profile_new(S("http://idp.test/token"), &o, &p), JWTMINT_RESULT_INVALID_FIELD);
    o.headers = &bad_header;
    o.headers_len = 1;
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, &p), JWTMINT_RESULT_INVALID_FIELD);
    o.headers = NULL;
    o.headers_len = 0;
    CHECK(p == NULL);

    /* A custom profile signs nothing: a key is refused, NULL is the key. */
    CHECK_RC(jwtmint_custom_profile_new(S("https://idp.test/token"), &o, &p), OK);
    {
        blob pem = read_file("examples/keys/demo-key.pem");
        CHECK_RC(jwtmint_key_new_from_pem(pem.data, pem.len, &key), OK);
        free(pem.data);
    }
    CHECK_RC(jwtmint_session_new(p, key, NULL, &s), JWTMINT_RESULT_KEY_NOT_USED);
    CHECK(s == NULL);
    CHECK_RC(jwtmint_session_new(p, NULL, NULL, &s), OK);
    {
        /* The password request, built from the callback: exact body and headers. */
        const char *want = "grant_type=password&username=alice&password=not-used&client_id=app";
        jwtmint_session_action a = poll_at(s, 1700000000);
        CHECK(a.kind == JWTMINT_ACTION_FETCH);
        CHECK(ctx.calls == 1);
        CHECK(str_eq(a.url, "https://idp.test/token") && str_eq(a.method, "POST"));
        CHECK(a.body_len == strlen(want) && memcmp(a.body, want, a.body_len) == 0);
        CHECK(a.headers_len == 2);
        CHECK(has_header(&a, "Content-Type", "application/x-www-form-urlencoded"));
        CHECK(has_header(&a, "X-Api-Key", API_KEY));
        /* The IdP refuses the login: FAILED, not retried; a failing callback too. */
        CHECK_RC(jwtmint_session_complete(s, 1700000001, a.ticket, 400,
                                          (const uint8_t *)"{\"error\":\"invalid_grant\"}", 25, NULL),
                 OK);
        a = poll_at(s, 1700000002);
        CHECK(a.kind == JWTMINT_ACTION_FAILED && str_eq(a.error_code, "invalid_grant"));
        ctx.fail = 1;
        CHECK_RC(jwtmint_session_reset(s), OK);
        a = poll_at(s, 1700000003);
        CHECK(a.kind == JWTMINT_ACTION_FAILED);
        CHECK(ctx.calls == 2);
        a = poll_at(s, 1700000004);
        CHECK(a.kind == JWTMINT_ACTION_FAILED && ctx.calls == 2);
    }
    jwtmint_session_free(s);
    jwtmint_key_free(key);
    jwtmint_profile_free(p);
}

/* --- against the Authlib IdP --------------------------------------------- */

static int port;

static void idp_counts(long *pw, long *rt, long *prev) {
    int status = 0;
    char resp[256];
    const char *c;
    *pw = *rt = *prev = -1;
    if (http_request(port, "GET", "/count", NULL, 0, NULL, 0, &status, resp, sizeof resp) != 0 || status != 200)
        return;
    if ((c = strstr(resp, "\"password\":"))) *pw = strtol(c + 11, NULL, 10);
    if ((c = strstr(resp, "\"refresh_token\":"))) *rt = strtol(c + 16, NULL, 10);
    if ((c = strstr(resp, "\"previous_token\":"))) *prev = strtol(c + 17, NULL, 10);
}

static int counts_are(long pw, long rt, long prev) {
    long a, b, c;
    idp_counts(&a, &b, &c);
    if (a == pw && b == rt && c == prev) return 1;
    fprintf(stderr, "IdP counts password=%ld refresh_token=%ld previous_token=%ld, want %ld %ld %ld\n", a, b, c, pw,
            rt, prev);
    return 0;
}

static void idp_post(const char *path) {
    int status = 0;
    char resp[256];
    CHECK(http_request(port, "POST", path, NULL, 0, NULL, 0, &status, resp, sizeof resp) == 0 && status == 200);
}

static int64_t real_now(void) {
    int64_t now = 0;
    CHECK_RC(jwtmint_now(&now), OK);
    return now;
}

/* Polls at `ahead` seconds from now (expects FETCH with `prefix`), sends it
 * exactly as given, completes it at the real time; returns the outcome. The
 * IdP's tokens live 4 s: a token stored at T is due (refresh-ahead clamped
 * to half its life) from T + 2, and still valid at the IdP then. */
static jwtmint_session_outcome fetch_and_send(jwtmint_session *s, int64_t ahead, const char *url,
                                              const char *prefix) {
    static char resp[16384];
    int status = 0;
    int64_t now;
    jwtmint_session_outcome o;
    jwtmint_session_action a = poll_at(s, real_now() + ahead);
    memset(&o, 0, sizeof o);
    CHECK(body_starts(&a, prefix));
    if (a.kind != JWTMINT_ACTION_FETCH) {
        fprintf(stderr, "expected FETCH %s, got kind %d\n", prefix, (int)a.kind);
        return o;
    }
    CHECK(str_eq(a.url, url));
    CHECK(has_header(&a, "X-Api-Key", API_KEY));
    now = real_now();
    if (http_request(port, "POST", "/token", a.headers, a.headers_len, a.body, a.body_len, &status, resp,
                     sizeof resp) != 0) {
        CHECK_RC(jwtmint_session_fail(s, now, a.ticket, JWTMINT_TRANSPORT_CONNECT, &o), OK);
        CHECK(!"transport to the custom IdP failed");
        return o;
    }
    CHECK_RC(jwtmint_session_complete(s, now, a.ticket, (uint16_t)status, (const uint8_t *)resp, strlen(resp), &o),
             OK);
    return o;
}

/* The token in force now (expects USE, unexpired); copied into out. */
static int64_t use_now(jwtmint_session *s, char *out, size_t cap) {
    int64_t now = real_now();
    jwtmint_session_action a = poll_at(s, now);
    CHECK(a.kind == JWTMINT_ACTION_USE);
    if (a.kind != JWTMINT_ACTION_USE) return 0;
    CHECK(now < a.at && str_eq(a.token_type, "Bearer"));
    CHECK(a.token.len < cap);
    if (a.token.len < cap) {
        memcpy(out, a.token.ptr, a.token.len);
        out[a.token.len] = 0;
    }
    return a.at;
}

static void test_idp(const char *password_file) {
    struct password_ctx ctx;
    jwtmint_profile *p = NULL;
    jwtmint_session *s = NULL;
    jwtmint_session_outcome o;
    char url[64], t1[2048], t2[2048], t3[2048], t4[2048], prev[2200];
    int64_t now;
    blob pw = read_file(password_file);
    memset(&ctx, 0, sizeof ctx);
    CHECK(pw.len > 1 && pw.len < sizeof ctx.password && pw.data[pw.len - 1] == '\n');
    if (pw.len < 2 || pw.len >= sizeof ctx.password) {
        free(pw.data);
        return;
    }
    memcpy(ctx.password, pw.data, pw.len - 1); /* drop the trailing newline */
    memset(pw.data, 0, pw.len);
    free(pw.data);
    idp_post("/reset"); /* run.sh runs this program several times against one IdP */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/token", port);
    CHECK_RC(custom_profile(url, &ctx, &p), OK);
    CHECK_RC(jwtmint_session_new(p, NULL, NULL, &s), OK);
    now = real_now();

    /* 1. Password login; the JWT's own exp (4 s, no expires_in). */
    o = fetch_and_send(s, 0, url, "grant_type=password&username=alice&password=");
    CHECK(o.kind == JWTMINT_OUTCOME_STORED && o.at >= now + 3 && o.at <= now + 5);
    use_now(s, t1, sizeof t1);
    CHECK(counts_are(1, 0, 0));

    /* 2. Due (refresh-ahead clamped to half the life): the refresh token. */
    o = fetch_and_send(s, 2, url, "grant_type=refresh_token&refresh_token=rt-");
    CHECK(o.kind == JWTMINT_OUTCOME_STORED);
    use_now(s, t2, sizeof t2);
    CHECK(strcmp(t1, t2) != 0);
    CHECK(counts_are(1, 1, 0));

    /* 3. Refresh token revoked: refused, then at once the previous token. */
    idp_post("/revoke-refresh");
    o = fetch_and_send(s, 2, url, "grant_type=refresh_token&refresh_token=rt-");
    CHECK(o.kind == JWTMINT_OUTCOME_RETRY && o.at <= real_now());
    snprintf(prev, sizeof prev, "grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3Agrant-type%%3Ajwt-bearer&assertion=%s",
             t2);
    o = fetch_and_send(s, 2, url, prev);
    CHECK(o.kind == JWTMINT_OUTCOME_STORED);
    use_now(s, t3, sizeof t3);
    CHECK(strcmp(t3, t2) != 0);
    CHECK(counts_are(1, 2, 1));

    /* 4. Both refused: refresh, previous token, then the password again. */
    idp_post("/revoke-refresh");
    idp_post("/refuse-previous");
    o = fetch_and_send(s, 2, url, "grant_type=refresh_token&refresh_token=rt-");
    CHECK(o.kind == JWTMINT_OUTCOME_RETRY);
    o = fetch_and_send(s, 2, url, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=");
    CHECK(o.kind == JWTMINT_OUTCOME_RETRY);
    o = fetch_and_send(s, 2, url, "grant_type=password&username=alice&password=");
    CHECK(o.kind == JWTMINT_OUTCOME_STORED);
    use_now(s, t4, sizeof t4);
    CHECK(strcmp(t4, t3) != 0);
    CHECK(counts_are(2, 3, 2));
    CHECK(ctx.calls == 2);

    /* The IdP received the password exactly twice (compared here, never printed). */
    {
        int status = 0;
        char resp[1024], want[600];
        snprintf(want, sizeof want, "[\"%s\",\"%s\"]", ctx.password, ctx.password);
        CHECK(http_request(port, "GET", "/received", NULL, 0, NULL, 0, &status, resp, sizeof resp) == 0);
        {
            /* Drop the trailing newline of Flask's compact JSON. */
            size_t n = strlen(resp);
            while (n && (resp[n - 1] == '\n' || resp[n - 1] == '\r')) resp[--n] = 0;
        }
        CHECK(status == 200 && strcmp(resp, want) == 0);
    }
    memset(ctx.password, 0, sizeof ctx.password);
    jwtmint_session_free(s);
    jwtmint_profile_free(p);
}

int main(void) {
    const char *p = getenv("JWTMINT_CUSTOM_IDP_PORT");
    const char *pw = getenv("JWTMINT_CUSTOM_IDP_PASSWORD_FILE");
    test_arguments();
    if (p && *p && pw && *pw) {
        port = atoi(p);
        test_idp(pw);
    } else {
        printf("test_session_grants: no JWTMINT_CUSTOM_IDP_PORT, Authlib IdP part not run\n");
    }
    printf("test_session_grants: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
