// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking

/// The async façade over one execution environment's `ExtensionRegistry`: parks each extension's
/// `/event/next` until it has an event, and holds the runtime's `/next` at the two gates of Lambda's lifecycle:
/// the first `/next` of a generation waits until init is complete (every started extension registered and
/// called `/event/next`; registration then closes), and every later one until the extensions subscribed to
/// INVOKE are done with the previous invoke.
///
/// Every call runs one event on the registry under a `Lock`; continuations are resumed after it is released.
/// `reset` starts a new generation: parked `/event/next` calls fail with `CancellationError` and every waiter is
/// let go, so nothing parked here outlives the extensions it belonged to.
package final class ExtensionHub: Sendable {
    private enum Gate { case registered, initComplete, idle, settled }

    private struct Waiter {
        let gate: Gate
        let continuation: CheckedContinuation<Void, Never>
        /// For `.registered`: the runtime start (generation) it holds up.
        var generation = 0
    }

    private struct State {
        var registry = ExtensionRegistry()
        /// Init is over for this generation (the gate opened once; registration is closed).
        var initDone = false
        var nexts: [String: CheckedContinuation<ExtensionEvent, any Error>] = [:]
        var waiters: [Waiter] = []
        /// Runtime starts up to this generation were called off: their registration waits end at once. Kept
        /// across `reset`.
        var releasedThrough = Int.min

        /// Takes the waiters whose gate is open now (closing registration when the init gate opens).
        mutating func openGates() -> [CheckedContinuation<Void, Never>] {
            if !initDone && registry.isInitComplete && waiters.contains(where: { $0.gate == .initComplete }) {
                initDone = true
                registry.closeRegistration()
            }
            var ready: [CheckedContinuation<Void, Never>] = []
            waiters.removeAll { waiter in
                let open: Bool
                switch waiter.gate {
                case .registered:
                    // After a crash the start is called off (`releaseRegistrationWaiters`), never let through.
                    open = (registry.awaited.isEmpty && registry.crashed == nil) || waiter.generation <= releasedThrough
                case .initComplete: open = initDone
                case .idle, .settled: open = registry.isIdle
                }
                if open { ready.append(waiter.continuation) }
                return open
            }
            return ready
        }
    }

    private let state = Lock(State())

    package init() {}

    /// The external extensions just started (init waits for them to register).
    package func expect(_ names: [String]) {
        let ready = state.withLock { state in
            state.registry.expect(names)
            return state.openGates()
        }
        ready.forEach { $0.resume() }
    }

    /// Registers an extension under the fresh identifier `id`. `announce` sees the record before anything that
    /// waited for this registration goes on (so that a log line about it comes first).
    package func register(
        name: String, events: Set<ExtensionEventType>, id: String,
        announce: (ExtensionRegistry.Record) -> Void = { _ in }
    ) throws(ExtensionRegistryError) -> ExtensionRegistry.Record {
        let (record, ready) = try state.withLock {
            (state: inout State) throws(ExtensionRegistryError) -> (ExtensionRegistry.Record, [CheckedContinuation<Void, Never>]) in
            let record = try state.registry.register(name: name, events: events, id: id)
            return (record, state.openGates())
        }
        announce(record)
        ready.forEach { $0.resume() }
        return record
    }

    /// The registered extension with identifier `id`, if any.
    package func record(id: String) -> ExtensionRegistry.Record? {
        state.withLock { $0.registry.record(id: id) }
    }

    /// `/event/next`: returns the extension's next event, waiting as long as it takes. Throws
    /// `ExtensionRegistryError.unknownIdentifier`, or `CancellationError` on `reset` or when the task is cancelled.
    package func next(id: String) async throws -> ExtensionEvent {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ExtensionEvent, any Error>) in
                let (result, ready): (Result<ExtensionEvent?, any Error>, [CheckedContinuation<Void, Never>]) =
                    state.withLock { state in
                        do throws(ExtensionRegistryError) {
                            switch try state.registry.next(id: id) {
                            case .deliver(let event):
                                return (.success(event), state.openGates())
                            case .park:
                                if Task.isCancelled {
                                    state.registry.unpark(id: id)
                                    return (.failure(CancellationError()), state.openGates())
                                }
                                state.nexts[id]?.resume(throwing: CancellationError())
                                state.nexts[id] = continuation
                                return (.success(nil), state.openGates())
                            }
                        } catch {
                            return (.failure(error), [])
                        }
                    }
                ready.forEach { $0.resume() }
                switch result {
                case .success(let event?): continuation.resume(returning: event)
                case .success(nil): break
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            let parked = state.withLock { state -> CheckedContinuation<ExtensionEvent, any Error>? in
                guard let continuation = state.nexts.removeValue(forKey: id) else { return nil }
                state.registry.unpark(id: id)
                return continuation
            }
            parked?.resume(throwing: CancellationError())
        }
    }

    /// Sends `event` to every extension subscribed to its type (now to those parked on `/event/next`).
    /// Whether a live extension is subscribed to `type` (so an event of that type is worth building).
    package func hasSubscribers(to type: ExtensionEventType) -> Bool {
        state.withLock { !$0.registry.subscribers(of: type).isEmpty }
    }

    package func dispatch(_ event: ExtensionEvent) {
        let deliveries = state.withLock { state in
            state.registry.dispatch(event).compactMap { state.nexts.removeValue(forKey: $0) }
        }
        deliveries.forEach { $0.resume(returning: event) }
    }

    /// The process of external extension `name` exited: it holds up no invoke any more. Returns true when that
    /// happened before init was over (`Extension.Crash`): init then never completes, and the runtime start
    /// waiting for registrations stays held until it is called off (the environment is to be reset).
    @discardableResult
    package func exited(name: String) -> Bool {
        let (crashed, ready) = state.withLock { state in
            let crashed = state.registry.exited(name: name)
            return (crashed, state.openGates())
        }
        ready.forEach { $0.resume() }
        return crashed
    }

    /// Returns once no extension subscribed to INVOKE still owes `/event/next` for an event (at once when none
    /// does), or on `reset`: the invoke is then finished for the extensions too.
    package func invokeSettled() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                state.waiters.append(Waiter(gate: .settled, continuation: continuation))
                return state.openGates()
            }
            ready.forEach { $0.resume() }
        }
    }

    /// Whether no extension subscribed to INVOKE owes `/event/next` for an event now.
    package var isSettled: Bool { state.withLock { $0.registry.isIdle } }

    /// How many `invokeSettled` calls wait now.
    package var pendingSettleWaits: Int { state.withLock { $0.waiters.count { $0.gate == .settled } } }

    /// Holds the runtime's `/next`: until init is complete on the first call of a generation, afterwards until
    /// the extensions subscribed to INVOKE are done with the last invoke. Returns at once without extensions.
    package func runtimeMayProceed() async {
        // The common case (init is over, no extension owes an event) passes without parking.
        if state.withLock({ $0.initDone && $0.registry.isIdle }) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                state.waiters.append(Waiter(gate: state.initDone ? .idle : .initComplete, continuation: continuation))
                return state.openGates()
            }
            ready.forEach { $0.resume() }
        }
    }

    /// Waits until every external extension started for runtime start `generation` has registered or exited
    /// (Lambda starts the runtime only then), or until that start is called off (`releaseRegistrationWaiters`,
    /// before or during the wait) or `reset`.
    package func externalsRegistered(generation: Int = 0) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                state.waiters.append(Waiter(gate: .registered, continuation: continuation, generation: generation))
                return state.openGates()
            }
            ready.forEach { $0.resume() }
        }
    }

    /// Calls off the runtime starts up to `generation`: their `externalsRegistered` waits end now, or at once
    /// when they begin later.
    package func releaseRegistrationWaiters(through generation: Int = .max) {
        let released = state.withLock { state in
            state.releasedThrough = max(state.releasedThrough, generation)
            var taken: [CheckedContinuation<Void, Never>] = []
            state.waiters.removeAll { waiter in
                guard waiter.gate == .registered, waiter.generation <= generation else { return false }
                taken.append(waiter.continuation)
                return true
            }
            return taken
        }
        released.forEach { $0.resume() }
    }

    /// Live extensions subscribed to `type`.
    package func subscribers(of type: ExtensionEventType) -> [ExtensionRegistry.Record] {
        state.withLock { $0.registry.subscribers(of: type) }
    }

    /// How many runtime `/next` calls are held at a gate now.
    package var heldRuntimeCalls: Int {
        state.withLock { $0.waiters.count { $0.gate == .initComplete || $0.gate == .idle } }
    }

    /// Whether a Telemetry/Logs subscription may still come: registration is open or an extension is registered.
    package var mayStillSubscribe: Bool {
        state.withLock { $0.registry.registrationOpen || !$0.registry.records.isEmpty }
    }

    /// Every registered extension (gone ones included).
    package var records: [ExtensionRegistry.Record] { state.withLock { $0.registry.records } }

    /// A new generation: forgets every extension, fails their parked `/event/next`, lets every waiter go.
    package func reset() {
        let (nexts, waiters) = state.withLock { state in
            let taken = (Array(state.nexts.values), state.waiters.map(\.continuation))
            let released = state.releasedThrough
            state = State()
            state.releasedThrough = released
            return taken
        }
        nexts.forEach { $0.resume(throwing: CancellationError()) }
        waiters.forEach { $0.resume() }
    }
}
