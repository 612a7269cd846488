// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking

/// The execution log of the invokes that asked for it (`X-Amz-Log-Type: Tail`): their `START` line, the runtime's
/// output while the invoke was the runtime's current one, and their `END` and `REPORT` lines, of which only the last
/// 4 KiB are kept, as Lambda returns them. Memory is bounded by 4 KiB per such invoke in flight; invokes that did
/// not ask cost nothing.
///
/// The runtime's output arrives asynchronously (`RuntimeOutputRelay`), so before the current invoke changes
/// (`activate`) and before a log is sealed (`end`), what the runtime has written so far is drained through the
/// attached source: output written before `/next` or `/response` is never attributed to the wrong invoke. What
/// remains uncertain is output written concurrently with those calls (by another thread or a child of the runtime).
package final class LogTail: Sendable {
    /// Real Lambda's `LogResult`: the last 4 KB of the execution log.
    static let limit = 4096

    private struct State {
        var logs: [String: [UInt8]] = [:]
        /// The invoke the runtime is working on now, if it asked for a tail.
        var current: String?
        /// Copies what the runtime has written so far into `append` (the current relay's `drain`).
        var drain: (@Sendable () -> Void)?
        /// Sees all of the runtime's output (the Telemetry API's `function` events).
        var observer: (@Sendable (UnsafeRawBufferPointer) -> Void)?
    }
    private let state = Lock(State())

    package init() {}

    /// Makes `drain` the source to empty before attributions change (a new runtime process replaces the old one).
    func attach(drain: @escaping @Sendable () -> Void) {
        state.withLock { $0.drain = drain }
    }

    /// Starts the log of `requestID` with its `START` line.
    func begin(_ requestID: String, startLine: String) {
        state.withLock { $0.logs[requestID] = Self.trimmed(Array(startLine.utf8)) }
    }

    /// The runtime received `requestID` on `/next`: what it wrote before belongs to the previous invoke, its
    /// output from now on to `requestID` (if it keeps a log).
    func activate(_ requestID: String) {
        drainIfLogging(requestID)
        state.withLock { $0.current = $0.logs[requestID] == nil ? nil : requestID }
    }

    /// Makes `observer` see every piece of the runtime's output, whether or not a log is kept.
    package func observeOutput(_ observer: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        state.withLock { $0.observer = observer }
    }

    /// Runtime output, attributed to the current invoke.
    func append(_ bytes: UnsafeRawBufferPointer) {
        state.withLock { $0.observer }?(bytes)
        state.withLock { state in
            guard let id = state.current, var log = state.logs[id] else { return }
            log.append(contentsOf: bytes)
            state.logs[id] = Self.trimmed(log)
        }
    }

    /// Ends the log of `requestID` with what the runtime has written so far and its `END` and `REPORT` lines, and
    /// returns its last 4 KiB, or nil when the invoke did not ask for a tail.
    func end(_ requestID: String, endLines: String) -> [UInt8]? {
        drainIfLogging(requestID)
        return state.withLock { state in
            guard var log = state.logs.removeValue(forKey: requestID) else { return nil }
            if state.current == requestID { state.current = nil }
            log.append(contentsOf: endLines.utf8)
            return Self.trimmed(log)
        }
    }

    /// Copies what the runtime has written so far to stdout (and to the current log), so that it precedes the
    /// `END` line printed next, as when the runtime wrote to our stdout directly.
    func drainOutput() {
        state.withLock { $0.drain }?()
    }

    /// Drains the source (outside the lock: draining calls `append`) when a log is being kept now or for
    /// `requestID`; otherwise the relay's own loop is soon enough.
    private func drainIfLogging(_ requestID: String) {
        let drain = state.withLock { $0.current != nil || $0.logs[requestID] != nil ? $0.drain : nil }
        drain?()
    }

    private static func trimmed(_ log: [UInt8]) -> [UInt8] {
        log.count > limit ? Array(log.suffix(limit)) : log
    }
}
