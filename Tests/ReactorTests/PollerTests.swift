// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Locking
import Testing

@testable import Reactor

/// A non-blocking pipe registered with the shared poller, closed by `close()`.
private struct Pipe {
    let readFD: Int32
    let writeFD: Int32
    init() throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        readFD = fds[0]
        writeFD = fds[1]
        try Poller.shared.register(readFD)
    }
    func close() {
        Poller.shared.deregister(readFD)
        _ = Glibc.close(readFD)
        _ = Glibc.close(writeFD)
    }
}

@Suite(.timeLimit(.minutes(1)))
struct PollerTests {
    @Test("a task parked for reading resumes when bytes arrive")
    func resumesOnReadable() async throws {
        let p = try Pipe()
        defer { p.close() }
        var byte: UInt8 = 0
        #expect(read(p.readFD, &byte, 1) == -1 && errno == EAGAIN)
        async let waited: Void = Poller.shared.wait(for: .read, on: p.readFD)
        var one: UInt8 = 42
        #expect(write(p.writeFD, &one, 1) == 1)
        try await waited
        #expect(read(p.readFD, &byte, 1) == 1)
        #expect(byte == 42)
    }

    @Test("an edge that arrives before the wait is not lost")
    func readinessBeforeWaitIsRemembered() async throws {
        let p = try Pipe()
        defer { p.close() }
        var one: UInt8 = 1
        #expect(write(p.writeFD, &one, 1) == 1)
        // No waiter yet: the poller records readiness; the wait returns without a further edge.
        try await Poller.shared.wait(for: .read, on: p.readFD, deadline: .now.advanced(byMilliseconds: 10_000))
    }

    @Test("a deadline that passes throws timedOut")
    func deadlineExpires() async throws {
        let p = try Pipe()
        defer { p.close() }
        let start = MonotonicInstant.now
        await #expect(throws: ReactorError.timedOut) {
            try await Poller.shared.wait(for: .read, on: p.readFD, deadline: start.advanced(byMilliseconds: 50))
        }
        #expect(MonotonicInstant.now.milliseconds(since: start) >= 50)
    }

    @Test("cancelling a parked task throws CancellationError")
    func cancellation() async throws {
        let p = try Pipe()
        defer { p.close() }
        let task = Task { try await Poller.shared.wait(for: .read, on: p.readFD) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("deregistering fails the parked task")
    func deregisterFailsWaiter() async throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        let fd = fds[0], other = fds[1]
        defer { close(fd); close(other) }
        try Poller.shared.register(fd)
        let (parked, parkedContinuation) = AsyncStream<Void>.makeStream()
        let task = Task {
            parkedContinuation.yield()
            try await Poller.shared.wait(for: .read, on: fd)
        }
        for await _ in parked { break }
        // The task may not have parked yet; deregistering then makes its wait fail as unregistered too.
        Poller.shared.deregister(fd)
        await #expect(throws: ReactorError.deregistered) { try await task.value }
    }

    @Test("a timer fires on the epoll thread once its deadline has passed")
    func timerFires() async {
        let start = MonotonicInstant.now
        let (elapsed, onPoller) = await withCheckedContinuation { continuation in
            _ = Poller.shared.schedule(at: start.advanced(byMilliseconds: 30)) {
                let elapsed = MonotonicInstant.now.milliseconds(since: start)
                continuation.resume(returning: (elapsed, Poller.shared.isCurrentThread))
            }
        }
        #expect(elapsed >= 30)
        #expect(onPoller)
    }

    @Test("a cancelled timer never fires; one that fired cannot be cancelled")
    func cancelledTimerNeverFires() async {
        let fired = Lock<[String]>([])
        let start = MonotonicInstant.now
        let early = Poller.shared.schedule(at: start.advanced(byMilliseconds: 20)) {
            fired.withLock { $0.append("cancelled") }
        }
        #expect(Poller.shared.cancelTimer(early))
        // Timers fire in deadline order: once the later one fired, the cancelled one's time had come too.
        let later = Lock<PollerTimer?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            later.withLock {
                $0 = Poller.shared.schedule(at: start.advanced(byMilliseconds: 40)) {
                    fired.withLock { $0.append("later") }
                    continuation.resume()
                }
            }
        }
        #expect(fired.withLock { $0 } == ["later"])
        #expect(later.withLock { $0 }.map { !Poller.shared.cancelTimer($0) } == true)
    }
}
