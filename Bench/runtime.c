/*
 * Copyright 2026 The swift-lambda-rie authors
 * SPDX-License-Identifier: Apache-2.0
 *
 * The benchmark's minimal Lambda runtime: speaks the Runtime API directly over one keep-alive
 * connection, so that the emulator's own cost dominates what Scripts/bench measures.
 *
 * AWS_LAMBDA_RUNTIME_API is HOST:PORT or HOST:PORT/PREFIX (cargo-lambda's "/.rt"). The event
 * says what to do:
 *   {"cmd":"stream","n":BYTES,"w":WRITE}   stream BYTES in chunks of WRITE bytes, one write each
 *   {"cmd":"frames","n":COUNT,"us":GAP}    stream COUNT 64-byte frames, GAP µs apart; each frame
 *                                          holds the CLOCK_MONOTONIC time (ns) of its write
 *   {"cmd":"sleep","us":US}                sleep, then answer {"ok":1}
 *   anything else                          echoed back as a buffered response
 * BENCH_PRELUDE=1 sends an HTTP-integration prelude before a stream (cargo-lambda requires one).
 * Connects with retries (an emulator started at the same moment may not listen yet).
 */
#include "http.h"

static char host[64] = "127.0.0.1", prefix[128] = "";
static int port = 9001, prelude = 0;

static long long json_num(const char *body, const char *key) {
    const char *p = strstr(body, key);
    return p ? atoll(p + strlen(key)) : 0;
}

static void reconnect(conn_t *c) {
    conn_close(c);
    for (int i = 0; i < 30000; i++) {
        if (conn_open(c, host, port) == 0) return;
        if (errno != ECONNREFUSED) break;
        usleep(1000);
    }
    die("connect to the Runtime API");
}

/* Reads the answer to a /response post. Returns 0 when it was 2xx. */
static int finish_post(conn_t *c) {
    head_t h;
    if (read_head(c, &h, NULL) < 0 || read_body(c, &h, NULL, NULL) < 0) return -1;
    return h.status >= 200 && h.status < 300 ? 0 : -1;
}

static int post_buffered(conn_t *c, const char *id, const char *body, size_t n) {
    char head[512];
    int hl = snprintf(head, sizeof head,
                      "POST %s/2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s:%d\r\n"
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                      prefix, id, host, port, n);
    struct iovec iov[2] = {{head, (size_t)hl}, {(void *)body, n}};
    if (writev_all(c->fd, iov, n ? 2 : 1) < 0) return -1;
    return finish_post(c);
}

static int chunk(conn_t *c, const void *data, size_t n) {
    char size[32];
    int sl = snprintf(size, sizeof size, "%zx\r\n", n);
    struct iovec iov[3] = {{size, (size_t)sl}, {(void *)data, n}, {"\r\n", 2}};
    return writev_all(c->fd, iov, 3);
}

static int post_stream(conn_t *c, const char *id, const char *body) {
    char head[512];
    int hl = snprintf(head, sizeof head,
                      "POST %s/2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s:%d\r\n"
                      "Content-Type: application/octet-stream\r\n"
                      "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n\r\n",
                      prefix, id, host, port);
    if (write_all(c->fd, head, (size_t)hl) < 0) return -1;
    if (prelude) {
        const char *p = "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/octet-stream\"},\"cookies\":[]}";
        static const char nuls[8] = {0};
        if (chunk(c, p, strlen(p)) < 0 || chunk(c, nuls, 8) < 0) return -1;
    }
    if (strstr(body, "\"cmd\":\"frames\"")) {
        long long count = json_num(body, "\"n\":"), gap = json_num(body, "\"us\":");
        for (long long i = 0; i < count; i++) {
            if (i > 0 && gap > 0) usleep((useconds_t)gap);
            char frame[65];
            snprintf(frame, sizeof frame, "F%019lld%43s\n", (long long)now_ns(), "");
            if (chunk(c, frame, 64) < 0) return -1;
        }
    } else {
        long long left = json_num(body, "\"n\":"), w = json_num(body, "\"w\":");
        if (w <= 0) w = 65536;
        char *data = malloc((size_t)w);
        if (!data) die("malloc");
        memset(data, 'x', (size_t)w);
        while (left > 0) {
            size_t n = left < w ? (size_t)left : (size_t)w;
            if (chunk(c, data, n) < 0) { free(data); return -1; }
            left -= (long long)n;
        }
        free(data);
    }
    if (write_all(c->fd, "0\r\n\r\n", 5) < 0) return -1;
    return finish_post(c);
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api) { fprintf(stderr, "runtime: AWS_LAMBDA_RUNTIME_API is not set\n"); return 2; }
    const char *slash = strchr(api, '/'), *colon = strchr(api, ':');
    if (slash) snprintf(prefix, sizeof prefix, "%s", slash);
    if (colon && (!slash || colon < slash)) {
        snprintf(host, sizeof host, "%.*s", (int)(colon - api), api);
        port = atoi(colon + 1);
    }
    if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    prelude = getenv("BENCH_PRELUDE") && strcmp(getenv("BENCH_PRELUDE"), "1") == 0;

    conn_t c = {.fd = -1};
    buf_t body = {0};
    char next[256];
    int nl = snprintf(next, sizeof next, "GET %s/2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s:%d\r\n\r\n",
                      prefix, host, port);
    reconnect(&c);
    for (;;) {
        head_t h;
        body.n = 0;
        if (write_all(c.fd, next, (size_t)nl) < 0 || read_head(&c, &h, "Lambda-Runtime-Aws-Request-Id") < 0 ||
            read_body(&c, &h, buf_sink, &body) < 0) {
            reconnect(&c); /* the emulator closed the connection: ask again */
            continue;
        }
        if (h.status != 200 || !h.want_value[0]) { usleep(1000); continue; }
        buf_sink(&body, "", 1); /* NUL-terminate for strstr */
        body.n--;
        int rc;
        if (strstr(body.p, "\"cmd\":\"stream\"") || strstr(body.p, "\"cmd\":\"frames\"")) {
            rc = post_stream(&c, h.want_value, body.p);
        } else if (strstr(body.p, "\"cmd\":\"sleep\"")) {
            usleep((useconds_t)json_num(body.p, "\"us\":"));
            rc = post_buffered(&c, h.want_value, "{\"ok\":1}", 8);
        } else {
            rc = post_buffered(&c, h.want_value, body.p, body.n);
        }
        if (rc < 0) reconnect(&c);
    }
}
