// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Testing

@testable import SocketServer

/// `RequestBody.collect(upTo:)` for a `Content-Length` body: received straight into the result, however the bytes
/// were split on the wire, with `100 Continue` and the next request on the connection (a vanished peer: in
/// `RequestBodyTests.disconnectMidBody`).
@Suite(.timeLimit(.minutes(1)))
struct RequestBodyCollectTests {
    /// Answers with the collected body itself (and the declared length it saw before reading).
    static let collector = ClosureHandler { _, body, response in
        let declared = body.declaredLength.map(String.init) ?? "nil"
        let bytes = try await body.collect(upTo: 8 << 20)
        try await response.respond(status: 200, headers: ["X-Declared": declared], body: bytes)
    }

    static func expected(_ body: String) -> String {
        "HTTP/1.1 200 OK\r\nX-Declared: \(body.utf8.count)\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    static func request(_ body: String) -> [UInt8] {
        Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
    }

    @Test("a body split at every point between head and end arrives whole and exact")
    func everySplitPoint() async throws {
        let body = "the quick brown fox jumps over the lazy dog"
        let bytes = Self.request(body)
        try await withServer(handler: Self.collector) { server in
            for split in 1..<bytes.count {
                let client = try await TestClient(port: server.port)
                defer { client.close() }
                try await client.send(Array(bytes[..<split]))
                try await client.send(Array(bytes[split...]))
                #expect(try await client.readResponse() == Self.expected(body), "split at \(split)")
            }
        }
    }

    @Test("a 2 MiB body, far larger than the input buffer, arrives exact; the next request on the connection works")
    func largeBodyThenNextRequest() async throws {
        let body = String(repeating: "0123456789abcdefghijklmnopqrstu\n", count: 65_536)  // built by copying, cheap
        try await withServer(handler: Self.collector) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send(Self.request(body) + Self.request("next"))
            #expect(try await client.readResponse(timeoutMilliseconds: 20_000) == Self.expected(body))
            #expect(try await client.readResponse() == Self.expected("next"))
        }
    }

    @Test("Expect: 100-continue is answered before collecting")
    func expectContinue() async throws {
        try await withServer(handler: Self.collector) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            #expect(try await client.read(until: "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
            try await client.send("hello")
            #expect(try await client.readResponse() == Self.expected("hello"))
        }
    }

    @Test("over the limit by its Content-Length: bodyTooLarge before anything is read, answered 413")
    func declaredTooLarge() async throws {
        let handler = ClosureHandler { _, body, response in
            _ = try await body.collect(upTo: 10)
            try await response.respond(status: 200, headers: [:], body: [])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world")
            #expect(try await client.readToEnd().hasPrefix("HTTP/1.1 413 "))
        }
    }
}
