// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Glibc
import Reactor

/// The watcher that reaps the child as soon as it exits, started by `init`. It holds the process object until
/// then, so an abandoned `RuntimeProcess` still gets reaped.
extension RuntimeProcess {
    func startWatching(_ mode: ExitWatch) {
        switch mode {
        case .pidfd:
            let pidfd = cshims_pidfd_open(pid)
            guard pidfd >= 0 else { return startWatching(.thread) }
            do {
                try Poller.shared.register(pidfd)
            } catch {
                close(pidfd)
                return startWatching(.thread)
            }
            Task { await self.watch(pidfd: pidfd) }
        case .thread:
            if !startWaitThread() { startWatching(.polling) }
        case .polling:
            Task { await self.poll() }
        }
    }

    /// A pidfd becomes readable when the process exits. Edge-triggered: the poller remembers an edge that came
    /// before the wait, and registration reports an exit that happened before it.
    private func watch(pidfd: Int32) async {
        defer {
            Poller.shared.deregister(pidfd)
            close(pidfd)
        }
        while !reapIfExited() {
            do {
                try await Poller.shared.wait(for: .read, on: pidfd)
            } catch {
                // Not expected (nobody cancels or deregisters this wait); never leave the child unwatched.
                startWatching(.thread)
                return
            }
        }
    }

    /// One dedicated thread blocks in `waitid(WNOWAIT)`, which does not reap; the reap itself then happens under
    /// the lock in ``reapIfExited()``, ordered against any signal. Returns false if the thread cannot start.
    private func startWaitThread() -> Bool {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let process = Unmanaged<RuntimeProcess>.fromOpaque(raw).takeRetainedValue()
            var value: Int32 = 0
            while cshims_waitid_exit(process.pid, WNOWAIT, &value) == 0 {}
            process.reapIfExited()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<RuntimeProcess>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    /// Last resort when no thread can be created: look every 10 ms, never blocking.
    private func poll() async {
        while !reapIfExited() {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
