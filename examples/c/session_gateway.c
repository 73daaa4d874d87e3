/*
 * session_gateway.c - drive a jwtmint session from an event loop, the way an
 * NGINX / Envoy / HAProxy module would: the library never blocks and owns
 * no socket; the loop asks it what to do (jwtmint_session_poll), sends the
 * token request with its own HTTP client, and feeds the answer back
 * (jwtmint_session_complete / jwtmint_session_fail).
 *
 *   session_gateway KEY.pem CONSUMER_KEY USERNAME [LOGIN_URL]
 *
 * Transport: built with -DJWTMINT_WITH_CURL and libcurl (-lcurl), the token
 * request really goes to the Salesforce login URL (redirects refused,
 * response capped at 64 KiB). Without it, a documented STUB transport
 * answers every token request with a canned success after one loop tick,
 * so the example builds and runs anywhere (CI builds it that way).
 *
 * One session per worker thread; calls on one session are never concurrent.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jwtmint.h"

#define MAX_RESPONSE 65536

static char response[MAX_RESPONSE + 1];
static size_t response_len;

#ifdef JWTMINT_WITH_CURL
#include <curl/curl.h>

static size_t on_data(char *p, size_t size, size_t n, void *user) {
    size_t k = size * n;
    (void)user;
    if (response_len + k > MAX_RESPONSE) return 0; /* too large: abort */
    memcpy(response + response_len, p, k);
    response_len += k;
    return k;
}

/* A real POST (blocking here for brevity; a module would use curl_multi). */
static int send_request(const jwtmint_session_action *a, long *status) {
    char url[2048], line[4096];
    struct curl_slist *headers = NULL;
    CURL *c = curl_easy_init();
    CURLcode rc;
    size_t i;
    if (!c || a->url.len >= sizeof url) return JWTMINT_TRANSPORT_OTHER;
    memcpy(url, a->url.ptr, a->url.len);
    url[a->url.len] = 0;
    for (i = 0; i < a->headers_len; i++) {
        snprintf(line, sizeof line, "%.*s: %.*s", (int)a->headers[i].name.len, (const char *)a->headers[i].name.ptr,
                 (int)a->headers[i].value.len, (const char *)a->headers[i].value.ptr);
        headers = curl_slist_append(headers, line);
    }
    response_len = 0;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)a->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)a->body_len);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    if (rc == CURLE_OPERATION_TIMEDOUT) return JWTMINT_TRANSPORT_TIMEOUT;
    if (rc == CURLE_WRITE_ERROR) return JWTMINT_TRANSPORT_TOO_LARGE;
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST) return JWTMINT_TRANSPORT_CONNECT;
    if (rc != CURLE_OK) return JWTMINT_TRANSPORT_OTHER;
    if (*status >= 300 && *status < 400) return JWTMINT_TRANSPORT_REDIRECT_REFUSED;
    return 0;
}
#else
/* STUB transport: no network. Every token request "succeeds" with a canned
 * Salesforce-shaped answer (no expires_in: the session lifetime applies). */
static int send_request(const jwtmint_session_action *a, long *status) {
    (void)a;
    *status = 200;
    response_len = (size_t)snprintf(response, sizeof response, "%s",
                                    "{\"access_token\":\"00Dstub!AQ.demo\",\"token_type\":\"Bearer\","
                                    "\"instance_url\":\"https://example.my.salesforce.com\"}");
    return 0;
}
#endif

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        b = (char *)malloc((size_t)n + 1);
        if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
            free(b);
            b = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return b;
}

int main(int argc, char **argv) {
    jwtmint_key *key = NULL;
    jwtmint_profile *profile = NULL;
    jwtmint_session *session = NULL;
    jwtmint_salesforce_options so;
    jwtmint_session_options opts;
    size_t pem_len = 0, served = 0, waited = 0, fetched = 0;
    char *pem;
    int tick, rc = 1;
    int64_t now;

    if (argc < 4) {
        fprintf(stderr, "usage: %s KEY.pem CONSUMER_KEY USERNAME [LOGIN_URL]\n", argv[0]);
        return 2;
    }
    pem = read_all(argv[1], &pem_len);
    if (!pem || jwtmint_key_new_from_pem((const uint8_t *)pem, pem_len, &key) != JWTMINT_RESULT_OK) {
        fprintf(stderr, "cannot load key %s\n", argv[1]);
        free(pem);
        return 1;
    }
    free(pem);
    memset(&so, 0, sizeof so);
    so.consumer_key.ptr = (const uint8_t *)argv[2];
    so.consumer_key.len = strlen(argv[2]);
    so.username.ptr = (const uint8_t *)argv[3];
    so.username.len = strlen(argv[3]);
    so.login = JWTMINT_SALESFORCE_PRODUCTION;
    if (argc > 4) {
        so.login = JWTMINT_SALESFORCE_CUSTOM;
        so.custom_url.ptr = (const uint8_t *)argv[4];
        so.custom_url.len = strlen(argv[4]);
    }
    memset(&opts, 0, sizeof opts); /* zeroed = safe defaults (jitter seeded from the OS) */
    if (jwtmint_salesforce_profile_new(&so, &profile) != JWTMINT_RESULT_OK ||
        jwtmint_session_new(profile, key, &opts, &session) != JWTMINT_RESULT_OK) {
        fprintf(stderr, "bad profile options\n");
        goto out;
    }
    if (jwtmint_now(&now) != JWTMINT_RESULT_OK) goto out;

    /* The event loop: each tick, 10 incoming API requests need a token. */
    for (tick = 0; tick < 5; tick++) {
        int i;
        for (i = 0; i < 10; i++) {
            jwtmint_session_action a;
            if (jwtmint_session_poll(session, now, &a) != JWTMINT_RESULT_OK) goto out;
            switch (a.kind) {
            case JWTMINT_ACTION_USE:
                /* Forward with "Authorization: <token_type> <token>"; an
                 * event loop arms its refresh timer for a.refresh_at (before
                 * the expiry a.at). On a 401 from the API, call
                 * jwtmint_session_invalidate_token with the token it refused. */
                served++;
                if (a.refresh_at > a.at) goto out;
                break;
            case JWTMINT_ACTION_FETCH: {
                long status = 0;
                int err;
                jwtmint_result r;
                jwtmint_session_outcome o;
                fetched++;
                /* a.url / a.headers / a.body stay valid until the next call on
                 * this session: an asynchronous client copies them here and
                 * completes later with a.ticket; other requests meanwhile get
                 * USE (old token still valid) or WAIT. */
                err = send_request(&a, &status);
                if (err)
                    r = jwtmint_session_fail(session, now, a.ticket, (uint32_t)err, &o);
                else
                    r = jwtmint_session_complete(session, now, a.ticket, (uint16_t)status,
                                                 (const uint8_t *)response, response_len, &o);
                if (r != JWTMINT_RESULT_OK) { /* o was not written: never read it */
                    fprintf(stderr, "completing the token request failed: %s\n", jwtmint_result_name(r));
                    goto out;
                }
                printf("token request -> outcome %d (at %lld)\n", (int)o.kind, (long long)o.at);
                break;
            }
            case JWTMINT_ACTION_WAIT:
                waited++; /* park the API request until a.at or the next completion */
                break;
            case JWTMINT_ACTION_FAILED:
                printf("grant rejected: %.*s: %.*s (HTTP %u)\n", (int)a.error_code.len,
                       (const char *)a.error_code.ptr, (int)a.error_description.len,
                       (const char *)a.error_description.ptr, (unsigned)a.http_status);
                goto out;
            default:
                /* The JWTMINT_ACTION_STORE_* kinds come only after
                 * jwtmint_session_share_store (examples/c/shared_file_gateway.c). */
                goto out;
            }
        }
        now += 1;
    }
    printf("served %zu requests, %zu waited, %zu token request(s)\n", served, waited, fetched);
    rc = fetched == 1 ? 0 : 1;
out:
    jwtmint_session_free(session);
    jwtmint_profile_free(profile);
    jwtmint_key_free(key);
    return rc;
}
