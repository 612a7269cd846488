// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Logging

/// One listening socket and the connections it accepts. INTERFACE STUB.
package final class HTTPServer: Sendable {
    /// Binds and listens on `address` (`host:port`, IPv4 or `[v6]:port`; port 0 picks one).
    package init(address: String, configuration: ServerConfiguration, handler: some HTTPHandler, logger: Logger) throws {
        fatalError("stub")
    }
    /// The port actually bound.
    package var port: Int { fatalError("stub") }
    /// Accepts connections until the task is cancelled; then closes the listener and every connection.
    package func run() async throws { fatalError("stub") }
}
