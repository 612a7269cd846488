// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import Locking

/// What the pool needs of an execution environment: the rendezvous its invokes go through, and the per-runtime
/// state the invoke side reads (log tail, init duration). `ExecutionEnvironment` is the real one.
package protocol PooledEnvironment: AnyObject, Sendable {
    var rendezvous: Rendezvous { get }
    var logTail: LogTail { get }
    var initDurations: InitDurationLedger { get }
    /// Ends the environment's runtime (SIGTERM, then SIGKILL after the grace period).
    func shutdown(graceMilliseconds: Int) async
    /// Whether the last invoke is finished for the environment's extensions (every INVOKE subscriber called
    /// `/event/next` again); `invokeSettled()` returns once it is (or the extensions are reset).
    var isInvokeSettled: Bool { get }
    func invokeSettled() async
}

extension PooledEnvironment {
    /// Without extensions an invoke is finished with its response.
    package var isInvokeSettled: Bool { true }
    package func invokeSettled() async {}
}

/// The dispatcher over N execution environments (`--max-concurrency`): an invoke leases one idle environment for
/// its whole life (from delivery to its last streamed byte, and until its INVOKE-subscribed extensions called
/// `/event/next` again), so each environment runs one invoke at a time, as in Lambda. The lowest-numbered idle
/// environment is chosen, so sequential invokes keep hitting the same warm runtime; when every environment is
/// busy, invokes wait in arrival order (FIFO) and each release hands the environment straight to the oldest
/// waiter. With one environment this is the FIFO queue of before.
package final class EnvironmentPool: Sendable {
    private struct State {
        var idle: [Bool]
        var waiters: [(ticket: Int, continuation: CheckedContinuation<Int, any Error>)] = []
        var lastTicket = 0
        var shutDown = false
    }

    /// The environments, by index; environment 0 is the one on the configured Runtime API address.
    package let environments: [any PooledEnvironment]
    private let state: Lock<State>

    package init(_ environments: [any PooledEnvironment]) {
        precondition(!environments.isEmpty, "a pool needs at least one environment")
        self.environments = environments
        self.state = Lock(State(idle: Array(repeating: true, count: environments.count)))
    }

    /// How many invokes wait for an environment (for tests and logs).
    package var waiting: Int { state.withLock { $0.waiters.count } }

    /// Leases an idle environment, waiting FIFO while all are busy. Throws `CancellationError` when the calling
    /// task is cancelled while it waits (it then holds nothing) or once the pool has shut down.
    package func acquire() async throws -> EnvironmentLease {
        let ticket = state.withLock { s -> Int in
            s.lastTicket += 1
            return s.lastTicket
        }
        let index = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let ready: Result<Int, any Error>? = state.withLock { s in
                    if s.shutDown || Task.isCancelled { return .failure(CancellationError()) }
                    if s.waiters.isEmpty, let free = s.idle.firstIndex(of: true) {
                        s.idle[free] = false
                        return .success(free)
                    }
                    s.waiters.append((ticket, continuation))
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let cancelled = state.withLock { s -> CheckedContinuation<Int, any Error>? in
                guard let at = s.waiters.firstIndex(where: { $0.ticket == ticket }) else { return nil }
                return s.waiters.remove(at: at).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
        return EnvironmentLease(index: index, environment: environments[index], pool: self)
    }

    /// Gives environment `index` to the oldest waiter, or marks it idle.
    fileprivate func release(_ index: Int) {
        let next = state.withLock { s -> CheckedContinuation<Int, any Error>? in
            guard !s.waiters.isEmpty else {
                s.idle[index] = true
                return nil
            }
            return s.waiters.removeFirst().continuation
        }
        next?.resume(returning: index)
    }

    /// Fails every waiting invoke, refuses new ones, and ends every environment's runtime at once (each gets
    /// SIGTERM, then SIGKILL after `graceMilliseconds`); returns when all are gone.
    package func shutdown(graceMilliseconds: Int) async {
        let waiters = state.withLock { s -> [CheckedContinuation<Int, any Error>] in
            s.shutDown = true
            defer { s.waiters.removeAll() }
            return s.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(throwing: CancellationError()) }
        await withTaskGroup(of: Void.self) { group in
            for environment in environments {
                group.addTask { await environment.shutdown(graceMilliseconds: graceMilliseconds) }
            }
        }
    }
}

/// One invoke's hold on an environment. `release()` hands it back (once; later calls do nothing); a lease that is
/// dropped without it releases itself, so no code path can keep an environment busy for ever.
package final class EnvironmentLease: Sendable {
    package let index: Int
    package let environment: any PooledEnvironment
    private let pool: EnvironmentPool
    private let released = Lock(false)

    fileprivate init(index: Int, environment: any PooledEnvironment, pool: EnvironmentPool) {
        self.index = index
        self.environment = environment
        self.pool = pool
    }

    package func release() {
        let first = released.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { pool.release(index) }
    }

    /// Releases once the invoke is finished for the environment's extensions too (at once when it is already):
    /// until its INVOKE subscribers call `/event/next` again the runtime's next `/next` is held, so another
    /// invoke is better served by an idle environment. `afterExtensions` false (the runtime failed, timed out or
    /// is being reset) releases now: that environment's extensions are torn down before its next invoke.
    package func release(afterExtensions: Bool) {
        guard afterExtensions, !environment.isInvokeSettled else { return release() }
        Task { [self] in
            await environment.invokeSettled()
            release()
        }
    }

    deinit { release() }
}
