// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking

/// One streamed runtime response on its way to one invoke caller; at most one chunk in flight.
///
/// Data path: runtime socket -> request body reader (≤4 KiB) -> `send` -> the invoke side's writer (one
/// `send(2)` per chunk) -> invoke-client socket. The invoke side consumes in one of two ways:
/// - **sink** (`deliver(to:)`, in `ResponseStream+Sink.swift`): it registers its writer once and waits for the
///   end; each `send` then calls that writer itself, on the sender's task: no hand-off and no consumer wake-up
///   per chunk;
/// - **pull** (`next()`): each `send` hands its chunk to the consumer's task parked in `next` (AsyncChannel
///   semantics).
/// Either way `send` returns only once its chunk was written (sink) or taken (pull), so the slower peer sets the
/// pace and nothing is buffered here beyond the chunk in hand.
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

    /// What a parked `send` is resumed with.
    enum SendResult: Sendable {
        /// The chunk was taken by `next` or written by the sink.
        case delivered
        /// The stream ended (or the sink threw) first: the chunk is dropped.
        case refused
        /// Only ever returned at once, never after parking: a sink is attached and free; the sender holds it now
        /// and writes its chunk itself.
        case holdSink(Sink)
    }

    struct PendingSend {
        let id: UInt64
        let chunk: [UInt8]
        let continuation: CheckedContinuation<SendResult, Never>
    }

    struct Consumer {
        let id: UInt64
        let continuation: CheckedContinuation<StreamEvent, Never>
    }

    /// Continuations to resume once the lock is released.
    struct Wakeups {
        var ending: StreamEnding?
        var consumers: [Consumer] = []
        var sends: [PendingSend] = []
        var deliverer: CheckedContinuation<StreamEnding, Never>?

        func resume() {
            for send in sends { send.continuation.resume(returning: .refused) }
            guard let ending else { return }
            for consumer in consumers { consumer.continuation.resume(returning: ending.event) }
            deliverer?.resume(returning: ending)
        }
    }

    struct State {
        var pendingSends: [PendingSend] = []
        var consumers: [Consumer] = []
        /// What `next` and `deliver(to:)` return for ever once set.
        var terminal: StreamEnding?
        var runtimeEnded = false
        var lastID: UInt64 = 0
        /// The consumer's writer, from `deliver(to:)` until it returns.
        var sink: Sink?
        /// Some task holds the sink: it is in a sink call, or between two (taking the next queued send). Only the
        /// holder calls the sink. Invariant: an attached sink nobody holds has no `pendingSends` behind it.
        var sinkHeld = false
        /// The first error a sink call threw; `deliver(to:)` rethrows it.
        var sinkError: (any Error)?
        /// `deliver(to:)` parked until the end; resumed only when the sink is not held.
        var deliverer: CheckedContinuation<StreamEnding, Never>?

        mutating func makeID() -> UInt64 {
            lastID &+= 1
            return lastID
        }

        /// Sets the terminal event (unless one is set) and takes every waiter, for resumption outside the lock.
        /// A parked `deliver(to:)` is taken only when no sink call runs; else the holder wakes it when done.
        mutating func terminate(with ending: StreamEnding) -> Wakeups {
            if terminal == nil { terminal = ending }
            defer {
                consumers = []
                pendingSends = []
            }
            let deliverer = sinkHeld ? nil : self.deliverer.take()
            return Wakeups(ending: terminal, consumers: consumers, sends: pendingSends, deliverer: deliverer)
        }

        /// Takes the attached sink if nobody holds it and a send may go on.
        mutating func takeIdleSink() -> Sink? {
            guard terminal == nil, !sinkHeld, let sink, !Task.isCancelled else { return nil }
            assert(pendingSends.isEmpty, "an idle sink has no queued sends")
            sinkHeld = true
            return sink
        }
    }

    let state = Lock(State())
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

    /// Runtime side: hands `chunk` over and returns once the consumer took it, or its sink wrote it
    /// (backpressure).
    package func send(_ chunk: [UInt8]) async throws(ResponseStreamError) {
        // The sink path: an attached sink nobody holds is called right here, on this task.
        if let sink = state.withLock({ $0.takeIdleSink() }) {
            guard await drive(sink, chunk) else { throw .consumerGone }
            return
        }
        let id = state.withLock { $0.makeID() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<SendResult, Never>) in
                enum Step {
                    case park, handOver(CheckedContinuation<StreamEvent, Never>), now(SendResult)
                }
                let step = state.withLock { state -> Step in
                    if state.terminal != nil || Task.isCancelled { return .now(.refused) }
                    if let sink = state.takeIdleSink() { return .now(.holdSink(sink)) }  // the holder just let go
                    if !state.consumers.isEmpty { return .handOver(state.consumers.removeFirst().continuation) }
                    state.pendingSends.append(PendingSend(id: id, chunk: chunk, continuation: continuation))
                    return .park
                }
                switch step {
                case .park:
                    break
                case .handOver(let consumer):
                    consumer.resume(returning: .chunk(chunk))
                    continuation.resume(returning: .delivered)
                case .now(let result):
                    continuation.resume(returning: result)
                }
            }
        } onCancel: {
            let pending = state.withLock { state -> PendingSend? in
                guard let index = state.pendingSends.firstIndex(where: { $0.id == id }) else { return nil }
                return state.pendingSends.remove(at: index)
            }
            pending?.continuation.resume(returning: .refused)
        }
        switch result {
        case .delivered: return
        case .refused: throw .consumerGone
        case .holdSink(let sink): guard await drive(sink, chunk) else { throw .consumerGone }
        }
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

    /// Invoke side, pull mode: the next event; after `.end` or `.failed` it keeps returning that event. Not for a
    /// stream whose consumer uses `deliver(to:)`.
    package func next() async -> StreamEvent {
        let id = state.withLock { $0.makeID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<StreamEvent, Never>) in
                enum Step {
                    case park, take(PendingSend), event(StreamEvent), cancelled(Wakeups)
                }
                let step = state.withLock { state -> Step in
                    if !state.pendingSends.isEmpty { return .take(state.pendingSends.removeFirst()) }
                    if let terminal = state.terminal { return .event(terminal.event) }
                    if Task.isCancelled { return .cancelled(state.terminate(with: .failed(reason: Self.cancelledReason))) }
                    state.consumers.append(Consumer(id: id, continuation: continuation))
                    return .park
                }
                switch step {
                case .park:
                    break
                case .take(let send):
                    send.continuation.resume(returning: .delivered)
                    continuation.resume(returning: .chunk(send.chunk))
                case .event(let event):
                    continuation.resume(returning: event)
                case .cancelled(let wakeups):
                    wakeups.resume()
                    continuation.resume(returning: wakeups.ending?.event ?? .failed(reason: Self.cancelledReason))
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Invoke side: the consumer is gone; pending and later `send`s throw `consumerGone`.
    package func cancel() {
        state.withLock { $0.terminate(with: .failed(reason: Self.cancelledReason)) }.resume()
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

    private func endRuntimeSide(_ ending: StreamEnding) {
        let wakeups = state.withLock { state -> Wakeups? in
            guard !state.runtimeEnded else { return nil }
            state.runtimeEnded = true
            return state.terminate(with: ending)
        }
        guard let wakeups else { return }
        wakeups.resume()
        onRuntimeEnd?(self)
    }
}
