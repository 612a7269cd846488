// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import HTTP1
import Testing

@Suite("ResponseSerializer")
struct ResponseSerializerTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("a head is the status line, the fields in order, and an empty line")
    func head() {
        var buffer: [UInt8] = []
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        headers.add("x-dup", "1")
        headers.add("x-dup", "2")
        ResponseSerializer.appendHead(status: 200, headers: headers, to: &buffer)
        #expect(
            text(buffer) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c3fcd\r\nx-dup: 1\r\nx-dup: 2\r\n\r\n"
        )
    }

    @Test("a head appends to what the buffer already holds, and may be HTTP/1.0")
    func appendsAndVersion() {
        var buffer: [UInt8] = Array("x".utf8)
        ResponseSerializer.appendHead(status: 404, headers: ["Content-Length": "0"], version: .http1_0, to: &buffer)
        #expect(text(buffer) == "xHTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("a head without fields")
    func emptyHead() {
        var buffer: [UInt8] = []
        ResponseSerializer.appendHead(status: 100, headers: HTTPHeaders(), to: &buffer)
        #expect(text(buffer) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    static let phrases: [(Int, String)] = [
        (100, "Continue"), (200, "OK"), (202, "Accepted"), (204, "No Content"), (206, "Partial Content"),
        (301, "Moved Permanently"), (302, "Found"), (304, "Not Modified"), (400, "Bad Request"), (403, "Forbidden"),
        (404, "Not Found"), (405, "Method Not Allowed"), (408, "Request Timeout"), (411, "Length Required"),
        (413, "Request Entity Too Large"), (414, "Request URI Too Long"), (415, "Unsupported Media Type"),
        (417, "Expectation Failed"), (426, "Upgrade Required"), (431, "Request Header Fields Too Large"),
        (500, "Internal Server Error"), (501, "Not Implemented"), (502, "Bad Gateway"), (503, "Service Unavailable"),
        (504, "Gateway Timeout"), (505, "HTTP Version Not Supported"), (299, "Unknown"), (999, "Unknown"),
    ]

    @Test("reason phrases, as Go's net/http words them", arguments: phrases)
    func reasonPhrase(_ status: Int, _ phrase: String) {
        #expect(ResponseSerializer.reasonPhrase(status) == phrase)
        var buffer: [UInt8] = []
        ResponseSerializer.appendHead(status: status, headers: HTTPHeaders(), to: &buffer)
        #expect(text(buffer) == "HTTP/1.1 \(status) \(phrase)\r\n\r\n")
    }

    @Test("a value or name from a peer can never split the response")
    func sanitizesFields() {
        var buffer: [UInt8] = []
        var headers = HTTPHeaders()
        headers.add("X-Error", "bad\r\nSet-Cookie: a=b\u{0}\tok")
        headers.add("Bad Name:\r\n", "v")
        ResponseSerializer.appendHead(status: 502, headers: headers, to: &buffer)
        #expect(text(buffer) == "HTTP/1.1 502 Bad Gateway\r\nX-Error: bad  Set-Cookie: a=b \tok\r\nBad_Name___: v\r\n\r\n")
    }

    static let chunkSizes: [(Int, String)] = [(1, "1"), (9, "9"), (10, "a"), (15, "f"), (16, "10"), (255, "ff"), (4096, "1000"), (65535, "ffff")]

    @Test("a chunk is its lowercase hex size, CRLF, the data, CRLF", arguments: chunkSizes)
    func chunk(_ size: Int, _ hex: String) {
        let data = [UInt8](repeating: 0x61, count: size)
        var buffer: [UInt8] = Array("prefix".utf8)
        data.withUnsafeBytes { ResponseSerializer.appendChunk($0, to: &buffer) }
        #expect(buffer == Array("prefix\(hex)\r\n".utf8) + data + Array("\r\n".utf8))
    }

    @Test("an empty chunk writes nothing, since it would end the body")
    func emptyChunk() {
        var buffer: [UInt8] = Array("x".utf8)
        [UInt8]().withUnsafeBytes { ResponseSerializer.appendChunk($0, to: &buffer) }
        #expect(buffer == Array("x".utf8))
    }

    @Test("the last chunk, with and without trailers")
    func lastChunk() {
        var buffer: [UInt8] = []
        ResponseSerializer.appendLastChunk(trailers: HTTPHeaders(), to: &buffer)
        #expect(text(buffer) == "0\r\n\r\n")
        buffer = []
        var trailers = HTTPHeaders()
        trailers.add("Lambda-Runtime-Function-Error-Type", "Runtime.Oops")
        trailers.add("Lambda-Runtime-Function-Error-Body", "eyJ9")
        ResponseSerializer.appendLastChunk(trailers: trailers, to: &buffer)
        #expect(text(buffer) == "0\r\nLambda-Runtime-Function-Error-Type: Runtime.Oops\r\nLambda-Runtime-Function-Error-Body: eyJ9\r\n\r\n")
    }

    @Test("what the serializer frames, the decoder reads back")
    func roundTrip() {
        var buffer: [UInt8] = []
        let pieces = ["hello", " ", String(repeating: "z", count: 5000)]
        for piece in pieces { Array(piece.utf8).withUnsafeBytes { ResponseSerializer.appendChunk($0, to: &buffer) } }
        ResponseSerializer.appendLastChunk(trailers: ["X-T": "1"], to: &buffer)
        let outcome = decode([buffer[...]])
        #expect(outcome.data == Array(pieces.joined().utf8))
        #expect(outcome.trailers == ["X-T": "1"])
        #expect(outcome.rest.isEmpty)
    }
}
