// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking
import Testing

@testable import LambdaCore

@Suite("ExtensionHub", .timeLimit(.minutes(1)))
struct ExtensionHubTests {
    let invoke = ExtensionEvent(type: .invoke, body: Array("{\"eventType\":\"INVOKE\"}".utf8))

    /// Polls `condition` on the cooperative pool (yielding), for states only observable from outside.
    func eventually(_ condition: () -> Bool) async {
        while !condition() { await Task.yield() }
    }

    @Test("the runtime's first /next waits until every started extension registered and called /event/next")
    func initGate() async throws {
        let hub = ExtensionHub()
        hub.expect(["ext"])
        #expect(!hub.hasSubscribers(to: .invoke))
        let passed = Lock(false)
        let runtime = Task {
            await hub.runtimeMayProceed()
            passed.withLock { $0 = true }
        }
        let record = try hub.register(name: "ext", events: [.invoke], id: "E")
        #expect(hub.hasSubscribers(to: .invoke) && !hub.hasSubscribers(to: .shutdown))
        await eventually { hub.heldRuntimeCalls == 1 }
        #expect(passed.withLock { $0 } == false)
        let extensionNext = Task { try await hub.next(id: record.id) }
        await runtime.value
        #expect(passed.withLock { $0 })
        // Registration is closed now.
        #expect(throws: ExtensionRegistryError.registrationClosed) { try hub.register(name: "late", events: [], id: "L") }
        hub.dispatch(invoke)
        #expect(try await extensionNext.value == invoke)
    }

    @Test("after init, /next waits until every INVOKE subscriber came back to /event/next")
    func idleGate() async throws {
        let hub = ExtensionHub()
        _ = try hub.register(name: "a", events: [.invoke], id: "A")
        let first = Task { try await hub.next(id: "A") }
        await hub.runtimeMayProceed()  // init completes once "a" is parked
        hub.dispatch(invoke)
        #expect(try await first.value == invoke)
        let passed = Lock(false)
        let runtime = Task {
            await hub.runtimeMayProceed()
            passed.withLock { $0 = true }
        }
        await eventually { hub.heldRuntimeCalls == 1 }
        #expect(passed.withLock { $0 } == false)
        let second = Task { try await hub.next(id: "A") }
        await runtime.value
        #expect(passed.withLock { $0 })
        hub.reset()
        await #expect(throws: CancellationError.self) { try await second.value }
    }

    @Test("the registration gate opens when the expected extensions register, and on release")
    func registrationGate() async throws {
        let hub = ExtensionHub()
        hub.expect(["a", "b"])
        let gate = Task { await hub.externalsRegistered() }
        _ = try hub.register(name: "a", events: [], id: "A")
        _ = try hub.register(name: "b", events: [], id: "B")
        await gate.value
        hub.expect(["c"])
        // A start called off before or while it waits ends its wait; a later start still waits.
        let early = Task { await hub.externalsRegistered(generation: 1) }
        let waiting = Task { await hub.externalsRegistered(generation: 2) }
        hub.releaseRegistrationWaiters(through: 2)
        await early.value
        await waiting.value
        await hub.externalsRegistered(generation: 2)
        let later = Task { await hub.externalsRegistered(generation: 3) }
        _ = try hub.register(name: "c", events: [], id: "C")
        await later.value
    }

    @Test("a crash during init: exited says so, the runtime start stays held until called off, /next until reset")
    func crashDuringInit() async throws {
        let hub = ExtensionHub()
        hub.expect(["a", "b"])
        _ = try hub.register(name: "a", events: [.invoke], id: "A")
        let extensionNext = Task { try await hub.next(id: "A") }
        await eventually { hub.records.first?.parked == true }
        let start = Task { await hub.externalsRegistered(generation: 1) }
        let runtime = Task { await hub.runtimeMayProceed() }
        await eventually { hub.heldRuntimeCalls == 1 }
        #expect(hub.exited(name: "b"))
        // Nothing is waited for any more, yet neither the start nor the runtime's /next may go on.
        #expect(hub.heldRuntimeCalls == 1)
        #expect(!hub.exited(name: "a"))
        #expect(hub.heldRuntimeCalls == 1)
        hub.releaseRegistrationWaiters(through: 1)  // the environment is being reset
        await start.value
        hub.reset()
        await runtime.value
        await #expect(throws: CancellationError.self) { try await extensionNext.value }
    }

    @Test("invokeSettled returns once every INVOKE subscriber came back to /event/next, at once when none owes it")
    func invokeSettled() async throws {
        let hub = ExtensionHub()
        #expect(hub.isSettled)
        await hub.invokeSettled()
        _ = try hub.register(name: "a", events: [.invoke], id: "A")
        _ = try hub.register(name: "quiet", events: [], id: "Q")
        let first = Task { try await hub.next(id: "A") }
        _ = Task { try await hub.next(id: "Q") }
        await hub.runtimeMayProceed()
        hub.dispatch(invoke)
        #expect(try await first.value == invoke)
        #expect(!hub.isSettled)
        let settled = Lock(false)
        let waiter = Task {
            await hub.invokeSettled()
            settled.withLock { $0 = true }
        }
        // The settle wait is not a held runtime call; it ends with the subscriber's next /event/next only.
        let runtime = Task { await hub.runtimeMayProceed() }
        await eventually { hub.heldRuntimeCalls == 1 && hub.pendingSettleWaits == 1 }
        #expect(settled.withLock { $0 } == false)
        let second = Task { try await hub.next(id: "A") }
        await waiter.value
        await runtime.value
        #expect(hub.isSettled)
        // A reset lets a pending settle wait go.
        hub.dispatch(invoke)
        #expect(try await second.value == invoke)
        let pending = Task { await hub.invokeSettled() }
        await eventually { hub.pendingSettleWaits == 1 }
        hub.reset()
        await pending.value
        #expect(hub.pendingSettleWaits == 0)
    }

    @Test("a cancelled /event/next throws and leaves the extension unparked")
    func cancelledNext() async throws {
        let hub = ExtensionHub()
        _ = try hub.register(name: "a", events: [.invoke], id: "A")
        let parked = Task { try await hub.next(id: "A") }
        await eventually { hub.records.first?.parked == true }
        parked.cancel()
        await #expect(throws: CancellationError.self) { try await parked.value }
        #expect(hub.records.first?.parked == false)
        await #expect(throws: ExtensionRegistryError.unknownIdentifier) { try await hub.next(id: "B") }
    }
}
