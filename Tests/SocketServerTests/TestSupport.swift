// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Logging
import Locking

@testable import SocketServer

/// A handler made of a closure, so each test states its server behaviour next to its wire bytes.
struct ClosureHandler: HTTPHandler {
    let body: @Sendable (RequestHead, RequestBody, ResponseWriter) async throws -> Void
    init(_ body: @escaping @Sendable (RequestHead, RequestBody, ResponseWriter) async throws -> Void) {
        self.body = body
    }
    func handle(_ head: RequestHead, body: RequestBody, response: ResponseWriter) async throws {
        try await self.body(head, body, response)
    }
}

/// Logs nothing (swap in `StreamLogHandler.standardError` when debugging a test).
let quietLogger = Logger(label: "SocketServerTests") { _ in SwiftLogNoOpLogHandler() }

/// Runs a server on 127.0.0.1 and an ephemeral port for the duration of `body`, then cancels it and waits
/// until it has closed every connection.
func withServer(
    _ configuration: ServerConfiguration = ServerConfiguration(),
    address: String = "127.0.0.1:0",
    handler: some HTTPHandler,
    _ body: (HTTPServer) async throws -> Void
) async throws {
    let server = try HTTPServer(address: address, configuration: configuration, handler: handler, logger: quietLogger)
    let running = Task { try await server.run() }
    do {
        try await body(server)
    } catch {
        running.cancel()
        _ = try? await running.value
        throw error
    }
    running.cancel()
    try await running.value
}

/// A gate that tasks wait at until it is opened; opening releases every waiter, now and later. A cancelled
/// waiter stops waiting (so a failing test never hangs on a handler parked here).
final class Latch: Sendable {
    private struct State {
        var open = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = Lock(State())

    func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.open || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Counts events; `wait(for:)` returns once at least that many happened (or when the waiter is cancelled).
final class Counter: Sendable {
    private let count = Lock(0)
    private let targets = Lock<[(Int, Latch)]>([])

    var value: Int { count.withLock { $0 } }

    func increment() {
        let now = count.withLock { value in
            value += 1
            return value
        }
        let ready = targets.withLock { targets in
            let ready = targets.filter { $0.0 <= now }.map(\.1)
            targets.removeAll { $0.0 <= now }
            return ready
        }
        for latch in ready { latch.open() }
    }

    func wait(for target: Int) async {
        let latch = Latch()
        targets.withLock { $0.append((target, latch)) }
        if value >= target { latch.open() }
        await latch.wait()
    }
}

/// Records a value from inside a handler for the test to check afterwards.
final class Recorder<Value: Sendable>: Sendable {
    private let state = Lock<[Value]>([])
    func record(_ value: Value) { state.withLock { $0.append(value) } }
    var values: [Value] { state.withLock { $0 } }
}
