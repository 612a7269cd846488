// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Locking

/// The poller as a `TaskExecutor`: the emulator runs under `withTaskExecutorPreference(Poller.shared)`, so the
/// jobs of its tasks (and of their child tasks) run on the epoll thread.
///
/// Why: without it, every wait costs two thread switches. The epoll thread sees readiness and resumes the
/// continuation; the task's next job goes to the cooperative pool; a worker wakes up, runs it, and the task
/// parks again. An invoke is about six such waits (about 12 context switches, measured by Scripts/bench's
/// profile). On this executor, resuming only appends the job to a queue that the same thread drains before
/// its next `epoll_wait`: a request is read, routed, handed to the runtime and answered without leaving the
/// thread.
///
/// The rules that keep it safe:
/// - Jobs enqueued from another thread (a task resumed by a continuation on the pool, a timer) wake
///   `epoll_wait` through the eventfd, only when the epoll thread sleeps in it (``Poller/wakeIfSleeping()``).
/// - Each loop runs at most ``maxJobsPerIteration`` jobs, including the jobs those enqueue (a task resumed by
///   another runs in the same loop, without an `epoll_wait` in between); a loop with jobs left polls with a zero
///   timeout. So a task that keeps yielding never starves I/O: readiness is collected every 64 jobs at most.
/// - Everything that runs here must not block: a blocking syscall stalls every connection (Sources/README.md
///   lists what still can).
/// - Unstructured tasks (`Task { }`) do not inherit the preference and run on the cooperative pool.
extension Poller: TaskExecutor {
    /// The most jobs run between two `epoll_wait`s.
    package static let maxJobsPerIteration = 64

    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let wake = jobs.withLock { queue -> Bool in
            queue.append(unowned)
            defer { queue.sleeping = false }
            return queue.sleeping
        }
        if wake { writeWake() }
    }

    /// Whether the caller runs on the epoll thread (for tests and assertions).
    package var isCurrentThread: Bool {
        let thread = jobs.withLock { $0.thread }
        return thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    /// Runs queued jobs, and the jobs they enqueue, until none is left or ``maxJobsPerIteration`` ran.
    func runJobs(on executor: UnownedTaskExecutor) {
        var budget = Self.maxJobsPerIteration
        while budget > 0 {
            let batch = jobs.withLock { $0.take(upTo: budget) }
            if batch.isEmpty { return }
            budget -= batch.count
            for job in batch { job.runSynchronously(on: executor) }
        }
    }
}

/// Jobs waiting for the epoll thread, oldest first, and whether that thread sleeps in `epoll_wait`.
struct JobQueue {
    private var pending: [UnownedJob] = []
    private var head = 0
    /// True from the moment the epoll thread decided to block in `epoll_wait` until someone woke it (or it woke).
    var sleeping = false
    /// The epoll thread, once it runs.
    var thread: pthread_t?

    var isEmpty: Bool { head == pending.count }

    mutating func append(_ job: UnownedJob) { pending.append(job) }

    /// Removes and returns up to `limit` of the oldest jobs.
    mutating func take(upTo limit: Int) -> ArraySlice<UnownedJob> {
        let end = min(pending.count, head + limit)
        let batch = pending[head..<end]
        head = end
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        }
        return batch
    }
}
