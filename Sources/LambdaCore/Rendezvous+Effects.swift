// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

extension Rendezvous {
    /// The side effects of one event, gathered under the lock and carried out after it is released.
    struct Effects: Sendable {
        enum ControlCall: Sendable {
            case start, stop(reason: String), initialized
        }

        var nexts: [(CheckedContinuation<Invocation, any Error>, Result<Invocation, any Error>)] = []
        var invokers: [(CheckedContinuation<InvokeOutcome, Never>, InvokeOutcome)] = []
        var failedStreams: [(ResponseStream, String)] = []
        var cancelledStreams: [ResponseStream] = []
        var cancelledTimers: [any RendezvousTimer] = []
        var controlCalls: [ControlCall] = []
    }

    /// Runs one event on the state and carries out its actions.
    func event(_ body: (inout Storage) -> [RendezvousState.Action]) {
        let effects = storage.withLock { storage -> Effects in
            let actions = body(&storage)
            return prepare(actions, &storage)
        }
        run(effects)
    }

    /// Turns actions into effects, under the lock: tickets become continuations (each taken once), timers are
    /// started (a timer only reports back later, so starting it here resumes nothing).
    func prepare(_ actions: [RendezvousState.Action], _ storage: inout Storage) -> Effects {
        var effects = Effects()
        for action in actions {
            switch action {
            case .deliver(let tickets, let invocation):
                for ticket in tickets {
                    guard let next = storage.nexts.removeValue(forKey: ticket) else { continue }
                    effects.nexts.append((next, .success(invocation)))
                }
            case .failNexts(let tickets):
                for ticket in tickets {
                    guard let next = storage.nexts.removeValue(forKey: ticket) else { continue }
                    effects.nexts.append((next, .failure(CancellationError())))
                }
            case .rejectNext(let ticket, let error):
                guard let next = storage.nexts.removeValue(forKey: ticket) else { continue }
                effects.nexts.append((next, .failure(error)))
            case .resumeInvoker(let ticket, let outcome):
                if let invoker = storage.invokers.removeValue(forKey: ticket) {
                    effects.invokers.append((invoker, outcome))
                } else if case .streaming(let stream, _) = outcome {
                    effects.cancelledStreams.append(stream)
                }
            case .startTimer(let ticket, let milliseconds):
                storage.timers[ticket] = clock.startTimer(milliseconds: milliseconds) { [weak self] in
                    self?.timerFired(ticket)
                }
            case .cancelTimer(let ticket):
                if let timer = storage.timers.removeValue(forKey: ticket) { effects.cancelledTimers.append(timer) }
            case .failStream(let stream, let reason):
                effects.failedStreams.append((stream, reason))
            case .cancelStream(let stream):
                effects.cancelledStreams.append(stream)
            case .startRuntime:
                effects.controlCalls.append(.start)
            case .stopRuntime(let reason):
                effects.controlCalls.append(.stop(reason: reason))
            case .runtimeInitialized:
                effects.controlCalls.append(.initialized)
            }
        }
        return effects
    }

    /// Carries out effects; never called with the lock held.
    func run(_ effects: Effects) {
        for timer in effects.cancelledTimers { timer.cancel() }
        for (stream, reason) in effects.failedStreams { stream.fail(reason: reason) }
        for stream in effects.cancelledStreams { stream.cancel() }
        for call in effects.controlCalls {
            switch call {
            case .start: control.startRuntime()
            case .stop(let reason): control.stopRuntime(reason: reason)
            case .initialized: control.runtimeInitialized()
            }
        }
        for (continuation, result) in effects.nexts { continuation.resume(with: result) }
        for (continuation, outcome) in effects.invokers { continuation.resume(returning: outcome) }
    }

    /// A consistent view of the state, for tests and debugging.
    struct Snapshot: Equatable {
        var queued: [String]
        var currentID: String?
        var delivered: Bool
        var runtimeState: String
        var phase: RendezvousState.Phase
        var parkedNexts: Int
        var timers: Int
        var waitingInvokers: Int
    }

    var snapshot: Snapshot {
        storage.withLock { storage in
            Snapshot(
                queued: storage.machine.queue.map(\.invocation.id),
                currentID: storage.machine.current?.invocation.id,
                delivered: storage.machine.current?.delivered ?? false,
                runtimeState: storage.machine.runtimeStateName,
                phase: storage.machine.phase,
                parkedNexts: storage.machine.parkedNexts.count,
                timers: storage.timers.count,
                waitingInvokers: storage.invokers.count)
        }
    }
}
