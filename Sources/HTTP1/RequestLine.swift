// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The three parts of a request line (RFC 9112 §3), as byte ranges into the parsed buffer. `parse` checks
/// the structure of a line whose bytes are already known to be visible ASCII or SP: exactly
/// `method SP request-target SP HTTP-version`, a token method, a target in origin, absolute or asterisk
/// (OPTIONS only) form, and `HTTP/1.0` or `HTTP/1.1`; last, a registered method (``HTTPMethod``, else 501).
struct RequestLine {
    var method: Range<Int>
    var target: Range<Int>
    var version: HTTPVersion

    static func parse(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) -> Result<RequestLine, HTTPParseError> {
        var i = line.lowerBound
        while i < line.upperBound, HTTPByte.isToken(bytes[i]) { i &+= 1 }
        let method = line.lowerBound..<i
        guard !method.isEmpty else { return .failure(.malformed("missing method")) }
        guard i < line.upperBound else { return .failure(.malformed("request line without target")) }
        guard bytes[i] == HTTPByte.space else { return .failure(.malformed("invalid byte in method")) }
        i &+= 1

        let targetStart = i
        while i < line.upperBound, bytes[i] != HTTPByte.space { i &+= 1 }
        let target = targetStart..<i
        guard !target.isEmpty else { return .failure(.malformed("more than one space in request line")) }
        // HTTP/0.9 (`GET /`): answered 400, as strict servers and Http11Probe expect.
        guard i < line.upperBound else { return .failure(.malformed("request line without HTTP version")) }
        i &+= 1

        let versionRange = i..<line.upperBound
        guard var version = parseVersion(bytes, versionRange) else {
            return .failure(.malformed("invalid HTTP version"))
        }
        guard version.major == 1 else { return .failure(.unsupportedVersion) }
        // RFC 9112 §2.3: a higher minor version of a major version we implement is processed as the highest
        // minor we implement (HTTP/1.2 as HTTP/1.1), as Go's net/http in AWS's emulator does.
        if version.minor > 1 { version = .http1_1 }
        guard isValidTarget(bytes, target, method: method) else { return .failure(.malformed("invalid request target")) }
        guard HTTPMethod.isRegistered(bytes, method) else { return .failure(.unknownMethod) }
        return .success(RequestLine(method: method, target: target, version: version))
    }

    /// `"HTTP/" DIGIT "." DIGIT`, case-sensitive, nothing around it.
    private static func parseVersion(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> HTTPVersion? {
        guard range.count == 8 else { return nil }
        let s = range.lowerBound
        guard bytes[s] == 0x48, bytes[s &+ 1] == 0x54, bytes[s &+ 2] == 0x54, bytes[s &+ 3] == 0x50,
              bytes[s &+ 4] == 0x2F, bytes[s &+ 6] == 0x2E,
              HTTPByte.isDigit(bytes[s &+ 5]), HTTPByte.isDigit(bytes[s &+ 7])
        else { return nil }
        return HTTPVersion(major: Int(bytes[s &+ 5] &- 0x30), minor: Int(bytes[s &+ 7] &- 0x30))
    }

    /// origin-form (`/…`), absolute-form (`scheme://…`), or `*` with OPTIONS. Authority-form (CONNECT) is
    /// not served.
    private static func isValidTarget(_ bytes: UnsafeRawBufferPointer, _ target: Range<Int>, method: Range<Int>) -> Bool {
        let first = bytes[target.lowerBound]
        if first == 0x2F { return true }
        if first == 0x2A { return target.count == 1 && isExactly(bytes, method, "OPTIONS") }
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://"
        guard isAlpha(first) else { return false }
        var i = target.lowerBound &+ 1
        while i < target.upperBound {
            let b = bytes[i]
            guard isAlpha(b) || HTTPByte.isDigit(b) || b == 0x2B || b == 0x2D || b == 0x2E else { break }
            i &+= 1
        }
        return target.upperBound &- i >= 3 && bytes[i] == HTTPByte.colon && bytes[i &+ 1] == 0x2F && bytes[i &+ 2] == 0x2F
    }

    private static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    private static func isExactly(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        return zip(range, 0..<range.count).allSatisfy { bytes[$0] == text.utf8Start[$1] }
    }
}
