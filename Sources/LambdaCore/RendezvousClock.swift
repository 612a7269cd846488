// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Time as the rendezvous needs it: the wall clock (to stamp `Lambda-Runtime-Deadline-Ms`) and timers (for the
/// invocation timeout). Injected so that tests fire timeouts by handshake instead of waiting.
package protocol RendezvousClock: Sendable {
    /// Wall-clock time in milliseconds since the Unix epoch.
    func epochMilliseconds() -> Int64
    /// Suspends for `milliseconds` (≤ 0: not at all); throws `CancellationError` when the task is cancelled.
    func sleep(milliseconds: Int64) async throws
    /// Calls `fire` once, after `milliseconds`, unless the returned timer is cancelled first. `fire` must not
    /// block. The default is a task that ``sleep(milliseconds:)``s (what test clocks use); the emulator's clock
    /// puts the deadline on its epoll reactor instead, which costs no task per invoke.
    func startTimer(milliseconds: Int64, fire: @escaping @Sendable () -> Void) -> any RendezvousTimer
}

/// A timer started by ``RendezvousClock/startTimer(milliseconds:fire:)``.
package protocol RendezvousTimer: Sendable {
    /// Makes sure `fire` is not called (if it has not been called yet).
    func cancel()
}

extension RendezvousClock {
    package func startTimer(milliseconds: Int64, fire: @escaping @Sendable () -> Void) -> any RendezvousTimer {
        SleepingTimer(task: Task {
            do {
                try await sleep(milliseconds: milliseconds)
            } catch {
                return
            }
            fire()
        })
    }
}

/// The default timer: a task asleep on the clock, cancelled with the task.
struct SleepingTimer: RendezvousTimer {
    let task: Task<Void, Never>

    func cancel() { task.cancel() }
}

/// Sleeps on `ContinuousClock` (no thread is blocked); reads the wall clock through the closure it is given.
///
/// A sleep is carried out as waits of at most `sliceMilliseconds` (1 s) towards its deadline. A cancelled
/// `Task.sleep` resumes at once, but the Swift runtime keeps its delayed job (some 700 bytes) queued until the
/// original deadline: with one timer per invoke cancelled on every answer, a 300 s function timeout kept every
/// invoke of the last 5 minutes in memory (70 MiB after 100,000 invokes, found by Scripts/soak). Slices bound
/// that to the invokes of the last second.
///
/// LambdaCore imports no C library, so it cannot read `CLOCK_REALTIME` itself: the executable passes
/// `epochMilliseconds` (e.g. from `clock_gettime(CLOCK_REALTIME)`). Without one, the "epoch" is milliseconds of
/// `ContinuousClock` since this clock was made: fine for tests and tools, wrong for real runtimes (they read the
/// deadline as absolute epoch time).
package struct ContinuousRendezvousClock: RendezvousClock {
    /// The longest single `Task.sleep` a sleep is made of.
    package static let defaultSliceMilliseconds: Int64 = 1000

    private let now: @Sendable () -> Int64
    private let slice: Duration
    private let sleepUntil: @Sendable (ContinuousClock.Instant) async throws -> Void

    /// `sleepUntil` is the one underlying wait (tests observe it); it must throw `CancellationError` when the task
    /// is cancelled.
    package init(
        epochMilliseconds: @escaping @Sendable () -> Int64,
        sliceMilliseconds: Int64 = defaultSliceMilliseconds,
        sleepUntil: @escaping @Sendable (ContinuousClock.Instant) async throws -> Void = {
            try await Task.sleep(until: $0, clock: .continuous)
        }
    ) {
        self.now = epochMilliseconds
        self.slice = .milliseconds(max(sliceMilliseconds, 1))
        self.sleepUntil = sleepUntil
    }

    /// A clock whose "epoch" is the moment it was made (not wall time; see the type's comment).
    package init() {
        let origin = ContinuousClock.now
        self.init(epochMilliseconds: {
            let elapsed = ContinuousClock.now - origin
            return elapsed.components.seconds &* 1000 &+ elapsed.components.attoseconds / 1_000_000_000_000_000
        })
    }

    package func epochMilliseconds() -> Int64 {
        now()
    }

    package func sleep(milliseconds: Int64) async throws {
        guard milliseconds > 0 else {
            try Task.checkCancellation()
            return
        }
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(milliseconds))
        while true {
            let now = ContinuousClock.now
            guard now < deadline else { return }
            try await sleepUntil(min(deadline, now.advanced(by: slice)))
        }
    }
}
