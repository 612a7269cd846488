// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Testing

@testable import SocketServer

@Suite(.timeLimit(.minutes(1)))
struct ResponseWriterHandlerTests {
    @Test("a handler can tell the client's address")
    func peerAddress() async throws {
        let handler = ClosureHandler { _, _, response in
            let peer = response.peerAddress
            let text = "\(peer?.host ?? "none") \(peer.map { $0.port > 0 } ?? false)"
            try await response.respond(status: 200, headers: [:], body: Array(text.utf8))
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n127.0.0.1 true")
        }
    }
}
