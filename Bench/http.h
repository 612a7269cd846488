/*
 * Copyright 2026 The swift-lambda-rie authors
 * SPDX-License-Identifier: Apache-2.0
 *
 * The few HTTP/1.1 pieces the benchmark's C programs share (runtime.c, loadgen.c, floor.c): a
 * keep-alive TCP connection with TCP_NODELAY, a buffered reader, response/request head parsing
 * (status, Content-Length, chunked, one named header) and a body reader that hands each decoded
 * piece to a sink. Deliberately small and fast: the point is that the emulator's cost dominates.
 */
#ifndef BENCH_HTTP_H
#define BENCH_HTTP_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define CONN_BUF (256 * 1024)

typedef struct {
    int fd;
    char *buf;
    size_t start, end; /* unread bytes are buf[start..<end] */
} conn_t;

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void die(const char *what) {
    fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* Connects to host:port (IPv4 literal). Returns 0, or -1 with errno set. */
static inline int conn_open(conn_t *c, const char *host, int port) {
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) { errno = EINVAL; return -1; }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { int e = errno; close(fd); errno = e; return -1; }
    if (!c->buf && !(c->buf = malloc(CONN_BUF))) die("malloc");
    c->fd = fd;
    c->start = c->end = 0;
    return 0;
}

static inline void conn_close(conn_t *c) {
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    c->start = c->end = 0;
}

static inline int write_all(int fd, const void *p, size_t n) {
    const char *s = p;
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        s += w; n -= (size_t)w;
    }
    return 0;
}

/* Writes iov fully (one writev when the kernel takes it all, which it does for small frames). */
static inline int writev_all(int fd, struct iovec *iov, int cnt) {
    while (cnt > 0) {
        ssize_t w = writev(fd, iov, cnt);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        while (cnt > 0 && (size_t)w >= iov->iov_len) { w -= (ssize_t)iov->iov_len; iov++; cnt--; }
        if (cnt > 0) { iov->iov_base = (char *)iov->iov_base + w; iov->iov_len -= (size_t)w; }
    }
    return 0;
}

/* Reads more bytes into the buffer (compacting first). Returns bytes read, 0 on EOF, -1 on error. */
static inline ssize_t conn_fill(conn_t *c) {
    if (c->start > 0 && c->start == c->end) c->start = c->end = 0;
    if (c->end == CONN_BUF) {
        memmove(c->buf, c->buf + c->start, c->end - c->start);
        c->end -= c->start; c->start = 0;
        if (c->end == CONN_BUF) { errno = EMSGSIZE; return -1; }
    }
    for (;;) {
        ssize_t r = recv(c->fd, c->buf + c->end, CONN_BUF - c->end, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r > 0) c->end += (size_t)r;
        return r;
    }
}

typedef struct {
    int status;          /* response status, or 0 for a request head */
    long long length;    /* Content-Length, or -1 */
    int chunked;
    char want_value[128]; /* value of the header named by the caller, if present */
} head_t;

/* Reads one message head. want: a header name to capture (or NULL). Returns 0, or -1 on EOF/error. */
static inline int read_head(conn_t *c, head_t *h, const char *want) {
    char *eoh;
    for (;;) {
        eoh = c->end > c->start ? memmem(c->buf + c->start, c->end - c->start, "\r\n\r\n", 4) : NULL;
        if (eoh) break;
        if (conn_fill(c) <= 0) return -1;
    }
    *eoh = 0;
    char *line = c->buf + c->start;
    c->start = (size_t)(eoh + 4 - c->buf);
    h->status = 0; h->length = -1; h->chunked = 0; h->want_value[0] = 0;
    if (strncmp(line, "HTTP/1.", 7) == 0 && strlen(line) >= 12) h->status = atoi(line + 9);
    size_t wl = want ? strlen(want) : 0;
    for (char *p = strstr(line, "\r\n"); p; p = strstr(p, "\r\n")) {
        p += 2;
        char *colon = strchr(p, ':');
        char *eol = strstr(p, "\r\n");
        if (!colon || (eol && colon > eol)) continue;
        size_t nl = (size_t)(colon - p);
        char *v = colon + 1;
        while (*v == ' ') v++;
        size_t vl = eol ? (size_t)(eol - v) : strlen(v);
        if (nl == 14 && strncasecmp(p, "Content-Length", 14) == 0) h->length = atoll(v);
        else if (nl == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0 && vl >= 7 &&
                 strncasecmp(v + vl - 7, "chunked", 7) == 0) h->chunked = 1;
        else if (wl && nl == wl && strncasecmp(p, want, wl) == 0 && vl < sizeof h->want_value) {
            memcpy(h->want_value, v, vl); h->want_value[vl] = 0;
        }
    }
    return 0;
}

typedef void (*sink_fn)(void *ctx, const char *data, size_t n);

/* Reads the body the head announced, handing each piece to sink (which may be NULL to discard).
 * Returns the body's length, or -1 on EOF/error. A body with neither framing is read until EOF. */
static inline long long read_body(conn_t *c, const head_t *h, sink_fn sink, void *ctx) {
    long long total = 0;
    if (!h->chunked) {
        long long left = h->length;
        for (;;) {
            size_t avail = c->end - c->start;
            if (left >= 0 && (long long)avail > left) avail = (size_t)left;
            if (avail) {
                if (sink) sink(ctx, c->buf + c->start, avail);
                c->start += avail; total += (long long)avail;
                if (left >= 0) left -= (long long)avail;
            }
            if (left == 0) return total;
            ssize_t r = conn_fill(c);
            if (r == 0 && left < 0) return total;
            if (r <= 0) return -1;
        }
    }
    for (;;) {
        char *eol;
        while (!(eol = c->end > c->start ? memmem(c->buf + c->start, c->end - c->start, "\r\n", 2) : NULL))
            if (conn_fill(c) <= 0) return -1;
        long long size = strtoll(c->buf + c->start, NULL, 16);
        c->start = (size_t)(eol + 2 - c->buf);
        if (size == 0) { /* trailers, then an empty line */
            for (;;) {
                while (!(eol = c->end > c->start ? memmem(c->buf + c->start, c->end - c->start, "\r\n", 2) : NULL))
                    if (conn_fill(c) <= 0) return -1;
                int empty = eol == c->buf + c->start;
                c->start = (size_t)(eol + 2 - c->buf);
                if (empty) return total;
            }
        }
        long long left = size;
        while (left > 0) {
            if (c->end == c->start && conn_fill(c) <= 0) return -1;
            size_t avail = c->end - c->start;
            if ((long long)avail > left) avail = (size_t)left;
            if (sink) sink(ctx, c->buf + c->start, avail);
            c->start += avail; left -= (long long)avail; total += (long long)avail;
        }
        while (c->end - c->start < 2) if (conn_fill(c) <= 0) return -1;
        c->start += 2; /* the chunk's CRLF */
    }
}

typedef struct { char *p; size_t n, cap; } buf_t;

static inline void buf_sink(void *ctx, const char *data, size_t n) {
    buf_t *b = ctx;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        if (!(b->p = realloc(b->p, b->cap))) die("realloc");
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

#endif
