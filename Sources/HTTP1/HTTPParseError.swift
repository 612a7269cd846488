// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Why bytes were rejected. Each case maps to exactly one response status; the connection is always closed.
package enum HTTPParseError: Error, Sendable, Equatable {
    /// Malformed request line, header, CRLF, control byte, obs-fold, whitespace before a colon, bad token... (400)
    case malformed(String)
    /// Both Content-Length and Transfer-Encoding, or differing Content-Length values, or an invalid one. (400)
    case ambiguousFraming(String)
    /// A transfer coding we do not implement before a final `chunked` (`gzip, chunked`). (501)
    case unsupportedTransferEncoding
    /// A method token that is not a registered HTTP method (`MKCOLA`, `get`, RTSP's `ANNOUNCE`), RFC 9110 §9.1. (501)
    case unknownMethod
    /// A bad chunk size, overflow, missing CRLF after chunk data, or a malformed trailer. (400)
    case invalidChunk(String)
    /// The request line is longer than `HTTPLimits.maxRequestLineBytes`. (414)
    case requestLineTooLong
    /// The head is larger than `maxHeadBytes` or has more than `maxHeaderCount` fields. (431)
    case headTooLarge
    /// HTTP/2 preface, HTTP/0.9, HTTP/2.0: any major version but 1 (505). HTTP/1.2 and up are read as HTTP/1.1.
    case unsupportedVersion
    /// The body is larger than the handler allows. (413)
    case bodyTooLarge

    /// The status code this error is answered with.
    package var status: Int {
        switch self {
        case .malformed, .ambiguousFraming, .invalidChunk: 400
        case .unsupportedTransferEncoding, .unknownMethod: 501
        case .requestLineTooLong: 414
        case .headTooLarge: 431
        case .unsupportedVersion: 505
        case .bodyTooLarge: 413
        }
    }
}
