/*
 * Copyright 2026 The swift-lambda-rie authors
 * SPDX-License-Identifier: Apache-2.0
 *
 * The benchmark's floor: a minimal single-function emulator with aws-lambda-rie's command line, used only
 * as a reference column in Scripts/bench ("C floor"), never as a product. It forwards a streamed response
 * the way ours is designed to: one recv of at most FLOOR_BUFFER_BYTES (default 4096) from the runtime's
 * connection, the payload decoded from that read re-framed as ONE HTTP chunk (size line + data + CRLF in
 * one buffer) and sent with ONE send. Blocking sockets, a thread per connection, TCP_NODELAY, no logging,
 * no validation beyond what the bench's traffic needs: what that data path costs on this machine when
 * nothing else is in the way.
 *
 *   floor [--runtime-api-address H:P] [--runtime-interface-emulator-address H:P] [--log-level X]
 *         [--enable-init-caching] BOOTSTRAP [ARG...]
 *
 * The bootstrap is spawned once, with AWS_LAMBDA_RUNTIME_API=H:P. Invokes (POST on any path, keep-alive,
 * Content-Length or chunked bodies) are served one at a time; concurrent callers queue on a condvar.
 */
#include "http.h"
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>

static size_t buffer_bytes = 4096;
static long long timeout_ms = 300000;

/* The rendezvous between the caller's thread and the runtime's: one invoke at a time. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int busy;          /* a caller owns the function until its answer is written */
static int pending;       /* its event waits for a /next */
static int done;          /* the runtime's answer has been written to the caller */
static int caller_fd = -1;
static const char *event; /* the caller's body; stays valid until done */
static size_t event_len;
static unsigned long long seq; /* the current invoke's number (its request id) */

static const char accepted[] = "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n"
                               "{\"status\":\"OK\"}\n";

static void finish(void) {
    pthread_mutex_lock(&mu);
    done = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

/* The caller of the invoke in flight whose event the runtime has taken, or -1. */
static int current_caller(void) {
    pthread_mutex_lock(&mu);
    int fd = busy && !pending && !done ? caller_fd : -1;
    pthread_mutex_unlock(&mu);
    return fd;
}

/* Copies the next message's request line into line; the head stays buffered for read_head. */
static int request_line(conn_t *c, char *line, size_t cap) {
    char *eol;
    while (!(eol = c->end > c->start ? memmem(c->buf + c->start, c->end - c->start, "\r\n", 2) : NULL))
        if (conn_fill(c) <= 0) return -1;
    size_t n = (size_t)(eol - (c->buf + c->start));
    if (n >= cap) n = cap - 1;
    memcpy(line, c->buf + c->start, n);
    line[n] = 0;
    return 0;
}

static void format_id(char *out, size_t cap, unsigned long long id) {
    snprintf(out, cap, "00000000-0000-4000-8000-%012llx", id);
}

/* Invoke API: one thread per caller connection. */
static void *serve_caller(void *arg) {
    conn_t c = {.fd = (int)(intptr_t)arg, .buf = malloc(CONN_BUF)};
    buf_t body = {0};
    head_t h;
    if (!c.buf) die("malloc");
    while (read_head(&c, &h, NULL) == 0) {
        if (!h.chunked && h.length < 0) h.length = 0;
        body.n = 0;
        if (read_body(&c, &h, buf_sink, &body) < 0) break;
        pthread_mutex_lock(&mu);
        while (busy) pthread_cond_wait(&cv, &mu);
        busy = 1; pending = 1; done = 0;
        caller_fd = c.fd; event = body.p ? body.p : ""; event_len = body.n; seq++;
        pthread_cond_broadcast(&cv);
        while (!done) pthread_cond_wait(&cv, &mu);
        busy = 0; caller_fd = -1;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&mu);
    }
    close(c.fd);
    free(c.buf);
    free(body.p);
    return NULL;
}

/* GET /next: waits for an event, then hands it over with the Lambda headers. */
static int next_invocation(conn_t *c) {
    pthread_mutex_lock(&mu);
    while (!pending) pthread_cond_wait(&cv, &mu);
    pending = 0;
    const char *ev = event;
    size_t n = event_len;
    unsigned long long id = seq;
    pthread_mutex_unlock(&mu);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long deadline = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + timeout_ms;
    char rid[64], head[768];
    format_id(rid, sizeof rid, id);
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: %s\r\n"
                      "Lambda-Runtime-Deadline-Ms: %lld\r\n"
                      "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:012345678912:function:function\r\n"
                      "Lambda-Runtime-Trace-Id: Root=1-00000000-%024llx;Parent=0000000000000000;Sampled=0\r\n"
                      "Content-Length: %zu\r\n\r\n", rid, deadline, id, n);
    struct iovec iov[2] = {{head, (size_t)hl}, {(void *)ev, n}};
    return writev_all(c->fd, iov, n ? 2 : 1);
}

static void answer_caller(int fd, const char *body, size_t n) {
    char head[160];
    int hl = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n", n);
    struct iovec iov[2] = {{head, (size_t)hl}, {(void *)body, n}};
    writev_all(fd, iov, n ? 2 : 1); /* a caller that left is not our problem */
}

/* Chunked-body decoder state: only the framing bytes are looked at one by one. */
enum { SIZE, EXT, DATA, DATA_END, TRAILER, FIN };
typedef struct {
    int state, line_empty;
    unsigned long long left;
} chunk_dec;

/* Decodes in[0..n) and appends the payload to out. Returns the payload's length; *used: bytes consumed
 * (fewer than n only when the terminating chunk ended inside in). */
static size_t decode(chunk_dec *d, const char *in, size_t n, char *out, size_t *used) {
    size_t i = 0, o = 0;
    while (i < n && d->state != FIN) {
        char ch = in[i];
        switch (d->state) {
        case SIZE:
        case EXT:
            if (ch == '\n') {
                d->state = d->left ? DATA : TRAILER;
                d->line_empty = 1;
            } else if (d->state == SIZE && isxdigit((unsigned char)ch)) {
                d->left = d->left * 16 + (unsigned)(isdigit((unsigned char)ch) ? ch - '0' : (tolower(ch) - 'a' + 10));
            } else if (ch == ';') {
                d->state = EXT;
            }
            i++;
            break;
        case DATA: {
            size_t take = n - i < d->left ? n - i : (size_t)d->left;
            memcpy(out + o, in + i, take);
            o += take; i += take; d->left -= take;
            if (d->left == 0) d->state = DATA_END;
            break;
        }
        case DATA_END: /* the CRLF after the data */
            if (ch == '\n') d->state = SIZE;
            i++;
            break;
        case TRAILER: /* trailer lines, then an empty line */
            if (ch == '\n') {
                if (d->line_empty) d->state = FIN;
                d->line_empty = 1;
            } else if (ch != '\r') {
                d->line_empty = 0;
            }
            i++;
            break;
        }
    }
    *used = i;
    return o;
}

/* A streamed /response: the caller gets the chunked head at once, then one chunk (one send) per read of
 * at most buffer_bytes from the runtime. Returns -1 when the runtime's connection failed. */
static int stream_response(conn_t *c, int fd) {
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n";
    int ok = write_all(fd, head, sizeof head - 1) == 0;
    char *out = malloc(buffer_bytes + 32);
    if (!out) die("malloc");
    chunk_dec d = {.state = SIZE};
    int rc = 0;
    while (d.state != FIN) {
        if (c->start == c->end) { /* one read of at most buffer_bytes */
            c->start = c->end = 0;
            ssize_t r = recv(c->fd, c->buf, buffer_bytes, 0);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) { rc = -1; break; }
            c->end = (size_t)r;
        }
        size_t n = c->end - c->start, used; /* bytes buffered with the head: in slices of buffer_bytes */
        if (n > buffer_bytes) n = buffer_bytes;
        size_t got = decode(&d, c->buf + c->start, n, out + 16, &used);
        c->start += used;
        if (got && ok) { /* the chunk's size line goes right before the payload: one buffer, one send */
            char size[20];
            int sl = snprintf(size, sizeof size, "%zx\r\n", got);
            memcpy(out + 16 - sl, size, (size_t)sl);
            memcpy(out + 16 + got, "\r\n", 2);
            ok = write_all(fd, out + 16 - sl, (size_t)sl + got + 2) == 0;
        }
    }
    if (rc == 0 && ok) write_all(fd, "0\r\n\r\n", 5);
    if (rc < 0) shutdown(fd, SHUT_RDWR); /* the caller must not take a cut stream for a whole one */
    free(out);
    return rc;
}

/* Runtime API: one thread per runtime connection. */
static void *serve_runtime(void *arg) {
    conn_t c = {.fd = (int)(intptr_t)arg, .buf = malloc(CONN_BUF)};
    buf_t body = {0};
    head_t h;
    char line[512];
    if (!c.buf) die("malloc");
    for (;;) {
        if (request_line(&c, line, sizeof line) < 0 || read_head(&c, &h, "Lambda-Runtime-Function-Response-Mode") < 0)
            break;
        int streaming = h.chunked && strcasecmp(h.want_value, "streaming") == 0;
        int is_post = strncmp(line, "POST ", 5) == 0, rc = 0;
        if (!h.chunked && h.length < 0) h.length = 0;
        body.n = 0;
        if (!streaming && read_body(&c, &h, buf_sink, &body) < 0) break;
        if (strncmp(line, "GET ", 4) == 0 && strstr(line, "/runtime/invocation/next ")) {
            rc = next_invocation(&c);
        } else if (is_post && strstr(line, "/runtime/invocation/") &&
                   (strstr(line, "/response ") || strstr(line, "/error "))) {
            int fd = current_caller();
            if (fd < 0) {
                static const char gone[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
                if (streaming && read_body(&c, &h, NULL, NULL) < 0) break;
                rc = write_all(c.fd, gone, sizeof gone - 1);
            } else {
                if (streaming) {
                    rc = stream_response(&c, fd);
                } else {
                    answer_caller(fd, body.p ? body.p : "", body.n);
                }
                finish();
                if (rc == 0) rc = write_all(c.fd, accepted, sizeof accepted - 1);
            }
        } else if (is_post && strstr(line, "/runtime/init/error ")) {
            if (streaming && read_body(&c, &h, NULL, NULL) < 0) break;
            rc = write_all(c.fd, accepted, sizeof accepted - 1);
        } else {
            static const char nf[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
            if (streaming && read_body(&c, &h, NULL, NULL) < 0) break;
            rc = write_all(c.fd, nf, sizeof nf - 1);
        }
        if (rc < 0) break;
    }
    close(c.fd);
    free(c.buf);
    free(body.p);
    return NULL;
}

static int listen_on(const char *addr) {
    const char *colon = strrchr(addr, ':');
    char host[64] = "127.0.0.1";
    if (!colon) { fprintf(stderr, "floor: expected HOST:PORT, got %s\n", addr); exit(2); }
    if (colon > addr && strncmp(addr, "localhost:", 10) != 0) snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) { fprintf(stderr, "floor: bad address %s\n", addr); exit(2); }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0) die("socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 128) < 0) die(addr);
    return fd;
}

typedef struct {
    int fd;
    void *(*serve)(void *);
} acceptor_t;

static void *accept_loop(void *arg) {
    acceptor_t *a = arg;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (;;) {
        int fd = accept4(a->fd, NULL, NULL, SOCK_CLOEXEC), one = 1;
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            die("accept");
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        pthread_t t;
        if (pthread_create(&t, &attr, a->serve, (void *)(intptr_t)fd) != 0) close(fd);
    }
    return NULL;
}

int main(int argc, char **argv) {
    const char *api = "127.0.0.1:9001", *rie = "0.0.0.0:8080";
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (strcmp(argv[i], "--enable-init-caching") == 0) continue;
        if (i + 1 >= argc) { fprintf(stderr, "floor: %s needs a value\n", argv[i]); return 2; }
        if (strcmp(argv[i], "--runtime-api-address") == 0) api = argv[++i];
        else if (strcmp(argv[i], "--runtime-interface-emulator-address") == 0) rie = argv[++i];
        else if (strcmp(argv[i], "--log-level") == 0) ++i;
        else { fprintf(stderr, "floor: unknown flag %s\n", argv[i]); return 2; }
    }
    if (i >= argc) { fprintf(stderr, "floor: no bootstrap given\n"); return 2; }
    const char *env = getenv("FLOOR_BUFFER_BYTES");
    if (env && atol(env) > 0) buffer_bytes = (size_t)atol(env);
    if (buffer_bytes > CONN_BUF) buffer_bytes = CONN_BUF;
    if ((env = getenv("AWS_LAMBDA_FUNCTION_TIMEOUT")) && atoll(env) > 0) timeout_ms = atoll(env) * 1000;
    signal(SIGPIPE, SIG_IGN);

    int rfd = listen_on(api), ifd = listen_on(rie);
    setenv("AWS_LAMBDA_RUNTIME_API", api, 1);
    setenv("AWS_LAMBDA_FUNCTION_NAME", "function", 0);
    setenv("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST", 0);
    setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3008", 0);
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* the bootstrap does not outlive us */
        execvp(argv[i], argv + i);
        fprintf(stderr, "floor: exec %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    signal(SIGCHLD, SIG_IGN); /* no zombie if the bootstrap exits */
    acceptor_t runtime = {rfd, serve_runtime}, invoke = {ifd, serve_caller};
    pthread_t t;
    if (pthread_create(&t, NULL, accept_loop, &runtime) != 0) die("pthread_create");
    accept_loop(&invoke);
    return 0;
}
