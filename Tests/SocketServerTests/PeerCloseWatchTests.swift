// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking
import Testing

@testable import SocketServer

/// A handler parked in a long poll learns that its client closed the connection, and only then.
@Suite(.timeLimit(.minutes(1)))
struct PeerCloseWatchTests {
    /// A long-poll handler on /next: reads its body, says it is parked, then waits on the watch alone and records
    /// what `closed()` said. Any other path is answered at once.
    final class Poll: Sendable {
        let parked = Latch()
        let answered = Latch()
        let results = Lock<[Bool]>([])

        var handler: ClosureHandler {
            ClosureHandler { [self] head, body, response in
                try await body.discard()
                guard head.target == "/next" else {
                    try await response.respond(status: 200, headers: [:], body: Array("other".utf8))
                    return
                }
                let watch = body.peerCloseWatch()
                parked.open()
                let closed = await watch.closed()
                results.withLock { $0.append(closed) }
                answered.open()
                if closed { throw CancellationError() }  // as RuntimeAPIHandler does: the peer is gone
                try await response.respond(status: 200, headers: [:], body: Array("still here".utf8))
            }
        }
    }

    @Test("a client that closes while the handler waits: closed() is true and the connection is released")
    func clientCloses() async throws {
        let poll = Poll()
        try await withServer(handler: poll.handler) { server in
            let client = try await TestClient(port: server.port)
            try await client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            await poll.parked.wait()
            client.close()
            await poll.answered.wait()
            #expect(poll.results.withLock { $0 } == [true])
            while server.openConnections > 0 { await Task.yield() }  // the time limit fails a leak
        }
    }

    @Test("a client that half-closes (shutdown of its writing side) counts as closed")
    func clientHalfCloses() async throws {
        let poll = Poll()
        try await withServer(handler: poll.handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST /next HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            await poll.parked.wait()
            client.shutdownWrite()
            await poll.answered.wait()
            #expect(poll.results.withLock { $0 } == [true])
        }
    }

    @Test("more bytes (a pipelined request) are not a close: closed() is false and both requests are answered")
    func pipelinedRequest() async throws {
        let poll = Poll()
        try await withServer(handler: poll.handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            await poll.parked.wait()
            try await client.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().hasSuffix("\r\n\r\nstill here"))
            #expect(try await client.readResponse().hasSuffix("\r\n\r\nother"))
            #expect(poll.results.withLock { $0 } == [false])
        }
    }

    @Test("a request pipelined in the same packet: the watch sees the buffered bytes at once")
    func pipelinedInOnePacket() async throws {
        let poll = Poll()
        try await withServer(handler: poll.handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\nGET /other HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().hasSuffix("\r\n\r\nstill here"))
            #expect(try await client.readResponse().hasSuffix("\r\n\r\nother"))
            #expect(poll.results.withLock { $0 } == [false])
        }
    }
}
