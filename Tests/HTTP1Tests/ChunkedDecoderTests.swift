// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import HTTP1
import Testing

@Suite("ChunkedDecoder")
struct ChunkedDecoderTests {
    static var small: HTTPLimits {
        var limits = HTTPLimits()
        limits.maxChunkLineBytes = 12
        limits.maxTrailerBytes = 20
        return limits
    }

    static let rows: [ChunkedCase] = [
        .init("one chunk", "5\r\nhello\r\n0\r\n\r\n", .body("hello")),
        .init("two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", .body("hello world")),
        .init("empty body", "0\r\n\r\n", .body("")),
        .init("uppercase hex", "A\r\nhelloworld\r\n0\r\n\r\n", .body("helloworld")),
        .init("lowercase hex", "a\r\nhelloworld\r\n0\r\n\r\n", .body("helloworld")),
        .init("leading zeros", "005\r\nhello\r\n000\r\n\r\n", .body("hello")),
        .init("sixteen digits", "0000000000000005\r\nhello\r\n0\r\n\r\n", .body("hello")),
        .init("data holding CRLF", "4\r\n\r\n\r\n\r\n0\r\n\r\n", .body("\r\n\r\n")),
        .init("extension name", "5;a\r\nhello\r\n0\r\n\r\n", .body("hello")),
        .init("extension with token value", "5;ext=value\r\nhello\r\n0\r\n\r\n", .body("hello")),
        .init("extension with quoted value", "5;a=\"x y;\\\"z\"\r\nhello\r\n0\r\n\r\n", .body("hello")),
        .init("several extensions", "5;a;b=1;c=\"2\"\r\nhello\r\n0\r\n\r\n", .body("hello")),
        .init("BWS around ; and =", "5 ; a = 1 ;b\r\nhello\r\n0\r\n\r\n", .body("hello")),
        .init("extension on the last chunk", "5\r\nhello\r\n0;done\r\n\r\n", .body("hello")),
        .init("one trailer", "5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n", .body("hello", trailers: fields(["X-Checksum": "abc"]))),
        .init(
            "trailers keep order and case, OWS trimmed",
            "0\r\nLambda-Runtime-Function-Error-Type: Oops \r\nlambda-runtime-function-error-body:\tYm9keQ==\r\n\r\n",
            .body("", trailers: fields(["Lambda-Runtime-Function-Error-Type": "Oops", "lambda-runtime-function-error-body": "Ym9keQ=="]))
        ),
        .init("bytes after the end are left", "1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1\r\n", .body("x", rest: "GET / HTTP/1.1\r\n")),
        .init("chunk line of exactly the limit", "5;abcdefghij\r\nhello\r\n0\r\n\r\n", .body("hello"), limits: small),
        .init("trailers of exactly the limit", "0\r\nX: 0123456789abc\r\n\r\n", .body("", trailers: fields(["X": "0123456789abc"])), limits: small),
        .init("truncated in data", "5\r\nhel", .unfinished("hel")),
        .init("truncated before the last chunk", "5\r\nhello\r\n", .unfinished("hello")),
        .init("truncated in trailers", "5\r\nhello\r\n0\r\nX: y\r\n", .unfinished("hello")),
        .init("truncated after a size line", "5\r\n", .unfinished("")),
        .init("empty line instead of a size", "\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("leading space", " 5\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("plus sign", "+5\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("negative", "-1\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("underscore", "1_0\r\nhello world!!!!!\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("not hex", "g\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("seventeen digits", "00000000000000005\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("overflow in sixteen digits", "8000000000000000\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("overflow in seventeen digits", "FFFFFFFFFFFFFFFF0\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("trailing space after size", "5 \r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("bare semicolon", "5;\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("missing extension value", "5;a=\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("unterminated quoted value", "5;a=\"x\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("NUL in extension", "5;\u{0}ext\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("NUL in quoted extension", "5;a=\"\u{0}\"\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("bare CR in extension", "5;a\rX\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("bare LF ends size line", "5\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("bare LF ends extension", "5;\nhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("bare CR ends size line", "5\rhello\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("missing CRLF after data", "5\r\nhello0\r\n\r\n", .error(.invalidChunk)),
        .init("data longer than its size", "5\r\nhello!!\r\n0\r\n\r\n", .error(.invalidChunk)),
        .init("bare LF after data", "5\r\nhello\n0\r\n\r\n", .error(.invalidChunk)),
        .init("bare CR after data", "5\r\nhello\r0\r\n\r\n", .error(.invalidChunk)),
        .init("bare LF ends the trailers", "5\r\nhello\r\n0\r\n\n", .error(.invalidChunk)),
        .init("obs-fold in trailers", "0\r\nX: a\r\n b\r\n\r\n", .error(.invalidChunk)),
        .init("trailer without colon", "0\r\nX\r\n\r\n", .error(.invalidChunk)),
        .init("space before colon in trailer", "0\r\nX : a\r\n\r\n", .error(.invalidChunk)),
        .init("NUL in trailer value", "0\r\nX: a\u{0}\r\n\r\n", .error(.invalidChunk)),
        .init("chunk line one byte over", "5;abcdefghijk\r\nhello\r\n0\r\n\r\n", .error(.invalidChunk), limits: small),
        .init("endless extension", "5;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", .error(.invalidChunk), limits: small),
        .init("trailers one byte over", "0\r\nX: 0123456789abcd\r\n\r\n", .error(.invalidChunk), limits: small),
        .init("endless trailer", "0\r\nX: 0123456789012345678901234567890123456789", .error(.invalidChunk), limits: small),
    ]

    @Test("decodes chunked bodies the same way whatever the split", arguments: rows)
    func table(_ row: ChunkedCase) {
        let outcome = decodeEverySplit(row.raw, limits: row.limits)
        switch row.want {
        case .body(let data, let trailers, let rest):
            #expect(outcome.error == nil)
            #expect(outcome.data == Array(data.utf8))
            #expect(outcome.trailers?.fields == trailers)
            #expect(outcome.rest == Array(rest.utf8))
        case .unfinished(let data):
            #expect(outcome.error == nil)
            #expect(outcome.data == Array(data.utf8))
            #expect(outcome.trailers == nil)
        case .error(let kind):
            #expect(outcome.error.map(ErrorKind.init) == kind, "\(outcome)")
            #expect(outcome.error?.status == kind.status)
        }
    }

    @Test("data steps point into the input without copying, and consume their framing")
    func dataSteps() {
        var decoder = ChunkedDecoder()
        let input = [UInt8](wire: "3;x=1\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        input.withUnsafeBytes { bytes in
            #expect(decoder.decode(bytes) == .data(7..<10, consumed: 10))
            let rest = UnsafeRawBufferPointer(rebasing: bytes[10...])
            #expect(decoder.decode(rest) == .data(5..<7, consumed: 7))
            let tail = UnsafeRawBufferPointer(rebasing: rest[7...])
            #expect(decoder.decode(tail) == .end(trailers: HTTPHeaders(), consumed: 7))
        }
    }

    @Test("a chunk larger than the input arrives as several data steps")
    func largeChunk() {
        let payload = (0..<0x1234).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let input = [UInt8](wire: "1234\r\n") + payload + [UInt8](wire: "\r\n0\r\n\r\n")
        let pieces = stride(from: 0, to: input.count, by: 1000).map { input[$0..<min($0 + 1000, input.count)] }
        let outcome = decode(pieces)
        #expect(outcome.error == nil)
        #expect(outcome.data == payload)
        #expect(outcome.trailers == HTTPHeaders())
    }

    @Test("a partial size line is consumed, a partial trailer line is kept")
    func needMore() {
        var decoder = ChunkedDecoder()
        let size = [UInt8](wire: "1;ab")
        #expect(size.withUnsafeBytes { decoder.decode($0) } == .needMore(consumed: 4))
        let more = [UInt8](wire: "c\r\nx\r\n0\r\nX-Y: ")
        #expect(more.withUnsafeBytes { decoder.decode($0) } == .data(3..<4, consumed: 4))
        let trailerStart = Array(more[4...])
        #expect(trailerStart.withUnsafeBytes { decoder.decode($0) } == .needMore(consumed: 5))
        let trailer = [UInt8](wire: "X-Y: z\r\n\r\n")
        #expect(trailer.withUnsafeBytes { decoder.decode($0) } == .end(trailers: ["X-Y": "z"], consumed: 10))
    }
}
