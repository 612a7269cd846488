// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Locking
import Testing

@testable import Reactor

/// The poller as a task executor: where jobs run, and that running them never starves I/O.
@Suite(.timeLimit(.minutes(1)))
struct PollerExecutorTests {
    @Test("a task that prefers the poller runs on the epoll thread, before and after a wait, and so do its children")
    func jobsRunOnTheEpollThread() async throws {
        let fds = try Self.registeredPair()
        defer { Self.close(fds) }
        #expect(!Poller.shared.isCurrentThread, "tests start on the cooperative pool")
        let (before, after, child) = try await withTaskExecutorPreference(Poller.shared) {
            let before = Poller.shared.isCurrentThread
            async let waited: Void = Poller.shared.wait(for: .read, on: fds.0)
            var one: UInt8 = 1
            #expect(write(fds.1, &one, 1) == 1)
            try await waited
            async let child = Poller.shared.isCurrentThread
            return (before, Poller.shared.isCurrentThread, await child)
        }
        #expect(before && after && child)
    }

    @Test("an unstructured task started under the preference runs on the cooperative pool")
    func unstructuredTasksDoNotInherit() async {
        let onPoller = await withTaskExecutorPreference(Poller.shared) {
            await Task { Poller.shared.isCurrentThread }.value
        }
        #expect(!onPoller)
    }

    @Test("a task that never stops yielding on the poller does not starve readiness")
    func yieldingTaskDoesNotStarveIO() async throws {
        let fds = try Self.registeredPair()
        defer { Self.close(fds) }
        let done = Lock(false)
        let yields = try await withTaskExecutorPreference(Poller.shared) {
            async let spinner: Int = {
                var count = 0
                while !done.withLock({ $0 }) {
                    count += 1
                    await Task.yield()
                }
                return count
            }()
            async let waited: Void = Poller.shared.wait(for: .read, on: fds.0)
            var one: UInt8 = 1
            #expect(write(fds.1, &one, 1) == 1)
            try await waited
            done.withLock { $0 = true }
            return await spinner
        }
        #expect(yields > 0, "the spinner ran while the reader waited")
    }

    @Test("more jobs than one loop runs are all run, in order")
    func manyJobsRunInOrder() async {
        let order = Lock<[Int]>([])
        await withTaskExecutorPreference(Poller.shared) {
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<(Poller.maxJobsPerIteration * 3) {
                    group.addTask { order.withLock { $0.append(i) } }
                }
            }
        }
        #expect(order.withLock { $0 } == Array(0..<(Poller.maxJobsPerIteration * 3)))
    }

    private static func registeredPair() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        try Poller.shared.register(fds[0])
        return (fds[0], fds[1])
    }

    private static func close(_ fds: (Int32, Int32)) {
        Poller.shared.deregister(fds.0)
        _ = Glibc.close(fds.0)
        _ = Glibc.close(fds.1)
    }
}
