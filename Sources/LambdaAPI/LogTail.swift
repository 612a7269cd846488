// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Synchronization

/// The execution log of the invokes that asked for it (`X-Amz-Log-Type: Tail`): their `START` line, the runtime's
/// output while the invoke was the runtime's current one, and their `END` and `REPORT` lines, of which only the last
/// 4 KiB are kept, as Lambda returns them. Memory is bounded by 4 KiB per such invoke in flight; invokes that did
/// not ask cost nothing.
package final class LogTail: Sendable {
    /// Real Lambda's `LogResult`: the last 4 KB of the execution log.
    static let limit = 4096

    private struct State {
        var logs: [String: [UInt8]] = [:]
        /// The invoke the runtime is working on now, if it asked for a tail.
        var current: String?
    }
    private let state = Mutex(State())

    package init() {}

    /// Starts the log of `requestID` with its `START` line.
    func begin(_ requestID: String, startLine: String) {
        state.withLock { $0.logs[requestID] = Self.trimmed(Array(startLine.utf8)) }
    }

    /// The runtime received `requestID` on `/next`: its output now belongs to that invoke (if it keeps a log).
    func activate(_ requestID: String) {
        state.withLock { $0.current = $0.logs[requestID] == nil ? nil : requestID }
    }

    /// Runtime output, attributed to the current invoke.
    func append(_ bytes: UnsafeRawBufferPointer) {
        state.withLock { state in
            guard let id = state.current, var log = state.logs[id] else { return }
            log.append(contentsOf: bytes)
            state.logs[id] = Self.trimmed(log)
        }
    }

    /// Ends the log of `requestID` with its `END` and `REPORT` lines and returns its last 4 KiB, or nil when the
    /// invoke did not ask for a tail.
    func end(_ requestID: String, endLines: String) -> [UInt8]? {
        state.withLock { state in
            guard var log = state.logs.removeValue(forKey: requestID) else { return nil }
            if state.current == requestID { state.current = nil }
            log.append(contentsOf: endLines.utf8)
            return Self.trimmed(log)
        }
    }

    private static func trimmed(_ log: [UInt8]) -> [UInt8] {
        log.count > limit ? Array(log.suffix(limit)) : log
    }
}
