// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <signal.h>
#include <spawn.h>
#include <netinet/tcp.h>

/// pidfd_open(2) through syscall(2), so it works whatever the libc headers declare.
int cshims_pidfd_open(pid_t pid);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child changes to `path` before exec.
/// Glibc's Swift module does not expose it.
int cshims_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor >= `lowfd` before exec.
int cshims_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowfd);

/// Adds `signo` to `set` even when glibc reserves it (32 and 33, which `sigaddset` refuses): glibc's posix_spawn
/// otherwise leaves those two ignored in the child, where a runtime built on another libc may need them.
void cshims_sigset_add_any(sigset_t *set, int signo);

/// waitid(P_PID, pid, WEXITED | flags), retried on EINTR, with the siginfo_t union decoded.
/// Returns 1 when the child exited (`*value` = exit code), 2 when a signal ended it (`*value` = signal number),
/// 0 when `flags` has WNOHANG and the child has not exited yet, -1 on error (errno is set).
/// With WNOWAIT the child is left waitable (not reaped).
int cshims_waitid_exit(pid_t pid, int flags, int *value);

/// libFuzzer's driver; a weak fallback in CShims.c keeps a plain `swift build` linking.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC): Glibc's Swift module hides accept4 (it needs
/// _GNU_SOURCE), and a fully static binary cannot look it up with dlsym.
int cshims_accept4_nonblocking_cloexec(int fd);

/// getrandom(buffer, length, 0), retried on EINTR and short reads: the number of bytes filled (length on
/// success), or -1. Glibc's Swift module does not export getrandom.
long cshims_getrandom(void *buffer, size_t length);
