// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import HTTP1
import Reactor
import Testing

@testable import SocketServer

/// Many connections at once: idle keep-alive connections and handlers parked for a long time must not
/// starve a new request. An assertion about starvation, not a benchmark: the bound is generous.
@Suite(.timeLimit(.minutes(2)))
struct HTTPServerLoadTests {
    static let idleConnections = 500
    static let parkedRequests = 200

    @Test("with 500 idle keep-alive connections and 200 parked handlers, a further request is answered promptly")
    func noStarvation() async throws {
        try raiseDescriptorLimit(to: 4 * (Self.idleConnections + Self.parkedRequests) + 256)
        let parked = Counter()
        let release = Latch()
        let handler = ClosureHandler { head, _, response in
            if head.path.hasPrefix("/park/") {
                parked.increment()
                await release.wait()
            }
            try await response.respond(status: 200, headers: [:], body: Array(head.target.utf8))
        }
        try await withServer(handler: handler) { server in
            var idle: [TestClient] = []
            var waiting: [TestClient] = []
            defer {
                release.open()
                for client in idle + waiting { client.close() }
            }
            for i in 0..<Self.idleConnections {
                let client = try await TestClient(port: server.port)
                idle.append(client)
                try await client.send("GET /idle/\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.readResponse().hasSuffix("/idle/\(i)"))
            }
            for i in 0..<Self.parkedRequests {
                let client = try await TestClient(port: server.port)
                waiting.append(client)
                try await client.send("GET /park/\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            await parked.wait(for: Self.parkedRequests)
            #expect(server.openConnections == Self.idleConnections + Self.parkedRequests)

            let start = MonotonicInstant.now
            let probe = try await TestClient(port: server.port)
            defer { probe.close() }
            try await probe.send("GET /probe HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await probe.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n/probe")
            let elapsed = MonotonicInstant.now.milliseconds(since: start)
            #expect(elapsed < 2_000, "a request waited \(elapsed) ms behind idle and parked connections")

            release.open()
            for (i, client) in waiting.enumerated() {
                let body = "/park/\(i)"
                #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            }
            // The idle connections are still there and still work.
            try await idle[0].send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await idle[0].readResponse().hasSuffix("/again"))
        }
    }
}

/// Raises the soft `RLIMIT_NOFILE` to at least `wanted` (within the hard limit): each connection costs two
/// descriptors in this process, the client's and the server's.
func raiseDescriptorLimit(to wanted: Int) throws {
    var limit = rlimit()
    try #require(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
    guard limit.rlim_cur < rlim_t(wanted) else { return }
    limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
    try #require(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
    try #require(limit.rlim_cur >= rlim_t(wanted), "the hard descriptor limit \(limit.rlim_max) is too low")
}
