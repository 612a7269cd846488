// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import Reactor

/// The emulator's rendezvous clock: wall time from `CLOCK_REALTIME`, invocation timeouts on the epoll reactor.
///
/// A timeout is one entry in the poller's deadline table (``Poller/schedule(at:_:)``), fired on the epoll
/// thread, and cancelled by removing the entry: no task, no `Task.sleep` and no thread hop per invoke. (A
/// timer task per invoke cost a task creation, a cancelled sleep left in the runtime's delay queue, and
/// wake-ups of the cooperative pool: about a third of an invoke's latency, measured by Scripts/bench.)
struct ReactorRendezvousClock: RendezvousClock {
    let poller: Poller
    private let sleeper: ContinuousRendezvousClock

    init(poller: Poller = .shared, epochMilliseconds: @escaping @Sendable () -> Int64 = WallClock.milliseconds) {
        self.poller = poller
        self.sleeper = ContinuousRendezvousClock(epochMilliseconds: epochMilliseconds)
    }

    func epochMilliseconds() -> Int64 { sleeper.epochMilliseconds() }

    func sleep(milliseconds: Int64) async throws { try await sleeper.sleep(milliseconds: milliseconds) }

    func startTimer(milliseconds: Int64, fire: @escaping @Sendable () -> Void) -> any RendezvousTimer {
        let clamped = Int(min(max(milliseconds, 0), Int64(Int32.max) * 1000))
        let timer = poller.schedule(at: MonotonicInstant.now.advanced(byMilliseconds: clamped), fire)
        return ReactorTimer(poller: poller, timer: timer)
    }
}

/// An invocation timeout on the poller; cancelling removes its entry.
struct ReactorTimer: RendezvousTimer {
    let poller: Poller
    let timer: PollerTimer

    func cancel() { poller.cancelTimer(timer) }
}
