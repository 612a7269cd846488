// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The sink mode of `ResponseStream`: the invoke side registers its per-chunk writer once (`deliver(to:)`) and
/// each runtime-side `send` calls it directly, on the sender's task. Per chunk that costs two lock round trips
/// and the write itself, where the pull mode (`next()`) costs two task switches and two continuations.
///
/// Who calls the sink: the task that *holds* it (`State.sinkHeld`, taken and released under the lock). A
/// `send` that finds the sink free takes it, writes its chunk, then writes every send that queued behind it
/// meanwhile, in order (resuming each sender once its chunk was written), and lets go when the queue is empty
/// or the stream ended. `deliver(to:)` itself holds it first when sends were parked before it attached, so
/// those chunks go out first, in order.
///
/// Why it is race-free: there is one holder at a time, so never two concurrent sink calls; the consumer's task
/// is inside `deliver(to:)` from before the first sink call until after the last one returned, and touches its
/// writer only after that (the terminal event is handed to it only when the sink is not held, and once the
/// stream ended no send can take the sink again); every change of holder, and the consumer's wake-up, goes
/// through the lock, which orders the writer's accesses across tasks.
extension ResponseStream {
    /// The invoke side's writer for one chunk, called by the stream on whichever task holds the sink.
    ///
    /// `@unchecked Sendable` because `write` is not `@Sendable`: it is the consumer's own writer (its socket, its
    /// counters, its scanner) and may capture mutable state. That is safe because the stream calls it
    /// exclusively: one call at a time, by the single holder, only while the consumer's task waits in
    /// `deliver(to:)`, with every hand-over of the sink ordered by the stream's lock (see above). Give a `Sink`
    /// to one `deliver(to:)` only, and do not call `write` yourself.
    package final class Sink: @unchecked Sendable {
        let write: ([UInt8]) async throws -> Void

        /// `write` sends one chunk to the caller; throwing means the caller is gone (the stream then acts as
        /// `cancel()`, and `deliver(to:)` rethrows the error).
        package init(_ write: @escaping ([UInt8]) async throws -> Void) {
            self.write = write
        }
    }

    /// Invoke side, sink mode: writes every chunk through `sink` (chunks sent before this call first, in order)
    /// and returns the terminal event once the runtime side ended (`finish`, `fail`) and no sink call runs or
    /// can start. Throws the first error the sink threw; the stream then acted as `cancel()` (pending and later
    /// sends throw `consumerGone`). Cancelling the calling task counts as `cancel()`; it still returns only after
    /// an in-flight sink call returned. One `deliver(to:)` per stream, and no `next()` beside it.
    package func deliver(to sink: Sink) async throws -> StreamEnding {
        let queued = state.withLock { state -> PendingSend? in
            precondition(state.sink == nil && state.consumers.isEmpty, "a stream has one consumer")
            guard state.terminal == nil else { return nil }
            state.sink = sink
            guard !state.pendingSends.isEmpty else { return nil }
            state.sinkHeld = true
            return state.pendingSends.removeFirst()
        }
        if let queued { _ = await drive(sink, queued.chunk, for: queued.continuation) }
        let ending = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<StreamEnding, Never>) in
                let (now, wakeups) = state.withLock { state -> (StreamEnding?, Wakeups) in
                    var wakeups = Wakeups()
                    if state.terminal == nil, Task.isCancelled {
                        wakeups = state.terminate(with: .failed(reason: Self.cancelledReason))
                    }
                    if let terminal = state.terminal, !state.sinkHeld { return (terminal, wakeups) }
                    state.deliverer = continuation
                    return (nil, wakeups)
                }
                wakeups.resume()
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            cancel()
        }
        let error = state.withLock { state -> (any Error)? in
            state.sink = nil  // nothing calls it any more: let go of what it captured
            return state.sinkError
        }
        if let error { throw error }
        return ending
    }

    /// Whether a sink is attached (for tests).
    var sinkAttached: Bool {
        state.withLock { $0.sink != nil }
    }

    /// Whether `deliver(to:)` is parked waiting for the end (for tests).
    var delivererWaiting: Bool {
        state.withLock { $0.deliverer != nil }
    }

    /// Called by the holder of `sink`: writes `chunk` (resuming `sender`, its parked sender, if any, with the
    /// result), then every send queued behind it; lets go of the sink and, when the stream ended, wakes the
    /// consumer. Returns whether `chunk` was written.
    func drive(_ sink: Sink, _ chunk: [UInt8], for sender: CheckedContinuation<SendResult, Never>? = nil) async -> Bool {
        var chunk = chunk
        var sender = sender
        var first: Bool?
        while true {
            var failure: (any Error)?
            do {
                try await sink.write(chunk)
            } catch {
                failure = error
            }
            enum Step {
                case more(PendingSend)
                case done(Wakeups)
            }
            let step = state.withLock { state -> Step in
                var wakeups = Wakeups()
                if let failure {
                    if state.sinkError == nil { state.sinkError = failure }
                    wakeups = state.terminate(with: .failed(reason: Self.cancelledReason))  // empties the queue
                }
                if state.terminal == nil, !state.pendingSends.isEmpty { return .more(state.pendingSends.removeFirst()) }
                state.sinkHeld = false
                if let terminal = state.terminal {
                    wakeups.ending = terminal
                    wakeups.deliverer = state.deliverer.take()
                }
                return .done(wakeups)
            }
            let result: SendResult = failure == nil ? .delivered : .refused
            if let sender { sender.resume(returning: result) } else if first == nil { first = failure == nil }
            switch step {
            case .more(let next):
                chunk = next.chunk
                sender = next.continuation
            case .done(let wakeups):
                wakeups.resume()
                return first ?? true
            }
        }
    }
}
