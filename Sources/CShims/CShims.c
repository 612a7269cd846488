// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include "CShims.h"
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/random.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int cshims_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int cshims_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cshims_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowfd) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowfd);
}

void cshims_sigset_add_any(sigset_t *set, int signo) {
    if (signo < 1 || signo > (int)(8 * sizeof(sigset_t))) return;
    unsigned long *words = (unsigned long *)set;
    const unsigned bits = 8 * sizeof(unsigned long);
    words[(unsigned)(signo - 1) / bits] |= 1UL << ((unsigned)(signo - 1) % bits);
}

int cshims_waitid_exit(pid_t pid, int flags, int *value) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int rc;
    do {
        rc = waitid(P_PID, (id_t)pid, &info, WEXITED | flags);
    } while (rc == -1 && errno == EINTR);
    if (rc == -1) return -1;
    if (info.si_pid == 0) return 0;
    *value = info.si_status;
    return info.si_code == CLD_EXITED ? 1 : 2;
}

__attribute__((weak))
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size)) {
    (void)argc; (void)argv; (void)callback;
    fprintf(stderr, "this binary was built without -sanitize=fuzzer; use Scripts/fuzz\n");
    return 1;
}

int cshims_accept4_nonblocking_cloexec(int fd) {
    return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

long cshims_getrandom(void *buffer, size_t length) {
    size_t filled = 0;
    while (filled < length) {
        ssize_t n = getrandom((char *)buffer + filled, length - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        filled += (size_t)n;
    }
    return (long)filled;
}
