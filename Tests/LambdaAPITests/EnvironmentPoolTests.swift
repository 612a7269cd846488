// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import Locking
import Testing

@testable import LambdaAPI

/// An environment whose "runtime" is the test: its rendezvous asks a recording control to start a runtime, and
/// the test plays that runtime through `rendezvous.next()` and the response calls.
private final class FakeEnvironment: PooledEnvironment {
    final class Control: RuntimeControl {
        let starts = Lock(0)
        func startRuntime() { starts.withLock { $0 += 1 } }
        func stopRuntime(reason: String) {}
        func runtimeInitialized() {}
    }

    let control = Control()
    let rendezvous: Rendezvous
    let logTail = LogTail()
    let initDurations = InitDurationLedger()
    let shutdowns = Lock(0)
    /// Stands for the environment's extensions.
    let hub = ExtensionHub()

    init() { rendezvous = Rendezvous(control: control) }

    var isInvokeSettled: Bool { hub.isSettled }
    func invokeSettled() async { await hub.invokeSettled() }

    func shutdown(graceMilliseconds: Int) async { shutdowns.withLock { $0 += 1 } }
}

/// Yields until `condition` holds: a handshake on the pool's own state, not a sleep.
private func until(_ condition: () -> Bool) async {
    while !condition() { await Task.yield() }
}

@Suite("EnvironmentPool")
struct EnvironmentPoolTests {
    private func makePool(_ count: Int) -> (EnvironmentPool, [FakeEnvironment]) {
        let environments = (0..<count).map { _ in FakeEnvironment() }
        return (EnvironmentPool(environments), environments)
    }

    @Test("idle environments are leased lowest first; with all busy an invoke waits until one is released")
    func queueing() async throws {
        let (pool, _) = makePool(2)
        let a = try await pool.acquire()
        let b = try await pool.acquire()
        #expect((a.index, b.index) == (0, 1))
        let waiting = Task { try await pool.acquire().index }
        await until { pool.waiting == 1 }
        b.release()
        #expect(try await waiting.value == 1)
        #expect(pool.waiting == 0)
        a.release()
        // Environment 0 is idle again (1 went to the waiter and was dropped with its lease): 0 comes first.
        #expect(try await pool.acquire().index == 0)
    }

    @Test("waiters are served in arrival order, one release each")
    func fairness() async throws {
        let (pool, _) = makePool(1)
        let first = try await pool.acquire()
        let served = Lock<[Int]>([])
        var waiters: [Task<EnvironmentLease, any Error>] = []
        for n in 0..<5 {
            waiters.append(
                Task {
                    let lease = try await pool.acquire()
                    served.withLock { $0.append(n) }
                    return lease
                })
            await until { pool.waiting == n + 1 }  // enqueued before the next one arrives
        }
        first.release()
        for n in 0..<5 {
            let lease = try await waiters[n].value
            #expect(served.withLock { $0 } == Array(0...n))
            #expect(pool.waiting == 4 - n)
            lease.release()
        }
    }

    @Test("a lease released twice, or dropped, gives its environment back exactly once")
    func releaseOnce() async throws {
        let (pool, _) = makePool(1)
        do {
            let lease = try await pool.acquire()
            lease.release()
            lease.release()
        }
        let again = try await pool.acquire()
        let waiting = Task { try await pool.acquire().index }
        await until { pool.waiting == 1 }
        _ = consume again  // dropped without release()
        #expect(try await waiting.value == 0)
    }

    @Test("a lease released after the extensions frees its environment only once INVOKE subscribers are done")
    func releaseAfterExtensions() async throws {
        let (pool, environments) = makePool(2)
        let hub = environments[0].hub
        _ = try hub.register(name: "slow", events: [.invoke], id: "S")
        let parked = Task { try await hub.next(id: "S") }
        await hub.runtimeMayProceed()  // init complete: "slow" is parked
        let first = try await pool.acquire()
        #expect(first.index == 0)
        hub.dispatch(ExtensionEvent(type: .invoke, body: Array("{}".utf8)))
        _ = try await parked.value  // "slow" works on the invoke
        first.release(afterExtensions: true)
        await until { hub.pendingSettleWaits == 1 }
        // Environment 0 is still busy with its extension: the next invoke gets the idle environment 1.
        let second = try await pool.acquire()
        #expect(second.index == 1)
        let third = Task { try await pool.acquire() }
        await until { pool.waiting == 1 }
        let next = Task { try await hub.next(id: "S") }  // "slow" is done: environment 0 is free
        #expect(try await third.value.index == 0)
        second.release(afterExtensions: true)  // nothing owes anything there: released at once
        #expect(try await pool.acquire().index == 1)
        hub.reset()
        await #expect(throws: CancellationError.self) { try await next.value }
    }

    @Test("a lease released without waiting for the extensions frees its environment at once")
    func releaseWithoutExtensions() async throws {
        let (pool, environments) = makePool(1)
        let hub = environments[0].hub
        _ = try hub.register(name: "slow", events: [.invoke], id: "S")
        let parked = Task { try await hub.next(id: "S") }
        await hub.runtimeMayProceed()
        let lease = try await pool.acquire()
        hub.dispatch(ExtensionEvent(type: .invoke, body: Array("{}".utf8)))
        _ = try await parked.value
        #expect(!hub.isSettled)
        lease.release(afterExtensions: false)  // e.g. the runtime crashed: the environment is reset anyway
        #expect(try await pool.acquire().index == 0)
        #expect(hub.pendingSettleWaits == 0)
    }

    @Test("a waiter whose task is cancelled leaves the queue and holds nothing")
    func cancelledWaiter() async throws {
        let (pool, _) = makePool(1)
        let held = try await pool.acquire()
        let cancelled = Task { try await pool.acquire() }
        await until { pool.waiting == 1 }
        let next = Task { try await pool.acquire().index }
        await until { pool.waiting == 2 }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(pool.waiting == 1)
        held.release()
        #expect(try await next.value == 0)
    }

    @Test("an environment whose runtime crashes fails only its own invoke; the others keep serving, and it restarts")
    func crashIsolated() async throws {
        let (pool, environments) = makePool(2)
        let crashing = try await pool.acquire()
        let serving = try await pool.acquire()
        #expect((crashing.index, serving.index) == (0, 1))

        let crashed = Task { await crashing.environment.rendezvous.invoke(Invocation(id: "c", payload: [], timeoutSeconds: 60)) }
        await until { environments[0].control.starts.withLock { $0 } == 1 }  // the invoke asked for a runtime
        let delivered = try await environments[0].rendezvous.next()
        #expect(delivered.id == "c")
        environments[0].rendezvous.runtimeExited(reason: "exit status 1")
        guard case .runtimeExited(let reason) = await crashed.value else {
            Issue.record("the crashed invoke did not fail")
            return
        }
        #expect(reason == "exit status 1")
        crashing.release()

        // Environment 1 was untouched by the crash and serves its invoke.
        let served = Task { await serving.environment.rendezvous.invoke(Invocation(id: "s", payload: [1], timeoutSeconds: 60)) }
        await until { environments[1].control.starts.withLock { $0 } == 1 }
        #expect(try await environments[1].rendezvous.next().id == "s")
        try environments[1].rendezvous.beginResponse(requestID: "s", isError: false)
        environments[1].rendezvous.completeResponse(requestID: "s", body: [42], contentType: nil)
        guard case .response(let body, _) = await served.value else {
            Issue.record("the other environment's invoke failed")
            return
        }
        #expect(body == [42])
        serving.release()

        // The crashed environment is leased again (lowest first) and its next invoke starts a new runtime.
        let again = try await pool.acquire()
        #expect(again.index == 0)
        let retried = Task { await again.environment.rendezvous.invoke(Invocation(id: "r", payload: [], timeoutSeconds: 60)) }
        await until { environments[0].control.starts.withLock { $0 } == 2 }  // a fresh runtime for the crashed one
        #expect(try await environments[0].rendezvous.next().id == "r")
        try environments[0].rendezvous.beginResponse(requestID: "r", isError: false)
        environments[0].rendezvous.completeResponse(requestID: "r", body: [7], contentType: nil)
        guard case .response(let retriedBody, _) = await retried.value else {
            Issue.record("the restarted environment's invoke failed")
            return
        }
        #expect(retriedBody == [7])
        #expect(environments[1].control.starts.withLock { $0 } == 1)
    }

    @Test("shutdown ends every environment, fails the waiters and refuses new invokes")
    func shutdown() async throws {
        let (pool, environments) = makePool(3)
        let leases = [try await pool.acquire(), try await pool.acquire(), try await pool.acquire()]
        let waiter = Task { try await pool.acquire() }
        await until { pool.waiting == 1 }
        await pool.shutdown(graceMilliseconds: 0)
        #expect(environments.map { $0.shutdowns.withLock { $0 } } == [1, 1, 1])
        await #expect(throws: CancellationError.self) { try await waiter.value }
        for lease in leases { lease.release() }
        await #expect(throws: CancellationError.self) { try await pool.acquire() }
    }

    @Test("environment 0 listens on the configured address, the others on the same host, on a port the kernel picks")
    func listenAddresses() {
        #expect(ExecutionEnvironment.listenAddress(base: "127.0.0.1:9001", index: 0) == "127.0.0.1:9001")
        #expect(ExecutionEnvironment.listenAddress(base: "127.0.0.1:9001", index: 7) == "127.0.0.1:0")
        #expect(ExecutionEnvironment.listenAddress(base: "[::1]:9001", index: 1) == "[::1]:0")
        #expect(ExecutionEnvironment.listenAddress(base: "0.0.0.0:0", index: 3) == "0.0.0.0:0")
        #expect(ExecutionEnvironment.listenAddress(base: "nonsense", index: 1) == nil)
    }
}
