// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The request methods the parser accepts: those of RFC 9110 §9 and the IANA HTTP Method Registry that
/// llhttp (Node's parser) also knows for HTTP/1.x. A syntactically valid token outside this set (`MKCOLA`,
/// lowercase `get`, RTSP's `ANNOUNCE`) is answered 501 (RFC 9110 §9.1: methods are case-sensitive, and an
/// unrecognized one SHOULD get 501), so that no request a strict front-end parser refuses is served here.
/// Owns no state.
enum HTTPMethod {
    /// Longer than any registered method: a method token still running at this many bytes is rejected (400)
    /// before the request line's own limit (414) is reached.
    static let maxLength = 32

    private static let registered: [[UInt8]] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
        "ACL", "BIND", "CHECKOUT", "COPY", "LINK", "LOCK", "M-SEARCH", "MERGE", "MKACTIVITY", "MKCALENDAR",
        "MKCOL", "MOVE", "NOTIFY", "PROPFIND", "PROPPATCH", "PURGE", "QUERY", "REBIND", "REPORT", "SEARCH",
        "SOURCE", "SUBSCRIBE", "UNBIND", "UNLINK", "UNLOCK", "UNSUBSCRIBE",
    ].map { Array($0.utf8) }

    /// Whether `bytes[range]` is exactly one of the registered methods (case-sensitive).
    static func isRegistered(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        registered.contains { method in
            method.count == range.count && zip(method, range).allSatisfy { $0 == bytes[$1] }
        }
    }
}
