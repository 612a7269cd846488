// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The rendezvous' rules as a pure state machine: no I/O, no clock reads, no continuations. Each event mutates
/// the state and returns the `Action`s that `Rendezvous` carries out after releasing its lock.
///
/// Owns: the FIFO queue of invocations, the one *current* invocation (one execution environment), the runtime's
/// lifecycle phase, and the tickets of parked `/next` calls. Callers (`invoke`, `/next`) are named by tickets.
///
/// Rules, in short (details on each event):
/// - An invocation becomes current when it heads the queue, none is current, and no runtime is being stopped.
///   Then its deadline is stamped, its timer starts, and a runtime is started if none is known alive.
/// - `/next` delivers the current invocation (again, while unanswered); once it is answered, `/next` releases it
///   and moves on to the next one.
/// - The outcome reaches the invoker exactly once; later outcomes for a gone invoker are dropped (a stream is
///   cancelled so that its runtime side stops).
/// - A timeout or an `/init/error` stops the runtime; the queue waits for `runtimeExited` before going on.
/// - A reset asked for after init (an extension crashed or posted `/exit/error`) waits for the invoke boundary:
///   the next invocation to become current is answered with the reset's error instead, and the runtime stopped.
struct RendezvousState {
    typealias Ticket = UInt64

    /// The runtime's lifecycle, as far as the rendezvous knows it.
    enum Phase: Equatable {
        /// No runtime known alive: the next invocation to become current starts one.
        case absent
        /// `startRuntime` was asked; the runtime has not called `/next` yet (AWS: Started).
        case starting
        /// The runtime has called `/next` at least once.
        case ready
        /// The runtime posted `/init/error` and is being stopped.
        case initFailed
        /// The runtime is being stopped after a timeout; `afterFirstNext` says whether it had called `/next`.
        case stopping(afterFirstNext: Bool)
    }

    /// How far the runtime got with answering the current invocation.
    enum Answer {
        /// Not answered (AWS: Running, once delivered).
        case none
        /// `/response` or `/error` claimed; its body is on the way, no outcome yet.
        case claimed(isError: Bool)
        /// `/response` streams; the invoker has the stream, the runtime side is still open.
        case streaming(ResponseStream)
        /// Answered (AWS: RuntimeResponseSentState); the next `/next` releases the invocation.
        case sent
    }

    struct Current {
        let ticket: Ticket
        var invocation: Invocation
        var delivered = false
        var answer = Answer.none
        /// The invoker still waits for the outcome (false once resumed, or cancelled).
        var invokerWaiting = true
    }

    private(set) var phase = Phase.absent
    private(set) var queue: [(ticket: Ticket, invocation: Invocation)] = []
    private(set) var current: Current?
    private(set) var parkedNexts: [Ticket] = []
    /// A reset asked for by `resetAtNextInvoke`: the error the next invocation gets, and the stop reason.
    private(set) var pendingReset: (body: [UInt8], contentType: String?, reason: String)?

    /// AWS's name for the runtime's state, for `InvalidStateTransition` messages.
    var runtimeStateName: String {
        switch phase {
        case .absent, .starting: return RuntimeStateName.started
        case .initFailed: return RuntimeStateName.initError
        case .stopping(let afterFirstNext): return afterFirstNext ? RuntimeStateName.ready : RuntimeStateName.started
        case .ready:
            guard let current, current.delivered else { return RuntimeStateName.ready }
            switch current.answer {
            case .none: return RuntimeStateName.running
            case .claimed(let isError):
                return isError ? RuntimeStateName.invocationErrorResponse : RuntimeStateName.invocationResponse
            case .streaming: return RuntimeStateName.invocationResponse
            case .sent: return RuntimeStateName.responseSent
            }
        }
    }

    // MARK: Invoke side

    /// An invoke arrived: queue it FIFO; it becomes current at once if it can.
    mutating func invoke(_ ticket: Ticket, _ invocation: Invocation, now: Int64) -> [Action] {
        queue.append((ticket, invocation))
        return promote(now: now)
    }

    /// The invoker went away. Queued: it leaves the queue. Current: the runtime keeps working on it, but the
    /// outcome is dropped. Either way the invoker is resumed at once with `cancelledOutcome`.
    mutating func invokeCancelled(_ ticket: Ticket) -> [Action] {
        if let index = queue.firstIndex(where: { $0.ticket == ticket }) {
            queue.remove(at: index)
            return [.resumeInvoker(ticket, Self.cancelledOutcome)]
        }
        guard var current, current.ticket == ticket, current.invokerWaiting else { return [] }
        current.invokerWaiting = false
        self.current = current
        return [.resumeInvoker(ticket, Self.cancelledOutcome)]
    }

    // MARK: Runtime side

    /// The runtime's `/next`. Marks the runtime alive (the first one after a start reports `runtimeInitialized`),
    /// delivers the current invocation (again, while unanswered), releases an answered one and moves on, or parks.
    /// While a response body is on the way it is refused with AWS's 403, as is any `/next` after `/init/error`.
    /// While a runtime is being stopped, it parks until `runtimeExited` fails it.
    mutating func next(_ ticket: Ticket, now: Int64) -> [Action] {
        var actions: [Action] = []
        switch phase {
        case .initFailed:
            return [.rejectNext(ticket, .invalidStateTransition(from: runtimeStateName, to: RuntimeStateName.ready))]
        case .stopping:
            parkedNexts.append(ticket)
            return []
        case .absent, .starting:
            phase = .ready
            actions.append(.runtimeInitialized)
        case .ready:
            break
        }
        if var current {
            switch current.answer {
            case .none:
                current.delivered = true
                self.current = current
                return actions + [.deliver([ticket], current.invocation)]
            case .claimed, .streaming:
                let error = RuntimeAPIError.invalidStateTransition(from: runtimeStateName, to: RuntimeStateName.ready)
                return actions + [.rejectNext(ticket, error)]
            case .sent:
                actions += release()
            }
        }
        parkedNexts.append(ticket)
        return actions + promote(now: now)
    }

    /// A parked `/next` went away (its connection closed). The invocation it may have been given stays current
    /// and is delivered again to the next `/next`, so nothing is lost.
    mutating func nextCancelled(_ ticket: Ticket) -> [Action] {
        guard let index = parkedNexts.firstIndex(of: ticket) else { return [] }
        parkedNexts.remove(at: index)
        return [.failNexts([ticket])]
    }

    /// Claims the right to answer `requestID`. 400 unless it is the current, delivered invocation; 403 (AWS's
    /// state names) when it is already being answered or answered. A successful claim moves the state, so a
    /// concurrent second claim fails.
    mutating func beginResponse(requestID: String, isError: Bool) throws(RuntimeAPIError) {
        guard var current, current.invocation.id == requestID, current.delivered else {
            throw .invalidRequestID
        }
        guard case .none = current.answer else {
            let target = isError ? RuntimeStateName.invocationErrorResponse : RuntimeStateName.invocationResponse
            throw .invalidStateTransition(from: runtimeStateName, to: target)
        }
        current.answer = .claimed(isError: isError)
        self.current = current
    }

    /// A claimed buffered answer arrived whole (`/response`, `/error`, or too large): that is the outcome.
    /// Ignored unless `requestID` is current and claimed (e.g. it timed out while its body was being read).
    mutating func complete(requestID: String, with outcome: InvokeOutcome) -> [Action] {
        guard var current, current.invocation.id == requestID, case .claimed = current.answer else { return [] }
        current.answer = .sent
        self.current = current
        return decide(outcome)
    }

    /// A claimed `/response` streams: the invoker gets `stream` now. Not claimed any more (timed out, runtime
    /// gone): the stream is cancelled, so that its sends throw `consumerGone` and the body is drained.
    mutating func startStream(requestID: String, stream: ResponseStream, contentType: String?) -> [Action] {
        guard var current, current.invocation.id == requestID, case .claimed = current.answer else {
            return [.cancelStream(stream)]
        }
        current.answer = .streaming(stream)
        self.current = current
        return decide(.streaming(stream, contentType: contentType))
    }

    /// The runtime side of `stream` ended (finish or fail): the current invocation counts as answered.
    mutating func streamEnded(_ stream: ResponseStream) -> [Action] {
        guard var current, case .streaming(let open) = current.answer, open === stream else { return [] }
        current.answer = .sent
        self.current = current
        return []
    }

    /// A claimed answer broke off before its body was whole. The invocation counts as answered: a buffered claim
    /// yields `.runtimeExited(reason: truncatedResponseReason)`; a started stream fails with that reason.
    mutating func abandonResponse(requestID: String) -> [Action] {
        guard var current, current.invocation.id == requestID else { return [] }
        switch current.answer {
        case .claimed:
            current.answer = .sent
            self.current = current
            return decide(.runtimeExited(reason: Self.truncatedResponseReason))
        case .streaming(let stream):
            current.answer = .sent
            self.current = current
            return [.failStream(stream, reason: Self.truncatedResponseReason)]
        case .none, .sent:
            return []
        }
    }

    /// `/init/error`: valid only before this runtime's first `/next` (else 403 from the current state to
    /// `InitError`). Stops the runtime; a current invocation fails now with this body and is released; the queue
    /// waits for `runtimeExited`, then a fresh runtime starts. While a timed-out runtime is being stopped before
    /// its first `/next`, the post is accepted and ignored.
    mutating func initError(body: [UInt8], contentType: String?) throws(RuntimeAPIError) -> [Action] {
        guard runtimeStateName == RuntimeStateName.started else {
            throw .invalidStateTransition(from: runtimeStateName, to: RuntimeStateName.initError)
        }
        guard phase == .absent || phase == .starting else { return [] }
        phase = .initFailed
        var actions: [Action] = []
        if current != nil {
            actions += decide(.initFailed(body: body, contentType: contentType))
            actions += release()
        }
        return actions + [.stopRuntime(reason: "InitError")]
    }

    // MARK: Lifecycle

    /// An extension failed after init (crash, `/exit/error`): the environment is to be reset at the next invoke
    /// boundary. The next invocation to become current (now, if one is queued and the runtime is idle) is not
    /// delivered: it fails with `.initFailed(body:)` and the runtime is stopped (`reason`); the queue waits for
    /// `runtimeExited`, then a fresh runtime starts. Ignored unless the runtime is up (before its first `/next`,
    /// init failures take the `/init/error` path; while it is being stopped a reset is on its way anyway). The
    /// first reset asked for wins.
    mutating func resetAtNextInvoke(body: [UInt8], contentType: String?, reason: String, now: Int64) -> [Action] {
        guard phase == .ready, pendingReset == nil else { return [] }
        pendingReset = (body, contentType, reason)
        return promote(now: now)
    }

    /// The runtime process ended. Parked `/next`s (its own) fail. An undecided current invocation gets
    /// `.initFailed(nil)` if the runtime never called `/next`, else `.runtimeExited(reason)`; a stream in
    /// progress fails with `reason`. The invocation is released and the queue goes on with a fresh runtime.
    mutating func runtimeExited(reason: String, now: Int64) -> [Action] {
        var actions: [Action] = []
        if !parkedNexts.isEmpty {
            actions.append(.failNexts(parkedNexts))
            parkedNexts = []
        }
        if let current {
            switch current.answer {
            case .none, .claimed:
                let outcome: InvokeOutcome =
                    phase == .starting ? .initFailed(body: nil, contentType: nil) : .runtimeExited(reason: reason)
                actions += decide(outcome)
            case .streaming(let stream):
                actions.append(.failStream(stream, reason: reason))
            case .sent:
                break
            }
            actions += release()
        }
        phase = .absent
        pendingReset = nil
        return actions + promote(now: now)
    }

    /// The timer of `ticket` fired. If it is still current: an undecided outcome becomes `.timedOut`, a stream
    /// in progress fails with `"timeout"`, and in every case the runtime is stopped and the invocation released;
    /// the queue waits for `runtimeExited`. A stale timer does nothing.
    mutating func timerFired(_ ticket: Ticket) -> [Action] {
        guard let current, current.ticket == ticket else { return [] }
        var actions: [Action] = []
        switch current.answer {
        case .none, .claimed: actions += decide(.timedOut(timeoutSeconds: current.invocation.timeoutSeconds))
        case .streaming(let stream): actions.append(.failStream(stream, reason: Self.timeoutReason))
        case .sent: break
        }
        actions += release()
        phase = .stopping(afterFirstNext: phase == .ready)
        return actions + [.stopRuntime(reason: "Timeout")]
    }

    // MARK: Helpers

    /// Makes the head of the queue current if nothing is current and no runtime is being stopped.
    private mutating func promote(now: Int64) -> [Action] {
        guard current == nil, !queue.isEmpty else { return [] }
        switch phase {
        case .initFailed, .stopping: return []
        case .absent, .starting, .ready: break
        }
        let (ticket, invocation) = queue.removeFirst()
        if let reset = pendingReset, phase == .ready {
            pendingReset = nil
            phase = .stopping(afterFirstNext: true)
            return [
                .resumeInvoker(ticket, .initFailed(body: reset.body, contentType: reset.contentType)),
                .stopRuntime(reason: reset.reason),
            ]
        }
        var next = Current(ticket: ticket, invocation: invocation)
        let timeout = invocation.timeoutMilliseconds
        let (deadline, overflow) = now.addingReportingOverflow(timeout)
        next.invocation.deadlineEpochMilliseconds = overflow ? Int64.max : deadline
        var actions: [Action] = [.startTimer(ticket, milliseconds: timeout)]
        if phase == .absent {
            phase = .starting
            actions.append(.startRuntime)
        }
        if !parkedNexts.isEmpty {
            next.delivered = true
            actions.append(.deliver(parkedNexts, next.invocation))
            parkedNexts = []
        }
        current = next
        return actions
    }

    /// Hands `outcome` to the current invoker if it still waits; a stream nobody will read is cancelled.
    private mutating func decide(_ outcome: InvokeOutcome) -> [Action] {
        guard var current else { return [] }
        if current.invokerWaiting {
            current.invokerWaiting = false
            self.current = current
            return [.resumeInvoker(current.ticket, outcome)]
        }
        if case .streaming(let stream, _) = outcome { return [.cancelStream(stream)] }
        return []
    }

    /// The current invocation stops being current; its timer is cancelled.
    private mutating func release() -> [Action] {
        guard let current else { return [] }
        self.current = nil
        return [.cancelTimer(current.ticket)]
    }
}
