/*
 * Many subjects through the C ABI (jwtmint_sessions_*), driven as a gateway
 * would: per user a Salesforce profile (sub = that user) and a session,
 * handed to a bounded table; every poll and every completion looks the
 * subject up first. Canned answers, no network:
 *  - N subjects -> N FETCHes, then USE for each without another FETCH;
 *  - a full table evicts its least recently used session with no fetch in
 *    flight (an idle session goes before an older one that is fetching),
 *    frees it and its profile (valgrind / ASan: no leak, no double free),
 *    and the evicted subject is then not found;
 *  - with every session in flight the LRU one goes, counted apart;
 *  - errors leave ownership with the caller.
 */
#include "check.h"

#define DEMO_KEY "examples/keys/demo-key.pem"
#define T0 1700000000

static jwtmint_key *key;

static int str_eq(jwtmint_str s, const char *want) {
    return s.ptr && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static jwtmint_profile *profile_for(const char *user) {
    jwtmint_salesforce_options o;
    jwtmint_profile *p = NULL;
    memset(&o, 0, sizeof o);
    o.consumer_key = S("3MVG9-consumer");
    o.username = S(user);
    o.login = JWTMINT_SALESFORCE_PRODUCTION;
    CHECK_RC(jwtmint_salesforce_profile_new(&o, &p), OK);
    return p;
}

/* The user's session: looked up, or created and handed to the table. */
static jwtmint_session *login(jwtmint_sessions *t, const char *user) {
    jwtmint_session *s = NULL;
    jwtmint_profile *p;
    CHECK_RC(jwtmint_sessions_get(t, (const uint8_t *)user, strlen(user), &s), OK);
    if (s)
        return s;
    p = profile_for(user);
    CHECK_RC(jwtmint_session_new(p, key, NULL, &s), OK);
    CHECK_RC(jwtmint_sessions_insert(t, (const uint8_t *)user, strlen(user), p, s, &s), OK);
    return s;
}

static jwtmint_session *find(jwtmint_sessions *t, const char *user) {
    jwtmint_session *s = (jwtmint_session *)1;
    CHECK_RC(jwtmint_sessions_get(t, (const uint8_t *)user, strlen(user), &s), OK);
    return s;
}

static jwtmint_session_action poll_at(jwtmint_session *s, int64_t now) {
    jwtmint_session_action a;
    memset(&a, 0xa5, sizeof a);
    CHECK_RC(jwtmint_session_poll(s, now, &a), OK);
    return a;
}

/* Answers `user`'s fetch `ticket` with "tok-<user>", if still kept. */
static int answer(jwtmint_sessions *t, const char *user, uint64_t ticket) {
    char body[256];
    jwtmint_session_outcome o;
    jwtmint_session *s = find(t, user);
    if (!s)
        return 0; /* evicted meanwhile: the answer is dropped */
    snprintf(body, sizeof body, "{\"access_token\":\"tok-%s\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
             user);
    memset(&o, 0, sizeof o);
    CHECK_RC(jwtmint_session_complete(s, T0, ticket, 200, (const uint8_t *)body, strlen(body), &o), OK);
    CHECK(o.kind == JWTMINT_OUTCOME_STORED);
    return 1;
}

/* One gateway request for `user`: 1 when its token was used, 0 when a
 * FETCH was made (and answered), counting FETCHes. */
static int request(jwtmint_sessions *t, const char *user, int *fetches) {
    char want[64];
    jwtmint_session_action a = poll_at(login(t, user), T0);
    if (a.kind == JWTMINT_ACTION_FETCH) {
        uint64_t ticket = a.ticket;
        ++*fetches;
        CHECK(answer(t, user, ticket));
        a = poll_at(find(t, user), T0);
    }
    snprintf(want, sizeof want, "tok-%s", user);
    CHECK(a.kind == JWTMINT_ACTION_USE && str_eq(a.token, want));
    return a.kind == JWTMINT_ACTION_USE;
}

static jwtmint_sessions_counters stats(jwtmint_sessions *t) {
    jwtmint_sessions_counters c;
    memset(&c, 0xa5, sizeof c);
    CHECK_RC(jwtmint_sessions_stats(t, &c), OK);
    return c;
}

static void test_many(void) {
    jwtmint_sessions *t = NULL;
    char user[32];
    int i, round, fetches = 0;
    CHECK_RC(jwtmint_sessions_new(100, &t), OK);
    for (round = 0; round < 3; round++) {
        for (i = 0; i < 50; i++) {
            snprintf(user, sizeof user, "user-%d@example.com", i);
            request(t, user, &fetches);
        }
    }
    CHECK(fetches == 50); /* one per subject, none on the later rounds */
    CHECK(stats(t).len == 50 && stats(t).capacity == 100 && stats(t).evicted == 0);
    jwtmint_sessions_free(t); /* frees 50 sessions and their profiles */
}

static void test_eviction(void) {
    jwtmint_sessions *t = NULL;
    jwtmint_session_action a;
    jwtmint_sessions_counters c;
    uint64_t ticket_c;
    int fetches = 0;
    CHECK_RC(jwtmint_sessions_new(2, &t), OK);
    request(t, "a", &fetches);
    request(t, "b", &fetches);
    request(t, "a", &fetches); /* a more recent than b */
    request(t, "c", &fetches); /* evicts b */
    CHECK(fetches == 3);
    c = stats(t);
    CHECK(c.len == 2 && c.evicted == 1 && c.evicted_in_flight == 0);
    CHECK(find(t, "b") == NULL);
    CHECK(find(t, "a") != NULL);

    /* c has a fetch in flight; a is idle and more recent: a goes. */
    CHECK_RC(jwtmint_session_invalidate(find(t, "c")), OK);
    a = poll_at(find(t, "c"), T0);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    ticket_c = a.ticket;
    CHECK(find(t, "a") != NULL); /* a used after c */
    request(t, "d", &fetches);   /* evicts idle a, keeps fetching c */
    CHECK(find(t, "a") == NULL);
    CHECK(answer(t, "c", ticket_c)); /* c's answer still lands */
    c = stats(t);
    CHECK(c.evicted == 2 && c.evicted_in_flight == 0);

    /* Every session fetching: the least recently used goes anyway and its
     * answer is dropped by the lookup. */
    CHECK_RC(jwtmint_session_invalidate(find(t, "c")), OK);
    CHECK(poll_at(find(t, "c"), T0).kind == JWTMINT_ACTION_FETCH);
    CHECK_RC(jwtmint_session_invalidate(find(t, "d")), OK);
    a = poll_at(find(t, "d"), T0);
    CHECK(a.kind == JWTMINT_ACTION_FETCH);
    login(t, "e"); /* c: least recently used, in flight */
    CHECK(find(t, "c") == NULL && find(t, "d") != NULL);
    CHECK(!answer(t, "c", 1));
    c = stats(t);
    CHECK(c.len == 2 && c.evicted == 3 && c.evicted_in_flight == 1);

    {
        int removed = 0;
        bool r = false;
        CHECK_RC(jwtmint_sessions_remove(t, (const uint8_t *)"d", 1, &r), OK);
        removed += r;
        CHECK_RC(jwtmint_sessions_remove(t, (const uint8_t *)"d", 1, &r), OK);
        removed += r;
        CHECK(removed == 1 && stats(t).len == 1);
    }
    jwtmint_sessions_free(t);
}

static void test_errors(void) {
    jwtmint_sessions *t = NULL;
    jwtmint_session *s = NULL, *got = NULL;
    jwtmint_profile *p = profile_for("shared@example.com");
    jwtmint_sessions_counters c;
    CHECK_RC(jwtmint_sessions_new(0, &t), JWTMINT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(jwtmint_sessions_new(1, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_sessions_new(1, &t), OK);
    CHECK_RC(jwtmint_sessions_get(NULL, (const uint8_t *)"x", 1, &got), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_sessions_get(t, (const uint8_t *)"x", 0, &got), JWTMINT_RESULT_INVALID_ARGUMENT);
    CHECK_RC(jwtmint_sessions_get(t, NULL, 1, &got), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_sessions_get(t, (const uint8_t *)"x", 1, NULL), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_sessions_stats(NULL, &c), JWTMINT_RESULT_NULL_ARGUMENT);
    CHECK_RC(jwtmint_sessions_insert(t, (const uint8_t *)"x", 1, NULL, NULL, NULL), JWTMINT_RESULT_NULL_ARGUMENT);

    /* A profile the caller keeps (NULL to the table): the table frees only
     * the session. */
    CHECK_RC(jwtmint_session_new(p, key, NULL, &s), OK);
    CHECK_RC(jwtmint_sessions_insert(t, (const uint8_t *)"x", 1, NULL, s, &got), OK);
    CHECK(got == s);
    /* The same subject again: refused, the caller still owns the new one. */
    CHECK_RC(jwtmint_session_new(p, key, NULL, &s), OK);
    CHECK_RC(jwtmint_sessions_insert(t, (const uint8_t *)"x", 1, NULL, s, NULL), JWTMINT_RESULT_INVALID_ARGUMENT);
    jwtmint_session_free(s);
    jwtmint_sessions_free(t);
    jwtmint_profile_free(p); /* after the table: its sessions borrowed it */
    jwtmint_sessions_free(NULL);
}

int main(void) {
    blob b = read_file(DEMO_KEY);
    CHECK_RC(jwtmint_key_new_from_pem(b.data, b.len, &key), OK);
    free(b.data);
    test_many();
    test_eviction();
    test_errors();
    jwtmint_key_free(key);
    printf("test_sessions: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
