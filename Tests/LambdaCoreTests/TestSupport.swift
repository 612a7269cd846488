// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking
import Testing

@testable import LambdaCore

/// A value that tests can wait on: `wait(until:)` resumes once `update` makes the predicate true. The handshake
/// that replaces sleeps.
final class Watched<Value: Sendable>: Sendable {
    private struct Waiter {
        let predicate: @Sendable (Value) -> Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    private let state: Lock<(value: Value, waiters: [Waiter])>

    init(_ value: Value) {
        state = Lock((value, []))
    }

    var value: Value {
        state.withLock { $0.value }
    }

    func update<R>(_ body: (inout Value) -> R) -> R {
        let (result, ready) = state.withLock { state -> (R, [Waiter]) in
            let result = body(&state.value)
            let value = state.value
            var ready: [Waiter] = []
            var waiting: [Waiter] = []
            for waiter in state.waiters {
                if waiter.predicate(value) { ready.append(waiter) } else { waiting.append(waiter) }
            }
            state.waiters = waiting
            return (result, ready)
        }
        for waiter in ready { waiter.continuation.resume() }
        return result
    }

    func wait(until predicate: @escaping @Sendable (Value) -> Bool) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if predicate(state.value) { return true }
                state.waiters.append(Waiter(predicate: predicate, continuation: continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}

/// Records every `RuntimeControl` call, in order; tests wait for calls by handshake.
final class FakeRuntimeControl: RuntimeControl {
    enum Call: Equatable, Sendable {
        case start, stop(String), initialized
    }

    let calls = Watched<[Call]>([])

    func startRuntime() { calls.update { $0.append(.start) } }
    func stopRuntime(reason: String) { calls.update { $0.append(.stop(reason)) } }
    func runtimeInitialized() { calls.update { $0.append(.initialized) } }

    /// Waits until at least `count` calls were made, and returns them all.
    @discardableResult
    func waitForCalls(_ count: Int) async -> [Call] {
        await calls.wait { $0.count >= count }
        return calls.value
    }
}

/// A clock under the test's control: a settable wall clock, and sleepers that only wake when fired.
final class ManualClock: RendezvousClock {
    private struct Sleeper: Sendable {
        let id: Int
        let milliseconds: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State: Sendable {
        var now: Int64 = 1_700_000_000_000
        var sleepers: [Sleeper] = []
        var lastID = 0
    }

    private let state = Watched(State())

    var sleeperCount: Int { state.value.sleepers.count }
    var sleepDurations: [Int64] { state.value.sleepers.map(\.milliseconds) }

    func set(now: Int64) { state.update { $0.now = now } }

    func epochMilliseconds() -> Int64 { state.value.now }

    func sleep(milliseconds: Int64) async throws {
        let id = state.update { state -> Int in
            state.lastID += 1
            return state.lastID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.update { state -> Bool in
                    if Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, milliseconds: milliseconds, continuation: continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let sleeper = state.update { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Waits until exactly `count` sleepers are asleep.
    func waitForSleepers(_ count: Int) async {
        await state.wait { $0.sleepers.count == count }
    }

    /// Wakes every sleeper, as if their time had come.
    func fireAll() {
        let sleepers = state.update { state -> [Sleeper] in
            defer { state.sleepers = [] }
            return state.sleepers
        }
        for sleeper in sleepers { sleeper.continuation.resume() }
    }
}

/// Yields until `condition` holds (for state that has no hook to wait on); fails the test if it never does.
func eventually(
    _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
) async {
    for _ in 0..<200_000 {
        if condition() { return }
        await Task.yield()
    }
    Issue.record("never happened: \(comment)", sourceLocation: sourceLocation)
}

func makeInvocation(_ id: String, payload: String = "{}", timeout: Int = 3) -> Invocation {
    Invocation(id: id, payload: Array(payload.utf8), timeoutSeconds: timeout)
}

extension InvokeOutcome {
    /// A readable description for test failures.
    var summary: String {
        switch self {
        case .response(let body, let type): "response(\(String(decoding: body, as: UTF8.self)), \(type ?? "nil"))"
        case .streaming(_, let type): "streaming(\(type ?? "nil"))"
        case .functionError(let body, _, let errorType): "functionError(\(String(decoding: body, as: UTF8.self)), \(errorType))"
        case .responseTooLarge(let bytes): "responseTooLarge(\(bytes))"
        case .timedOut(let seconds): "timedOut(\(seconds))"
        case .runtimeExited(let reason): "runtimeExited(\(reason))"
        case .initFailed(let body, _): "initFailed(\(body.map { String(decoding: $0, as: UTF8.self) } ?? "nil"))"
        }
    }
}
