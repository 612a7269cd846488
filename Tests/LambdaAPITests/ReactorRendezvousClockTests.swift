// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import Locking
import Reactor
import Testing

@testable import LambdaAPI

/// The emulator's rendezvous clock: invocation timeouts as poller deadlines.
@Suite(.timeLimit(.minutes(1)))
struct ReactorRendezvousClockTests {
    @Test("wall time comes from the closure it is given")
    func wallTime() {
        let clock = ReactorRendezvousClock(epochMilliseconds: { 1_700_000_000_456 })
        #expect(clock.epochMilliseconds() == 1_700_000_000_456)
    }

    @Test("a timer fires on the epoll thread, no earlier than its delay")
    func timerFires() async {
        let clock = ReactorRendezvousClock(epochMilliseconds: { 0 })
        let start = MonotonicInstant.now
        let (elapsed, onPoller) = await withCheckedContinuation { continuation in
            _ = clock.startTimer(milliseconds: 25) {
                let elapsed = MonotonicInstant.now.milliseconds(since: start)
                continuation.resume(returning: (elapsed, Poller.shared.isCurrentThread))
            }
        }
        #expect(elapsed >= 25)
        #expect(onPoller)
    }

    @Test("a cancelled timer never fires, while a later one does")
    func cancelledTimerNeverFires() async {
        let clock = ReactorRendezvousClock(epochMilliseconds: { 0 })
        let fired = Lock<[String]>([])
        clock.startTimer(milliseconds: 10) { fired.withLock { $0.append("cancelled") } }.cancel()
        // Poller timers fire in deadline order: when the 30 ms one fires, the 10 ms one's time had come.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            _ = clock.startTimer(milliseconds: 30) {
                fired.withLock { $0.append("later") }
                continuation.resume()
            }
        }
        #expect(fired.withLock { $0 } == ["later"])
    }

    @Test("the rendezvous times an invocation out on the poller")
    func rendezvousTimesOut() async throws {
        let control = StubControl()
        let rendezvous = Rendezvous(control: control, clock: ReactorRendezvousClock(epochMilliseconds: { 0 }))
        async let outcome = rendezvous.invoke(Invocation(id: "a", payload: [], timeoutSeconds: 1))
        let delivered = try await rendezvous.next()
        #expect(delivered.id == "a")
        if case .timedOut(let seconds) = await outcome {
            #expect(seconds == 1)
        } else {
            Issue.record("expected a timeout")
        }
    }
}

/// A runtime control that does nothing: the runtime is the test itself.
private final class StubControl: RuntimeControl {
    func startRuntime() {}
    func stopRuntime(reason: String) {}
    func runtimeInitialized() {}
}
