/*
 * shared_file_gateway.c - N worker processes (a pre-forking gateway) share
 * ONE token through a file: the session core drives the whole lifecycle
 * (jwtmint_session_share_store), and each worker only answers its store
 * actions with the file system:
 *
 *   STORE_LOAD          read DIR/record (a line "<expires_at>\n", then the record)
 *   STORE_LOCK          flock(DIR/lock, LOCK_EX | LOCK_NB): LOCKED or BUSY
 *   STORE_AWAIT_SAVE    a file has no save notification: sleep 100 ms, read again
 *   STORE_RENEW_LOCK    an flock lives as long as its holder: LOCKED
 *   STORE_SAVE[_UNLOCKED] write DIR/record.tmp (0600), rename over DIR/record
 *                       unless it holds a later expiry (KEPT_NEWER); unlock
 *   STORE_UNLOCK        release the flock
 *   STORE_REMOVE_IF_HOLDS  delete DIR/record if jwtmint_record_holds says so
 *
 * The request (and its signature) is built only after the file missed and
 * the lock is held, so N workers starting at once make ONE token request:
 * one takes the lock and fetches, the others wait for its save and adopt it.
 *
 *   shared_file_gateway KEY.pem PORT WORKERS DIR
 *
 * PORT: a local RFC 7523 token server on 127.0.0.1 (tests/py/rfc7523_server.py
 * with --client-id demo-client --audience https://sessions.test). Each
 * worker prints "worker <i> token <hash>" (a hash, never the token); the
 * exit status is 0 when every worker got a token. The record file holds
 * bearer secrets: DIR must be private to the gateway's user.
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jwtmint.h"

#define MAX_RECORD 65536
#define MAX_RESPONSE 65536

static char dir[1024];
static int lock_fd = -1;

static jwtmint_str str_of(const char *s) {
    jwtmint_str r;
    r.ptr = (const uint8_t *)s;
    r.len = strlen(s);
    return r;
}

static void path_of(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", dir, name); }

static void nap_ms(long ms) {
    struct timespec t;
    t.tv_sec = ms / 1000;
    t.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&t, NULL);
}

static int64_t now_s(void) {
    int64_t n = 0;
    if (jwtmint_now(&n) != JWTMINT_RESULT_OK) n = (int64_t)time(NULL);
    return n;
}

/* Reads the record file: its expiry (0 when none) and the record bytes. */
static size_t read_record(uint8_t *buf, size_t cap, int64_t *expires_at) {
    char path[1100];
    size_t got = 0, i;
    ssize_t r;
    int fd;
    *expires_at = 0;
    path_of(path, sizeof path, "record");
    fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    while (got < cap && (r = read(fd, buf + got, cap - got)) > 0) got += (size_t)r;
    close(fd);
    for (i = 0; i < got && buf[i] != '\n'; i++) *expires_at = *expires_at * 10 + (buf[i] - '0');
    if (i >= got) return 0;
    memmove(buf, buf + i + 1, got - i - 1);
    return got - i - 1;
}

/* Writes the record (expiry line first) through a private temporary file
 * and a rename, so a reader never sees half a record. */
static int write_record(const uint8_t *rec, size_t len, int64_t expires_at) {
    char tmp[1100], path[1100], line[32];
    int fd, n, ok;
    path_of(tmp, sizeof tmp, "record.tmp");
    path_of(path, sizeof path, "record");
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return -1;
    n = snprintf(line, sizeof line, "%lld\n", (long long)expires_at);
    ok = write(fd, line, (size_t)n) == n && write(fd, rec, len) == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) return -1;
    return 0;
}

/* A blocking exclusive lock for the short unlocked writes (save without the
 * fetch lock, remove): returns the fd or -1. */
static int lock_briefly(void) {
    char path[1100];
    int fd;
    path_of(path, sizeof path, "lock");
    fd = open(path, O_RDWR | O_CREAT, 0600);
    if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Saves unless the file holds a later expiry (newer-only). */
static uint32_t save(const jwtmint_session_action *a) {
    uint8_t old[MAX_RECORD];
    int64_t old_exp;
    (void)read_record(old, sizeof old, &old_exp);
    if (old_exp > a->at) return JWTMINT_STORE_KEPT_NEWER;
    return write_record(a->body, a->body_len, a->at) == 0 ? JWTMINT_STORE_SAVED : JWTMINT_STORE_FAILED;
}

/* The store side: answers one store action. */
static void answer_store(jwtmint_session *s, const jwtmint_session_action *a) {
    static uint8_t rec[MAX_RECORD];
    char path[1100];
    int64_t exp;
    size_t n;
    uint32_t result = JWTMINT_STORE_FAILED;
    int fd;
    bool holds = false;
    if (a->kind == JWTMINT_ACTION_STORE_AWAIT_SAVE) nap_ms(100); /* then read again */
    switch (a->kind) {
    case JWTMINT_ACTION_STORE_AWAIT_SAVE:
    case JWTMINT_ACTION_STORE_LOAD:
        n = read_record(rec, sizeof rec, &exp);
        jwtmint_session_store_loaded(s, now_s(), a->ticket, n ? rec : NULL, n, NULL);
        return;
    case JWTMINT_ACTION_STORE_LOCK:
        path_of(path, sizeof path, "lock");
        fd = open(path, O_RDWR | O_CREAT, 0600);
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
            lock_fd = fd;
            result = JWTMINT_STORE_LOCKED;
        } else {
            result = (fd >= 0 && errno == EWOULDBLOCK) ? JWTMINT_STORE_BUSY : JWTMINT_STORE_FAILED;
            if (fd >= 0) close(fd);
        }
        break;
    case JWTMINT_ACTION_STORE_RENEW_LOCK:
        result = lock_fd >= 0 ? JWTMINT_STORE_LOCKED : JWTMINT_STORE_LOCK_LOST;
        break;
    case JWTMINT_ACTION_STORE_SAVE:
        if (lock_fd < 0) {
            result = JWTMINT_STORE_LOCK_LOST;
            break;
        }
        result = save(a);
        close(lock_fd); /* releases the flock */
        lock_fd = -1;
        break;
    case JWTMINT_ACTION_STORE_SAVE_UNLOCKED:
        fd = lock_briefly();
        if (fd >= 0) {
            result = save(a);
            close(fd);
        }
        break;
    case JWTMINT_ACTION_STORE_UNLOCK:
        if (lock_fd >= 0) close(lock_fd);
        lock_fd = -1;
        result = JWTMINT_STORE_DONE;
        break;
    case JWTMINT_ACTION_STORE_REMOVE_IF_HOLDS:
        fd = lock_briefly();
        if (fd < 0) break;
        n = read_record(rec, sizeof rec, &exp);
        if (n && jwtmint_record_holds(rec, n, a->body, &holds) == JWTMINT_RESULT_OK && holds) {
            path_of(path, sizeof path, "record");
            result = unlink(path) == 0 ? JWTMINT_STORE_REMOVED : JWTMINT_STORE_FAILED;
        } else {
            result = JWTMINT_STORE_NOT_REMOVED;
        }
        close(fd);
        break;
    default:
        break;
    }
    jwtmint_session_store_result(s, now_s(), a->ticket, result, NULL);
}

/* A minimal HTTP/1.0 POST to http://127.0.0.1:PORT/...; fills *status and
 * the response body. Returns 0, or a jwtmint_transport_error. */
static uint32_t post(const jwtmint_session_action *a, int *status, char *resp, size_t cap, size_t *resp_len) {
    static char head[8192];
    static char buf[MAX_RESPONSE + 8192];
    const char *prefix = "http://127.0.0.1:";
    char url[2048];
    struct sockaddr_in addr;
    size_t used, got = 0, i;
    ssize_t r;
    int fd, n, port = 0;
    const char *p, *path, *body;
    if (a->url.len >= sizeof url) return JWTMINT_TRANSPORT_OTHER;
    memcpy(url, a->url.ptr, a->url.len);
    url[a->url.len] = 0;
    if (strncmp(url, prefix, strlen(prefix)) != 0) return JWTMINT_TRANSPORT_OTHER; /* loopback only */
    for (p = url + strlen(prefix); *p >= '0' && *p <= '9'; p++) port = port * 10 + (*p - '0');
    path = *p == '/' ? p : "/";
    n = snprintf(head, sizeof head, "POST %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: %zu\r\n", path,
                 a->body_len);
    if (n < 0 || (size_t)n >= sizeof head) return JWTMINT_TRANSPORT_OTHER;
    used = (size_t)n;
    for (i = 0; i < a->headers_len; i++) {
        n = snprintf(head + used, sizeof head - used, "%.*s: %.*s\r\n", (int)a->headers[i].name.len,
                     (const char *)a->headers[i].name.ptr, (int)a->headers[i].value.len,
                     (const char *)a->headers[i].value.ptr);
        if (n < 0 || (size_t)n >= sizeof head - used) return JWTMINT_TRANSPORT_OTHER;
        used += (size_t)n;
    }
    if (used + 2 >= sizeof head) return JWTMINT_TRANSPORT_OTHER;
    memcpy(head + used, "\r\n", 2);
    used += 2;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return JWTMINT_TRANSPORT_CONNECT;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return JWTMINT_TRANSPORT_CONNECT;
    }
    if (write(fd, head, used) != (ssize_t)used ||
        (a->body_len && write(fd, a->body, a->body_len) != (ssize_t)a->body_len)) {
        close(fd);
        return JWTMINT_TRANSPORT_OTHER;
    }
    while (got < sizeof buf - 1 && (r = read(fd, buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)r;
    close(fd);
    buf[got] = 0;
    if (got == sizeof buf - 1) return JWTMINT_TRANSPORT_TOO_LARGE;
    if (sscanf(buf, "HTTP/%*s %d", status) != 1) return JWTMINT_TRANSPORT_PROTOCOL;
    body = strstr(buf, "\r\n\r\n");
    if (!body) return JWTMINT_TRANSPORT_PROTOCOL;
    body += 4;
    *resp_len = got - (size_t)(body - buf);
    if (*resp_len >= cap) return JWTMINT_TRANSPORT_TOO_LARGE;
    memcpy(resp, body, *resp_len);
    return 0;
}

/* FNV-1a of the token: printed instead of the token (a bearer secret). */
static unsigned long long fnv(const uint8_t *p, size_t n) {
    unsigned long long h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* One worker: poll until a token is there, answering every action. */
static int worker(int id, const jwtmint_profile *profile, const jwtmint_key *key) {
    static char resp[MAX_RESPONSE];
    jwtmint_session *s = NULL;
    jwtmint_session_action a;
    int steps;
    if (jwtmint_session_new(profile, key, NULL, &s) != JWTMINT_RESULT_OK) return 1;
    /* Wait up to 30 s for the holder; flock needs no renewal; no refresh token kept. */
    if (jwtmint_session_share_store(s, 30, 0, 0) != JWTMINT_RESULT_OK) return 1;
    for (steps = 0; steps < 2000; steps++) {
        int64_t now = now_s();
        int status = 0;
        size_t len = 0;
        uint32_t err;
        if (jwtmint_session_poll(s, now, &a) != JWTMINT_RESULT_OK) break;
        switch (a.kind) {
        case JWTMINT_ACTION_USE:
            printf("worker %d token %016llx\n", id, fnv(a.token.ptr, a.token.len));
            fflush(stdout);
            jwtmint_session_free(s);
            return 0;
        case JWTMINT_ACTION_FETCH:
            err = post(&a, &status, resp, sizeof resp, &len);
            if (err)
                jwtmint_session_fail(s, now_s(), a.ticket, err, NULL);
            else
                jwtmint_session_complete(s, now_s(), a.ticket, (uint16_t)status, (const uint8_t *)resp, len, NULL);
            break;
        case JWTMINT_ACTION_WAIT:
            nap_ms(a.at > now ? 200 : 20);
            break;
        case JWTMINT_ACTION_FAILED:
            fprintf(stderr, "worker %d: rejected: %.*s (HTTP %u)\n", id, (int)a.error_code.len,
                    (const char *)a.error_code.ptr, (unsigned)a.http_status);
            jwtmint_session_free(s);
            return 1;
        default:
            answer_store(s, &a);
            break;
        }
    }
    jwtmint_session_free(s);
    return 1;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (char *)malloc(n > 0 ? (size_t)n : 1);
    if (!buf || n <= 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv) {
    jwtmint_key *key = NULL;
    jwtmint_profile *profile = NULL;
    jwtmint_rfc7523_options o;
    char url[256];
    size_t pem_len = 0;
    char *pem;
    int workers, i, failed = 0, status;
    if (argc != 5) {
        fprintf(stderr, "usage: %s KEY.pem PORT WORKERS DIR\n", argv[0]);
        return 2;
    }
    workers = atoi(argv[3]);
    snprintf(dir, sizeof dir, "%s", argv[4]);
    pem = read_file(argv[1], &pem_len);
    if (!pem || jwtmint_key_new_from_pem((const uint8_t *)pem, pem_len, &key) != JWTMINT_RESULT_OK) {
        fprintf(stderr, "cannot load the key %s\n", argv[1]);
        return 2;
    }
    free(pem);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/token", atoi(argv[2]));
    memset(&o, 0, sizeof o);
    o.kind = JWTMINT_RFC7523_GRANT;
    o.iss = str_of("demo-client");
    o.sub = str_of("alice");
    o.aud = str_of("https://sessions.test");
    o.token_url = str_of(url);
    if (jwtmint_rfc7523_profile_new(&o, &profile) != JWTMINT_RESULT_OK) return 2;
    for (i = 0; i < workers; i++) {
        pid_t pid = fork();
        if (pid == 0) _exit(worker(i, profile, key));
        if (pid < 0) failed++;
    }
    while (wait(&status) > 0)
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed++;
    jwtmint_profile_free(profile);
    jwtmint_key_free(key);
    printf("%d workers, %d failed\n", workers, failed);
    return failed ? 1 : 0;
}
