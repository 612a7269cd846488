// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Installs async-signal-safe handlers for SIGTERM and SIGINT that record the signal and write 1 to the
/// eventfd `notify_fd` (the self-pipe pattern), and ignores SIGPIPE. Returns 0, or -1 with errno set.
int cemulator_install_signal_handlers(int notify_fd);

/// The most recent SIGTERM/SIGINT number recorded by the handler, or 0.
int cemulator_last_signal(void);
