// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Reactor

/// The body of one request, read as a stream in pieces of at most `bodyPieceBytes` (4 KiB). Owned by the
/// connection's task; not shared.
///
/// It never buffers the whole body: each ``read()`` returns bytes already in the connection's input buffer
/// (those that arrived with the head first), or receives once more into that buffer. A piece is a slice of
/// the buffer, valid as long as the caller keeps it (the buffer is copied on write if a piece is still held
/// when the next bytes arrive); its indices are buffer positions, not zero-based. Chunked bodies are decoded
/// with ``ChunkedDecoder``; their trailers are in ``trailers`` once ``read()`` returned `nil`.
package final class RequestBody {
    private enum Framing {
        case contentLength(remaining: Int)
        case chunked
        case ended
    }

    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    let connection: Connection
    private var framing: Framing
    private var decoder: ChunkedDecoder
    /// Chunk data the decoder located in the input buffer but not yet handed out (absolute positions).
    private var pending: Range<Int> = 0..<0
    /// `Expect: 100-continue` was sent and `100 Continue` has not been answered (or skipped) yet.
    private var continuePending: Bool
    private var failure: (any Error)?
    /// The handler asked for body bytes at least once.
    private var readStarted = false
    private var receivedTrailers = HTTPHeaders()
    private let pieceBytes: Int
    /// The most input that chunk framing (a size line, or the trailer section) may need buffered at once.
    private let framingCapacity: Int

    init(head: RequestHead, connection: Connection) {
        self.connection = connection
        let configuration = connection.configuration
        switch head.framing {
        case .none: framing = .ended
        case .contentLength(let length): framing = length > 0 ? .contentLength(remaining: length) : .ended
        case .chunked: framing = .chunked
        }
        decoder = ChunkedDecoder(limits: configuration.limits)
        if case .ended = framing { continuePending = false } else { continuePending = head.expectsContinue }
        pieceBytes = max(configuration.bodyPieceBytes, 1)
        framingCapacity = max(
            connection.input.baseCapacity,
            configuration.limits.maxChunkLineBytes + configuration.limits.maxTrailerBytes + 1024)
    }

    /// The next piece of body data, or `nil` once the body has ended (then ``trailers`` is final).
    /// Sends `100 Continue` before the first read when the client asked for it.
    /// Throws `HTTPParseError` for malformed chunking, `SocketError.disconnected` when the peer went away
    /// mid-body.
    package func read() async throws -> ArraySlice<UInt8>? {
        try await read(deadline: nil)
    }

    /// What one receive brought, as one piece: like ``read()``, and then every further piece of data already in
    /// the input buffer (no other receive), across the sender's chunk boundaries, up to `bodyPieceBytes` in
    /// all, copied into one array. So a relay does one `send` per `read(2)` however the sender chunked its
    /// writes, as Go's `io.Copy` through a 4 KiB buffer does. Malformed framing met after the first piece
    /// is reported by the next call, so the bytes before it are still delivered.
    package func readCoalesced() async throws -> [UInt8]? {
        guard let first = try await read() else { return nil }
        if pending.isEmpty, connection.input.isEmpty { return Array(first) }
        var merged = [UInt8]()
        merged.reserveCapacity(pieceBytes)
        merged.append(contentsOf: first)
        while merged.count < pieceBytes, failure == nil {
            if !pending.isEmpty {
                merged.append(contentsOf: takePending(upTo: pieceBytes - merged.count))
                continue
            }
            guard case .chunked = framing else { break }
            do {
                guard case .data = try decodeBuffered() else { break }
            } catch {
                failure = error
            }
        }
        return merged
    }

    /// Reads the whole body; throws `HTTPParseError.bodyTooLarge` once more than `limit` bytes arrived
    /// (the rest is left for the server to drain or the connection to close). A `Content-Length` over the
    /// limit throws before anything is read (and before `100 Continue`).
    package func collect(upTo limit: Int) async throws -> [UInt8] {
        if case .contentLength(let remaining) = framing, !readStarted {
            guard remaining <= limit else { throw HTTPParseError.bodyTooLarge }
            return try await collectDeclared(remaining)
        }
        var bytes: [UInt8] = []
        while let piece = try await read() {
            guard bytes.count + piece.count <= limit else { throw HTTPParseError.bodyTooLarge }
            bytes.append(contentsOf: piece)
        }
        return bytes
    }

    /// The `Content-Length` of a body nothing has been read of yet; nil for chunked, bodiless or started bodies.
    package var declaredLength: Int? {
        guard !readStarted, case .contentLength(let remaining) = framing else { return nil }
        return remaining
    }

    /// A `Content-Length` body read whole, straight into the result: the bytes already buffered, then receives
    /// into the result's free room (a 6 MB payload takes a few dozen receives instead of 1,500 into the 4 KiB
    /// input buffer, and no second copy). The declared length is reserved but only touched as bytes arrive:
    /// the room grows by doubling from 64 KiB, so a client that declares 6 MB and sends little holds little
    /// memory (untouched reserved pages are not resident).
    private func collectDeclared(_ length: Int) async throws -> [UInt8] {
        readStarted = true
        do {
            if continuePending { try await sendContinue() }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(length)
            bytes.append(contentsOf: connection.input.take(upTo: length))
            var filled = bytes.count
            let socket = connection.socket
            while filled < length {
                if filled == bytes.count {
                    let room = min(length - bytes.count, max(Self.initialCollectRoom, bytes.count))
                    bytes.append(contentsOf: repeatElement(0, count: room))
                }
                filled += try await socket.untilReady(.read) {
                    try bytes.withUnsafeMutableBytes { raw in
                        try socket.receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                    }
                }
            }
            framing = .ended
            return bytes
        } catch {
            failure = error
            throw error
        }
    }

    /// The first room ``collectDeclared(_:)`` makes for a body that is not yet buffered.
    static let initialCollectRoom = 64 * 1024

    /// Trailer fields of a chunked body, available after `read()` returned `nil`.
    package var trailers: HTTPHeaders { receivedTrailers }

    /// The whole body has been read.
    var isComplete: Bool {
        if case .ended = framing, pending.isEmpty, failure == nil { return true }
        return false
    }

    /// Whether the connection must close rather than read the rest of this body after the response: the
    /// client still waits for `100 Continue`, the declared rest exceeds `drainLimit`, or reading failed.
    func mustCloseIfUnread(drainLimit: Int) -> Bool {
        if isComplete { return false }
        if continuePending || failure != nil { return true }
        if case .contentLength(let remaining) = framing, remaining > drainLimit { return true }
        return false
    }

    /// Reads and discards the rest of the body, at most `limit` bytes, each receive bounded by `deadline`.
    /// `true` when the body ended, so the next request can be read.
    func drain(upTo limit: Int, deadline: MonotonicInstant?) async -> Bool {
        if isComplete { return true }
        if mustCloseIfUnread(drainLimit: limit) { return false }
        var total = 0
        do {
            while let piece = try await read(deadline: deadline) {
                total += piece.count
                if total > limit { return false }
            }
            return true
        } catch {
            return false
        }
    }

    /// Reads and discards the whole body, checking its framing, for a handler that takes no body but must not
    /// act on a request that turns out malformed (the Runtime API's `/next`). Throws as
    /// ``settleUnread(limit:deadline:)`` does; does nothing once the handler has read.
    package func discard() async throws {
        try await connection.settleUnread(self)
    }

    /// Before the first byte of a response to a request whose body the handler never read (an unknown route, a
    /// 405, a route that takes no body): reads and discards that body, so the request is answered only once it
    /// is known to be whole and well framed, and a malformed chunk gets 400 rather than the handler's status.
    /// Skipped when the client still waits for `100 Continue` (the connection closes after the answer instead).
    /// Throws `HTTPParseError` for bad framing, `.bodyTooLarge` (413) when the body is over `limit`,
    /// `SocketError.disconnected` when the peer went away or the body did not arrive by `deadline`.
    func settleUnread(limit: Int, deadline: MonotonicInstant?) async throws {
        guard !readStarted, !isComplete, !continuePending else { return }
        readStarted = true
        if case .contentLength(let remaining) = framing, remaining > limit { throw HTTPParseError.bodyTooLarge }
        var total = 0
        do {
            while let piece = try await read(deadline: deadline) {
                total += piece.count
                if total > limit { throw HTTPParseError.bodyTooLarge }
            }
        } catch SocketError.timedOut {
            throw SocketError.disconnected
        }
    }

    func read(deadline: MonotonicInstant?) async throws -> ArraySlice<UInt8>? {
        readStarted = true
        if let failure { throw failure }
        do {
            return try await nextPiece(deadline: deadline)
        } catch {
            failure = error
            throw error
        }
    }

    private func nextPiece(deadline: MonotonicInstant?) async throws -> ArraySlice<UInt8>? {
        if !pending.isEmpty { return takePending() }
        switch framing {
        case .ended:
            return nil
        case .contentLength(let remaining):
            if continuePending { try await sendContinue() }
            if connection.input.isEmpty {
                _ = try await connection.fill(maxCapacity: connection.input.capacity, deadline: deadline)
            }
            let piece = connection.input.take(upTo: min(remaining, pieceBytes))
            framing = piece.count == remaining ? .ended : .contentLength(remaining: remaining - piece.count)
            return piece
        case .chunked:
            if continuePending { try await sendContinue() }
            return try await nextChunkPiece(deadline: deadline)
        }
    }

    private func nextChunkPiece(deadline: MonotonicInstant?) async throws -> ArraySlice<UInt8>? {
        while true {
            switch try decodeBuffered() {
            case .data: return takePending()
            case .ended: return nil
            case .needMore: break
            }
            guard try await connection.fill(maxCapacity: framingCapacity, deadline: deadline) else {
                throw HTTPParseError.invalidChunk("chunk framing longer than \(framingCapacity) bytes")
            }
        }
    }

    /// What the chunked decoder makes of the bytes already in the input buffer, without receiving.
    private enum BufferedStep {
        /// Chunk data is now `pending`.
        case data
        case ended
        case needMore
    }

    /// Decodes from the input buffer only: up to the next chunk data (then in `pending`), the end of the body
    /// (then ``trailers`` is set), or `.needMore` when the buffer holds no further whole framing.
    private func decodeBuffered() throws -> BufferedStep {
        while !connection.input.isEmpty {
            let base = connection.input.start
            let step = connection.input.withUnread { decoder.decode($0) }
            switch step {
            case .data(let range, let consumed):
                connection.input.consume(consumed)
                if !range.isEmpty {
                    pending = (base + range.lowerBound)..<(base + range.upperBound)
                    return .data
                }
                if consumed == 0 { return .needMore }
            case .needMore(let consumed):
                connection.input.consume(consumed)
                return .needMore
            case .end(let trailers, let consumed):
                connection.input.consume(consumed)
                receivedTrailers = trailers
                framing = .ended
                return .ended
            case .invalid(let error):
                throw error
            }
        }
        return .needMore
    }

    private func takePending(upTo limit: Int? = nil) -> ArraySlice<UInt8> {
        let end = pending.lowerBound + min(pending.count, limit ?? pieceBytes)
        defer { pending = end..<pending.upperBound }
        return connection.input.slice(pending.lowerBound..<end)
    }

    /// Answers `Expect: 100-continue`, unless a final response already went out (then it is too late).
    private func sendContinue() async throws {
        continuePending = false
        guard !connection.responseStarted else { return }
        try await connection.socket.sendAll(Self.continueResponse)
    }
}
