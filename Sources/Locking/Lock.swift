// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import Glibc

/// Owns one value and the pthread mutex that guards it: the emulator's only lock type.
///
/// Why not `Synchronization.Mutex`: on Linux it waits on a futex directly, which ThreadSanitizer does not model,
/// so `swift test --sanitize=thread` reported races on state touched only inside `Mutex.withLock` (reproduced on a
/// 15-line program with no project code). A pthread mutex is intercepted by TSan, so its reports are real. The API
/// is `Mutex`'s: `withLock` runs a closure with exclusive access to the value. Critical sections here are a few
/// assignments; nothing blocks or awaits while holding a lock.
public final class Lock<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: sending Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    public func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
