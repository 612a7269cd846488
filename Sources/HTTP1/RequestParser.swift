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

/// A stateless HTTP/1.1 request-head parser (RFC 9112), in the manner of picohttpparser.
/// INTERFACE STUB: replaced by the codec work.
package struct RequestParser: Sendable {
    package var limits: HTTPLimits
    package init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    package func parse(_ bytes: UnsafeRawBufferPointer) -> RequestParseResult {
        fatalError("RequestParser.parse is not implemented yet")
    }
}
