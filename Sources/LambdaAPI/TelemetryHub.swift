// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking
import Logging

/// One execution environment's Telemetry API and Logs API: the subscriptions, and the fan-out of every platform
/// event and every line of the runtime's output to them.
///
/// Extensions subscribe during init, after some events happened (`platform.initStart` comes first), so the
/// events since the current generation began are kept (at most `backlogLimit`) and replayed to each new
/// subscriber, as Lambda does. `emit` never waits: each subscriber has its own bounded queue and task
/// (`TelemetrySubscriber`). `reset` (a new generation of extensions) stops every subscriber.
package final class TelemetryHub: Sendable {
    private struct State {
        var subscribers: [TelemetrySubscriber] = []
        /// Events of this generation as (event, epoch ms), for subscribers that come later.
        var backlog: [(TelemetryEvent, Int64)] = []
        var backlogBytes = 0
        /// The runtime's output after its last newline.
        var partialLine: [UInt8] = []
    }

    static let backlogLimit = 1000
    /// The backlog's bound in bytes (function lines can be long).
    static let backlogByteLimit = 1024 * 1024
    /// Longer lines are cut into pieces of this size (Lambda's log event limit is 256 KiB).
    static let maxLineBytes = 256 * 1024
    private let state = Lock(State())
    private let clock: @Sendable () -> Int64
    /// False once no subscriber can come any more in this generation: then nothing is kept for one.
    private let mayStillSubscribe: @Sendable () -> Bool
    private let logger: Logger

    package init(
        clock: @escaping @Sendable () -> Int64, mayStillSubscribe: @escaping @Sendable () -> Bool = { true },
        logger: Logger
    ) {
        self.clock = clock
        self.mayStillSubscribe = mayStillSubscribe
        self.logger = logger
    }

    /// Whether events are wanted now: by a subscriber, or for the backlog of one still to come.
    private func wanted(_ state: State) -> Bool {
        !state.subscribers.isEmpty
            || (state.backlog.count < Self.backlogLimit && state.backlogBytes < Self.backlogByteLimit && mayStillSubscribe())
    }

    /// Adds a subscriber (replacing the same extension's earlier one on the same API) and starts its delivery.
    package func subscribe(_ subscriber: TelemetrySubscriber) {
        let (replaced, backlog) = state.withLock { state in
            let old = state.subscribers.filter { $0.name == subscriber.name && $0.api == subscriber.api }
            state.subscribers.removeAll { $0.name == subscriber.name && $0.api == subscriber.api }
            state.subscribers.append(subscriber)
            return (old, state.backlog)
        }
        replaced.forEach { $0.stop() }
        for (event, time) in backlog { deliver(event, time: time, to: subscriber) }
        Task { await subscriber.run() }
    }

    /// Hands `event` to every subscriber of its category.
    package func emit(_ event: TelemetryEvent) {
        let time = clock()
        let subscribers = state.withLock { state -> [TelemetrySubscriber] in
            guard wanted(state) else { return [] }
            if state.backlog.count < Self.backlogLimit && state.backlogBytes < Self.backlogByteLimit {
                state.backlog.append((event, time))
                if case .function(let line) = event { state.backlogBytes += line.utf8.count }
            }
            return state.subscribers
        }
        for subscriber in subscribers { deliver(event, time: time, to: subscriber) }
    }

    /// The runtime's output, in the pieces it was read in: each complete line becomes a `function` event.
    package func functionOutput(_ bytes: UnsafeRawBufferPointer) {
        var lines: [String] = []
        state.withLock { state in
            guard wanted(state) else {
                state.partialLine.removeAll()
                return
            }
            for byte in bytes {
                if byte == UInt8(ascii: "\n") {
                    lines.append(String(decoding: state.partialLine, as: UTF8.self))
                    state.partialLine.removeAll(keepingCapacity: true)
                    continue
                }
                state.partialLine.append(byte)
                if state.partialLine.count >= Self.maxLineBytes {
                    lines.append(String(decoding: state.partialLine, as: UTF8.self))
                    state.partialLine.removeAll(keepingCapacity: true)
                }
            }
        }
        for line in lines { emit(.function(line: line)) }
    }

    /// Has every subscriber post what it has queued now, and waits for that (at most `milliseconds`).
    package func flush(withinMilliseconds milliseconds: Int) async {
        let subscribers = state.withLock { $0.subscribers }
        await withTaskGroup(of: Void.self) { group in
            for subscriber in subscribers {
                group.addTask { await subscriber.flush(withinMilliseconds: milliseconds) }
            }
        }
    }

    /// Whether anyone is subscribed.
    package var hasSubscribers: Bool { state.withLock { !$0.subscribers.isEmpty } }

    /// The subscribers, for tests and counters.
    package var subscribers: [TelemetrySubscriber] { state.withLock { $0.subscribers } }

    /// A new generation: stops every subscriber and forgets the backlog.
    package func reset() {
        let old = state.withLock { state in
            let taken = state.subscribers
            state = State()
            return taken
        }
        for subscriber in old {
            let (dropped, delivered) = subscriber.counts
            logger.debug("Telemetry subscriber \(subscriber.name): \(delivered) events delivered, \(dropped) dropped")
            subscriber.stop()
        }
    }

    private func deliver(_ event: TelemetryEvent, time: Int64, to subscriber: TelemetrySubscriber) {
        guard subscriber.categories.contains(event.category),
            let rendered = event.rendered(for: subscriber.api, time: TelemetryEvent.timestamp(epochMilliseconds: time))
        else { return }
        subscriber.push(rendered)
    }
}
