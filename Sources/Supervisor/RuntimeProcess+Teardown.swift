// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Graceful teardown, in swift-subprocess's model: SIGTERM to the group, wait, and the last step always kills.
extension RuntimeProcess {
    /// SIGTERM to the process group, waits up to `graceMilliseconds` for the leader to exit, then SIGKILL to the
    /// group; returns the exit status. Returns at once, sending nothing, if the process has already been reaped.
    /// Cancelling the calling task cuts the grace short: it goes straight to SIGKILL.
    package func terminate(graceMilliseconds: Int) async -> ExitStatus {
        if let status = currentStatus { return status }
        signalGroup(SIGTERM)
        if graceMilliseconds > 0, let status = await exitStatus(withinMilliseconds: graceMilliseconds) {
            return status
        }
        kill()
        return await exitStatus()
    }

    /// The exit status if the process exits within `milliseconds`; nil on timeout or cancellation.
    private func exitStatus(withinMilliseconds milliseconds: Int) async -> ExitStatus? {
        await withTaskGroup(of: ExitStatus?.self) { group in
            group.addTask { await self.awaitExit(cancellable: true) }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
