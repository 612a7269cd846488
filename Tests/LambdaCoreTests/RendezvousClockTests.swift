// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
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
