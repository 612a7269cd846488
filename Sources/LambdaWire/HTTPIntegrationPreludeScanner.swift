// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Splits a streamed http-integration response into its prelude and its body, piece by piece, however
/// the runtime cut it: Swift sends JSON and the eight NULs in one chunk, Node in two, and the transport
/// may split anywhere, even inside the run of NULs.
///
/// Contract, for every way of cutting the same bytes into pieces:
/// - exactly one `.prelude` or `.invalidPrelude` event comes first, and no `.body` before it;
/// - the `.body` events concatenated are the same bytes: everything after the first run of eight 0x00
///   (JSON never contains a raw NUL, so that run ends the prelude), or, when the scanner gives up,
///   every byte of the stream;
/// - `.body` events are never empty, and a piece after the prelude passes through without a copy.
///
/// It buffers at most `limit` bytes plus one piece. No separator within the first `limit` bytes (API
/// Gateway's documented 16 KiB) gives `.invalidPrelude(.tooLarge)` then all the bytes as body; a stream
/// that ends before a separator gives `.invalidPrelude(.unterminated)` then its bytes, or, if it sent
/// nothing at all, the default prelude (200, as Node's `HttpResponseStream.from(...).end()` implies).
package struct HTTPIntegrationPreludeScanner: Sendable {
    package enum Event: Sendable, Equatable {
        case prelude(HTTPIntegrationPrelude)
        case invalidPrelude(HTTPIntegrationPreludeError)
        case body([UInt8])
    }

    /// API Gateway: "the metadata and delimiter must be within the first 16 KB of the stream".
    package static let defaultLimit = 16 * 1024
    static let separatorLength = 8

    package let limit: Int
    private var buffer: [UInt8] = []
    private var zeroRun = 0
    private var scanning = true
    private var finished = false

    package init(limit: Int = defaultLimit) {
        self.limit = max(limit, Self.separatorLength)
    }

    /// Whether the prelude is still being looked for.
    package var isScanning: Bool { scanning }

    /// The events for the next piece of the stream.
    package mutating func feed(_ piece: [UInt8]) -> [Event] {
        guard !finished else { return [] }
        guard scanning else { return piece.isEmpty ? [] : [.body(piece)] }
        let scanFrom = buffer.count
        buffer.append(contentsOf: piece)
        let scanTo = min(buffer.count, limit)
        var i = scanFrom
        while i < scanTo {
            if buffer[i] == 0 {
                zeroRun &+= 1
                if zeroRun == Self.separatorLength { return split(separatorEnd: i &+ 1) }
            } else {
                zeroRun = 0
            }
            i &+= 1
        }
        if buffer.count >= limit { return giveUp(.tooLarge(limit: limit)) }
        return []
    }

    /// The events at the end of the stream (none once the prelude was decided).
    package mutating func finish() -> [Event] {
        guard !finished else { return [] }
        defer { finished = true }
        guard scanning else { return [] }
        if buffer.isEmpty {
            scanning = false
            return [.prelude(HTTPIntegrationPrelude())]
        }
        return giveUp(.unterminated)
    }

    private mutating func split(separatorEnd: Int) -> [Event] {
        scanning = false
        let json = buffer[..<(separatorEnd &- Self.separatorLength)]
        var events: [Event]
        do throws(HTTPIntegrationPreludeError) {
            events = [.prelude(try HTTPIntegrationPrelude(json: json))]
        } catch {
            events = [.invalidPrelude(error)]
        }
        if separatorEnd < buffer.count { events.append(.body(Array(buffer[separatorEnd...]))) }
        buffer = []
        return events
    }

    private mutating func giveUp(_ error: HTTPIntegrationPreludeError) -> [Event] {
        scanning = false
        let body = buffer
        buffer = []
        return body.isEmpty ? [.invalidPrelude(error)] : [.invalidPrelude(error), .body(body)]
    }
}
