// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking
import Testing

@testable import LambdaCore

@Suite("ContinuousRendezvousClock", .timeLimit(.minutes(1)))
struct RendezvousClockTests {
    @Test("the wall clock is the injected reading")
    func injectedEpoch() {
        let clock = ContinuousRendezvousClock(epochMilliseconds: { 1_700_000_000_123 })
        #expect(clock.epochMilliseconds() == 1_700_000_000_123)
    }

    @Test("without an injected reading, time starts near zero and never goes back")
    func defaultEpoch() {
        let clock = ContinuousRendezvousClock()
        let first = clock.epochMilliseconds()
        let second = clock.epochMilliseconds()
        #expect(first >= 0 && first < 60_000)
        #expect(second >= first)
    }

    @Test("a sleep of zero or less returns at once; a cancelled sleep throws")
    func sleeping() async throws {
        let clock = ContinuousRendezvousClock()
        try await clock.sleep(milliseconds: 0)
        try await clock.sleep(milliseconds: -5)
        let long = Task { try await clock.sleep(milliseconds: 600_000) }
        long.cancel()
        await #expect(throws: CancellationError.self) { try await long.value }
    }
}

@Suite("ContinuousRendezvousClock slices", .timeLimit(.minutes(1)))
struct RendezvousClockSliceTests {
    /// Records each underlying wait (when it was asked for, and until when) and really waits.
    final class Recorder: Sendable {
        let waits = Locking.Lock<[(asked: ContinuousClock.Instant, until: ContinuousClock.Instant)]>([])
        func sleep(until instant: ContinuousClock.Instant) async throws {
            waits.withLock { $0.append((ContinuousClock.now, instant)) }
            try await Task.sleep(until: instant, clock: .continuous)
        }
    }

    @Test("a sleep is made of waits no longer than a slice, and lasts its whole duration")
    func slices() async throws {
        let recorder = Recorder()
        let clock = ContinuousRendezvousClock(
            epochMilliseconds: { 0 }, sliceMilliseconds: 20, sleepUntil: { try await recorder.sleep(until: $0) })
        let started = ContinuousClock.now
        // 1 s, not 110 ms: under the sanitizers, with the other tests hogging both pool threads, a 20 ms wait
        // was seen to return 90+ ms late, past a 110 ms deadline, and the sleep then needed only one wait.
        try await clock.sleep(milliseconds: 1_000)
        let elapsed = ContinuousClock.now - started
        let waits = recorder.waits.withLock { $0 }
        #expect(elapsed >= .milliseconds(1_000))
        #expect(waits.count >= 2)  // the first wait ends at most 20 ms in (plus scheduling), long before the 1 s is up
        for wait in waits { #expect(wait.until - wait.asked <= .milliseconds(20)) }
        // The last wait ends at the deadline itself, not at a slice boundary past it.
        let deadline = waits.last!.until
        #expect(waits.allSatisfy { $0.until <= deadline })
    }

    @Test("a cancelled sliced sleep throws and asks for no further wait")
    func cancelled() async throws {
        let recorder = Recorder()
        let clock = ContinuousRendezvousClock(
            epochMilliseconds: { 0 }, sliceMilliseconds: 1000, sleepUntil: { try await recorder.sleep(until: $0) })
        let long = Task { try await clock.sleep(milliseconds: 300_000) }
        while recorder.waits.withLock({ $0.isEmpty }) { await Task.yield() }
        long.cancel()
        await #expect(throws: CancellationError.self) { try await long.value }
        let waits = recorder.waits.withLock { $0 }
        #expect(waits.count == 1)
        #expect(waits[0].until - waits[0].asked <= .milliseconds(1000))
    }
}
