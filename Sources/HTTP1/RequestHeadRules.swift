// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The message-level rules of RFC 9112 for a request head: it watches the fields that decide framing
/// (`Content-Length`, `Transfer-Encoding`), `Host`, `Connection` and `Expect` as the parser meets them,
/// working on raw byte ranges so no String is built for them, and then decides the body framing,
/// keep-alive and expect-continue, or the error. It never accepts a head whose body length two HTTP
/// implementations could disagree on (request smuggling).
struct RequestHeadRules {
    /// The decisions for a valid head.
    struct Outcome: Equatable {
        var framing: BodyFraming
        var keepAlive: Bool
        var expectsContinue: Bool
    }

    private var contentLength: Int?
    private var contentLengthError: String?
    private var transferEncodingSeen = false
    /// Transfer codings across every `Transfer-Encoding` field.
    private var codingCount = 0
    private var chunkedCount = 0
    private var lastCodingIsChunked = false
    private var emptyCoding = false
    private var hostCount = 0
    private var host: Range<Int> = 0..<0
    private var connectionClose = false
    private var connectionKeepAlive = false
    private var expect100 = false

    /// Records one field; `value` is trimmed of OWS.
    mutating func note(name: Range<Int>, value: Range<Int>, in bytes: UnsafeRawBufferPointer) {
        switch name.count {
        case 4 where bytes.equalsIgnoringCase(name, "host"):
            hostCount &+= 1
            host = value
        case 6 where bytes.equalsIgnoringCase(name, "expect"):
            if bytes.equalsIgnoringCase(value, "100-continue") { expect100 = true }
        case 10 where bytes.equalsIgnoringCase(name, "connection"):
            bytes.forEachListElement(value) { option in
                if bytes.equalsIgnoringCase(option, "close") { connectionClose = true }
                if bytes.equalsIgnoringCase(option, "keep-alive") { connectionKeepAlive = true }
            }
        case 14 where bytes.equalsIgnoringCase(name, "content-length"):
            noteContentLength(value, in: bytes)
        case 17 where bytes.equalsIgnoringCase(name, "transfer-encoding"):
            transferEncodingSeen = true
            bytes.forEachListElement(value) { coding in
                codingCount &+= 1
                if coding.isEmpty { emptyCoding = true }
                lastCodingIsChunked = bytes.equalsIgnoringCase(coding, "chunked")
                if lastCodingIsChunked { chunkedCount &+= 1 }
            }
        default:
            break
        }
    }

    /// `Content-Length = 1*DIGIT`, in exactly one field. A list or a repeated field is rejected even when
    /// its values agree (RFC 9110 §8.6 allows either): AWS's http-desync-guardian rates `1000,1000`
    /// severe and a repeated field ambiguous, and no real client sends either.
    private mutating func noteContentLength(_ value: Range<Int>, in bytes: UnsafeRawBufferPointer) {
        guard contentLengthError == nil else { return }
        if contentLength != nil {
            contentLengthError = "more than one Content-Length field"
        } else if let length = Self.decimal(value, in: bytes) {
            contentLength = length
        } else {
            contentLengthError = "invalid Content-Length"
        }
    }

    /// 1*DIGIT as an Int, or nil if empty, not all digits, or past `Int.max`.
    private static func decimal(_ range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard !range.isEmpty else { return nil }
        var value = 0
        for index in range {
            let b = bytes[index]
            guard HTTPByte.isDigit(b) else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int(b &- 0x30))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// The decisions for a head of `version` whose fields were all noted, or the first rule it breaks.
    func resolve(version: HTTPVersion, in bytes: UnsafeRawBufferPointer) -> Result<Outcome, HTTPParseError> {
        if hostCount > 1 { return .failure(.malformed("more than one Host field")) }
        if hostCount == 0 && version == .http1_1 { return .failure(.malformed("HTTP/1.1 request without Host")) }
        if hostCount == 1 && !Self.isValidHost(host, in: bytes) { return .failure(.malformed("invalid Host")) }

        let framing: BodyFraming
        if transferEncodingSeen {
            if version == .http1_0 { return .failure(.ambiguousFraming("Transfer-Encoding in an HTTP/1.0 request")) }
            if contentLength != nil || contentLengthError != nil {
                return .failure(.ambiguousFraming("both Content-Length and Transfer-Encoding"))
            }
            if emptyCoding { return .failure(.malformed("empty Transfer-Encoding element")) }
            // RFC 9112 §6.3: chunked not final means the length cannot be determined: 400, then close.
            guard lastCodingIsChunked else { return .failure(.ambiguousFraming("chunked is not the final coding")) }
            // RFC 9112 §7.1: a sender MUST NOT apply chunked more than once.
            guard chunkedCount == 1 else { return .failure(.malformed("chunked applied more than once")) }
            // RFC 9112 §6.1: a coding we do not understand (`gzip, chunked`) SHOULD get 501.
            guard codingCount == 1 else { return .failure(.unsupportedTransferEncoding) }
            framing = .chunked
        } else if let contentLengthError {
            return .failure(.ambiguousFraming(contentLengthError))
        } else if let contentLength, contentLength > 0 {
            framing = .contentLength(contentLength)
        } else {
            framing = .none
        }

        let keepAlive = version == .http1_1 ? !connectionClose : connectionKeepAlive && !connectionClose
        return .success(Outcome(framing: framing, keepAlive: keepAlive, expectsContinue: version == .http1_1 && expect100))
    }

    /// `uri-host [":" port]`, non-empty: no userinfo, path, list or whitespace.
    private static func isValidHost(_ range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Bool {
        guard !range.isEmpty else { return false }
        for index in range where !HTTPByte.isHostByte(bytes[index]) { return false }
        return true
    }
}
