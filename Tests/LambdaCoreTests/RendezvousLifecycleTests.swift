// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaCore

/// The async façade through init errors, exits, timeouts and streams.
@Suite("Rendezvous: lifecycle and streaming", .timeLimit(.minutes(1)))
struct RendezvousLifecycleTests {
    @Test("init error before the first next fails the invoke with its body; the next invoke waits for the exit")
    func initErrorBeforeNext() async throws {
        let (rendezvous, control, _) = makeRendezvous()
        let first = await startInvoke(rendezvous, makeInvocation("A"))
        try rendezvous.initError(body: Array("{\"errorType\":\"Init\"}".utf8), contentType: "application/json")
        let outcome = await first.value
        #expect(outcome.isSame(as: .initFailed(body: Array("{\"errorType\":\"Init\"}".utf8), contentType: "application/json")))
        #expect(control.calls.value == [.start, .stop("InitError")])
        await #expect(throws: RuntimeAPIError.invalidStateTransition(from: "InitError", to: "Ready")) {
            _ = try await rendezvous.next()
        }
        let second = await startInvoke(rendezvous, makeInvocation("B"))
        #expect(rendezvous.snapshot.currentID == nil)
        rendezvous.runtimeExited(reason: "exit status 1")
        #expect(await control.waitForCalls(3) == [.start, .stop("InitError"), .start])
        #expect(rendezvous.snapshot.currentID == "B")
        #expect(try await rendezvous.next().id == "B")
        second.cancel()
        _ = await second.value
    }

    @Test("init error after the first next is 403 and changes nothing")
    func initErrorAfterNext() async throws {
        let (rendezvous, control, _) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        _ = try await rendezvous.next()
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "Running", to: "InitError")) {
            try rendezvous.initError(body: [], contentType: nil)
        }
        #expect(control.calls.value == [.start, .initialized])
        try rendezvous.beginResponse(requestID: "A", isError: false)
        rendezvous.completeResponse(requestID: "A", body: [], contentType: nil)
        #expect(await invoke.value.isSame(as: .response(body: [], contentType: nil)))
    }

    @Test("a runtime exit during init is initFailed without a body; after next it is runtimeExited")
    func exits() async throws {
        let (rendezvous, control, _) = makeRendezvous()
        let first = await startInvoke(rendezvous, makeInvocation("A"))
        let second = await startInvoke(rendezvous, makeInvocation("B"))
        rendezvous.runtimeExited(reason: "exit status 127")
        #expect(await first.value.isSame(as: .initFailed(body: nil, contentType: nil)))
        #expect(await control.waitForCalls(2) == [.start, .start])
        #expect(try await rendezvous.next().id == "B")
        rendezvous.runtimeExited(reason: "exit status 1")
        #expect(await second.value.isSame(as: .runtimeExited(reason: "exit status 1")))
        #expect(control.calls.value == [.start, .start, .initialized])
        #expect(rendezvous.snapshot.phase == .absent)
    }

    @Test("an exit between invokes fails the parked next; the next invoke starts a fresh runtime")
    func exitBetweenInvokes() async throws {
        let (rendezvous, control, _) = makeRendezvous()
        let parked = Task { try await rendezvous.next() }
        await eventually("next parks") { rendezvous.snapshot.parkedNexts == 1 }
        rendezvous.runtimeExited(reason: "exit status 0")
        await #expect(throws: CancellationError.self) { try await parked.value }
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        #expect(await control.waitForCalls(2) == [.initialized, .start])
        invoke.cancel()
        _ = await invoke.value
    }

    @Test("a timeout before the answer: timedOut and stopRuntime; the queued invoke starts only after the exit")
    func timeout() async throws {
        let (rendezvous, control, clock) = makeRendezvous()
        let first = await startInvoke(rendezvous, makeInvocation("A", timeout: 2))
        _ = try await rendezvous.next()
        let second = await startInvoke(rendezvous, makeInvocation("B", timeout: 4))
        await clock.waitForSleepers(1)
        clock.fireAll()
        #expect(await first.value.isSame(as: .timedOut(timeoutSeconds: 2)))
        #expect(await control.waitForCalls(3) == [.start, .initialized, .stop("Timeout")])
        #expect(rendezvous.snapshot.currentID == nil)
        #expect(rendezvous.snapshot.queued == ["B"])
        #expect(throws: RuntimeAPIError.invalidRequestID) { try rendezvous.beginResponse(requestID: "A", isError: false) }
        let stale = Task { try await rendezvous.next() }  // the dying runtime's /next
        await eventually("stale next parks") { rendezvous.snapshot.parkedNexts == 1 }
        clock.set(now: 1_800_000_000_000)
        rendezvous.runtimeExited(reason: "signal: killed")
        await #expect(throws: CancellationError.self) { try await stale.value }
        #expect(await control.waitForCalls(4) == [.start, .initialized, .stop("Timeout"), .start])
        await clock.waitForSleepers(1)
        #expect(clock.sleepDurations == [4000])
        let invocation = try await rendezvous.next()
        #expect(invocation.id == "B")
        #expect(invocation.deadlineEpochMilliseconds == 1_800_000_004_000)
        second.cancel()
        _ = await second.value
    }

    @Test("streaming: 10 chunks in order, send n+1 pending until the consumer took n; the end answers the invoke")
    func streaming() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        _ = try await rendezvous.next()
        try rendezvous.beginResponse(requestID: "A", isError: false)
        let stream = rendezvous.startStream(requestID: "A", contentType: "text/event-stream")
        guard case .streaming(let consumed, let contentType) = await invoke.value else {
            Issue.record("expected a stream")
            return
        }
        #expect(consumed === stream)
        #expect(contentType == "text/event-stream")
        let returned = Watched(0)
        let producer = Task {
            for index in 0..<10 {
                try await stream.send(Array("data: \(index)\n\n".utf8))
                returned.update { $0 += 1 }
            }
            stream.finish(trailers: [])
        }
        for index in 0..<10 {
            await eventually("send \(index) parks") { stream.pendingSendCount == 1 }
            #expect(returned.value == index)
            #expect(await consumed.next() == .chunk(Array("data: \(index)\n\n".utf8)))
            await returned.wait { $0 >= index + 1 }
            #expect(returned.value == index + 1)
        }
        #expect(await consumed.next() == .end(trailers: []))
        try await producer.value
        #expect(rendezvous.snapshot.runtimeState == "RuntimeResponseSentState")
    }

    @Test("a consumer that cancels makes the runtime's send throw; the runtime then ends and moves on")
    func consumerCancels() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        _ = try await rendezvous.next()
        try rendezvous.beginResponse(requestID: "A", isError: false)
        let stream = rendezvous.startStream(requestID: "A", contentType: nil)
        guard case .streaming(let consumed, _) = await invoke.value else {
            Issue.record("expected a stream")
            return
        }
        let sender = Task { try await stream.send([1]) }
        await eventually("send parks") { stream.pendingSendCount == 1 }
        consumed.cancel()
        await #expect(throws: ResponseStreamError.consumerGone) { try await sender.value }
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([2]) }
        stream.finish(trailers: [])
        let next = await startInvoke(rendezvous, makeInvocation("B"))
        #expect(try await rendezvous.next().id == "B")
        next.cancel()
        _ = await next.value
    }

    @Test("a timeout mid-stream fails the stream for the consumer and the runtime's sends")
    func timeoutMidStream() async throws {
        let (rendezvous, control, clock) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A", timeout: 1))
        _ = try await rendezvous.next()
        try rendezvous.beginResponse(requestID: "A", isError: false)
        let stream = rendezvous.startStream(requestID: "A", contentType: nil)
        guard case .streaming(let consumed, _) = await invoke.value else {
            Issue.record("expected a stream")
            return
        }
        let sender = Task {
            try await stream.send([0])
            try await stream.send([1])
        }
        #expect(await consumed.next() == .chunk([0]))
        await eventually("second send parks") { stream.pendingSendCount == 1 }
        await clock.waitForSleepers(1)
        clock.fireAll()
        await #expect(throws: ResponseStreamError.consumerGone) { try await sender.value }
        #expect(await consumed.next() == .failed(reason: "timeout"))
        #expect(await consumed.next() == .failed(reason: "timeout"))
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([2]) }
        #expect(await control.waitForCalls(3) == [.start, .initialized, .stop("Timeout")])
    }

    @Test("a runtime exit mid-stream fails the stream with the exit reason")
    func exitMidStream() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        _ = try await rendezvous.next()
        try rendezvous.beginResponse(requestID: "A", isError: false)
        let stream = rendezvous.startStream(requestID: "A", contentType: nil)
        guard case .streaming(let consumed, _) = await invoke.value else {
            Issue.record("expected a stream")
            return
        }
        rendezvous.runtimeExited(reason: "signal: segmentation fault")
        #expect(await consumed.next() == .failed(reason: "signal: segmentation fault"))
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([1]) }
    }

    @Test("a stream started after its invocation timed out comes back cancelled")
    func streamAfterTimeout() async throws {
        let (rendezvous, _, clock) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        _ = try await rendezvous.next()
        try rendezvous.beginResponse(requestID: "A", isError: false)
        await clock.waitForSleepers(1)
        clock.fireAll()
        #expect(await invoke.value.isSame(as: .timedOut(timeoutSeconds: 3)))
        let stream = rendezvous.startStream(requestID: "A", contentType: nil)
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([1]) }
        rendezvous.completeResponse(requestID: "A", body: [], contentType: nil)
    }

    @Test("the convenience init runs on the real continuous clock, and its timer really fires")
    func realClock() async throws {
        let control = FakeRuntimeControl()
        let rendezvous = Rendezvous(control: control)
        let invoke = Task { await rendezvous.invoke(makeInvocation("A", timeout: 1)) }
        let invocation = try await rendezvous.next()
        #expect(invocation.deadlineEpochMilliseconds >= 1000)
        #expect(await invoke.value.isSame(as: .timedOut(timeoutSeconds: 1)))
        #expect(control.calls.value.last == .stop("Timeout"))
    }
}
