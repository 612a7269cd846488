// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1

/// Writes one response. INTERFACE STUB.
///
/// `writeHead` only records the head; it goes out with the first `write` or with `finish`, in the same
/// `send`. Every `write` is exactly one `send` (the flush), framed as a chunk when the head carried no
/// `Content-Length`. `finish` sends the last chunk with trailers (chunked) and completes the response.
/// A peer that went away makes these throw `SocketError.disconnected`.
package final class ResponseWriter {
    package func writeHead(status: Int, headers: HTTPHeaders) { fatalError("stub") }
    package func write(_ bytes: UnsafeRawBufferPointer) async throws { fatalError("stub") }
    package func write(_ bytes: [UInt8]) async throws { fatalError("stub") }
    package func finish(trailers: HTTPHeaders = HTTPHeaders()) async throws { fatalError("stub") }
    /// Head + whole body with `Content-Length`, in one `send`.
    package func respond(status: Int, headers: HTTPHeaders, body: [UInt8]) async throws { fatalError("stub") }
    /// Whether the head has been sent.
    package var headSent: Bool { fatalError("stub") }
}
