// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Testing

@testable import SocketServer

@Suite("HTTPPostClient", .timeLimit(.minutes(1)))
struct HTTPPostClientTests {
    @Test("status lines: complete, incomplete, malformed")
    func statusLines() throws {
        #expect(try HTTPPostClient.statusCode(Array("HTTP/1.1 202 Accepted\r\n".utf8)) == 202)
        #expect(try HTTPPostClient.statusCode(Array("HTTP/1.0 500 x\n".utf8)) == 500)
        #expect(try HTTPPostClient.statusCode(Array("HTTP/1.1 20".utf8)) == nil)
        for bad in ["HTTP/2 200 OK\r\n", "HTTP/1.1 2x0 OK\r\n", "garbage\r\n", "HTTP/1.1\r\n"] {
            #expect(throws: HTTPPostClient.Failure.malformedAnswer) { try HTTPPostClient.statusCode(Array(bad.utf8)) }
        }
    }

    @Test("posts the body with its head and returns the server's status")
    func posts() async throws {
        let seen = Recorder<(String, String?, [UInt8])>()
        let handler = ClosureHandler { head, body, response in
            seen.record((head.target, head.headers["Host"], try await body.collect(upTo: 1 << 16)))
            try await response.respond(status: 201, headers: [:], body: Array("done".utf8))
        }
        try await withServer(handler: handler) { server in
            let address = try SocketAddress(parsing: "127.0.0.1:\(server.port)")
            let status = try await HTTPPostClient.post(
                to: address, hostHeader: "sandbox.localdomain:1", path: "/logs", contentType: "application/json",
                body: Array("[1,2]".utf8), timeoutMilliseconds: 5000)
            #expect(status == 201)
        }
        let (target, host, body) = try #require(seen.values.first)
        #expect(target == "/logs" && host == "sandbox.localdomain:1" && body == Array("[1,2]".utf8))
    }

    @Test("a refused connection and a silent server fail instead of hanging")
    func failures() async throws {
        var port = 0
        try await withServer(handler: ClosureHandler { _, _, _ in }) { port = $0.port }
        let closed = try SocketAddress(parsing: "127.0.0.1:\(port)")
        await #expect(throws: HTTPPostClient.Failure.self) {
            try await HTTPPostClient.post(
                to: closed, hostHeader: "x", path: "/", contentType: "text/plain", body: [], timeoutMilliseconds: 2000)
        }
        let never = Latch()
        try await withServer(handler: ClosureHandler { _, _, _ in await never.wait() }) { server in
            let address = try SocketAddress(parsing: "127.0.0.1:\(server.port)")
            await #expect(throws: HTTPPostClient.Failure.timedOut) {
                try await HTTPPostClient.post(
                    to: address, hostHeader: "x", path: "/", contentType: "text/plain", body: [1], timeoutMilliseconds: 100)
            }
            never.open()
        }
    }
}
