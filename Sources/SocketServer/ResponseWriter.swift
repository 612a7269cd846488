// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1

/// Writes one response on its connection. Owned by the connection's task, like the request it answers (which may
/// lend it to one other task at a time while it waits, as the sink of a streamed response).
///
/// The Life Of A Write (every `write` is exactly one flush):
///
///  1. `writeHead(status:headers:)` only records the head; nothing is sent. Before the head goes out, a request
///     body the handler never read is read and discarded (and a malformed one answered with its error instead).
///  2. The first `write(_:)` (or `finish`, or `respond`) commits the head: the writer picks the framing — the
///     head's `Content-Length`; else `Transfer-Encoding: chunked`, which it adds itself (HTTP/1.1); else the raw
///     bytes until the connection closes (HTTP/1.0); or no body at all (HEAD, 1xx, 204, 304) — sets
///     `Connection: close` when the connection will close after this response (or `keep-alive` for an HTTP/1.0
///     client that asked for it), and serializes the head into the connection's reused output buffer.
///  3. The bytes are appended to that buffer after the head, framed as one chunk (`<hex>\r\n` data `\r\n`) when
///     chunked. This is the one copy of the body bytes.
///  4. `Socket.sendAll`: one `send(2)` with `MSG_NOSIGNAL` of head and data together, so a response never
///     waits for a delayed ACK between them. Only a partial send or `EAGAIN` makes a second call, after the
///     poller reports the socket writable. Nothing is held back: accepted sockets have `TCP_NODELAY`.
///  5. The kernel's send buffer, then the peer. When `write` returns, the bytes are in the kernel.
///
/// `finish(trailers:)` goes through 2–4 with `0\r\n` + trailers + `\r\n` (chunked), or just completes.
/// `respond(status:headers:body:)` goes through 2–4 once, with `Content-Length` and the whole body.
/// A peer that went away fails step 4 with ``SocketError/disconnected``; the writer is then finished.
/// A write of no bytes is a no-op: an empty chunk would end the body.
package final class ResponseWriter {
    private enum Framing: Equatable {
        case contentLength(remaining: Int)
        case chunked
        case untilClose
        case bodiless
    }
    private enum State {
        case idle
        case recorded(status: Int, headers: HTTPHeaders)
        case streaming(Framing)
        case finished
    }

    private let connection: Connection
    /// The connection's socket, for what its extensions may ask of it (the peer's address).
    var connectionSocket: Socket { connection.socket }
    private let request: RequestHead
    private let body: RequestBody
    private var state = State.idle
    /// Whether the connection closes after this response (decided when the head is committed).
    private(set) var closesConnection = false

    init(request: RequestHead, body: RequestBody, connection: Connection) {
        self.request = request
        self.body = body
        self.connection = connection
    }

    /// Records the head; it is sent with the first `write`, `finish` or `respond`. Has no effect once the
    /// head was sent.
    package func writeHead(status: Int, headers: HTTPHeaders) {
        switch state {
        case .idle, .recorded: state = .recorded(status: status, headers: headers)
        case .streaming, .finished: break
        }
    }

    /// Sends `bytes` as one flush: with the head if it has not gone out yet (a handler that wrote no head gets
    /// `200` with no fields), framed as a chunk when the head has no `Content-Length`, dropped for a response
    /// without a body (HEAD, 204, 304). Empty `bytes` do nothing. Throws ``SocketError/disconnected`` when the
    /// peer is gone, ``ResponseWriterError/contentLengthExceeded`` past the declared length, and
    /// ``ResponseWriterError/finished`` after `finish` or `respond`.
    package func write(_ bytes: UnsafeRawBufferPointer) async throws {
        guard !bytes.isEmpty else { return }
        try await settleBeforeHead()
        try frame(bytes)
        try await flush()
    }

    /// The same as the pointer variant, for an array.
    package func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await settleBeforeHead()
        try bytes.withUnsafeBytes { try frame($0) }
        try await flush()
    }

    /// Completes the response: the last chunk and `trailers` when chunked (trailers are dropped otherwise).
    /// Sends the head first, in the same `send`, if it has not gone out yet (a recorded head without
    /// `Content-Length` and no trailers gets `Content-Length: 0`; no head at all means `200`). Throws
    /// ``ResponseWriterError/contentLengthShort`` when fewer bytes than the declared `Content-Length` were
    /// written (the connection then closes). Finishing twice does nothing.
    package func finish(trailers: HTTPHeaders = HTTPHeaders()) async throws {
        let framing: Framing
        switch state {
        case .finished: return
        case .streaming(let current): framing = current
        case .idle, .recorded:
            try await settleBeforeHead()
            let (status, headers) = recordedHead
            let empty = trailers.isEmpty && !headers.contains("Content-Length") && request.method != "HEAD"
            framing = commitHead(status: status, headers: headers, bodyLength: empty ? 0 : nil)
        }
        state = .finished
        switch framing {
        case .chunked: ResponseSerializer.appendLastChunk(trailers: trailers, to: &connection.output)
        case .contentLength(let remaining) where remaining > 0:
            closesConnection = true
            try await flush()
            throw ResponseWriterError.contentLengthShort
        case .contentLength, .untilClose, .bodiless: break
        }
        try await flush()
    }

    /// Head + whole body with `Content-Length`, in one `send`. Throws ``ResponseWriterError/headAlreadySent``
    /// when the head went out before.
    package func respond(status: Int, headers: HTTPHeaders, body: [UInt8]) async throws {
        switch state {
        case .idle, .recorded: break
        case .streaming, .finished: throw ResponseWriterError.headAlreadySent
        }
        try await settleBeforeHead()
        let framing = commitHead(status: status, headers: headers, bodyLength: body.count)
        state = .finished
        if framing != .bodiless && body.count > Self.copiedBodyLimit {
            try await flush(then: body)  // head and body in one sendmsg, the body not copied
            return
        }
        if framing != .bodiless { connection.output.append(contentsOf: body) }
        try await flush()
    }

    /// Bodies up to this size are copied behind the head and sent with it; larger ones go out from where they
    /// are, in the same `sendmsg` as the head (a 6 MB payload is not copied twice on its way to the runtime).
    static let copiedBodyLimit = 64 * 1024

    /// Step 0, before the head: a request body the handler never read is read and discarded first, so a
    /// malformed or oversized body is answered with its own error (the call throws it) and not with the
    /// handler's status (``RequestBody/settleUnread(limit:deadline:)``).
    private func settleBeforeHead() async throws {
        guard !headSent else { return }
        try await connection.settleUnread(body)
    }

    /// Whether the head has been sent.
    package var headSent: Bool {
        switch state {
        case .idle, .recorded: false
        case .streaming, .finished: true
        }
    }

    /// Nothing was recorded or sent: the handler did not answer at all.
    var isUntouched: Bool {
        if case .idle = state { return true }
        return false
    }

    /// The head to commit: the recorded one, or `200` with no fields.
    private var recordedHead: (Int, HTTPHeaders) {
        if case .recorded(let status, let headers) = state { return (status, headers) }
        return (200, HTTPHeaders())
    }

    /// Steps 2 and 3: commits the head if needed and appends `bytes`, framed, to the output buffer. The bytes
    /// are copied before anything suspends, so a caller's pointer never outlives the call.
    private func frame(_ bytes: UnsafeRawBufferPointer) throws {
        var framing = try framingCommittingHead()
        switch framing {
        case .contentLength(let remaining):
            guard bytes.count <= remaining else {
                state = .finished
                closesConnection = true
                throw ResponseWriterError.contentLengthExceeded
            }
            connection.output.append(contentsOf: bytes)
            framing = .contentLength(remaining: remaining - bytes.count)
        case .chunked: ResponseSerializer.appendChunk(bytes, to: &connection.output)
        case .untilClose: connection.output.append(contentsOf: bytes)
        case .bodiless: break
        }
        state = .streaming(framing)
    }

    private func framingCommittingHead() throws -> Framing {
        switch state {
        case .finished: throw ResponseWriterError.finished
        case .streaming(let framing): return framing
        case .idle, .recorded:
            let (status, headers) = recordedHead
            return commitHead(status: status, headers: headers, bodyLength: nil)
        }
    }

    /// Step 2: decides framing and connection persistence, and serializes the head into the output buffer.
    /// `bodyLength` is the exact body size when the caller knows it (`respond`, empty `finish`).
    private func commitHead(status: Int, headers: HTTPHeaders, bodyLength: Int?) -> Framing {
        var headers = headers
        headers.remove("Transfer-Encoding")
        let noBodyAllowed = status < 200 || status == 204 || status == 304
        let bodiless = noBodyAllowed || request.method == "HEAD"
        var framing: Framing
        if noBodyAllowed {
            headers.remove("Content-Length")
            framing = .bodiless
        } else if let length = bodyLength {
            headers.set("Content-Length", String(length))
            framing = bodiless ? .bodiless : .contentLength(remaining: length)
        } else if let declared = headers["Content-Length"].flatMap({ Int($0) }), declared >= 0 {
            headers.set("Content-Length", String(declared))
            framing = bodiless ? .bodiless : .contentLength(remaining: declared)
        } else {
            headers.remove("Content-Length")
            if bodiless {
                framing = .bodiless
            } else if request.version == .http1_0 {
                framing = .untilClose
            } else {
                headers.add("Transfer-Encoding", "chunked")
                framing = .chunked
            }
        }
        let handlerCloses = headers.values("Connection").contains { value in
            value.split(separator: ",").contains { String($0.trimmingSpaces).equalsIgnoringASCIICase("close") }
        }
        closesConnection = handlerCloses || framing == .untilClose || connection.mustClose(after: request, body: body)
        if closesConnection {
            headers.set("Connection", "close")
        } else if request.version == .http1_0 {
            headers.set("Connection", "keep-alive")
        }
        if !headers.contains("Date") { headers.add("Date", HTTPDate.now()) }
        ResponseSerializer.appendHead(status: status, headers: headers, to: &connection.output)
        connection.responseStarted = true
        return framing
    }

    /// Step 4, with the writer finished for good when the peer is gone.
    private func flush(then body: [UInt8]? = nil) async throws {
        do {
            if let body { try await connection.flush(then: body) } else { try await connection.flush() }
        } catch {
            state = .finished
            closesConnection = true
            throw error
        }
    }
}

/// A handler used a ``ResponseWriter`` against its own declared framing. The connection closes.
package enum ResponseWriterError: Error, Equatable, Sendable {
    /// `respond` after the head was sent.
    case headAlreadySent
    /// `write` after `finish` or `respond`.
    case finished
    /// More bytes written than the head's `Content-Length`.
    case contentLengthExceeded
    /// `finish` before the head's `Content-Length` bytes were written.
    case contentLengthShort
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
