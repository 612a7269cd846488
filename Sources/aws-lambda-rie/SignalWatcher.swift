// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Glibc
import Reactor

/// Delivers SIGTERM and SIGINT through a signalfd on the reactor, so that no thread is ever interrupted and no
/// task blocks waiting for a signal. ``blockTerminationSignals()`` must run first, before any thread starts, so
/// that every thread inherits the blocked mask.
enum SignalWatcher {
    static func blockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Suspends until SIGTERM or SIGINT arrives; returns its name as Go prints it (`terminated`, `interrupt`).
    static func next() async throws -> String {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        let fd = signalfd(-1, &set, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
        guard fd >= 0 else { throw ReactorError.failed(call: "signalfd", errno: errno) }
        try Poller.shared.register(fd)
        defer {
            Poller.shared.deregister(fd)
            close(fd)
        }
        var info = signalfd_siginfo()
        while true {
            let n = read(fd, &info, MemoryLayout<signalfd_siginfo>.size)
            if n == MemoryLayout<signalfd_siginfo>.size {
                return Int32(info.ssi_signo) == SIGTERM ? "terminated" : "interrupt"
            }
            guard n < 0, errno == EAGAIN || errno == EINTR else {
                throw ReactorError.failed(call: "read(signalfd)", errno: errno)
            }
            try await Poller.shared.wait(for: .read, on: fd)
        }
    }
}
