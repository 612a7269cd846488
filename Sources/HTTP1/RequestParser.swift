// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// What ``RequestParser/parse(_:)`` found at the start of a buffer.
package enum RequestParseResult: Sendable, Equatable {
    /// A whole, valid head; `consumed` bytes (head and its final CRLF CRLF) belong to it.
    case complete(RequestHead, consumed: Int)
    /// More bytes are needed; nothing is consumed. Limits are already enforced on what was seen.
    case incomplete
    /// The bytes can never become a valid head.
    case invalid(HTTPParseError)
}

/// A stateless HTTP/1.1 request-head parser (RFC 9112), in the manner of picohttpparser: give it the bytes
/// received so far, from the start of the message; it reads them once, front to back, and builds Strings
/// only for the method, target and fields of a complete head.
///
/// Guarantees: bytes are checked in order and the first problem wins, so a prefix of any input parses as
/// `.incomplete` or as the very error the whole input gives, and a complete head is never reported before
/// its final CRLF. While the head is still arriving, the method is bounded by `HTTPMethod.maxLength` (400),
/// the request line by `maxRequestLineBytes` (414) and the head by `maxHeadBytes` and `maxHeaderCount` (431).
/// Strict on the wire: CRLF only, no obs-fold, no control bytes, single spaces in the request line, HTTP/1.0
/// and HTTP/1.1 only.
package struct RequestParser: Sendable {
    package var limits: HTTPLimits
    package init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    /// Empty lines (CRLF) ignored before the request line (RFC 9112 §2.2).
    static let maxLeadingEmptyLines = 4

    package func parse(_ bytes: UnsafeRawBufferPointer) -> RequestParseResult {
        // The head must end at or before `maxHeadBytes`; nothing past it is ever looked at.
        let end = min(bytes.count, max(limits.maxHeadBytes, 0))
        let outOfBytes: RequestParseResult = bytes.count >= limits.maxHeadBytes ? .invalid(.headTooLarge) : .incomplete

        var lineStart = 0
        var emptyLines = 0
        while emptyLines < Self.maxLeadingEmptyLines, lineStart < end, bytes[lineStart] == HTTPByte.cr {
            guard lineStart &+ 1 < end else { return outOfBytes }
            guard bytes[lineStart &+ 1] == HTTPByte.lf else { return .invalid(.malformed("bare CR")) }
            lineStart &+= 2
            emptyLines &+= 1
        }

        // Find the request line's CR, checking every byte on the way; it must come at or before
        // `lineLimit` (computed without overflow, whatever the limit).
        let lineBytes = max(limits.maxRequestLineBytes, 0)
        let lineLimit = lineBytes >= end &- lineStart ? end : lineStart &+ lineBytes
        let lineScanEnd = min(end, lineLimit &+ 1)
        var cr = lineStart
        var inMethod = true
        while cr < lineScanEnd {
            let b = bytes[cr]
            if b == HTTPByte.cr { break }
            guard HTTPByte.isTargetByte(b) || b == HTTPByte.space else {
                return .invalid(.malformed(b == HTTPByte.lf ? "bare LF" : "invalid byte in request line"))
            }
            if b == HTTPByte.space {
                inMethod = false
            } else if inMethod && cr &- lineStart >= HTTPMethod.maxLength {
                return .invalid(.malformed("method too long"))
            }
            cr &+= 1
        }
        if cr == lineScanEnd { return cr > lineLimit ? .invalid(.requestLineTooLong) : outOfBytes }
        guard cr &+ 1 < end else { return outOfBytes }
        guard bytes[cr &+ 1] == HTTPByte.lf else { return .invalid(.malformed("bare CR")) }

        let line: RequestLine
        switch RequestLine.parse(bytes, lineStart..<cr) {
        case .success(let parsed): line = parsed
        case .failure(let error): return .invalid(error)
        }

        var rules = RequestHeadRules()
        var fields: [HTTPField] = []
        fields.reserveCapacity(16)
        var position = cr &+ 2
        while true {
            if fields.count >= limits.maxHeaderCount, position < end, bytes[position] != HTTPByte.cr {
                return .invalid(.headTooLarge)
            }
            switch FieldLineScanner.scan(bytes, from: position, end: end) {
            case .field(let name, let value, let next):
                rules.note(name: name, value: value, in: bytes)
                fields.append(HTTPField(name: bytes.string(name), value: bytes.string(value)))
                position = next
            case .endOfSection(let next):
                switch rules.resolve(version: line.version, in: bytes) {
                case .failure(let error):
                    return .invalid(error)
                case .success(let outcome):
                    let head = RequestHead(
                        method: bytes.string(line.method), target: bytes.string(line.target), version: line.version,
                        headers: HTTPHeaders(fields), framing: outcome.framing, keepAlive: outcome.keepAlive,
                        expectsContinue: outcome.expectsContinue
                    )
                    return .complete(head, consumed: next)
                }
            case .incomplete:
                return outOfBytes
            case .invalid(let reason):
                return .invalid(.malformed(reason))
            }
        }
    }
}
