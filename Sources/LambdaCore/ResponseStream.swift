// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking

/// One streamed runtime response on its way to one invoke caller; at most one chunk in flight.
///
/// Data path: runtime socket -> request body reader (≤4 KiB) -> `send` -> [hand-off] -> `next` -> response
/// writer (one `send(2)` per chunk) -> invoke-client socket. `send` returns only once the consumer's `next` has
/// taken that very chunk (AsyncChannel semantics), so the slower peer sets the pace and nothing is buffered
/// here beyond the chunk in hand.
///
/// Guarantees:
/// - Chunks arrive in `send` order; several concurrent senders are served first come, first served.
/// - `finish(trailers:)`, `fail(reason:)` and `cancel()` resume every pending operation; a pending or later
///   `send` then throws `consumerGone` (its chunk is dropped).
/// - After the end, `next` keeps returning the terminal event (`.end` or `.failed`).
/// - A cancelled consumer task counts as `cancel()`; a cancelled sender task gets `consumerGone`.
/// - The runtime side ends once, by its first `finish` or `fail`; the owner hears of it through `onRuntimeEnd`
///   (outside any lock). `cancel()` ends the consumer side only.
/// - Every method is safe from any task; continuations are resumed outside the lock.
package final class ResponseStream: Sendable {
    /// The `.failed` reason the consumer reads after it cancelled.
    package static let cancelledReason = "cancelled"

    private struct PendingSend {
        let id: UInt64
        let chunk: [UInt8]
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct Consumer {
        let id: UInt64
        let continuation: CheckedContinuation<StreamEvent, Never>
    }

    private struct State {
        var pendingSends: [PendingSend] = []
        var consumers: [Consumer] = []
        /// What `next` returns for ever once set: `.end` or `.failed`.
        var terminal: StreamEvent?
        var runtimeEnded = false
        var lastID: UInt64 = 0

        mutating func makeID() -> UInt64 {
            lastID &+= 1
            return lastID
        }

        /// Sets the terminal event (unless one is set) and takes every waiter, for resumption outside the lock.
        mutating func terminate(with event: StreamEvent) -> (StreamEvent, [Consumer], [PendingSend]) {
            if terminal == nil { terminal = event }
            defer {
                consumers = []
                pendingSends = []
            }
            return (terminal ?? event, consumers, pendingSends)
        }
    }

    private let state = Lock(State())
    private let onRuntimeEnd: (@Sendable (ResponseStream) -> Void)?

    /// A free-standing stream (no owner to notify).
    package convenience init() {
        self.init(onRuntimeEnd: nil)
    }

    /// A stream whose owner hears, once, that the runtime side ended (`finish` or `fail`).
    init(onRuntimeEnd: (@Sendable (ResponseStream) -> Void)?) {
        self.onRuntimeEnd = onRuntimeEnd
    }

    // MARK: Runtime side

    /// Runtime side: hands `chunk` over and returns once the consumer took it (backpressure).
    package func send(_ chunk: [UInt8]) async throws(ResponseStreamError) {
        let id = state.withLock { $0.makeID() }
        let taken = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                enum Step {
                    case park, handOver(CheckedContinuation<StreamEvent, Never>), refuse
                }
                let step = state.withLock { state -> Step in
                    if state.terminal != nil || Task.isCancelled { return .refuse }
                    if !state.consumers.isEmpty { return .handOver(state.consumers.removeFirst().continuation) }
                    state.pendingSends.append(PendingSend(id: id, chunk: chunk, continuation: continuation))
                    return .park
                }
                switch step {
                case .park:
                    break
                case .handOver(let consumer):
                    consumer.resume(returning: .chunk(chunk))
                    continuation.resume(returning: true)
                case .refuse:
                    continuation.resume(returning: false)
                }
            }
        } onCancel: {
            let pending = state.withLock { state -> PendingSend? in
                guard let index = state.pendingSends.firstIndex(where: { $0.id == id }) else { return nil }
                return state.pendingSends.remove(at: index)
            }
            pending?.continuation.resume(returning: false)
        }
        if !taken { throw .consumerGone }
    }

    /// Runtime side: the body ended (with trailers, possibly empty).
    package func finish(trailers: [TrailerField]) {
        endRuntimeSide(.end(trailers: trailers))
    }

    /// Runtime side: the body broke off. Also used by the rendezvous (timeout, runtime exit).
    package func fail(reason: String) {
        endRuntimeSide(.failed(reason: reason))
    }

    // MARK: Invoke side

    /// Invoke side: the next event; after `.end` or `.failed` it keeps returning that event.
    package func next() async -> StreamEvent {
        let id = state.withLock { $0.makeID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<StreamEvent, Never>) in
                enum Step {
                    case park, take(PendingSend), event(StreamEvent), cancelled([Consumer], [PendingSend], StreamEvent)
                }
                let step = state.withLock { state -> Step in
                    if !state.pendingSends.isEmpty { return .take(state.pendingSends.removeFirst()) }
                    if let terminal = state.terminal { return .event(terminal) }
                    if Task.isCancelled {
                        let (event, consumers, sends) = state.terminate(with: .failed(reason: Self.cancelledReason))
                        return .cancelled(consumers, sends, event)
                    }
                    state.consumers.append(Consumer(id: id, continuation: continuation))
                    return .park
                }
                switch step {
                case .park:
                    break
                case .take(let send):
                    send.continuation.resume(returning: true)
                    continuation.resume(returning: .chunk(send.chunk))
                case .event(let event):
                    continuation.resume(returning: event)
                case .cancelled(let consumers, let sends, let event):
                    Self.resume(consumers, sends, with: event)
                    continuation.resume(returning: event)
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Invoke side: the consumer is gone; pending and later `send`s throw `consumerGone`.
    package func cancel() {
        let (event, consumers, sends) = state.withLock { $0.terminate(with: .failed(reason: Self.cancelledReason)) }
        Self.resume(consumers, sends, with: event)
    }

    // MARK: Internals

    /// How many `send`s are parked waiting for the consumer (for tests).
    var pendingSendCount: Int {
        state.withLock { $0.pendingSends.count }
    }

    /// How many `next`s are parked waiting for a chunk (for tests).
    var waitingConsumerCount: Int {
        state.withLock { $0.consumers.count }
    }

    private func endRuntimeSide(_ event: StreamEvent) {
        let ended = state.withLock { state -> (StreamEvent, [Consumer], [PendingSend])? in
            guard !state.runtimeEnded else { return nil }
            state.runtimeEnded = true
            return state.terminate(with: event)
        }
        guard let (terminal, consumers, sends) = ended else { return }
        Self.resume(consumers, sends, with: terminal)
        onRuntimeEnd?(self)
    }

    private static func resume(_ consumers: [Consumer], _ sends: [PendingSend], with event: StreamEvent) {
        for send in sends { send.continuation.resume(returning: false) }
        for consumer in consumers { consumer.continuation.resume(returning: event) }
    }
}
