// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1

/// The body of one request, read as a stream in pieces of at most 4 KiB. INTERFACE STUB.
/// Owned by the connection's task; not shared.
package final class RequestBody {
    /// The next piece of body data, or `nil` once the body has ended (then ``trailers`` is final).
    /// Sends `100 Continue` before the first read when the client asked for it.
    /// Throws `HTTPParseError` for malformed chunking, `SocketError.disconnected` when the peer went away
    /// mid-body.
    package func read() async throws -> ArraySlice<UInt8>? { fatalError("stub") }

    /// Reads the whole body; throws `HTTPParseError.bodyTooLarge` once more than `limit` bytes arrived
    /// (the rest is left for the server to drain or the connection to close).
    package func collect(upTo limit: Int) async throws -> [UInt8] { fatalError("stub") }

    /// Trailer fields of a chunked body, available after `read()` returned `nil`.
    package var trailers: HTTPHeaders { fatalError("stub") }
}
