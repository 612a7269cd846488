// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The HTTP version of a message. Only 1.0 and 1.1 are accepted by the parser.
package struct HTTPVersion: Sendable, Equatable, Hashable {
    package var major: Int
    package var minor: Int
    package init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }
    package static let http1_0 = HTTPVersion(major: 1, minor: 0)
    package static let http1_1 = HTTPVersion(major: 1, minor: 1)
}

/// How the body of a request is delimited, decided once by the parser from the validated headers.
package enum BodyFraming: Sendable, Equatable {
    /// No body (no `Content-Length`, no `Transfer-Encoding`, or `Content-Length: 0`).
    case none
    case contentLength(Int)
    case chunked
}

/// A parsed, validated request head. A value of this type never describes a malformed request.
package struct RequestHead: Sendable, Equatable {
    /// The method token, exactly as sent (case-sensitive, e.g. `GET`).
    package var method: String
    /// The request target as sent, e.g. `/2018-06-01/runtime/invocation/next?x=1`.
    package var target: String
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    /// How the body is delimited.
    package var framing: BodyFraming
    /// Whether the connection may serve another request after this one (version default and `Connection`).
    package var keepAlive: Bool
    /// `Expect: 100-continue` was sent (HTTP/1.1 only).
    package var expectsContinue: Bool

    package init(
        method: String, target: String, version: HTTPVersion, headers: HTTPHeaders,
        framing: BodyFraming, keepAlive: Bool, expectsContinue: Bool
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.framing = framing
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }

    /// The target's path, without the query.
    package var path: Substring {
        queryMark.map { target[..<$0] } ?? target[...]
    }

    /// The target's query, without the `?`, if any.
    package var query: Substring? {
        queryMark.map { target[target.utf8.index(after: $0)...] }
    }

    /// Where the `?` is: found in the UTF-8 view, which is far cheaper than walking `Character`s.
    private var queryMark: String.Index? {
        target.utf8.firstIndex(of: UInt8(ascii: "?"))
    }
}

/// Size limits the parser and the chunked decoder enforce.
package struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, in bytes, without the CRLF (414 past it).
    package var maxRequestLineBytes = 8 * 1024
    /// Longest head, request line and headers and CRLFs together (431 past it).
    package var maxHeadBytes = 64 * 1024
    /// Most header fields (431 past it).
    package var maxHeaderCount = 100
    /// Longest chunk-size line including extensions, and longest trailer section.
    package var maxChunkLineBytes = 4 * 1024
    package var maxTrailerBytes = 16 * 1024
    package init() {}
}
