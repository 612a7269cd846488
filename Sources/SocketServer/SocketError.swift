// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Everything that can go wrong on a socket, as facts. `errno` is captured right after the failing call.
package enum SocketError: Error, Equatable, Sendable {
    /// The non-blocking call would block (`EAGAIN`). Internal to the "try, park, retry" loop; never escapes
    /// an `async` socket call.
    case wouldBlock
    /// The peer went away: end of stream where more was expected, `EPIPE`, `ECONNRESET`, or the socket was
    /// shut down under us (server stopping).
    case disconnected
    /// A poller deadline (head-read, idle or lingering-close timeout) passed first.
    case timedOut
    /// An address string that is not `host:port`, `[v6]:port` or `:port`, or a port outside 0...65535.
    case invalidAddress(String)
    /// Any other failed syscall.
    case failed(call: String, errno: Int32)
}
