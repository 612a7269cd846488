// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Glibc
import Locking

/// Owns the process's one epoll thread and every task parked on a file descriptor.
///
/// A task that got `EAGAIN` from a non-blocking syscall calls ``wait(for:on:deadline:)``; the epoll thread
/// resumes it when the descriptor becomes ready, when its deadline passes (``ReactorError/timedOut``), when
/// the task is cancelled (`CancellationError`) or when the descriptor is deregistered
/// (``ReactorError/deregistered``). No Swift task ever blocks in a syscall: the blocking `epoll_wait` runs
/// on this thread only.
///
/// Descriptors are registered once, edge-triggered, for both directions. Because an edge can arrive while
/// no task is waiting (between the syscall's `EAGAIN` and the call to `wait`), each direction keeps a
/// "ready" flag that the next `wait` consumes: a stale flag costs one spurious retry, never a lost wake-up.
///
/// It is also a `TaskExecutor` (Poller+Executor.swift): tasks that prefer it run their jobs on the epoll
/// thread, between two `epoll_wait`s, so that a task woken by readiness continues on the thread that saw the
/// readiness, without a hop to the cooperative pool and back. And it runs timers (``schedule(at:_:)``): a
/// callback at a deadline, on the same deadline mechanism as the waits.
///
/// One of the project's two `@unchecked Sendable` types (the other is `Locking.Lock`): its mutable state lives
/// in a `Lock`, and the epoll descriptor is used only through thread-safe syscalls.
package final class Poller: @unchecked Sendable {
    /// The process-wide poller, started on first use.
    package static let shared: Poller = {
        do { return try Poller() } catch { fatalError("cannot start the epoll reactor: \(error)") }
    }()

    private let epollFD: Int32
    private let wakeFD: Int32
    private let state = Lock(PollerState())
    /// Jobs of tasks that prefer this executor, and whether the epoll thread sleeps in `epoll_wait`.
    let jobs = Lock(JobQueue())

    package init() throws(ReactorError) {
        let ep = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard ep >= 0 else { throw .failed(call: "epoll_create1", errno: errno) }
        let wake = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wake >= 0 else {
            let e = errno
            close(ep)
            throw .failed(call: "eventfd", errno: e)
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wake
        guard epoll_ctl(ep, EPOLL_CTL_ADD, wake, &event) == 0 else {
            let e = errno
            close(ep)
            close(wake)
            throw .failed(call: "epoll_ctl", errno: e)
        }
        epollFD = ep
        wakeFD = wake
        try startThread()
    }

    /// Adds `fd` to the epoll set. Call once per descriptor, before the first ``wait(for:on:deadline:)``.
    package func register(_ fd: Int32) throws(ReactorError) {
        state.withLock { $0.descriptors[fd] = DescriptorState() }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        event.data.fd = fd
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            let e = errno
            state.withLock { _ = $0.descriptors.removeValue(forKey: fd) }
            throw .failed(call: "epoll_ctl", errno: e)
        }
    }

    /// Removes `fd` from the epoll set and fails any task still waiting on it with
    /// ``ReactorError/deregistered``. Call before `close(fd)`, so that a reused descriptor number never
    /// inherits another socket's waiters.
    package func deregister(_ fd: Int32) {
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        let waiters = state.withLock { $0.descriptors.removeValue(forKey: fd)?.waiters ?? [] }
        for waiter in waiters { waiter.continuation.resume(throwing: ReactorError.deregistered) }
    }

    /// Suspends until `fd` is ready for `direction`, the deadline passes, or the task is cancelled.
    /// - Parameter deadline: a ``MonotonicInstant``; `nil` waits for as long as it takes.
    package func wait(
        for direction: Direction,
        on fd: Int32,
        deadline: MonotonicInstant? = nil
    ) async throws {
        let id = state.withLock { $0.allocateID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: PollerState.ParkOutcome = state.withLock {
                    $0.park(Waiter(id: id, fd: fd, direction: direction, deadline: deadline, continuation: continuation))
                }
                switch outcome {
                case .parked(let wakeUp):
                    if wakeUp { wakeIfSleeping() }
                case .ready: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .unregistered: continuation.resume(throwing: ReactorError.deregistered)
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.cancel(id: id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Calls `action` on the epoll thread once `deadline` has passed, unless ``cancelTimer(_:)`` removed it
    /// first. `action` must not block: every descriptor waits while it runs.
    package func schedule(at deadline: MonotonicInstant, _ action: @escaping @Sendable () -> Void) -> PollerTimer {
        let id = state.withLock { $0.addTimer(deadline: deadline, action: action) }
        wakeIfSleeping()
        return PollerTimer(id: id)
    }

    /// Removes a timer that has not fired; returns whether it was still pending (false: it fired, or is firing).
    @discardableResult
    package func cancelTimer(_ timer: PollerTimer) -> Bool {
        state.withLock { $0.removeTimer(id: timer.id) }
    }

    // MARK: - The epoll thread

    private func startThread() throws(ReactorError) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            let poller = Unmanaged<Poller>.fromOpaque(raw!).takeRetainedValue()
            poller.run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Poller>.fromOpaque(context).release()
            throw .failed(call: "pthread_create", errno: rc)
        }
        pthread_detach(thread)
    }

    /// Interrupts `epoll_wait` (through the eventfd) if the epoll thread sleeps in it, so that it picks up new
    /// jobs or a nearer deadline. From the epoll thread itself, or while it is awake, nothing is written: it
    /// looks at both before it sleeps again.
    func wakeIfSleeping() {
        let sleeping = jobs.withLock { queue -> Bool in
            defer { queue.sleeping = false }
            return queue.sleeping
        }
        if sleeping { writeWake() }
    }

    func writeWake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    /// One loop: run a bounded batch of jobs, wait for I/O (not at all if jobs are left, else until the nearest
    /// deadline), then resume the waiters that became ready or timed out and fire due timers. Resuming a task
    /// that prefers this executor only enqueues its job here, so it runs in the next batch.
    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        let executor = asUnownedTaskExecutor()
        jobs.withLock { $0.thread = pthread_self() }
        while true {
            runJobs(on: executor)
            // The timeout is read under the job queue's lock, and `sleeping` set in the same critical section:
            // a deadline parked or a job enqueued after this point finds `sleeping` and writes the eventfd.
            var timeout: Int32 = 0
            jobs.withLock { queue in
                guard queue.isEmpty else { return }
                timeout = state.withLock { $0.timeoutMilliseconds(now: .now) }
                queue.sleeping = timeout != 0
            }
            var n = timeout == 0 ? 0 : pollBeforeSleeping(events, capacity)
            if n == 0 { n = epoll_wait(epollFD, events, Int32(capacity), timeout) }
            if n < 0 && errno != EINTR { fatalError("epoll_wait failed: errno \(errno)") }
            jobs.withLock { $0.sleeping = false }
            var ready: [Waiter] = []
            var expired: [Waiter] = []
            var due: [@Sendable () -> Void] = []
            state.withLock { state in
                for i in 0..<Int(max(n, 0)) {
                    let fd = events[i].data.fd
                    if fd == wakeFD { continue }
                    state.markReady(fd: fd, events: events[i].events, into: &ready)
                }
                let now = MonotonicInstant.now
                expired = state.expire(now: now)
                due = state.dueTimers(now: now)
            }
            if n > 0 { drainWake(events: events, count: Int(n)) }
            for waiter in ready { waiter.continuation.resume() }
            for waiter in expired { waiter.continuation.resume(throwing: ReactorError.timedOut) }
            for action in due { action() }
        }
    }

    /// Before the epoll thread sleeps, it polls without blocking for up to ``pollBeforeSleepNanoseconds``: the
    /// answer to what it just sent (a runtime's `/response` to the `/next` it answered, a caller's next request)
    /// usually arrives within that time, and picking it up awake skips a sleep and a wake-up, which on a VM cost
    /// tens of microseconds (the idle vCPU halts and the peer's wake-up must bring it back). Measured with
    /// Scripts/bench's sequential invokes on 2 cores: p50 190 → 134 µs, and less CPU per invoke, not more (128 vs
    /// 138 µs). An idle emulator spins once, for this long, after its last event, then sleeps.
    static let pollBeforeSleepNanoseconds: UInt64 = 20_000

    /// Polls with a zero timeout until an event arrives or ``pollBeforeSleepNanoseconds`` passed: the count of
    /// events (0 when none came). A job enqueued meanwhile writes the eventfd (`sleeping` is set), so it ends the
    /// polling like any event.
    private func pollBeforeSleeping(_ events: UnsafeMutablePointer<epoll_event>, _ capacity: Int) -> Int32 {
        let start = MonotonicInstant.now.nanoseconds
        while true {
            let n = epoll_wait(epollFD, events, Int32(capacity), 0)
            if n != 0 || MonotonicInstant.now.nanoseconds &- start >= Self.pollBeforeSleepNanoseconds { return n }
        }
    }

    private func drainWake(events: UnsafeMutablePointer<epoll_event>, count: Int) {
        for i in 0..<count where events[i].data.fd == wakeFD {
            var value: UInt64 = 0
            _ = Glibc.read(wakeFD, &value, 8)
        }
    }
}

/// A callback registered with ``Poller/schedule(at:_:)``; pass it to ``Poller/cancelTimer(_:)``.
package struct PollerTimer: Sendable, Hashable {
    let id: UInt64
}

/// Which readiness a task waits for.
package enum Direction: Sendable, Equatable {
    case read, write
}
