// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Locking

/// The open connections of one server, so that stopping the server can shut every one of them down at once,
/// including a connection whose handler is parked on something other than its socket.
///
/// A connection is tracked from just after `accept` until just before its descriptor is closed, and both
/// steps take the lock that ``shutDownAll()`` holds: a descriptor is never shut down after it was closed (its
/// number may already belong to another file).
final class ConnectionRegistry: Sendable {
    private struct State {
        var open: Set<Int32> = []
        var stopping = false
    }
    private let state = Lock(State())

    /// Starts tracking `socket`; `false` when the server is already stopping (close it at once).
    func track(_ socket: Socket) -> Bool {
        state.withLock { state in
            guard !state.stopping else { return false }
            state.open.insert(socket.fd)
            return true
        }
    }

    /// Stops tracking `socket`. Call before closing it.
    func untrack(_ socket: Socket) {
        _ = state.withLock { $0.open.remove(socket.fd) }
    }

    /// Refuses new connections and shuts down both directions of every open one: parked reads and writes
    /// wake up and fail, peers see the connection end.
    func shutDownAll() {
        state.withLock { state in
            state.stopping = true
            for fd in state.open { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    var count: Int { state.withLock { $0.open.count } }
}
