// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaCore

/// The pure state machine's reset at the next invoke boundary, asked for when an extension fails after init
/// (`Extension.Crash`, `Extension.ExitError`).
@Suite("RendezvousState: reset at the next invoke")
struct RendezvousStateResetTests {
    let now: Int64 = 5_000
    let a = makeInvocation("A", timeout: 3)
    let b = makeInvocation("B", timeout: 1)
    let c = makeInvocation("C", timeout: 2)
    let crash = Array("{\"errorType\":\"Extension.Crash\"}".utf8)

    /// A (ticket 1) was delivered to `/next` ticket 10 and answered; the runtime's `/next` ticket 11 is parked.
    func idle() throws -> RendezvousState {
        var state = RendezvousState()
        _ = state.invoke(1, a, now: now)
        _ = state.next(10, now: now)
        try state.beginResponse(requestID: "A", isError: false)
        _ = state.complete(requestID: "A", with: .response(body: [1], contentType: nil))
        #expect(state.next(11, now: now) == [.cancelTimer(1)])
        return state
    }

    @Test("idle runtime: nothing happens until the next invoke, which fails with the error and stops the runtime")
    func resetWhileIdle() throws {
        var state = try idle()
        #expect(state.resetAtNextInvoke(body: crash, contentType: "application/json", reason: "Extension.Crash", now: now) == [])
        #expect(state.phase == .ready)
        #expect(state.invoke(2, b, now: now) == [
            .resumeInvoker(2, .initFailed(body: crash, contentType: "application/json")),
            .stopRuntime(reason: "Extension.Crash"),
        ])
        #expect(state.current == nil)
        #expect(state.phase == .stopping(afterFirstNext: true))
        // Queued meanwhile: it waits for the exit, then runs on a fresh runtime.
        #expect(state.invoke(3, c, now: now) == [])
        #expect(state.runtimeExited(reason: "signal: killed", now: now)
            == [.failNexts([11]), .startTimer(3, milliseconds: 2000), .startRuntime])
        #expect(state.current?.invocation.id == "C")
        #expect(state.next(12, now: now).contains(.runtimeInitialized))
    }

    @Test("running invoke: it finishes normally; the queued one fails when the runtime comes back for it")
    func resetWhileRunning() throws {
        var state = RendezvousState()
        _ = state.invoke(1, a, now: now)
        _ = state.invoke(2, b, now: now)
        _ = state.next(10, now: now)
        #expect(state.resetAtNextInvoke(body: crash, contentType: nil, reason: "Extension.ExitError", now: now) == [])
        try state.beginResponse(requestID: "A", isError: false)
        #expect(state.complete(requestID: "A", with: .response(body: [7], contentType: nil))
            == [.resumeInvoker(1, .response(body: [7], contentType: nil))])
        #expect(state.next(11, now: now) == [
            .cancelTimer(1), .resumeInvoker(2, .initFailed(body: crash, contentType: nil)),
            .stopRuntime(reason: "Extension.ExitError"),
        ])
        #expect(state.queue.isEmpty)
        #expect(state.next(12, now: now) == [])
        #expect(state.parkedNexts == [11, 12])
    }

    @Test("the first reset wins; a runtime exit clears a pending reset")
    func firstResetWins() throws {
        var state = try idle()
        _ = state.resetAtNextInvoke(body: crash, contentType: nil, reason: "Extension.Crash", now: now)
        _ = state.resetAtNextInvoke(body: [9], contentType: nil, reason: "Extension.ExitError", now: now)
        #expect(state.invoke(2, b, now: now) == [
            .resumeInvoker(2, .initFailed(body: crash, contentType: nil)), .stopRuntime(reason: "Extension.Crash"),
        ])
        var other = try idle()
        _ = other.resetAtNextInvoke(body: crash, contentType: nil, reason: "Extension.Crash", now: now)
        _ = other.runtimeExited(reason: "exit status 0", now: now)
        #expect(other.invoke(2, b, now: now) == [.startTimer(2, milliseconds: 1000), .startRuntime])
    }

    @Test("before the runtime's first next (init failures take /init/error) a reset is ignored")
    func ignoredDuringInit() {
        var state = RendezvousState()
        _ = state.invoke(1, a, now: now)
        #expect(state.resetAtNextInvoke(body: crash, contentType: nil, reason: "Extension.Crash", now: now) == [])
        #expect(state.next(10, now: now) == [.runtimeInitialized, .deliver([10], stamped(a))])
    }

    func stamped(_ invocation: Invocation) -> Invocation {
        var copy = invocation
        copy.deadlineEpochMilliseconds = now + invocation.timeoutMilliseconds
        return copy
    }
}
