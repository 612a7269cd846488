// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import HTTP1
import Reactor
import Testing

@testable import SocketServer

/// The server end to end over loopback: literal request bytes in, literal response bytes out.
@Suite(.timeLimit(.minutes(1)))
struct HTTPServerTests {
    static let hello = ClosureHandler { head, _, response in
        try await response.respond(status: 200, headers: ["Content-Type": "text/plain"], body: Array("hello \(head.target)".utf8))
    }

    @Test("a simple GET is answered with exactly the expected bytes")
    func simpleGet() async throws {
        try await withServer(handler: Self.hello) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(
                try await client.readResponse()
                    == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nhello /a")
        }
    }

    @Test("pipelined requests sent in one packet are answered in order on one connection")
    func pipelining() async throws {
        try await withServer(handler: Self.hello) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n")
            for i in 1...3 {
                #expect(try await client.readResponse().hasSuffix("\r\n\r\nhello /\(i)"))
            }
        }
    }

    @Test("keep-alive serves many requests on one connection")
    func keepAlive() async throws {
        try await withServer(handler: Self.hello) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            for i in 0..<20 {
                try await client.send("GET /\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.readResponse().hasSuffix("hello /\(i)"))
            }
            #expect(server.openConnections == 1)
        }
    }

    @Test("HTTP/1.0 without keep-alive gets Connection: close and the connection closes")
    func http10Close() async throws {
        try await withServer(handler: Self.hello) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET /a HTTP/1.0\r\n\r\n")
            #expect(
                try await client.readToEnd()
                    == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhello /a")
        }
    }

    @Test("an HTTP/1.1 request with Connection: close gets Connection: close and the connection closes")
    func http11Close() async throws {
        try await withServer(handler: Self.hello) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(
                try await client.readToEnd()
                    == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhello /a")
        }
    }

    @Test("HTTP/1.0 with keep-alive gets Connection: keep-alive and a second request is served")
    func http10KeepAlive() async throws {
        try await withServer(handler: Self.hello) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            for path in ["/a", "/b"] {
                try await client.send("GET \(path) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                #expect(
                    try await client.readResponse()
                        == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\nConnection: keep-alive\r\n\r\nhello \(path)")
            }
        }
    }

    @Test("HTTP/1.0 gets a streamed body raw, without chunking, and the connection closes after it")
    func http10Streamed() async throws {
        let handler = ClosureHandler { _, _, response in
            response.writeHead(status: 200, headers: ["Content-Type": "text/plain"])
            try await response.write(Array("one ".utf8))
            try await response.write(Array("two".utf8))
            try await response.finish()
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(
                try await client.readToEnd()
                    == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\none two")
        }
    }

    @Test("a HEAD request gets the head without a body, and the connection stays usable")
    func head() async throws {
        let handler = ClosureHandler { head, _, response in
            if head.path == "/stream" {
                response.writeHead(status: 200, headers: ["Content-Type": "text/plain"])
                try await response.write(Array("not sent".utf8))
                try await response.finish(trailers: ["X-T": "1"])
            } else {
                try await response.respond(status: 200, headers: ["Content-Type": "text/plain"], body: Array("hello".utf8))
            }
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("HEAD /fixed HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.read(until: "\r\n\r\n") == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n")
            try await client.send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.read(until: "\r\n\r\n") == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            try await client.send("GET /fixed HTTP/1.1\r\nHost: x\r\n\r\n")
            // Had a HEAD body leaked, this would read it instead of the next status line.
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
        }
    }

    @Test("a malformed request gets 400 with Connection: close, never reaches the handler, and a new connection works")
    func malformed() async throws {
        let calls = Counter()
        let handler = ClosureHandler { _, _, response in
            calls.increment()
            try await response.respond(status: 200, headers: [:], body: [])
        }
        try await withServer(handler: handler) { server in
            let bad = try await TestClient(port: server.port)
            defer { bad.close() }
            try await bad.send("GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
            #expect(
                try await bad.readToEnd()
                    == "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 16\r\nConnection: close\r\n\r\n400 Bad Request\n")
            #expect(calls.value == 0)
            let good = try await TestClient(port: server.port)
            defer { good.close() }
            try await good.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await good.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            #expect(calls.value == 1)
        }
    }

    @Test("an over-long head is answered with 431 and closed")
    func headTooLarge() async throws {
        var configuration = ServerConfiguration()
        configuration.limits.maxHeadBytes = 1024
        try await withServer(configuration, handler: Self.hello) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 4000))\r\n\r\n")
            let answer = try await client.readToEnd()
            #expect(answer.hasPrefix("HTTP/1.1 431 "))
            #expect(answer.contains("\r\nConnection: close\r\n"))
        }
    }

    @Test("a handler that returns without answering makes the server send 500 and close")
    func silentHandler() async throws {
        try await withServer(handler: ClosureHandler { _, _, _ in }) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(
                try await client.readToEnd()
                    == "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 26\r\nConnection: close\r\n\r\n500 Internal Server Error\n")
        }
    }

    @Test("a handler that throws before answering makes the server send 500 and close")
    func throwingHandler() async throws {
        struct Boom: Error {}
        try await withServer(handler: ClosureHandler { _, _, _ in throw Boom() }) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = try await client.readToEnd()
            #expect(answer.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
            #expect(answer.contains("\r\nConnection: close\r\n"))
        }
    }

    @Test("a head recorded but never finished is completed by the server")
    func unfinishedHead() async throws {
        let handler = ClosureHandler { _, _, response in
            response.writeHead(status: 202, headers: ["X-A": "1"])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 202 Accepted\r\nX-A: 1\r\nContent-Length: 0\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 202 Accepted\r\nX-A: 1\r\nContent-Length: 0\r\n\r\n")
        }
    }

    @Test("cancelling run closes the listener and every connection, even one whose handler is parked elsewhere")
    func cancellation() async throws {
        let parked = Counter()
        let handler = ClosureHandler { head, _, response in
            if head.path == "/park" {
                parked.increment()
                // Ignores cancellation on purpose: the server must still cut the connection.
                await parkIgnoringCancellation(milliseconds: 1_500)
            }
            try await response.respond(status: 200, headers: [:], body: [])
        }
        let server = try HTTPServer(address: "127.0.0.1:0", configuration: ServerConfiguration(), handler: handler, logger: quietLogger)
        let port = server.port
        let running = Task { try await server.run() }
        let idle = try await TestClient(port: port)
        defer { idle.close() }
        try await idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try await idle.readResponse()
        let busy = try await TestClient(port: port)
        defer { busy.close() }
        try await busy.send("GET /park HTTP/1.1\r\nHost: x\r\n\r\n")
        await parked.wait(for: 1)
        let start = MonotonicInstant.now
        running.cancel()
        #expect(try await idle.closesWithoutData(timeoutMilliseconds: 2_000))
        #expect(try await busy.closesWithoutData(timeoutMilliseconds: 2_000))
        #expect(MonotonicInstant.now.milliseconds(since: start) < 2_000)
        try await running.value
        await #expect(throws: TestClientError.self) { _ = try await TestClient(port: port) }
    }

    @Test("a server listens on IPv6 loopback", .enabled(if: ipv6LoopbackAvailable()))
    func ipv6() async throws {
        try await withServer(address: "[::1]:0", handler: Self.hello) { server in
            #expect(server.boundAddress.family == .ipv6)
            let client = try await TestClient(port: server.port, host: "::1")
            defer { client.close() }
            try await client.send("GET /v6 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().hasSuffix("hello /v6"))
        }
    }

    @Test("run refuses to run twice")
    func runTwice() async throws {
        try await withServer(handler: Self.hello) { server in
            // A served request proves the first run() is under way.
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await client.readResponse()
            await #expect(throws: SocketError.failed(call: "HTTPServer.run", errno: EALREADY)) { try await server.run() }
        }
    }

    @Test("an address that is already in use fails to bind")
    func addressInUse() async throws {
        try await withServer(handler: Self.hello) { server in
            #expect(throws: SocketError.failed(call: "bind", errno: EADDRINUSE)) {
                _ = try HTTPServer(
                    address: "127.0.0.1:\(server.port)", configuration: ServerConfiguration(), handler: Self.hello,
                    logger: quietLogger)
            }
        }
    }
}

/// Parks for `milliseconds` without reacting to cancellation (a simulated stubborn handler).
func parkIgnoringCancellation(milliseconds: Int) async {
    await Task.detached { try? await Task.sleep(for: .milliseconds(milliseconds)) }.value
}

/// Whether `::1` can be bound here (containers without IPv6 cannot).
func ipv6LoopbackAvailable() -> Bool {
    guard let socket = try? Socket.listening(on: SocketAddress(parsing: "[::1]:0")) else { return false }
    socket.close()
    return true
}
