// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaCore

/// The pure state machine through the runtime's lifecycle: `/init/error`, exits and timeouts.
@Suite("RendezvousState: init error, exit, timeout")
struct RendezvousStateLifecycleTests {
    let now: Int64 = 5_000
    let a = makeInvocation("A", timeout: 3)
    let b = makeInvocation("B", timeout: 1)

    /// A (ticket 1) current and undelivered, B (ticket 2) queued; the runtime was started.
    func starting() -> RendezvousState {
        var state = RendezvousState()
        _ = state.invoke(1, a, now: now)
        _ = state.invoke(2, b, now: now)
        return state
    }

    /// As `starting()`, but A was delivered to `/next` ticket 10.
    func running() -> RendezvousState {
        var state = starting()
        _ = state.next(10, now: now)
        return state
    }

    func stampedB(at now: Int64) -> Invocation {
        var copy = b
        copy.deadlineEpochMilliseconds = now + 1000
        return copy
    }

    // MARK: /init/error

    @Test("init error before the first next fails the current invoke with its body and stops the runtime")
    func initErrorWithCurrent() throws {
        var state = starting()
        let actions = try state.initError(body: Array("{\"e\":1}".utf8), contentType: "application/json")
        #expect(actions == [
            .resumeInvoker(1, .initFailed(body: Array("{\"e\":1}".utf8), contentType: "application/json")),
            .cancelTimer(1), .stopRuntime(reason: "InitError"),
        ])
        #expect(state.current == nil)
        #expect(state.phase == .initFailed)
        #expect(state.runtimeStateName == "InitError")
        #expect(state.queue.map(\.invocation.id) == ["B"])
    }

    @Test("after init error: next is 403 InitError->Ready, a second init error 403 InitError->InitError")
    func afterInitError() throws {
        var state = starting()
        _ = try state.initError(body: [], contentType: nil)
        #expect(state.next(10, now: now) == [.rejectNext(10, .invalidStateTransition(from: "InitError", to: "Ready"))])
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "InitError", to: "InitError")) {
            _ = try state.initError(body: [], contentType: nil)
        }
    }

    @Test("after init error the queue waits for the exit, then a fresh runtime starts")
    func initErrorThenExit() throws {
        var state = starting()
        _ = try state.initError(body: [], contentType: nil)
        #expect(state.runtimeExited(reason: "exit status 1", now: now + 50)
            == [.startTimer(2, milliseconds: 1000), .startRuntime])
        #expect(state.current?.invocation == stampedB(at: now + 50))
        #expect(state.phase == .starting)
    }

    @Test("init error with nothing current just stops the runtime")
    func initErrorWithoutCurrent() throws {
        var state = RendezvousState()
        #expect(try state.initError(body: [1], contentType: nil) == [.stopRuntime(reason: "InitError")])
        #expect(state.invoke(1, a, now: now) == [])
        #expect(state.runtimeExited(reason: "signal: killed", now: now) == [.startTimer(1, milliseconds: 3000), .startRuntime])
    }

    @Test("init error after the first next is 403 from Ready (parked) or Running (TestInitErrorForbidden)")
    func initErrorAfterNext() {
        var parked = RendezvousState()
        _ = parked.next(10, now: now)
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "Ready", to: "InitError")) {
            _ = try parked.initError(body: [], contentType: nil)
        }
        var state = running()
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "Running", to: "InitError")) {
            _ = try state.initError(body: [], contentType: nil)
        }
        #expect(state.runtimeStateName == "Running")
    }

    // MARK: runtime exit

    @Test("an exit before the first next is an init failure without a body; the queue restarts the runtime")
    func exitDuringInit() {
        var state = starting()
        #expect(state.runtimeExited(reason: "exit status 127", now: now + 9) == [
            .resumeInvoker(1, .initFailed(body: nil, contentType: nil)), .cancelTimer(1),
            .startTimer(2, milliseconds: 1000), .startRuntime,
        ])
        #expect(state.phase == .starting)
    }

    @Test("an exit after next fails the current invoke with the exit reason")
    func exitAfterNext() {
        var state = running()
        #expect(state.runtimeExited(reason: "exit status 1", now: now) == [
            .resumeInvoker(1, .runtimeExited(reason: "exit status 1")), .cancelTimer(1),
            .startTimer(2, milliseconds: 1000), .startRuntime,
        ])
    }

    @Test("an exit while a body is being read still fails the invoke; a late completion is ignored")
    func exitDuringClaim() throws {
        var state = running()
        try state.beginResponse(requestID: "A", isError: false)
        #expect(state.runtimeExited(reason: "signal: killed", now: now).first
            == .resumeInvoker(1, .runtimeExited(reason: "signal: killed")))
        #expect(state.complete(requestID: "A", with: .response(body: [], contentType: nil)) == [])
        #expect(state.abandonResponse(requestID: "A") == [])
    }

    @Test("an exit mid-stream fails the stream with the reason")
    func exitMidStream() throws {
        var state = running()
        try state.beginResponse(requestID: "A", isError: false)
        let stream = ResponseStream()
        _ = state.startStream(requestID: "A", stream: stream, contentType: nil)
        #expect(state.runtimeExited(reason: "exit status 2", now: now).prefix(2)
            == [.failStream(stream, reason: "exit status 2"), .cancelTimer(1)])
    }

    @Test("an exit after the answer only releases the invocation")
    func exitAfterAnswer() throws {
        var state = running()
        try state.beginResponse(requestID: "A", isError: false)
        _ = state.complete(requestID: "A", with: .response(body: [], contentType: nil))
        #expect(state.runtimeExited(reason: "exit status 0", now: now).prefix(1) == [.cancelTimer(1)])
    }

    @Test("an exit between invokes marks the runtime dead and fails its parked next; the next invoke restarts it")
    func exitBetweenInvokes() {
        var state = RendezvousState()
        _ = state.next(10, now: now)
        #expect(state.runtimeExited(reason: "exit status 1", now: now) == [.failNexts([10])])
        #expect(state.phase == .absent)
        #expect(state.invoke(1, a, now: now) == [.startTimer(1, milliseconds: 3000), .startRuntime])
    }

    // MARK: timeout

    @Test("a timeout before the answer: timedOut, runtime stopped, queue waits for the exit")
    func timeoutBeforeAnswer() {
        var state = running()
        #expect(state.timerFired(1) == [.resumeInvoker(1, .timedOut(timeoutSeconds: 3)), .cancelTimer(1), .stopRuntime(reason: "Timeout")])
        #expect(state.current == nil)
        #expect(state.phase == .stopping(afterFirstNext: true))
        #expect(state.invoke(3, makeInvocation("C"), now: now) == [])
        #expect(state.runtimeExited(reason: "signal: killed", now: now + 2) == [.startTimer(2, milliseconds: 1000), .startRuntime])
        #expect(state.current?.invocation == stampedB(at: now + 2))
    }

    @Test("a timeout during init is a timeout too")
    func timeoutDuringInit() {
        var state = starting()
        #expect(state.timerFired(1).first == .resumeInvoker(1, .timedOut(timeoutSeconds: 3)))
        #expect(state.phase == .stopping(afterFirstNext: false))
    }

    @Test("a timeout mid-stream fails the stream with reason timeout")
    func timeoutMidStream() throws {
        var state = running()
        try state.beginResponse(requestID: "A", isError: false)
        let stream = ResponseStream()
        _ = state.startStream(requestID: "A", stream: stream, contentType: nil)
        #expect(state.timerFired(1) == [.failStream(stream, reason: "timeout"), .cancelTimer(1), .stopRuntime(reason: "Timeout")])
    }

    @Test("a timeout after the answer (runtime never came back to next) still stops the runtime")
    func timeoutAfterAnswer() throws {
        var state = running()
        try state.beginResponse(requestID: "A", isError: false)
        _ = state.complete(requestID: "A", with: .response(body: [], contentType: nil))
        #expect(state.timerFired(1) == [.cancelTimer(1), .stopRuntime(reason: "Timeout")])
    }

    @Test("a stale timer does nothing")
    func staleTimer() {
        var state = running()
        #expect(state.timerFired(2) == [])
        #expect(state.timerFired(99) == [])
    }

    @Test("while a timed-out runtime is stopped, next parks and the exit fails it; a late claim is 400")
    func nextWhileStopping() {
        var state = running()
        _ = state.timerFired(1)
        #expect(state.next(11, now: now) == [])
        #expect(throws: RuntimeAPIError.invalidRequestID) { try state.beginResponse(requestID: "A", isError: false) }
        #expect(state.runtimeExited(reason: "signal: killed", now: now).first == .failNexts([11]))
    }

    @Test("init error while stopping: ignored before the first next, 403 from Ready after it")
    func initErrorWhileStopping() throws {
        var early = starting()
        _ = early.timerFired(1)
        #expect(try early.initError(body: [], contentType: nil) == [])
        #expect(early.phase == .stopping(afterFirstNext: false))
        var late = running()
        _ = late.timerFired(1)
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "Ready", to: "InitError")) {
            _ = try late.initError(body: [], contentType: nil)
        }
    }
}
