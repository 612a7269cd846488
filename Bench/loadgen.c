/*
 * Copyright 2026 The swift-lambda-rie authors
 * SPDX-License-Identifier: Apache-2.0
 *
 * The benchmark's load generator: raw sockets, keep-alive, one JSON object of results on stdout.
 *
 *   loadgen invoke HOST PORT PATH N SIZE [WARMUP]     N sequential invokes of a SIZE-byte JSON body
 *   loadgen concurrent HOST PORT PATH CALLERS BODY    CALLERS connections invoking at the same instant
 *   loadgen stream HOST PORT PATH BODY                one invoke; bytes, throughput, and for 64-byte
 *                                                     timestamp frames (runtime.c) the forwarding delay
 *   loadgen selftest N BYTES WRITE                    the same client against a trivial in-process
 *                                                     server: the client's own ceiling
 */
#include "http.h"
#include <pthread.h>

static int cmp_ll(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static long long pct(long long *v, long n, int p) {
    if (n == 0) return -1;
    long i = (long)((double)n * p / 100.0);
    return v[i >= n ? n - 1 : i];
}

static void set_timeout(int fd, int secs) {
    struct timeval tv = {.tv_sec = secs};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static char *json_body(size_t size) {
    if (size < 10) size = 10;
    char *b = malloc(size + 1);
    if (!b) die("malloc");
    memcpy(b, "{\"p\":\"", 6);
    memset(b + 6, 'x', size - 8);
    memcpy(b + size - 2, "\"}", 2);
    b[size] = 0;
    return b;
}

/* Sends one POST and reads the answer. Returns the status, or -1 when the connection failed. */
static int invoke_once(conn_t *c, const char *head, size_t hl, const char *body, size_t bl, sink_fn sink,
                       void *ctx, long long *got) {
    struct iovec iov[2] = {{(void *)head, hl}, {(void *)body, bl}};
    head_t h;
    if (writev_all(c->fd, iov, 2) < 0 || read_head(c, &h, NULL) < 0) return -1;
    long long n = read_body(c, &h, sink, ctx);
    if (n < 0) return -1;
    if (got) *got = n;
    return h.status;
}

static size_t post_head(char *out, size_t cap, const char *host, int port, const char *path, size_t bl) {
    return (size_t)snprintf(out, cap, "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                                      "Content-Length: %zu\r\n\r\n", path, host, port, bl);
}

static int cmd_invoke(const char *host, int port, const char *path, long n, size_t size, long warmup) {
    char *body = json_body(size), head[512];
    size_t bl = strlen(body), hl = post_head(head, sizeof head, host, port, path, bl);
    long long *lat = calloc((size_t)n, sizeof *lat);
    conn_t c = {.fd = -1};
    long ok = 0, err = 0, reconnects = 0, bad_len = 0, failures = 0;
    if (conn_open(&c, host, port) < 0) die("connect");
    set_timeout(c.fd, 30);
    int64_t t0 = 0;
    for (long i = -warmup; i < n; i++) {
        if (i == 0) t0 = now_ns();
        int64_t s = now_ns();
        long long got = 0;
        int st = invoke_once(&c, head, hl, body, bl, NULL, NULL, &got);
        int64_t e = now_ns();
        if (i >= 0) lat[i] = e - s;
        if (st == 200) { ok += i >= 0; if (got != (long long)bl && i >= 0) bad_len++; }
        else if (i >= 0) err++;
        if (st == 200) failures = 0;
        else if (++failures == 3) { n = i >= 0 ? i + 1 : 1; break; }  /* give up: the peer is not answering */
        if (st < 0) {
            reconnects++;
            conn_close(&c);
            if (conn_open(&c, host, port) < 0) break;
            set_timeout(c.fd, 30);
        }
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    conn_close(&c);
    qsort(lat, (size_t)n, sizeof *lat, cmp_ll);
    long long sum = 0;
    for (long i = 0; i < n; i++) sum += lat[i];
    printf("{\"n\":%ld,\"ok\":%ld,\"errors\":%ld,\"wrong_length\":%ld,\"reconnects\":%ld,\"secs\":%.6f,"
           "\"rps\":%.1f,\"p50_us\":%.2f,\"p99_us\":%.2f,\"mean_us\":%.2f,\"max_us\":%.2f}\n",
           n, ok, err, bad_len, reconnects, secs, (double)n / secs, pct(lat, n, 50) / 1e3, pct(lat, n, 99) / 1e3,
           (double)sum / (double)n / 1e3, lat[n - 1] / 1e3);
    return 0;
}

typedef struct {
    const char *host, *path, *body;
    int port, status;
    long long latency_ns;
    pthread_barrier_t *barrier;
} caller_t;

static void *caller(void *arg) {
    caller_t *a = arg;
    char head[512];
    size_t bl = strlen(a->body), hl = post_head(head, sizeof head, a->host, a->port, a->path, bl);
    conn_t c = {.fd = -1};
    int opened = conn_open(&c, a->host, a->port);
    if (opened == 0) set_timeout(c.fd, 30);
    pthread_barrier_wait(a->barrier);
    int64_t s = now_ns();
    a->status = opened == 0 ? invoke_once(&c, head, hl, a->body, bl, NULL, NULL, NULL) : -2;
    a->latency_ns = now_ns() - s;
    conn_close(&c);
    return NULL;
}

static int cmd_concurrent(const char *host, int port, const char *path, int callers, const char *body) {
    pthread_t th[64];
    caller_t a[64];
    pthread_barrier_t barrier;
    if (callers > 64) callers = 64;
    pthread_barrier_init(&barrier, NULL, (unsigned)callers + 1);
    for (int i = 0; i < callers; i++) {
        a[i] = (caller_t){.host = host, .path = path, .body = body, .port = port, .barrier = &barrier};
        pthread_create(&th[i], NULL, caller, &a[i]);
    }
    pthread_barrier_wait(&barrier);
    int64_t t0 = now_ns();
    for (int i = 0; i < callers; i++) pthread_join(th[i], NULL);
    double wall = (double)(now_ns() - t0) / 1e9;
    int ok = 0;
    printf("{\"callers\":%d,\"wall_s\":%.6f,\"statuses\":[", callers, wall);
    for (int i = 0; i < callers; i++) { printf("%s%d", i ? "," : "", a[i].status); ok += a[i].status == 200; }
    printf("],\"latencies_ms\":[");
    for (int i = 0; i < callers; i++) printf("%s%.3f", i ? "," : "", a[i].latency_ns / 1e6);
    printf("],\"ok\":%d}\n", ok);
    return 0;
}

typedef struct {
    char rec[64];
    size_t have;
    long long *delays;
    long count, cap, bytes;
    int64_t first_byte;
    char head[161]; /* the body's first bytes, for a report of what came instead of the stream */
    size_t head_len;
} frames_t;

static void frame_sink(void *ctx, const char *data, size_t n) {
    frames_t *f = ctx;
    int64_t t = now_ns();
    if (!f->first_byte) f->first_byte = t;
    f->bytes += (long)n;
    while (n > 0) {
        size_t take = 64 - f->have;
        if (take > n) take = n;
        memcpy(f->rec + f->have, data, take);
        f->have += take; data += take; n -= take;
        if (f->have == 64) {
            f->have = 0;
            if (f->rec[0] == 'F' && f->count < f->cap) f->delays[f->count++] = t - atoll(f->rec + 1);
        }
    }
}

static void count_sink(void *ctx, const char *data, size_t n) {
    frames_t *f = ctx;
    if (!f->first_byte) f->first_byte = now_ns();
    for (size_t i = 0; i < n && f->head_len < 160; i++)
        f->head[f->head_len++] = data[i] == '"' ? '\'' : data[i] >= 32 && data[i] < 127 && data[i] != '\\' ? data[i] : '.';
    f->bytes += (long)n;
}

static int cmd_stream(const char *host, int port, const char *path, const char *body) {
    char head[512];
    size_t bl = strlen(body), hl = post_head(head, sizeof head, host, port, path, bl);
    conn_t c = {.fd = -1};
    frames_t f = {.cap = 1 << 20};
    f.delays = calloc((size_t)f.cap, sizeof *f.delays);
    if (conn_open(&c, host, port) < 0) die("connect");
    set_timeout(c.fd, 120);
    int64_t s = now_ns();
    long long got = 0;
    int st = invoke_once(&c, head, hl, body, bl, strstr(body, "\"frames\"") ? frame_sink : count_sink, &f, &got);
    int64_t e = now_ns();
    qsort(f.delays, (size_t)f.count, sizeof *f.delays, cmp_ll);
    double secs = (double)(e - s) / 1e9;
    printf("{\"status\":%d,\"bytes\":%lld,\"secs\":%.6f,\"mib_s\":%.1f,\"ttfb_ms\":%.3f,\"frames\":%ld,"
           "\"delay_p50_us\":%.1f,\"delay_p99_us\":%.1f,\"delay_max_us\":%.1f,\"head\":\"%s\"}\n",
           st, got, secs, (double)got / 1048576.0 / secs, f.first_byte ? (f.first_byte - s) / 1e6 : -1.0, f.count,
           pct(f.delays, f.count, 50) / 1e3, pct(f.delays, f.count, 99) / 1e3,
           f.count ? f.delays[f.count - 1] / 1e3 : -1.0, f.head);
    return st == 200 ? 0 : 1;
}

/* A trivial keep-alive server: /stream answers `bytes` chunked in `write`-byte chunks, anything else
 * 100 bytes. It measures what the client alone can do. */
static int srv_fd;
static long long srv_bytes, srv_write;

static void *server(void *unused) {
    (void)unused;
    for (;;) {
        int fd = accept(srv_fd, NULL, NULL);
        if (fd < 0) return NULL;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn_t c = {.fd = fd, .buf = malloc(CONN_BUF)};
        char *data = calloc(1, (size_t)srv_write + 64);
        memset(data, 'x', (size_t)srv_write);
        head_t h;
        while (read_head(&c, &h, NULL) == 0 && read_body(&c, &h, NULL, NULL) >= 0) {
            if (h.length == 12) { /* the stream request's body, {"stream":1} */
                const char *hd = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
                write_all(fd, hd, strlen(hd));
                char sz[32];
                int sl = snprintf(sz, sizeof sz, "%llx\r\n", srv_write);
                for (long long left = srv_bytes; left > 0; left -= srv_write) {
                    struct iovec iov[3] = {{sz, (size_t)sl}, {data, (size_t)srv_write}, {"\r\n", 2}};
                    writev_all(fd, iov, 3);
                }
                write_all(fd, "0\r\n\r\n", 5);
            } else {
                char resp[256];
                int rl = snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n%0100d", 0);
                write_all(fd, resp, (size_t)rl);
            }
        }
        conn_close(&c);
        free(c.buf); free(data);
    }
}

static int cmd_selftest(long n, long long bytes, long long write) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    srv_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (bind(srv_fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(srv_fd, 64) < 0) die("listen");
    getsockname(srv_fd, (struct sockaddr *)&sa, &sl);
    srv_bytes = bytes; srv_write = write;
    pthread_t th;
    pthread_create(&th, NULL, server, NULL);
    int port = ntohs(sa.sin_port);
    printf("{\"invoke\":");
    fflush(stdout);
    cmd_invoke("127.0.0.1", port, "/x", n, 100, 100);
    printf(",\"stream\":");
    fflush(stdout);
    cmd_stream("127.0.0.1", port, "/stream", "{\"stream\":1}");
    printf("}\n");
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 7 && strcmp(argv[1], "invoke") == 0)
        return cmd_invoke(argv[2], atoi(argv[3]), argv[4], atol(argv[5]), (size_t)atol(argv[6]),
                          argc > 7 ? atol(argv[7]) : 20);
    if (argc == 7 && strcmp(argv[1], "concurrent") == 0)
        return cmd_concurrent(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]), argv[6]);
    if (argc == 6 && strcmp(argv[1], "stream") == 0) return cmd_stream(argv[2], atoi(argv[3]), argv[4], argv[5]);
    if (argc == 5 && strcmp(argv[1], "selftest") == 0) return cmd_selftest(atol(argv[2]), atoll(argv[3]), atoll(argv[4]));
    fprintf(stderr, "usage: see the comment at the top of Bench/loadgen.c\n");
    return 2;
}
