// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import HTTP1
import Logging
import Reactor

/// One accepted connection and its keep-alive loop, run by the connection's own task:
/// read a head → hand it to the handler → finish the response → drain the unread body → next head.
///
/// It owns the connection's input buffer (reused for every head and body read) and output buffer (reused for
/// every send). Nothing malformed reaches the handler: a bad head is answered with its status and
/// `Connection: close`. Deadlines guard only the server's own waits — for the first byte of a head (idle
/// keep-alive), for the rest of a head, for draining — never the handler, which may park for minutes.
/// The caller closes the socket after ``serve()`` returns.
final class Connection {
    /// Bytes of unread body the server reads and discards after a response to keep the connection; past it,
    /// the connection closes instead (Go's `maxPostHandlerReadBytes`).
    static let maxDrainBytes = 256 * 1024
    /// How long a closing connection keeps reading (and discarding) so that its last response is not lost
    /// to a reset caused by unread input.
    static let lingerMilliseconds = 500

    let socket: Socket
    let configuration: ServerConfiguration
    let logger: Logger
    private let handler: any HTTPHandler
    private let parser: RequestParser
    private let acceptedAt = MonotonicInstant.now
    private var requestsServed = 0
    /// Largest head buffer: past it, a head that is still incomplete is answered with 431.
    private let maxHeadCapacity: Int

    var input: ReadBuffer
    /// Response bytes assembled for the next `send`; emptied after every send.
    var output: [UInt8] = []
    /// A final response head went out for the current request (so no `100 Continue` any more).
    var responseStarted = false

    init(socket: Socket, configuration: ServerConfiguration, handler: any HTTPHandler, logger: Logger) {
        self.socket = socket
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        parser = RequestParser(limits: configuration.limits)
        input = ReadBuffer(capacity: max(4096, configuration.bodyPieceBytes))
        maxHeadCapacity = max(input.baseCapacity, configuration.limits.maxHeadBytes + 4)
    }

    /// Serves requests until the peer closes, a timeout passes, or a response closes the connection.
    func serve() async {
        while let head = await readHead() {
            switch await exchange(head) {
            case .keepAlive: continue
            case .close: await lingeringClose()
            case .abort: break  // the peer is gone or the server is stopping: nothing to protect
            }
            return
        }
    }

    // MARK: - Reading heads

    /// The next request head; `nil` when the connection is done (peer closed, timed out, or sent a head that
    /// was answered with an error).
    private func readHead() async -> RequestHead? {
        input.shrinkIfEmpty()
        var awaitingFirstByte = input.isEmpty && requestsServed > 0
        var deadline =
            awaitingFirstByte
            ? Self.deadline(configuration.idleTimeoutMilliseconds)
            : Self.deadline(configuration.headReadTimeoutMilliseconds, from: requestsServed == 0 ? acceptedAt : .now)
        // Bytes already parsed without completing a head. The parser is stateless, so parse again only when the
        // new bytes hold a line feed (nothing can complete or be judged otherwise) or cross the request-line limit:
        // a head trickled byte by byte then costs O(lines × size), not O(size²).
        var parsedCount = 0
        while true {
            if !input.isEmpty && needsParse(after: parsedCount) {
                parsedCount = input.unreadCount
                switch input.withUnread({ parser.parse($0) }) {
                case .complete(let head, let consumed):
                    input.consume(consumed)
                    return head
                case .invalid(let error):
                    await reject(error)
                    return nil
                case .incomplete:
                    break
                }
            }
            do {
                guard try await fill(maxCapacity: maxHeadCapacity, deadline: deadline) else {
                    await reject(.headTooLarge)
                    return nil
                }
            } catch SocketError.timedOut {
                logger.debug(awaitingFirstByte ? "Closing idle connection" : "Request head timed out")
                return nil
            } catch {
                if !input.isEmpty { logger.debug("Connection ended inside a request head", metadata: ["error": "\(error)"]) }
                return nil
            }
            if awaitingFirstByte {
                awaitingFirstByte = false
                deadline = Self.deadline(configuration.headReadTimeoutMilliseconds)
            }
        }
    }

    /// Whether the unread bytes past the first `parsedCount` can change the parser's verdict.
    private func needsParse(after parsedCount: Int) -> Bool {
        let limit = configuration.limits.maxRequestLineBytes
        return input.withUnread { bytes in
            if parsedCount == 0 || (parsedCount <= limit && bytes.count > limit) { return true }
            return bytes[parsedCount...].contains(0x0A)
        }
    }

    /// Answers a head that can never be valid, with its status and `Connection: close`, then closes.
    private func reject(_ error: HTTPParseError) async {
        logger.debug("Rejected request head", metadata: ["error": "\(error)", "http.status": "\(error.status)"])
        do {
            try await sendError(status: error.status)
            await lingeringClose()
        } catch {
            return
        }
    }

    // MARK: - One exchange

    private enum Outcome { case keepAlive, close, abort }

    /// Serves one request: the handler, then whatever it left undone.
    private func exchange(_ head: RequestHead) async -> Outcome {
        requestsServed += 1
        responseStarted = false
        logger.trace("Request", metadata: ["http.method": "\(head.method)", "http.path": "\(head.path)"])
        let body = RequestBody(head: head, connection: self)
        let response = ResponseWriter(request: head, body: body, connection: self)
        do {
            try await handler.handle(head, body: body, response: response)
        } catch {
            return await fail(error, response)
        }
        do {
            if response.isUntouched {
                logger.error("Handler returned without a response", metadata: ["http.path": "\(head.path)"])
                try await sendError(status: 500)
                return .close
            }
            try await response.finish()
        } catch let error as HTTPParseError where !response.headSent {
            return await fail(error, response)  // the unread body, read before the head, was malformed
        } catch {
            return Self.isPeerGone(error) ? .abort : .close
        }
        if response.closesConnection { return .close }
        let drained = await body.drain(
            upTo: Self.maxDrainBytes, deadline: Self.deadline(configuration.headReadTimeoutMilliseconds))
        return drained ? .keepAlive : .close
    }

    /// The handler threw: answer with the error's status if nothing was sent yet, then close.
    private func fail(_ error: any Error, _ response: ResponseWriter) async -> Outcome {
        if Self.isPeerGone(error) {
            logger.debug("Handler ended: \(error)")
            return .abort
        }
        let status = (error as? HTTPParseError)?.status ?? 500
        if status == 500 { logger.error("Handler failed: \(error)") } else { logger.debug("Handler failed: \(error)") }
        guard !response.headSent else { return .close }
        do {
            try await sendError(status: status)
            return .close
        } catch {
            return .abort
        }
    }

    /// Reads and discards the body a handler left unread, before its response goes out (see
    /// ``RequestBody/settleUnread(limit:deadline:)``), within the drain limit and the head-read timeout.
    func settleUnread(_ body: RequestBody) async throws {
        try await body.settleUnread(
            limit: Self.maxDrainBytes, deadline: Self.deadline(configuration.headReadTimeoutMilliseconds))
    }

    /// Whether the response being committed must announce `Connection: close`.
    func mustClose(after request: RequestHead, body: RequestBody) -> Bool {
        !request.keepAlive || Task.isCancelled || body.mustCloseIfUnread(drainLimit: Self.maxDrainBytes)
    }

    // MARK: - I/O

    /// One more `recv` into the input buffer, growing it up to `maxCapacity`; `false` when it is full.
    func fill(maxCapacity: Int, deadline: MonotonicInstant?) async throws -> Bool {
        guard input.makeRoom(maxCapacity: maxCapacity) else { return false }
        _ = try await socket.untilReady(.read, deadline: deadline) { try input.receive(from: socket) }
        return true
    }

    /// Sends the output buffer (one `send` unless partial) and empties it.
    func flush() async throws {
        guard !output.isEmpty else { return }
        defer {
            if output.capacity > 128 * 1024 { output = [] } else { output.removeAll(keepingCapacity: true) }
        }
        try await socket.sendAll(output)
    }

    /// Sends the output buffer and then `body` (one `sendmsg` unless partial) and empties the buffer.
    func flush(then body: [UInt8]) async throws {
        defer { output.removeAll(keepingCapacity: output.capacity <= 128 * 1024) }
        try await socket.sendAll(output, body)
    }

    /// A complete plain-text error response with `Connection: close`, in one send.
    private func sendError(status: Int) async throws {
        let text = "\(status) \(ResponseSerializer.reasonPhrase(status))\n"
        let headers: HTTPHeaders = [
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Length": String(text.utf8.count),
            "Connection": "close",
        ]
        output.removeAll(keepingCapacity: true)
        ResponseSerializer.appendHead(status: status, headers: headers, to: &output)
        output.append(contentsOf: text.utf8)
        responseStarted = true
        try await flush()
    }

    /// Closes our direction, then reads and discards what the peer still sends (bounded in time and bytes),
    /// so that closing with unread input does not reset the connection before the peer read our response.
    private func lingeringClose() async {
        socket.shutdown(Int32(SHUT_WR))
        let deadline = MonotonicInstant.now.advanced(byMilliseconds: Self.lingerMilliseconds)
        var discarded = 0
        while discarded < Self.maxDrainBytes {
            input.clear()
            do {
                discarded += try await socket.untilReady(.read, deadline: deadline) { try input.receive(from: socket) }
            } catch {
                return
            }
        }
    }

    private static func isPeerGone(_ error: any Error) -> Bool {
        error as? SocketError == .disconnected || error is CancellationError
    }

    /// `milliseconds` after `start`, or no deadline when the setting is 0 or less.
    private static func deadline(_ milliseconds: Int, from start: MonotonicInstant = .now) -> MonotonicInstant? {
        milliseconds > 0 ? start.advanced(byMilliseconds: milliseconds) : nil
    }
}
