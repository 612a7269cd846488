// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include "CShims.h"
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int cshims_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

__attribute__((weak))
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size)) {
    (void)argc; (void)argv; (void)callback;
    fprintf(stderr, "this binary was built without -sanitize=fuzzer; use Scripts/fuzz\n");
    return 1;
}
