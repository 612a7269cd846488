// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CEmulatorStartup
import CShims
import Glibc
import Reactor

/// Delivers SIGTERM and SIGINT to a task: the C handler (`CEmulatorStartup`) writes to an eventfd that this
/// watcher parks on through the reactor, so no task ever blocks waiting for a signal.
final class SignalWatcher: Sendable {
    private let fd: Int32

    /// Creates the eventfd and installs the handlers. Call once, early in `main`.
    init() throws(ReactorError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else { throw .failed(call: "eventfd", errno: errno) }
        guard cemulator_install_signal_handlers(fd) == 0 else { throw .failed(call: "sigaction", errno: errno) }
        try Poller.shared.register(fd)
        self.fd = fd
    }

    /// Suspends until SIGTERM or SIGINT arrives; returns its name as Go prints it (`terminated`, `interrupt`).
    func next() async throws -> String {
        var count: UInt64 = 0
        while read(fd, &count, 8) != 8 {
            guard errno == EAGAIN || errno == EINTR else { throw ReactorError.failed(call: "read(eventfd)", errno: errno) }
            try await Poller.shared.wait(for: .read, on: fd)
        }
        return cemulator_last_signal() == SIGINT ? "interrupt" : "terminated"
    }
}
