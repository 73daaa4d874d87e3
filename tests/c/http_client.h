/*
 * A minimal HTTP/1.0 client for the C tests that talk to a local Python
 * server on 127.0.0.1 (test_session.c, test_session_grants.c): one request,
 * the given headers, the whole answer read into a buffer.
 */
#ifndef JWTMINT_TESTS_HTTP_CLIENT_H
#define JWTMINT_TESTS_HTTP_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "jwtmint.h"

/* Sends `method path` to 127.0.0.1:port with `headers` (name/value pairs,
 * may be NULL when n == 0) and `len` bytes of `body`; fills *status and the
 * NUL-terminated response body (at most cap - 1 bytes). Returns 0 on
 * success, -1 on any transport or parse failure. */
static int http_request(int port, const char *method, const char *path, const jwtmint_header_pair *headers,
                        size_t n_headers, const uint8_t *body, size_t len, int *status, char *resp, size_t cap) {
    struct sockaddr_in addr;
    static char head[4096];
    static char buf[65536];
    size_t got = 0, used = 0, i;
    ssize_t r;
    int fd, n;
    n = snprintf(head, sizeof head, "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: %zu\r\n", method, path,
                 len);
    if (n < 0 || (size_t)n >= sizeof head) return -1;
    used = (size_t)n;
    for (i = 0; i < n_headers; i++) {
        n = snprintf(head + used, sizeof head - used, "%.*s: %.*s\r\n", (int)headers[i].name.len,
                     (const char *)headers[i].name.ptr, (int)headers[i].value.len, (const char *)headers[i].value.ptr);
        if (n < 0 || (size_t)n >= sizeof head - used) return -1;
        used += (size_t)n;
    }
    if (used + 2 >= sizeof head) return -1;
    memcpy(head + used, "\r\n", 2);
    used += 2;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    if (write(fd, head, used) != (ssize_t)used || (len && write(fd, body, len) != (ssize_t)len)) {
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

#endif
