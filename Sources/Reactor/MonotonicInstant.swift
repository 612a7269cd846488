// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc

/// A point on `CLOCK_MONOTONIC`, in nanoseconds. Used for I/O deadlines and durations; never for wall time.
package struct MonotonicInstant: Comparable, Hashable, Sendable {
    package var nanoseconds: UInt64

    package init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    package static var now: MonotonicInstant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return MonotonicInstant(nanoseconds: UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
    }

    package func advanced(byMilliseconds ms: Int) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: nanoseconds &+ UInt64(max(ms, 0)) &* 1_000_000)
    }

    /// Milliseconds from `earlier` to `self`, as a fraction.
    package func milliseconds(since earlier: MonotonicInstant) -> Double {
        Double(nanoseconds &- earlier.nanoseconds) / 1_000_000
    }

    package static func < (a: MonotonicInstant, b: MonotonicInstant) -> Bool { a.nanoseconds < b.nanoseconds }
}

/// What can go wrong while waiting on a descriptor.
package enum ReactorError: Error, Equatable, Sendable {
    /// The deadline given to ``Poller/wait(for:on:deadline:)`` passed first.
    case timedOut
    /// The descriptor was removed from the poller while a task waited on it.
    case deregistered
    /// A syscall failed; `errno` was captured right after it.
    case failed(call: String, errno: Int32)
}
