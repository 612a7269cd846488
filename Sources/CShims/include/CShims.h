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

/// libFuzzer's driver; a weak fallback in CShims.c keeps a plain `swift build` linking.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
