// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Logging
import Reactor

/// The accepting side of a listening socket: hands out accepted connections, riding out the errors that
/// `accept` reports about single connections and backing off when the process runs out of descriptors.
///
/// On `EMFILE`/`ENFILE` the pending connections stay in the kernel's backlog and the listener sleeps
/// (100 ms, doubling to 1 s) before trying again, so a descriptor shortage costs no CPU; the first
/// failure of each shortage is logged as a warning, and its end as a notice.
struct Listener {
    let socket: Socket
    let logger: Logger
    private var backoffMilliseconds = 0

    init(socket: Socket, logger: Logger) {
        self.socket = socket
        self.logger = logger
    }

    /// The next accepted connection (non-blocking, close-on-exec). Throws `CancellationError` when the task
    /// is cancelled, and ``SocketError/failed(call:errno:)`` for errors that mean the listener is broken.
    mutating func accept() async throws -> Socket {
        while true {
            do {
                let client = try await socket.untilReady(.read) { try socket.accept() }
                if backoffMilliseconds > 0 {
                    logger.notice("Accepting connections again")
                    backoffMilliseconds = 0
                }
                return client
            } catch SocketError.failed(_, let e) where e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM {
                if backoffMilliseconds == 0 {
                    logger.warning(
                        "Out of file descriptors or memory; backing off from accepting connections",
                        metadata: ["errno": "\(e)"])
                }
                backoffMilliseconds = min(max(backoffMilliseconds * 2, 100), 1000)
                try await Task.sleep(for: .milliseconds(backoffMilliseconds))
            } catch SocketError.failed(_, let e) where Self.concernsOneConnection(e) {
                logger.debug("accept failed for one connection", metadata: ["errno": "\(e)"])
            }
        }
    }

    /// Errors that `accept(2)` on Linux passes on from a single pending connection: retry at once.
    private static func concernsOneConnection(_ e: Int32) -> Bool {
        [ECONNABORTED, EPROTO, EPERM, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH]
            .contains(e)
    }
}
