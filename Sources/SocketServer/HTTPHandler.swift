// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1

/// Serves one request on a connection. Called in the connection's own task, one request at a time.
///
/// The handler reads the body (optionally) through `body` and answers through `response`. When it returns,
/// the server drains whatever body is left unread and finishes the response if the handler did not, then
/// reads the next request on a keep-alive connection. Throwing closes the connection.
package protocol HTTPHandler: Sendable {
    func handle(_ head: RequestHead, body: RequestBody, response: ResponseWriter) async throws
}

/// Knobs of one listener.
package struct ServerConfiguration: Sendable {
    package var limits = HTTPLimits()
    /// How long a client may take to send a whole request head, from its first byte (or from the end of the
    /// previous response on keep-alive). 408 is not sent; the connection is closed.
    package var headReadTimeoutMilliseconds = 30_000
    /// How long a keep-alive connection may sit with no request at all.
    package var idleTimeoutMilliseconds = 120_000
    /// Largest piece `RequestBody.read()` returns.
    package var bodyPieceBytes = 4096
    package init() {}
}
