// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import HTTP1
import Logging
import Synchronization

/// One listening socket and the connections it accepts.
///
/// `init` binds and listens (so the port is known, and taken, before anything runs); ``run()`` accepts
/// connections, each served by its own child task of a discarding task group, until the task is cancelled.
/// Cancelling closes the listener and shuts down every open connection — also those whose handler is parked
/// on something else than its socket; `run()` returns once every connection task has ended. A server runs
/// once; a server that never ran closes its listener when released.
package final class HTTPServer: Sendable {
    private enum Phase: Int { case bound, running, closed }

    private let listener: Socket
    private let configuration: ServerConfiguration
    private let handler: any HTTPHandler
    private let logger: Logger
    private let connections = ConnectionRegistry()
    private let phase = Atomic<Int>(Phase.bound.rawValue)

    /// The address actually bound (with the port the kernel picked for port 0).
    package let boundAddress: SocketAddress

    /// Binds and listens on `address` (`host:port`, IPv4 or `[v6]:port`; port 0 picks one).
    package init(address: String, configuration: ServerConfiguration, handler: some HTTPHandler, logger: Logger) throws {
        _ = Self.ignoreSIGPIPE
        let parsed = try SocketAddress(parsing: address)
        let listener = try Socket.listening(on: parsed)
        do {
            boundAddress = try listener.localAddress()
        } catch {
            listener.close()
            throw error
        }
        self.listener = listener
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
    }

    deinit {
        if phase.load(ordering: .acquiring) == Phase.bound.rawValue { listener.close() }
    }

    /// The port actually bound.
    package var port: Int { boundAddress.port }

    /// How many connections are open right now.
    package var openConnections: Int { connections.count }

    /// Accepts connections until the task is cancelled; then closes the listener and every connection.
    /// Throws ``SocketError`` when the listener fails for good (or when called a second time).
    package func run() async throws {
        guard
            phase.compareExchange(expected: Phase.bound.rawValue, desired: Phase.running.rawValue, ordering: .acquiringAndReleasing)
                .exchanged
        else { throw SocketError.failed(call: "HTTPServer.run", errno: EALREADY) }
        defer {
            listener.deregisterAndClose()
            phase.store(Phase.closed.rawValue, ordering: .releasing)
        }
        try listener.register()
        logger.debug("Listening", metadata: ["address": "\(boundAddress)"])
        var failure: (any Error)?
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                var accepting = Listener(socket: listener, logger: logger)
                var nextID = 0
                while true {
                    let client: Socket
                    do {
                        client = try await accepting.accept()
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.error("Listener failed: \(error)", metadata: ["address": "\(boundAddress)"])
                        failure = error
                        break
                    }
                    nextID += 1
                    let id = nextID
                    group.addTask { await self.serve(client, id: id) }
                }
                connections.shutDownAll()
                group.cancelAll()
            }
        } onCancel: {
            connections.shutDownAll()
        }
        if let failure { throw failure }
    }

    /// One connection's task: track it, set it up, run its keep-alive loop, untrack and close it.
    private func serve(_ socket: Socket, id: Int) async {
        guard connections.track(socket) else {
            socket.close()
            return
        }
        defer {
            connections.untrack(socket)
            socket.deregisterAndClose()
        }
        var logger = logger
        logger[metadataKey: "connection.id"] = "\(id)"
        do {
            // Small writes (a chunk, a head) go out at once; the data path already makes one send per flush.
            try socket.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            try socket.register()
        } catch {
            logger.warning("Cannot set up connection: \(error)")
            return
        }
        logger.debug("Connection opened")
        await Connection(socket: socket, configuration: configuration, handler: handler, logger: logger).serve()
        logger.debug("Connection closed")
    }

    /// A send to a vanished peer must fail with `EPIPE`, not kill the process: every send passes
    /// `MSG_NOSIGNAL`, and the signal is ignored once, when the first server is created, for any other path.
    private static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}
