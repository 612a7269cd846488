// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

extension ResponseWriter {
    /// The address of the client this response goes to (for `requestContext.http.sourceIp`).
    package var peerAddress: SocketAddress? { connectionSocket.peerAddress }

    /// Breaks off a response whose body cannot be completed, so that the client can tell it was cut short:
    /// the handler lets the thrown error propagate, and the connection then closes at once, without the
    /// terminating zero-length chunk (chunked) or before the declared `Content-Length` bytes. This takes the
    /// server's "peer gone" path (``SocketError/disconnected``): the server logs nothing above debug and sends
    /// nothing more. Before the head went out, the connection closes with no response at all.
    package func abort() throws(SocketError) -> Never {
        throw .disconnected
    }
}
