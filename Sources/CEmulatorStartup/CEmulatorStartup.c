// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
//
// The self-pipe pattern: a signal handler may only do async-signal-safe things, so it records the signal and
// writes to an eventfd that the emulator's epoll reactor watches. Unlike blocking the signals and reading a
// signalfd, this does not depend on every thread's signal mask (the Swift runtime's threads do not inherit a
// mask set in main.swift, whose statements run on the cooperative pool when the file has top-level `await`).
#include "CEmulatorStartup.h"
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t last_signal = 0;
static int notify = -1;

static void on_signal(int signo) {
    int saved = errno;
    last_signal = signo;
    uint64_t one = 1;
    if (notify >= 0) { (void)!write(notify, &one, sizeof one); }
    errno = saved;
}

int cemulator_install_signal_handlers(int notify_fd) {
    notify = notify_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    if (sigaction(SIGINT, &action, NULL) != 0) return -1;
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

int cemulator_last_signal(void) { return last_signal; }
