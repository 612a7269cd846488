// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaWire
import Locking
import Logging
import SocketServer
import Testing

@testable import LambdaAPI

/// Records the JSON arrays POSTed to it, and can hold its answers until released.
final class Sink: HTTPHandler {
    let batches = Lock<[[JSONValue]]>([])
    func handle(_ head: RequestHead, body: RequestBody, response: ResponseWriter) async throws {
        let bytes = try await body.collect(upTo: 1 << 20)
        let batch = try JSONValue.parse(bytes).arrayValue ?? []
        batches.withLock { $0.append(batch) }
        try await response.respond(status: 200, headers: [:], body: Array("OK".utf8))
    }
    var count: Int { batches.withLock { $0.count } }
}

@Suite("TelemetrySubscriber", .timeLimit(.minutes(1)))
struct TelemetrySubscriberTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func subscriber(port: Int, _ buffering: TelemetryBuffering) throws -> TelemetrySubscriber {
        TelemetrySubscriber(
            name: "t", api: .telemetry, categories: [.function], buffering: buffering,
            address: try SocketAddress(parsing: "127.0.0.1:\(port)"), hostHeader: "sandbox.localdomain:\(port)",
            path: "/in", logger: logger)
    }

    @Test("batches are cut at maxItems; the rest goes out after timeoutMs; order is kept")
    func batching() async throws {
        let sink = Sink()
        let server = try HTTPServer(address: "127.0.0.1:0", configuration: ServerConfiguration(), handler: sink, logger: logger)
        let serving = Task { try await server.run() }
        let sub = try subscriber(port: server.port, TelemetryBuffering(maxItems: 2, maxBytes: 1 << 20, timeoutMs: 25))
        let delivery = Task { await sub.run() }
        for i in 0..<5 { sub.push(Array("\(i)".utf8)) }
        // The sink records a batch before it answers, and the subscriber counts it after the answer.
        try await waitUntil { sub.counts.delivered == 5 }
        let batches = sink.batches.withLock { $0 }
        #expect(batches.allSatisfy { $0.count <= 2 })
        #expect(batches.flatMap { $0 }.compactMap(\.intValue) == [0, 1, 2, 3, 4])
        #expect(sub.counts.dropped == 0)
        sub.stop()
        await delivery.value
        serving.cancel()
        _ = try? await serving.value
    }

    @Test("maxBytes cuts a batch before maxItems; one oversized event still goes alone")
    func bytes() async throws {
        let sink = Sink()
        let server = try HTTPServer(address: "127.0.0.1:0", configuration: ServerConfiguration(), handler: sink, logger: logger)
        let serving = Task { try await server.run() }
        let sub = try subscriber(port: server.port, TelemetryBuffering(maxItems: 100, maxBytes: 10, timeoutMs: 30_000))
        let delivery = Task { await sub.run() }
        sub.push(Array("\"aaaa\"".utf8))  // 6 bytes
        sub.push(Array("\"bbbb\"".utf8))  // 12 in all: full
        sub.push(Array("\"cccccccccccc\"".utf8))  // 14 bytes alone
        try await waitUntil { sink.batches.withLock { $0.flatMap { $0 }.count } == 3 }
        #expect(sink.batches.withLock { $0 }.map(\.count) == [1, 1, 1])
        sub.stop()
        await delivery.value
        serving.cancel()
        _ = try? await serving.value
    }

    @Test("a dead subscriber costs dropped events, never a blocked push; the queue is bounded")
    func deadSubscriber() async throws {
        // A port nobody listens on: serve on one, note it, stop serving (which closes it).
        let server = try HTTPServer(address: "127.0.0.1:0", configuration: ServerConfiguration(), handler: Sink(), logger: logger)
        let port = server.port
        let serving = Task { try await server.run() }
        serving.cancel()
        _ = try? await serving.value
        let sub = try subscriber(port: port, TelemetryBuffering(maxItems: 3, maxBytes: 1 << 20, timeoutMs: 25))
        for i in 0..<20 { sub.push(Array("\(i)".utf8)) }  // no delivery task yet: 12 fit (4 × maxItems)
        #expect(sub.counts.dropped == 8)
        let delivery = Task { await sub.run() }
        try await waitUntil { sub.counts.dropped == 20 }
        #expect(sub.counts.delivered == 0)
        sub.stop()
        await delivery.value
    }
}

@Suite("TelemetryHub", .timeLimit(.minutes(1)))
struct TelemetryHubTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test("a late subscriber gets the generation's earlier events; output becomes one event per line")
    func backlogAndLines() async throws {
        let sink = Sink()
        let server = try HTTPServer(address: "127.0.0.1:0", configuration: ServerConfiguration(), handler: sink, logger: logger)
        let serving = Task { try await server.run() }
        let hub = TelemetryHub(clock: { 1_665_533_215_064 }, logger: logger)
        hub.emit(.initStart(functionName: "f", functionVersion: "$LATEST"))
        let sub = TelemetrySubscriber(
            name: "ext", api: .telemetry, categories: [.platform, .function],
            buffering: TelemetryBuffering(maxItems: 1000, maxBytes: 1 << 20, timeoutMs: 25),
            address: try SocketAddress(parsing: "127.0.0.1:\(server.port)"), hostHeader: "h", path: "/", logger: logger)
        hub.subscribe(sub)
        for piece in ["one\ntw", "o\n", "unterminated"] {
            Array(piece.utf8).withUnsafeBytes { hub.functionOutput($0) }
        }
        try await waitUntil { sub.counts.delivered >= 3 }
        let events = sink.batches.withLock { $0.flatMap { $0 } }
        #expect(events.map { $0["type"]?.stringValue } == ["platform.initStart", "function", "function"])
        #expect(events.dropFirst().map { $0["record"]?.stringValue } == ["one", "two"])
        #expect(events.allSatisfy { $0["time"] == "2022-10-12T00:06:55.064Z" })
        hub.reset()
        #expect(!hub.hasSubscribers)
        serving.cancel()
        _ = try? await serving.value
    }
}

/// Polls `condition` until it holds; after 20 s the test fails instead of hanging the suite.
private func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(20))
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within 20 s")
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
