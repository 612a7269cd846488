// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking
import Logging
import Reactor
import SocketServer

/// Buffering of one subscription, as the Telemetry and Logs APIs define it: a batch goes out when it holds
/// `maxItems` events or `maxBytes` bytes, or `timeoutMs` after its first event arrived.
package struct TelemetryBuffering: Sendable, Equatable {
    package var maxItems: Int
    package var maxBytes: Int
    package var timeoutMs: Int

    /// The Telemetry API's defaults and bounds (1,000 items, 256 KiB, 1 s).
    package static let telemetryDefault = TelemetryBuffering(maxItems: 1000, maxBytes: 262_144, timeoutMs: 1000)
    /// The Logs API's defaults (10,000 items, 256 KiB, 1 s).
    package static let logsDefault = TelemetryBuffering(maxItems: 10_000, maxBytes: 262_144, timeoutMs: 1000)
    static let itemRange = 1000...10_000
    static let byteRange = 262_144...1_048_576
    static let timeoutRange = 25...30_000
}

/// One subscriber's queue and its delivery task: events are queued as rendered JSON objects and posted in
/// batches (`[obj,obj,…]`) with `HTTPPostClient`, one batch in flight at a time, never blocking whoever emits.
///
/// Memory is bounded: past `4 × maxItems` events or `4 × maxBytes` bytes waiting, new events are dropped and
/// counted (a slow or dead subscriber loses events, the function never waits). A batch the subscriber does not
/// accept (refused connection, timeout, non-2xx) is dropped and counted too.
package final class TelemetrySubscriber: Sendable {
    private struct State {
        var items: [[UInt8]] = []
        var bytes = 0
        var firstQueued: MonotonicInstant?
        var wake: CheckedContinuation<Void, Never>?
        /// A wake-up that came while the delivery task was not parked: its next park returns at once.
        var wakePending = false
        var stopped = false
        /// Send what is queued without waiting for `timeoutMs` (a flush is under way).
        var flushing = false
        /// A batch is being posted.
        var inFlight = false
        var dropped = 0
        var delivered = 0

        mutating func takeWake() -> CheckedContinuation<Void, Never>? {
            guard let continuation = wake.take() else {
                wakePending = true
                return nil
            }
            return continuation
        }
    }

    package let name: String
    package let api: TelemetryAPIKind
    package let categories: Set<TelemetryCategory>
    let buffering: TelemetryBuffering
    let address: SocketAddress
    let hostHeader: String
    let path: String
    private let logger: Logger
    private let state = Lock(State())
    /// How long one POST may take before its batch is dropped.
    static let postTimeoutMilliseconds = 5000

    package init(
        name: String, api: TelemetryAPIKind, categories: Set<TelemetryCategory>, buffering: TelemetryBuffering,
        address: SocketAddress, hostHeader: String, path: String, logger: Logger
    ) {
        self.name = name
        self.api = api
        self.categories = categories
        self.buffering = buffering
        self.address = address
        self.hostHeader = hostHeader
        self.path = path
        self.logger = logger
    }

    /// Queues one rendered event (or drops and counts it when the queue is full). Never waits.
    package func push(_ event: [UInt8]) {
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.stopped else { return nil }
            guard state.items.count < 4 * buffering.maxItems, state.bytes + event.count <= 4 * buffering.maxBytes else {
                state.dropped += 1
                return nil
            }
            state.items.append(event)
            state.bytes += event.count
            if state.firstQueued == nil { state.firstQueued = .now }
            // Wake the delivery task for the first event (to start the timer) and when a batch is full.
            guard state.items.count == 1 || isFull(state) else { return nil }
            return state.takeWake()
        }
        wake?.resume()
    }

    /// Posts what is queued now, whatever the timeout, and waits until it is out (or `milliseconds` passed).
    package func flush(withinMilliseconds milliseconds: Int) async {
        let deadline = MonotonicInstant.now.advanced(byMilliseconds: milliseconds)
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.flushing = true
            return state.takeWake()
        }
        wake?.resume()
        while MonotonicInstant.now < deadline, state.withLock({ !$0.items.isEmpty || $0.inFlight }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        state.withLock { $0.flushing = false }
    }

    /// Events dropped so far, and batches' events delivered.
    package var counts: (dropped: Int, delivered: Int) { state.withLock { ($0.dropped, $0.delivered) } }

    /// Ends the delivery task once what is queued has been posted (at once, whatever the timeout); later events
    /// are ignored.
    package func stop() {
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.stopped = true
            return state.takeWake()
        }
        wake?.resume()
    }

    /// Delivers batches until `stop()`.
    package func run() async {
        while let batch = await nextBatch() {
            var body: [UInt8] = [UInt8(ascii: "[")]
            body.reserveCapacity(batch.reduce(2) { $0 + $1.count + 1 })
            for (index, event) in batch.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: event)
            }
            body.append(UInt8(ascii: "]"))
            var accepted = false
            do {
                let status = try await HTTPPostClient.post(
                    to: address, hostHeader: hostHeader, path: path, contentType: "application/json", body: body,
                    timeoutMilliseconds: Self.postTimeoutMilliseconds)
                accepted = (200..<300).contains(status)
                if !accepted { logger.warning("Telemetry subscriber \(name) answered \(status); \(batch.count) events dropped") }
            } catch {
                logger.warning("Telemetry subscriber \(name) unreachable (\(error)); \(batch.count) events dropped")
            }
            state.withLock { state in
                state.inFlight = false
                if accepted { state.delivered += batch.count } else { state.dropped += batch.count }
            }
        }
    }

    private func isFull(_ state: State) -> Bool {
        state.items.count >= buffering.maxItems || state.bytes >= buffering.maxBytes
    }

    /// Waits for a batch to be due (full, or `timeoutMs` after its first event) and takes it; once stopped, takes
    /// what is left at once, then returns nil.
    private func nextBatch() async -> [[UInt8]]? {
        while true {
            enum Step { case stop, take([[UInt8]]), wait(Int?) }
            let step: Step = state.withLock { state in
                if state.stopped { return state.items.isEmpty ? .stop : .take(takeBatch(&state)) }
                guard let first = state.firstQueued else { return .wait(nil) }
                let waited = Int(MonotonicInstant.now.milliseconds(since: first))
                guard isFull(state) || state.flushing || waited >= buffering.timeoutMs else {
                    return .wait(buffering.timeoutMs - waited)
                }
                return .take(takeBatch(&state))
            }
            switch step {
            case .stop: return nil
            case .take(let batch): return batch
            case .wait(let milliseconds): await sleep(milliseconds)
            }
        }
    }

    /// At most `maxItems` events and `maxBytes` bytes (but at least one event), oldest first.
    private func takeBatch(_ state: inout State) -> [[UInt8]] {
        var count = 0
        var bytes = 0
        while count < state.items.count, count < buffering.maxItems,
            count == 0 || bytes + state.items[count].count <= buffering.maxBytes
        {
            bytes += state.items[count].count
            count += 1
        }
        let batch = Array(state.items.prefix(count))
        state.inFlight = true
        state.items.removeFirst(count)
        state.bytes -= bytes
        state.firstQueued = state.items.isEmpty ? nil : .now
        return batch
    }

    /// Parks until `push` or `stop` wakes it, or `milliseconds` pass (nil: no timer).
    private func sleep(_ milliseconds: Int?) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let parked = state.withLock { state -> Bool in
                if state.wakePending {
                    state.wakePending = false
                    return false
                }
                state.wake = continuation
                return true
            }
            guard parked else {
                continuation.resume()
                return
            }
            guard let milliseconds else { return }
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(max(milliseconds, 1)))
                let wake = self?.state.withLock { state -> CheckedContinuation<Void, Never>? in
                    state.wake.take()
                }
                wake?.resume()
            }
        }
    }
}
