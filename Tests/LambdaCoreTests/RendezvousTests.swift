// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaCore

/// Builds a rendezvous on a fake runtime control and a manual clock.
func makeRendezvous() -> (Rendezvous, FakeRuntimeControl, ManualClock) {
    let control = FakeRuntimeControl()
    let clock = ManualClock()
    return (Rendezvous(control: control, clock: clock), control, clock)
}

/// Starts `invoke` in a task and waits until the rendezvous holds it (current or queued).
func startInvoke(_ rendezvous: Rendezvous, _ invocation: Invocation) async -> Task<InvokeOutcome, Never> {
    let task = Task { await rendezvous.invoke(invocation) }
    await eventually("\(invocation.id) is taken in") {
        let snapshot = rendezvous.snapshot
        return snapshot.currentID == invocation.id || snapshot.queued.contains(invocation.id)
    }
    return task
}

/// The async façade: invoke, `/next` and answers, with a fake runtime control and a manual clock.
@Suite("Rendezvous: invoke, next, answer", .timeLimit(.minutes(1)))
struct RendezvousTests {
    @Test("invoke, next, response: the invoker gets the body; the runtime was started lazily and reported ready")
    func happyPath() async throws {
        let (rendezvous, control, clock) = makeRendezvous()
        clock.set(now: 1_700_000_123_000)
        let invoke = Task { await rendezvous.invoke(makeInvocation("A", payload: "hi", timeout: 3)) }
        #expect(await control.waitForCalls(1) == [.start])
        await clock.waitForSleepers(1)
        #expect(clock.sleepDurations == [3000])
        let invocation = try await rendezvous.next()
        #expect(invocation.id == "A")
        #expect(invocation.payload == Array("hi".utf8))
        #expect(invocation.deadlineEpochMilliseconds == 1_700_000_126_000)
        try rendezvous.beginResponse(requestID: "A", isError: false)
        rendezvous.completeResponse(requestID: "A", body: Array("ok".utf8), contentType: "application/json")
        let outcome = await invoke.value
        #expect(outcome.isSame(as: .response(body: Array("ok".utf8), contentType: "application/json")), "\(outcome.summary)")
        #expect(control.calls.value == [.start, .initialized])
        #expect(rendezvous.snapshot.runtimeState == "RuntimeResponseSentState")
        #expect(clock.sleeperCount == 1, "the timer runs until the runtime comes back to /next")
        let parked = Task { try await rendezvous.next() }
        await clock.waitForSleepers(0)
        #expect(rendezvous.snapshot.timers == 0)
        parked.cancel()
        await #expect(throws: CancellationError.self) { try await parked.value }
    }

    @Test("a next before any invoke parks, then gets the invoke; no runtime is started")
    func nextBeforeInvoke() async throws {
        let (rendezvous, control, _) = makeRendezvous()
        let next = Task { try await rendezvous.next() }
        await eventually("next parks") { rendezvous.snapshot.parkedNexts == 1 }
        #expect(control.calls.value == [.initialized])
        let invoke = Task { await rendezvous.invoke(makeInvocation("A")) }
        #expect(try await next.value.id == "A")
        #expect(control.calls.value == [.initialized])
        try rendezvous.beginResponse(requestID: "A", isError: false)
        rendezvous.completeResponse(requestID: "A", body: [], contentType: nil)
        #expect(await invoke.value.isSame(as: .response(body: [], contentType: nil)))
    }

    @Test("next twice during one invoke returns the same invocation")
    func nextTwice() async throws {
        let (rendezvous, control, _) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        let first = try await rendezvous.next()
        let second = try await rendezvous.next()
        #expect(first == second)
        #expect(control.calls.value == [.start, .initialized])
        invoke.cancel()
        _ = await invoke.value
    }

    @Test("releasing the rendezvous cancels its timers: none sleeps on with nothing to report to")
    func releaseCancelsTimers() async throws {
        let clock = ManualClock()
        var rendezvous: Rendezvous? = Rendezvous(control: FakeRuntimeControl(), clock: clock)
        do {
            let invoke = await startInvoke(rendezvous!, makeInvocation("A"))
            _ = try await rendezvous!.next()
            invoke.cancel()  // the invoker leaves; A stays with the runtime, and its timer sleeps on
            _ = await invoke.value
        }
        #expect(clock.sleeperCount == 1)
        rendezvous = nil
        await eventually("the released rendezvous cancelled its timer") { clock.sleeperCount == 0 }
    }

    @Test("a cancelled parked next loses nothing: the invocation goes to the next next")
    func cancelledNext() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let parked = Task { try await rendezvous.next() }
        await eventually("next parks") { rendezvous.snapshot.parkedNexts == 1 }
        parked.cancel()
        await #expect(throws: CancellationError.self) { try await parked.value }
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        #expect(rendezvous.snapshot.delivered == false)
        #expect(try await rendezvous.next().id == "A")
        invoke.cancel()
        _ = await invoke.value
    }

    @Test("response twice is 403 with AWS's names; a wrong id is 400")
    func claims() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        #expect(throws: RuntimeAPIError.invalidRequestID) { try rendezvous.beginResponse(requestID: "A", isError: false) }
        _ = try await rendezvous.next()
        #expect(throws: RuntimeAPIError.invalidRequestID) { try rendezvous.beginResponse(requestID: "B", isError: false) }
        try rendezvous.beginResponse(requestID: "A", isError: false)
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "InvocationResponse", to: "InvocationResponse")) {
            try rendezvous.beginResponse(requestID: "A", isError: false)
        }
        rendezvous.completeResponse(requestID: "A", body: [1], contentType: nil)
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "RuntimeResponseSentState", to: "InvocationErrorResponse")) {
            try rendezvous.beginResponse(requestID: "A", isError: true)
        }
        #expect(await invoke.value.isSame(as: .response(body: [1], contentType: nil)))
    }

    @Test("a response after the invocation was released is 400")
    func responseAfterRelease() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        _ = try await rendezvous.next()
        try rendezvous.beginResponse(requestID: "A", isError: false)
        rendezvous.completeResponse(requestID: "A", body: [], contentType: nil)
        _ = await invoke.value
        let parked = Task { try await rendezvous.next() }
        await eventually("A released") { rendezvous.snapshot.currentID == nil && rendezvous.snapshot.parkedNexts == 1 }
        #expect(throws: RuntimeAPIError.invalidRequestID) { try rendezvous.beginResponse(requestID: "A", isError: false) }
        #expect(throws: RuntimeAPIError.invalidRequestID) { try rendezvous.beginResponse(requestID: "A", isError: true) }
        parked.cancel()
        _ = try? await parked.value
    }

    @Test("the error path gives the invoker the error body and type")
    func errorPath() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let invoke = await startInvoke(rendezvous, makeInvocation("A"))
        _ = try await rendezvous.next()
        try rendezvous.beginResponse(requestID: "A", isError: true)
        #expect(throws: RuntimeAPIError.invalidStateTransition(from: "InvocationErrorResponse", to: "InvocationResponse")) {
            try rendezvous.beginResponse(requestID: "A", isError: false)
        }
        let body = Array("{\"errorType\":\"Exception\"}".utf8)
        rendezvous.completeError(requestID: "A", body: body, contentType: "application/json", errorType: "Function.Exception")
        let outcome = await invoke.value
        #expect(outcome.isSame(as: .functionError(body: body, contentType: "application/json", errorType: "Function.Exception")))
    }

    @Test("a too-large response and an abandoned one reach the invoker as such")
    func tooLargeAndAbandoned() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let first = await startInvoke(rendezvous, makeInvocation("A"))
        _ = try await rendezvous.next()
        try rendezvous.beginResponse(requestID: "A", isError: false)
        rendezvous.responseTooLarge(requestID: "A", bytes: 7_000_000)
        #expect(await first.value.isSame(as: .responseTooLarge(bytes: 7_000_000)))
        let second = await startInvoke(rendezvous, makeInvocation("B"))
        #expect(try await rendezvous.next().id == "B")
        try rendezvous.beginResponse(requestID: "B", isError: false)
        rendezvous.abandonResponse(requestID: "B")
        #expect(await second.value.isSame(as: .runtimeExited(reason: "Runtime.TruncatedResponse")))
        #expect(rendezvous.snapshot.runtimeState == "RuntimeResponseSentState")
    }

    @Test("20 concurrent invokes are answered in FIFO order, each with its own payload echoed")
    func fifo() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        var invokes: [Task<InvokeOutcome, Never>] = []
        for index in 0..<20 {
            invokes.append(await startInvoke(rendezvous, makeInvocation("id-\(index)", payload: "payload \(index)")))
        }
        let runtime = Task {
            var order: [String] = []
            for _ in 0..<20 {
                let invocation = try await rendezvous.next()
                order.append(invocation.id)
                try rendezvous.beginResponse(requestID: invocation.id, isError: false)
                rendezvous.completeResponse(
                    requestID: invocation.id, body: Array("echo ".utf8) + invocation.payload, contentType: nil)
            }
            return order
        }
        #expect(try await runtime.value == (0..<20).map { "id-\($0)" })
        for (index, invoke) in invokes.enumerated() {
            let outcome = await invoke.value
            #expect(outcome.isSame(as: .response(body: Array("echo payload \(index)".utf8), contentType: nil)), "\(outcome.summary)")
        }
    }

    @Test("invokes arriving all at once from many tasks each get their own answer")
    func concurrentStress() async throws {
        let (rendezvous, control, _) = makeRendezvous()
        let count = 50
        let runtime = Task {
            for _ in 0..<count {
                let invocation = try await rendezvous.next()
                _ = try? await rendezvous.next()  // next twice: same invocation, harmless
                try rendezvous.beginResponse(requestID: invocation.id, isError: false)
                rendezvous.completeResponse(requestID: invocation.id, body: invocation.payload, contentType: nil)
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    let outcome = await rendezvous.invoke(makeInvocation("c-\(index)", payload: "\(index)"))
                    #expect(outcome.isSame(as: .response(body: Array("\(index)".utf8), contentType: nil)), "\(outcome.summary)")
                }
            }
        }
        try await runtime.value
        #expect(control.calls.value.filter { $0 == .start }.count <= 1)
        #expect(rendezvous.snapshot.waitingInvokers == 0)
    }

    @Test("an invoke cancelled while queued is removed; a current one returns at once and the runtime goes on")
    func invokeCancellation() async throws {
        let (rendezvous, _, _) = makeRendezvous()
        let first = await startInvoke(rendezvous, makeInvocation("A"))
        let second = await startInvoke(rendezvous, makeInvocation("B"))
        #expect(rendezvous.snapshot.queued == ["B"])
        second.cancel()
        #expect(await second.value.isSame(as: .runtimeExited(reason: Rendezvous.invokeCancelledReason)))
        #expect(rendezvous.snapshot.queued == [])
        _ = try await rendezvous.next()
        first.cancel()
        #expect(await first.value.isSame(as: .runtimeExited(reason: Rendezvous.invokeCancelledReason)))
        #expect(rendezvous.snapshot.currentID == "A")
        try rendezvous.beginResponse(requestID: "A", isError: false)
        let stream = rendezvous.startStream(requestID: "A", contentType: nil)
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([1]) }
        stream.finish(trailers: [])
        #expect(rendezvous.snapshot.runtimeState == "RuntimeResponseSentState")
        #expect(rendezvous.snapshot.waitingInvokers == 0)
    }

    @Test("an invoke whose task is already cancelled returns at once and never runs")
    func invokeAlreadyCancelled() async {
        let (rendezvous, control, _) = makeRendezvous()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await rendezvous.invoke(makeInvocation("A"))
        }
        #expect(await task.value.isSame(as: .runtimeExited(reason: Rendezvous.invokeCancelledReason)))
        #expect(rendezvous.snapshot.currentID == nil)
        #expect(control.calls.value == [])
    }
}
