// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaCore

/// The pure state machine, event by event: invoke, `/next`, and the answer. No I/O, no clock.
@Suite("RendezvousState: invoke, next, answer")
struct RendezvousStateTests {
    typealias Action = RendezvousState.Action
    let now: Int64 = 1_000_000
    let a = makeInvocation("A", timeout: 3)
    let b = makeInvocation("B", timeout: 5)

    func stamped(_ invocation: Invocation, at now: Int64) -> Invocation {
        var copy = invocation
        copy.deadlineEpochMilliseconds = now + Int64(invocation.timeoutSeconds) * 1000
        return copy
    }

    /// A state where A (ticket 1) was delivered to `/next` ticket 10.
    func delivered() -> RendezvousState {
        var state = RendezvousState()
        _ = state.invoke(1, a, now: now)
        _ = state.next(10, now: now)
        return state
    }

    @Test("an invoke with no runtime becomes current, stamps its deadline, starts its timer and the runtime")
    func invokeStartsRuntime() {
        var state = RendezvousState()
        #expect(state.runtimeStateName == "Started")
        #expect(state.invoke(1, a, now: now) == [.startTimer(1, milliseconds: 3000), .startRuntime])
        #expect(state.current?.invocation == stamped(a, at: now))
        #expect(state.phase == .starting)
        #expect(state.runtimeStateName == "Started")
    }

    @Test("the first next after a start reports init done and delivers the current invocation")
    func firstNextDelivers() {
        var state = RendezvousState()
        _ = state.invoke(1, a, now: now)
        #expect(state.next(10, now: now) == [.runtimeInitialized, .deliver([10], stamped(a, at: now))])
        #expect(state.runtimeStateName == "Running")
    }

    @Test("next twice during one invoke returns the same invocation (AWS TestInvokeNextTwice)")
    func nextTwice() {
        var state = delivered()
        #expect(state.next(11, now: now + 5) == [.deliver([11], stamped(a, at: now))])
        #expect(state.runtimeStateName == "Running")
    }

    @Test("next before any invoke parks; the invoke is then delivered to it without starting a runtime")
    func nextBeforeInvoke() {
        var state = RendezvousState()
        #expect(state.next(10, now: now) == [.runtimeInitialized])
        #expect(state.parkedNexts == [10])
        #expect(state.runtimeStateName == "Ready")
        #expect(state.invoke(1, a, now: now) == [.startTimer(1, milliseconds: 3000), .deliver([10], stamped(a, at: now))])
        #expect(state.parkedNexts.isEmpty)
        #expect(state.runtimeStateName == "Running")
    }

    @Test("several parked nexts are all served with the same invocation")
    func severalParkedNexts() {
        var state = RendezvousState()
        _ = state.next(10, now: now)
        #expect(state.next(11, now: now) == [])
        #expect(state.invoke(1, a, now: now) == [.startTimer(1, milliseconds: 3000), .deliver([10, 11], stamped(a, at: now))])
    }

    @Test("a cancelled parked next is failed and never given the invocation")
    func nextCancelled() {
        var state = RendezvousState()
        _ = state.next(10, now: now)
        #expect(state.nextCancelled(10) == [.failNexts([10])])
        #expect(state.nextCancelled(10) == [])
        #expect(state.invoke(1, a, now: now) == [.startTimer(1, milliseconds: 3000)])
        #expect(state.current?.delivered == false)
        #expect(state.next(11, now: now) == [.deliver([11], stamped(a, at: now))])
    }

    @Test("invokes queue FIFO behind the current one and keep their own deadline")
    func queueing() {
        var state = delivered()
        #expect(state.invoke(2, b, now: now + 1) == [])
        #expect(state.queue.map(\.invocation.id) == ["B"])
        try? state.beginResponse(requestID: "A", isError: false)
        _ = state.complete(requestID: "A", with: .response(body: [1], contentType: nil))
        #expect(state.next(11, now: now + 7) == [.cancelTimer(1), .startTimer(2, milliseconds: 5000), .deliver([11], stamped(b, at: now + 7))])
        #expect(state.current?.invocation.id == "B")
    }

    @Test("a claim needs the current, delivered id; anything else is 400 InvalidRequestID")
    func invalidRequestID() {
        var empty = RendezvousState()
        #expect(throws: RuntimeAPIError.invalidRequestID) { try empty.beginResponse(requestID: "A", isError: false) }
        var undelivered = RendezvousState()
        _ = undelivered.invoke(1, a, now: now)
        #expect(throws: RuntimeAPIError.invalidRequestID) { try undelivered.beginResponse(requestID: "A", isError: false) }
        var state = delivered()
        #expect(throws: RuntimeAPIError.invalidRequestID) { try state.beginResponse(requestID: "B", isError: false) }
        #expect(throws: RuntimeAPIError.invalidRequestID) { try state.beginResponse(requestID: "", isError: true) }
    }

    @Test(
        "a second claim is 403 with AWS's state names",
        arguments: [
            (false, false, "InvocationResponse", "InvocationResponse"),
            (false, true, "InvocationResponse", "InvocationErrorResponse"),
            (true, false, "InvocationErrorResponse", "InvocationResponse"),
            (true, true, "InvocationErrorResponse", "InvocationErrorResponse"),
        ])
    func secondClaimWhileBodyOnTheWay(first: Bool, second: Bool, from: String, to: String) throws {
        var state = delivered()
        try state.beginResponse(requestID: "A", isError: first)
        #expect(state.runtimeStateName == from)
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: from, to: to)) {
            try state.beginResponse(requestID: "A", isError: second)
        }
    }

    @Test("a claim after the answer is 403 from RuntimeResponseSentState (TestInvokeResponseTwice & co)")
    func claimAfterAnswer() throws {
        var state = delivered()
        try state.beginResponse(requestID: "A", isError: true)
        _ = state.complete(requestID: "A", with: .functionError(body: [], contentType: nil, errorType: "Runtime.Unknown"))
        #expect(state.runtimeStateName == "RuntimeResponseSentState")
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "RuntimeResponseSentState", to: "InvocationResponse")) {
            try state.beginResponse(requestID: "A", isError: false)
        }
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "RuntimeResponseSentState", to: "InvocationErrorResponse")) {
            try state.beginResponse(requestID: "A", isError: true)
        }
    }

    @Test("completing a claim hands the outcome to the invoker exactly once")
    func completeOnce() throws {
        var state = delivered()
        try state.beginResponse(requestID: "A", isError: false)
        #expect(state.complete(requestID: "A", with: .response(body: [7], contentType: "text/plain"))
            == [.resumeInvoker(1, .response(body: [7], contentType: "text/plain"))])
        #expect(state.complete(requestID: "A", with: .response(body: [8], contentType: nil)) == [])
    }

    @Test("completions without a claim, or for another id, are ignored")
    func completeWithoutClaim() {
        var state = delivered()
        #expect(state.complete(requestID: "A", with: .responseTooLarge(bytes: 9)) == [])
        #expect(state.runtimeStateName == "Running")
        try? state.beginResponse(requestID: "A", isError: false)
        #expect(state.complete(requestID: "B", with: .responseTooLarge(bytes: 9)) == [])
        #expect(state.complete(requestID: "A", with: .responseTooLarge(bytes: 9)) == [.resumeInvoker(1, .responseTooLarge(bytes: 9))])
    }

    @Test("the next after an answer releases the invocation and parks when nothing is queued")
    func nextReleases() throws {
        var state = delivered()
        try state.beginResponse(requestID: "A", isError: false)
        _ = state.complete(requestID: "A", with: .response(body: [], contentType: nil))
        #expect(state.next(11, now: now) == [.cancelTimer(1)])
        #expect(state.current == nil)
        #expect(state.parkedNexts == [11])
        #expect(state.runtimeStateName == "Ready")
        #expect(throws: RuntimeAPIError.invalidRequestID) { try state.beginResponse(requestID: "A", isError: false) }
    }

    @Test("next while a body is on the way is 403 to Ready, as AWS answers it")
    func nextDuringClaim() throws {
        var state = delivered()
        try state.beginResponse(requestID: "A", isError: true)
        #expect(state.next(11, now: now) == [.rejectNext(11, .invalidStateTransition(from: "InvocationErrorResponse", to: "Ready"))])
        var streaming = delivered()
        try streaming.beginResponse(requestID: "A", isError: false)
        let stream = ResponseStream()
        _ = streaming.startStream(requestID: "A", stream: stream, contentType: nil)
        #expect(streaming.next(11, now: now) == [.rejectNext(11, .invalidStateTransition(from: "InvocationResponse", to: "Ready"))])
    }

    @Test("a stream is handed over at once; its runtime-side end is the answer")
    func streaming() throws {
        var state = delivered()
        try state.beginResponse(requestID: "A", isError: false)
        let stream = ResponseStream()
        #expect(state.startStream(requestID: "A", stream: stream, contentType: "text/event-stream")
            == [.resumeInvoker(1, .streaming(stream, contentType: "text/event-stream"))])
        #expect(state.runtimeStateName == "InvocationResponse")
        #expect(state.streamEnded(ResponseStream()) == [])
        #expect(state.runtimeStateName == "InvocationResponse")
        #expect(state.streamEnded(stream) == [])
        #expect(state.runtimeStateName == "RuntimeResponseSentState")
        #expect(state.next(11, now: now) == [.cancelTimer(1)])
    }

    @Test("a stream without a valid claim is cancelled")
    func streamWithoutClaim() {
        var state = delivered()
        let stream = ResponseStream()
        #expect(state.startStream(requestID: "A", stream: stream, contentType: nil) == [.cancelStream(stream)])
        #expect(state.runtimeStateName == "Running")
    }

    @Test("an abandoned claim is answered with Runtime.TruncatedResponse; an abandoned stream fails")
    func abandon() throws {
        var state = delivered()
        #expect(state.abandonResponse(requestID: "A") == [])
        try state.beginResponse(requestID: "A", isError: false)
        #expect(state.abandonResponse(requestID: "B") == [])
        #expect(state.abandonResponse(requestID: "A") == [.resumeInvoker(1, .runtimeExited(reason: "Runtime.TruncatedResponse"))])
        #expect(state.runtimeStateName == "RuntimeResponseSentState")

        var streaming = delivered()
        try streaming.beginResponse(requestID: "A", isError: false)
        let stream = ResponseStream()
        _ = streaming.startStream(requestID: "A", stream: stream, contentType: nil)
        #expect(streaming.abandonResponse(requestID: "A") == [.failStream(stream, reason: "Runtime.TruncatedResponse")])
        #expect(streaming.abandonResponse(requestID: "A") == [])
    }

    @Test("an invoke cancelled while queued leaves the queue; one that is current keeps running without its outcome")
    func invokeCancelled() throws {
        var state = delivered()
        _ = state.invoke(2, b, now: now)
        #expect(state.invokeCancelled(2) == [.resumeInvoker(2, .runtimeExited(reason: "invoke cancelled"))])
        #expect(state.queue.isEmpty)
        #expect(state.invokeCancelled(1) == [.resumeInvoker(1, .runtimeExited(reason: "invoke cancelled"))])
        #expect(state.invokeCancelled(1) == [])
        #expect(state.current?.invocation.id == "A")
        try state.beginResponse(requestID: "A", isError: false)
        let stream = ResponseStream()
        #expect(state.startStream(requestID: "A", stream: stream, contentType: nil) == [.cancelStream(stream)])
    }

    @Test("a dropped buffered outcome produces no action")
    func droppedOutcome() throws {
        var state = delivered()
        _ = state.invokeCancelled(1)
        try state.beginResponse(requestID: "A", isError: false)
        #expect(state.complete(requestID: "A", with: .response(body: [], contentType: nil)) == [])
        #expect(state.next(11, now: now) == [.cancelTimer(1)])
    }

    @Test("absurd timeouts never trap: the deadline saturates")
    func hugeTimeout() {
        var state = RendezvousState()
        let huge = Invocation(id: "H", payload: [], timeoutSeconds: Int.max)
        #expect(state.invoke(1, huge, now: now) == [.startTimer(1, milliseconds: Int64.max), .startRuntime])
        #expect(state.current?.invocation.deadlineEpochMilliseconds == Int64.max)
        var negative = RendezvousState()
        _ = negative.invoke(1, Invocation(id: "N", payload: [], timeoutSeconds: -5), now: now)
        #expect(negative.current?.invocation.deadlineEpochMilliseconds == now)
    }
}
