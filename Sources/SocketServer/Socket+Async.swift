// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Reactor

/// Async I/O over a registered socket: try the syscall; if it would block, park on the poller; retry.
/// Only one task may wait on a socket per direction at a time (the poller's rule); a connection's socket is
/// used by one task at a time: its own, or one it lent its response writer to while it waits (a streamed
/// response's sink, `ResponseStream.deliver(to:)`).
extension Socket {
    /// Adds the socket to the shared poller. Call once, before the first async call.
    package func register() throws(SocketError) {
        do {
            try Poller.shared.register(fd)
        } catch {
            throw .failed(call: "epoll_ctl", errno: Self.errno(of: error))
        }
    }

    /// Removes the socket from the poller (failing any parked waiter), then closes it.
    package func deregisterAndClose() {
        Poller.shared.deregister(fd)
        close()
    }

    /// Runs `attempt` until it stops throwing ``SocketError/wouldBlock``, parking for `direction` between
    /// tries. A passed `deadline` throws ``SocketError/timedOut``; cancellation throws `CancellationError`.
    package func untilReady<T>(
        _ direction: Direction, deadline: MonotonicInstant? = nil, _ attempt: () throws -> T
    ) async throws -> T {
        while true {
            do {
                return try attempt()
            } catch SocketError.wouldBlock {
                do {
                    try await Poller.shared.wait(for: direction, on: fd, deadline: deadline)
                } catch ReactorError.timedOut {
                    throw SocketError.timedOut
                } catch ReactorError.deregistered {
                    throw SocketError.disconnected
                }
            }
        }
    }

    /// Sends all of `bytes`: one `send` unless the kernel takes only part of them (then the rest, after the
    /// socket is writable again). No deadline: a handler may stream to a slow reader for as long as it likes.
    package func sendAll(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            offset += try await untilReady(.write) {
                try bytes.withUnsafeBytes { try send(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            }
        }
    }

    /// Sends `head` and then `body`, both whole: one `sendmsg` of the two unless the kernel takes only part (then
    /// the rest once the socket is writable again). For a large body, which would otherwise be copied behind
    /// its head into one buffer.
    package func sendAll(_ head: [UInt8], _ body: [UInt8]) async throws {
        var offset = 0
        let total = head.count + body.count
        while offset < total {
            offset += try await untilReady(.write) {
                try head.withUnsafeBytes { h in
                    try body.withUnsafeBytes { b in
                        if offset < h.count { return try send(UnsafeRawBufferPointer(rebasing: h[offset...]), b) }
                        return try send(UnsafeRawBufferPointer(rebasing: b[(offset - h.count)...]))
                    }
                }
            }
        }
    }

    private static func errno(of error: ReactorError) -> Int32 {
        if case .failed(_, let e) = error { return e }
        return 0
    }
}
