// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// What the rendezvous asks of the outside world. Called outside any lock, never concurrently for one event.
package protocol RuntimeControl: Sendable {
    /// An invocation became current and no runtime is known to be alive: start one (lazily, as AWS does).
    func startRuntime()
    /// Kill the runtime (timeout or init error); report its end later through `Rendezvous.runtimeExited`.
    func stopRuntime(reason: String)
    /// The runtime's first `/next` arrived: init is done (for `INIT RTDONE` / `INIT REPORT`).
    func runtimeInitialized()
}
