// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Glibc

/// A task parked on a descriptor.
struct Waiter {
    let id: UInt64
    let fd: Int32
    let direction: Direction
    let deadline: MonotonicInstant?
    let continuation: CheckedContinuation<Void, any Error>
}

/// Readiness and waiters of one registered descriptor.
struct DescriptorState {
    var readReady = false
    var writeReady = false
    var reader: Waiter?
    var writer: Waiter?

    var waiters: [Waiter] { [reader, writer].compactMap { $0 } }
}

/// The poller's bookkeeping, mutated only under its lock. Pure: it decides, the poller resumes.
struct PollerState {
    enum ParkOutcome { case parked(wakeUp: Bool), ready, cancelled, unregistered }

    var descriptors: [Int32: DescriptorState] = [:]
    private var nextID: UInt64 = 0
    private var cancelledIDs: Set<UInt64> = []
    private var parkedWithDeadline: [UInt64: (fd: Int32, direction: Direction, deadline: MonotonicInstant)] = [:]
    private var timers: [UInt64: (deadline: MonotonicInstant, action: @Sendable () -> Void)] = [:]

    mutating func allocateID() -> UInt64 {
        nextID += 1
        return nextID
    }

    /// Parks `waiter`, unless its descriptor is already ready, it was cancelled first, or it is unknown.
    /// `wakeUp` says the epoll thread must recompute its timeout because this deadline may be the nearest.
    mutating func park(_ waiter: Waiter) -> ParkOutcome {
        if cancelledIDs.remove(waiter.id) != nil { return .cancelled }
        guard var d = descriptors[waiter.fd] else { return .unregistered }
        switch waiter.direction {
        case .read:
            if d.readReady { d.readReady = false; descriptors[waiter.fd] = d; return .ready }
            precondition(d.reader == nil, "two tasks read one descriptor")
            d.reader = waiter
        case .write:
            if d.writeReady { d.writeReady = false; descriptors[waiter.fd] = d; return .ready }
            precondition(d.writer == nil, "two tasks write one descriptor")
            d.writer = waiter
        }
        descriptors[waiter.fd] = d
        if let deadline = waiter.deadline {
            parkedWithDeadline[waiter.id] = (waiter.fd, waiter.direction, deadline)
            return .parked(wakeUp: true)
        }
        return .parked(wakeUp: false)
    }

    /// Removes the waiter `id` if it is parked; otherwise remembers that it was cancelled before parking.
    mutating func cancel(id: UInt64) -> Waiter? {
        for (fd, var d) in descriptors {
            if d.reader?.id == id {
                let w = d.reader
                d.reader = nil
                descriptors[fd] = d
                parkedWithDeadline[id] = nil
                return w
            }
            if d.writer?.id == id {
                let w = d.writer
                d.writer = nil
                descriptors[fd] = d
                parkedWithDeadline[id] = nil
                return w
            }
        }
        cancelledIDs.insert(id)
        return nil
    }

    /// Records an epoll event and collects the waiters it releases.
    mutating func markReady(fd: Int32, events: UInt32, into ready: inout [Waiter]) {
        guard var d = descriptors[fd] else { return }
        let hangup = events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        if hangup || events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 {
            if let r = d.reader {
                ready.append(r)
                d.reader = nil
                parkedWithDeadline[r.id] = nil
            } else {
                d.readReady = true
            }
        }
        if hangup || events & EPOLLOUT.rawValue != 0 {
            if let w = d.writer {
                ready.append(w)
                d.writer = nil
                parkedWithDeadline[w.id] = nil
            } else {
                d.writeReady = true
            }
        }
        descriptors[fd] = d
    }

    /// Removes and returns every parked waiter whose deadline has passed.
    mutating func expire(now: MonotonicInstant) -> [Waiter] {
        guard !parkedWithDeadline.isEmpty else { return [] }
        var expired: [Waiter] = []
        for (id, entry) in parkedWithDeadline where entry.deadline <= now {
            parkedWithDeadline[id] = nil
            guard var d = descriptors[entry.fd] else { continue }
            switch entry.direction {
            case .read:
                if let r = d.reader, r.id == id { expired.append(r); d.reader = nil }
            case .write:
                if let w = d.writer, w.id == id { expired.append(w); d.writer = nil }
            }
            descriptors[entry.fd] = d
        }
        return expired
    }

    /// Adds a timer; its id shares the waiters' counter.
    mutating func addTimer(deadline: MonotonicInstant, action: @escaping @Sendable () -> Void) -> UInt64 {
        let id = allocateID()
        timers[id] = (deadline, action)
        return id
    }

    /// Removes a pending timer; false if it already fired (or never existed).
    mutating func removeTimer(id: UInt64) -> Bool {
        timers.removeValue(forKey: id) != nil
    }

    /// Removes and returns the actions of every timer whose deadline has passed, earliest first.
    mutating func dueTimers(now: MonotonicInstant) -> [@Sendable () -> Void] {
        guard !timers.isEmpty else { return [] }
        let due = timers.filter { $0.value.deadline <= now }.sorted { $0.value.deadline < $1.value.deadline }
        for (id, _) in due { timers[id] = nil }
        return due.map(\.value.action)
    }

    /// The `epoll_wait` timeout: until the nearest deadline of a parked waiter or a timer, or -1 (for ever)
    /// when there is none.
    func timeoutMilliseconds(now: MonotonicInstant) -> Int32 {
        var nearest: MonotonicInstant?
        for entry in parkedWithDeadline.values where nearest.map({ entry.deadline < $0 }) ?? true {
            nearest = entry.deadline
        }
        for timer in timers.values where nearest.map({ timer.deadline < $0 }) ?? true { nearest = timer.deadline }
        guard let nearest else { return -1 }
        if nearest <= now { return 0 }
        let ms = (nearest.nanoseconds - now.nanoseconds + 999_999) / 1_000_000
        return Int32(min(ms, UInt64(Int32.max)))
    }
}
