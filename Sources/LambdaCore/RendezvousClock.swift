// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Time as the rendezvous needs it: the wall clock (to stamp `Lambda-Runtime-Deadline-Ms`) and a sleeper (for
/// the timeout timer). Injected so that tests fire timeouts by handshake instead of waiting.
package protocol RendezvousClock: Sendable {
    /// Wall-clock time in milliseconds since the Unix epoch.
    func epochMilliseconds() -> Int64
    /// Suspends for `milliseconds` (≤ 0: not at all); throws `CancellationError` when the task is cancelled.
    func sleep(milliseconds: Int64) async throws
}

/// Sleeps on `ContinuousClock` (no thread is blocked); reads the wall clock through the closure it is given.
///
/// LambdaCore imports no C library, so it cannot read `CLOCK_REALTIME` itself: the executable passes
/// `epochMilliseconds` (e.g. from `clock_gettime(CLOCK_REALTIME)`). Without one, the "epoch" is milliseconds of
/// `ContinuousClock` since this clock was made: fine for tests and tools, wrong for real runtimes (they read the
/// deadline as absolute epoch time).
package struct ContinuousRendezvousClock: RendezvousClock {
    private let now: @Sendable () -> Int64

    package init(epochMilliseconds: @escaping @Sendable () -> Int64) {
        self.now = epochMilliseconds
    }

    /// A clock whose "epoch" is the moment it was made (not wall time; see the type's comment).
    package init() {
        let origin = ContinuousClock.now
        self.now = {
            let elapsed = ContinuousClock.now - origin
            return elapsed.components.seconds &* 1000 &+ elapsed.components.attoseconds / 1_000_000_000_000_000
        }
    }

    package func epochMilliseconds() -> Int64 {
        now()
    }

    package func sleep(milliseconds: Int64) async throws {
        guard milliseconds > 0 else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: .milliseconds(milliseconds))
    }
}
