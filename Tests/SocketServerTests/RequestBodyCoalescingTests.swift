// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Testing

@testable import SocketServer

/// `RequestBody.readCoalesced()`: what one receive brought, as one piece, across the sender's chunk boundaries,
/// never more than `bodyPieceBytes`, every byte once and in order, framing errors after the delivered bytes.
@Suite(.timeLimit(.minutes(1)))
struct RequestBodyCoalescingTests {
    /// Answers with the pieces `readCoalesced()` returned: their sizes, the bytes, the trailers, and the error
    /// that ended the reading, if any.
    static let echo = ClosureHandler { _, body, response in
        var sizes: [Int] = []
        var bytes: [UInt8] = []
        var failure = "none"
        do {
            while let piece = try await body.readCoalesced() {
                sizes.append(piece.count)
                bytes.append(contentsOf: piece)
            }
        } catch let error as HTTPParseError {
            failure = "\(error)"
        }
        let trailers = body.trailers.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        let text =
            "sizes=\(sizes) trailers=[\(trailers)] failure=\(failure.prefix(12)) body=\(String(decoding: bytes, as: UTF8.self))"
        try await response.respond(status: 200, headers: [:], body: Array(text.utf8))
    }

    static func chunked(_ chunks: [String], trailers: String = "") -> String {
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunks.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined() + "0\r\n" + trailers + "\r\n"
    }

    static func body(of answer: String) -> Substring {
        answer[answer.firstRange(of: "body=")!.upperBound...]
    }

    @Test("small chunks that arrive in one receive come out as one piece, trailers intact")
    func mergesOneReceive() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            // One small send: head and the whole body arrive in one segment, hence in one receive.
            try await client.send(Self.chunked(["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"], trailers: "X-T: 1\r\n"))
            let answer = try await client.readResponse()
            #expect(answer.contains("sizes=[27] trailers=[X-T=1] failure=none "))
            #expect(Self.body(of: answer) == "data: 1\n\ndata: 2\n\ndata: 3\n\n")
        }
    }

    @Test("merged pieces never exceed bodyPieceBytes, and every byte arrives once, in order")
    func cappedAtPieceBytes() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            let chunks = (0..<12).map { String(repeating: Character(String(UnicodeScalar(UInt8(97 + $0)))), count: 1_500) }
            try await client.send(Self.chunked(chunks))
            let answer = try await client.readResponse()
            let sizes = answer[answer.firstRange(of: "sizes=[")!.upperBound...].prefix { $0 != "]" }
                .split(separator: ", ").map { Int($0)! }
            #expect(sizes.allSatisfy { $0 <= 4_096 })
            #expect(sizes.reduce(0, +) == 18_000)
            #expect(sizes.count < chunks.count)  // at least two chunks shared a piece
            #expect(Self.body(of: answer) == chunks.joined()[...])
        }
    }

    @Test("the same body split at every point gives the same bytes and trailers")
    func everySplitPoint() async throws {
        let request = Self.chunked(["hello", " ", "world", "!"], trailers: "X-A: b\r\n")
        let bytes = Array(request.utf8)
        try await withServer(handler: Self.echo) { server in
            for split in 1..<bytes.count {
                let client = try await TestClient(port: server.port)
                defer { client.close() }
                try await client.send(Array(bytes[..<split]))
                try await client.send(Array(bytes[split...]))
                let answer = try await client.readResponse()
                #expect(answer.contains("trailers=[X-A=b] failure=none "), "split at \(split)")
                #expect(Self.body(of: answer) == "hello world!", "split at \(split)")
            }
        }
    }

    @Test("malformed framing after good chunks in the same receive: the good bytes first, then the error")
    func goodBytesBeforeTheError() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1\r\n!\r\nzz\r\nmore\r\n0\r\n\r\n")
            let answer = try await client.readResponse()
            #expect(answer.contains("sizes=[6] trailers=[] failure=invalidChunk body=hello!"))
        }
    }

    @Test("a Content-Length body comes out whole per receive, capped at bodyPieceBytes")
    func contentLength() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            let body = String(repeating: "q", count: 10_000)
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n" + body)
            let answer = try await client.readResponse()
            #expect(!answer.contains("sizes=[]"))
            #expect(Self.body(of: answer) == body[...])
            let sizes = answer[answer.firstRange(of: "sizes=[")!.upperBound...].prefix { $0 != "]" }
                .split(separator: ", ").map { Int($0)! }
            #expect(sizes.allSatisfy { $0 <= 4_096 } && sizes.reduce(0, +) == 10_000)
        }
    }
}
