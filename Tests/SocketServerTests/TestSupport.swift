// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Logging
import Synchronization

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

/// A gate that tasks wait at until it is opened; opening releases every waiter, now and later.
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Counts events; `wait(for:)` returns once at least that many happened.
final class Counter: Sendable {
    private let state = Mutex<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>((0, []))

    var value: Int { state.withLock { $0.count } }

    func increment() {
        let ready = state.withLock { state in
            state.count += 1
            let count = state.count
            let ready = state.waiters.filter { $0.0 <= count }.map(\.1)
            state.waiters.removeAll { $0.0 <= count }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    func wait(for target: Int) async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.count >= target { return true }
                state.waiters.append((target, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// Records a value from inside a handler for the test to check afterwards.
final class Recorder<Value: Sendable>: Sendable {
    private let state = Mutex<[Value]>([])
    func record(_ value: Value) { state.withLock { $0.append(value) } }
    var values: [Value] { state.withLock { $0 } }
}
