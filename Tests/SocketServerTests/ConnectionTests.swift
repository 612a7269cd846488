// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Reactor
import Testing

@testable import SocketServer

/// The keep-alive loop's deadlines: they cut slow and idle clients, never a handler or its body reads.
@Suite(.timeLimit(.minutes(1)))
struct ConnectionTests {
    static func configuration(headRead: Int, idle: Int) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.headReadTimeoutMilliseconds = headRead
        configuration.idleTimeoutMilliseconds = idle
        return configuration
    }

    static let ok = ClosureHandler { head, _, response in
        try await response.respond(status: 200, headers: [:], body: Array(head.target.utf8))
    }

    @Test("the head-read timeout closes a client that sends a head too slowly, however it trickles")
    func headReadTimeout() async throws {
        try await withServer(Self.configuration(headRead: 200, idle: 60_000), handler: Self.ok) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            let start = MonotonicInstant.now
            var closed = false
            // A slowloris: one byte of a never-ending head every 50 ms, each wait watching for the close.
            for byte in Array("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + [UInt8](repeating: 0x61, count: 100) {
                try? await client.send([byte])
                if try await client.closesWithoutData(timeoutMilliseconds: 50) {
                    closed = true
                    break
                }
            }
            let elapsed = MonotonicInstant.now.milliseconds(since: start)
            #expect(closed)
            #expect(elapsed >= 150 && elapsed < 3_000)
        }
    }

    @Test("a new connection that sends nothing is closed after the head-read timeout")
    func silentConnection() async throws {
        try await withServer(Self.configuration(headRead: 200, idle: 60_000), handler: Self.ok) { server in
            let start = MonotonicInstant.now
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            #expect(try await client.closesWithoutData(timeoutMilliseconds: 5_000))
            let elapsed = MonotonicInstant.now.milliseconds(since: start)
            #expect(elapsed >= 150 && elapsed < 3_000)
        }
    }

    @Test("the idle timeout closes a keep-alive connection that sends no further request")
    func idleTimeout() async throws {
        try await withServer(Self.configuration(headRead: 60_000, idle: 200), handler: Self.ok) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            // Timed from before the request: the idle deadline starts when the server has answered, which a
            // client scheduled late (under a sanitizer) may see well after.
            let start = MonotonicInstant.now
            try await client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/a")
            #expect(try await client.closesWithoutData(timeoutMilliseconds: 5_000))
            let elapsed = MonotonicInstant.now.milliseconds(since: start)
            #expect(elapsed >= 150 && elapsed < 3_000)
        }
    }

    @Test("a handler parked for longer than both timeouts is not cut off")
    func parkedHandler() async throws {
        let handler = ClosureHandler { head, _, response in
            if head.path == "/slow" { try await Task.sleep(for: .milliseconds(800)) }
            try await response.respond(status: 200, headers: [:], body: Array(head.target.utf8))
        }
        try await withServer(Self.configuration(headRead: 200, idle: 200), handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n/slow")
            try await client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n/next")
        }
    }

    @Test("a body read inside the handler waits for a slow client without a deadline")
    func slowBody() async throws {
        let handler = ClosureHandler { _, body, response in
            try await response.respond(status: 200, headers: [:], body: try await body.collect(upTo: 100))
        }
        try await withServer(Self.configuration(headRead: 200, idle: 200), handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
            try await Task.sleep(for: .milliseconds(600))  // the simulated slow peer
            try await client.send("world")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhelloworld")
        }
    }

    @Test("a request line past its limit, sent in pieces and with no line feed, gets 414")
    func trickledRequestLineTooLong() async throws {
        var configuration = ServerConfiguration()
        configuration.limits.maxRequestLineBytes = 100
        try await withServer(configuration, handler: Self.ok) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            // No line feed ever arrives, so the verdict can only come from the request-line limit. (Whether the
            // server sees one read or several depends on timing; either way the answer must be 414.)
            try await client.send("GET /")
            for _ in 0..<4 { try await client.send(String(repeating: "a", count: 30)) }
            let answer = try await client.readToEnd()
            #expect(answer.hasPrefix("HTTP/1.1 414 "))
            #expect(answer.contains("Connection: close\r\n"))
        }
    }

    @Test("a head trickled byte by byte completes and is served")
    func trickledHeadIsServed() async throws {
        try await withServer(handler: Self.ok) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            for byte in Array("GET /slow HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\r\n".utf8) { try await client.send([byte]) }
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n/slow")
        }
    }
}
