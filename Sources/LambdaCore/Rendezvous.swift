// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking

/// Pairs each invoke with the runtime's `/next` and with its `/response` or `/error`.
///
/// The async façade over `RendezvousState`: every call runs one event on the state under a `Lock`, then, after
/// releasing it, resumes continuations, fails or cancels streams, cancels timers and calls `control`. Every
/// suspension has a cancellation handler, and every continuation is resumed exactly once. It owns the deadlines:
/// a timer per current invocation, started on the injected clock, cancelled when it is released.
///
/// One execution environment: invokes queue FIFO (AWS's emulator crashes on a second concurrent invoke).
package final class Rendezvous: Sendable {
    /// `.runtimeExited(reason:)` of an invoke whose runtime broke off its `/response` or `/error` body, and the
    /// `.failed` reason of a stream abandoned through `abandonResponse`.
    package static let truncatedResponseReason = "Runtime.TruncatedResponse"
    /// `.runtimeExited(reason:)` returned to an `invoke` whose task was cancelled (nobody reads it).
    package static let invokeCancelledReason = "invoke cancelled"
    /// The `.failed` reason a consumer reads when the invocation timed out mid-stream.
    package static let timeoutReason = "timeout"

    typealias Ticket = RendezvousState.Ticket

    struct Storage {
        var machine = RendezvousState()
        var lastTicket: Ticket = 0
        var invokers: [Ticket: CheckedContinuation<InvokeOutcome, Never>] = [:]
        var nexts: [Ticket: CheckedContinuation<Invocation, any Error>] = [:]
        var timers: [Ticket: any RendezvousTimer] = [:]

        mutating func makeTicket() -> Ticket {
            lastTicket &+= 1
            return lastTicket
        }
    }

    let control: any RuntimeControl
    let clock: any RendezvousClock
    let storage = Lock(Storage())

    /// A rendezvous whose deadlines come from `ContinuousRendezvousClock()`: NOT wall time. The emulator should
    /// use `init(control:clock:)` with a `CLOCK_REALTIME` reading, so runtimes see a real epoch deadline.
    package convenience init(control: any RuntimeControl) {
        self.init(control: control, clock: ContinuousRendezvousClock())
    }

    package init(control: any RuntimeControl, clock: any RendezvousClock) {
        self.control = control
        self.clock = clock
    }

    /// The timers die with the rendezvous: a timer only holds it weakly, and would otherwise stay pending
    /// (forever on a clock that is never advanced) with nothing left to report to.
    deinit {
        for timer in storage.withLock({ $0.timers.values }) { timer.cancel() }
    }

    // MARK: Invoke side

    /// Queues `invocation` FIFO and waits for its outcome. If the calling task is cancelled it returns at once
    /// with `.runtimeExited(reason: invokeCancelledReason)`: queued, the invocation is dropped; current, the
    /// runtime goes on with it but its outcome is dropped (a stream is cancelled).
    package func invoke(_ invocation: Invocation) async -> InvokeOutcome {
        let ticket = storage.withLock { $0.makeTicket() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<InvokeOutcome, Never>) in
                let now = clock.epochMilliseconds()
                let effects = storage.withLock { storage -> Effects in
                    guard !Task.isCancelled else {
                        return Effects(invokers: [(continuation, RendezvousState.cancelledOutcome)])
                    }
                    storage.invokers[ticket] = continuation
                    let actions = storage.machine.invoke(ticket, invocation, now: now)
                    return prepare(actions, &storage)
                }
                run(effects)
            }
        } onCancel: {
            event { $0.machine.invokeCancelled(ticket) }
        }
    }

    // MARK: Runtime side

    /// Long-polls for the next invocation (the runtime's `/next`); see `RendezvousState.next` for the rules.
    /// Throws `CancellationError` when the calling task is cancelled (nothing is lost: an invocation handed to a
    /// vanished `/next` is handed again to the next one), and when the runtime it belongs to exits (a `/next`
    /// from a runtime being stopped after a timeout parks until then). Throws
    /// `RuntimeAPIError.invalidStateTransition(from:to: "Ready")`, AWS's 403, after `/init/error` and while a
    /// `/response` or `/error` body is still on the way.
    package func next() async throws -> Invocation {
        let ticket = storage.withLock { $0.makeTicket() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Invocation, any Error>) in
                let now = clock.epochMilliseconds()
                let effects = storage.withLock { storage -> Effects in
                    guard !Task.isCancelled else {
                        return Effects(nexts: [(continuation, .failure(CancellationError()))])
                    }
                    storage.nexts[ticket] = continuation
                    let actions = storage.machine.next(ticket, now: now)
                    return prepare(actions, &storage)
                }
                run(effects)
            }
        } onCancel: {
            event { $0.machine.nextCancelled(ticket) }
        }
    }

    /// Claims the right to answer `requestID` (`/response` when `isError` is false, else `/error`).
    /// 400 `invalidRequestID` unless it is the current, delivered invocation (also when stale or released);
    /// 403 `invalidStateTransition` with AWS's state names when it is being answered or was answered.
    package func beginResponse(requestID: String, isError: Bool) throws(RuntimeAPIError) {
        try storage.withLock { (storage: inout Storage) throws(RuntimeAPIError) in
            try storage.machine.beginResponse(requestID: requestID, isError: isError)
        }
    }

    /// The claimed `/response` body arrived whole: the invoker gets `.response`.
    package func completeResponse(requestID: String, body: [UInt8], contentType: String?) {
        event { $0.machine.complete(requestID: requestID, with: .response(body: body, contentType: contentType)) }
    }

    /// The claimed `/response` streams: the invoker gets `.streaming(stream)` now and reads it. The caller sends
    /// the body into the returned stream and ends it with `finish(trailers:)` or `fail(reason:)`; that end counts
    /// as the answer. If the claim is no longer valid (timed out meanwhile), the stream comes back cancelled:
    /// every `send` throws `consumerGone`.
    package func startStream(requestID: String, contentType: String?) -> ResponseStream {
        let stream = ResponseStream { [weak self] stream in
            self?.event { $0.machine.streamEnded(stream) }
        }
        event { $0.machine.startStream(requestID: requestID, stream: stream, contentType: contentType) }
        return stream
    }

    /// The claimed `/error` body arrived whole: the invoker gets `.functionError`.
    package func completeError(requestID: String, body: [UInt8], contentType: String?, errorType: String) {
        let outcome = InvokeOutcome.functionError(body: body, contentType: contentType, errorType: errorType)
        event { $0.machine.complete(requestID: requestID, with: outcome) }
    }

    /// The claimed buffered body exceeded the limit: the invoker gets `.responseTooLarge`.
    package func responseTooLarge(requestID: String, bytes: Int) {
        event { $0.machine.complete(requestID: requestID, with: .responseTooLarge(bytes: bytes)) }
    }

    /// Abandons a claimed response whose body never arrived whole (the runtime went away mid-body).
    /// The invocation counts as answered: a buffered claim gives the invoker
    /// `.runtimeExited(reason: truncatedResponseReason)`; a started stream fails with that reason.
    package func abandonResponse(requestID: String) {
        event { $0.machine.abandonResponse(requestID: requestID) }
    }

    /// `/init/error`: valid before this runtime's first `/next` only (else 403 from the current state to
    /// `InitError`). A current invocation fails with `.initFailed(body:)`; the runtime is stopped.
    package func initError(body: [UInt8], contentType: String?) throws(RuntimeAPIError) {
        let effects = try storage.withLock { (storage: inout Storage) throws(RuntimeAPIError) -> Effects in
            let actions = try storage.machine.initError(body: body, contentType: contentType)
            return prepare(actions, &storage)
        }
        run(effects)
    }

    // MARK: Lifecycle

    /// An extension failed after init: the next invocation gets `body` (as an init failure) and the environment
    /// is reset (`reason`) at that invoke boundary. Ignored unless the runtime is up (see `RendezvousState`).
    package func resetAtNextInvoke(body: [UInt8], contentType: String?, reason: String) {
        let now = clock.epochMilliseconds()
        event { $0.machine.resetAtNextInvoke(body: body, contentType: contentType, reason: reason, now: now) }
    }

    /// The runtime process ended; `reason` like `exit status 1`, `signal: killed`.
    package func runtimeExited(reason: String) {
        let now = clock.epochMilliseconds()
        event { $0.machine.runtimeExited(reason: reason, now: now) }
    }

    func timerFired(_ ticket: Ticket) {
        event { $0.machine.timerFired(ticket) }
    }
}
