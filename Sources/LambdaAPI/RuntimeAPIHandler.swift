// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import LambdaWire
import Logging
import SocketServer

/// Serves the Runtime API (`/2018-06-01/runtime/...`) on 127.0.0.1:9001: maps each route to a `Rendezvous`
/// call and each outcome to AWS's status codes and JSON bodies.
package struct RuntimeAPIHandler: HTTPHandler {
    let rendezvous: Rendezvous
    let functionARN: String
    /// Largest streamed response forwarded before the stream is cut (real Lambda: 200 MB).
    let maxStreamedBytes: Int
    /// The bearer token of the metadata endpoint, given to the runtime as `AWS_LAMBDA_METADATA_TOKEN`.
    let metadataToken: String
    /// Told which invoke the runtime works on, so that its output goes to that invoke's log tail.
    let logTail: LogTail
    let logger: Logger
    /// This environment's Extensions, Telemetry and Logs APIs, and the hooks that hold `/next` for extensions.
    let extensions: EnvironmentExtensions?

    package init(
        rendezvous: Rendezvous, functionARN: String, maxStreamedBytes: Int, metadataToken: String, logTail: LogTail,
        logger: Logger, extensions: EnvironmentExtensions? = nil
    ) {
        self.extensions = extensions
        self.rendezvous = rendezvous
        self.functionARN = functionARN
        self.maxStreamedBytes = maxStreamedBytes
        self.metadataToken = metadataToken
        self.logTail = logTail
        self.logger = logger
    }

    /// A fresh token for the metadata endpoint.
    package static func makeMetadataToken() -> String { RequestID.make() }

    package func handle(_ head: RequestHead, body: RequestBody, response: ResponseWriter) async throws {
        logger.debug("API request - \(head.method) \(head.target)")
        if let extensions, let match = ExtensionsAPIHandler.match(method: head.method, path: head.path) {
            // As AWS's emulator with extensions disabled: every Extensions API route is 404 with no body.
            guard extensions.configuration.enabled else { return try await response.send(.empty404) }
            switch match {
            case .wrongMethod(let allow): try await response.send(.methodNotAllowed(allow: allow))
            case .route(let route): _ = try await ExtensionsAPIHandler(extensions: extensions).handle(route, head, body, response)
            }
            return
        }
        switch RuntimeRoute.match(method: head.method, path: head.path) {
        case .notFound: try await response.send(.notFound)
        case .wrongMethod(let allow): try await response.send(.methodNotAllowed(allow: allow))
        case .route(.ping):
            try await response.respond(status: 200, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array("pong".utf8))
        case .route(.logs):
            if try await subscribe(.logs, head, body, response) { return }
            try await response.send(.logsNotSupported)
        case .route(.telemetry):
            if try await subscribe(.telemetry, head, body, response) { return }
            try await response.send(.telemetryNotSupported)
        case .route(.metadata):
            let authorized = head.headers["Authorization"] == "Bearer \(metadataToken)"
            try await response.send(authorized ? .metadata : .goError(401, "Unauthorized"))
        case .route(.metadataWrongMethod): try await response.send(.goError(405, "Method Not Allowed"))
        case .route(.next):
            try await body.discard()  // a /next whose body is malformed is answered 400 and takes no invoke
            try await next(response, body.peerCloseWatch())
        case .route(.initError): try await initError(head, body, response)
        case .route(.response(let id)): try await invocationResponse(id, head, body, response)
        case .route(.error(let id)): try await invocationError(id, head, body, response)
        }
    }

    /// A Telemetry/Logs subscription by a registered extension; false leaves the request to AWS's 202 stub.
    private func subscribe(
        _ route: ExtensionsAPIHandler.Route, _ head: RequestHead, _ body: RequestBody, _ response: ResponseWriter
    ) async throws -> Bool {
        guard let extensions else { return false }
        return try await ExtensionsAPIHandler(extensions: extensions).handle(route, head, body, response)
    }

    private func next(_ response: ResponseWriter, _ peerClose: PeerCloseWatch) async throws {
        let invocation: Invocation
        do {
            // Held while extensions initialise, and until the INVOKE subscribers are done with the last invoke.
            await extensions?.runtimeWillRequestNext()
            invocation = try await Self.next(from: rendezvous, unless: peerClose)
        } catch let error as RuntimeAPIError {
            try await response.send(.from(error))
            return
        }
        logTail.activate(invocation.id)
        extensions?.invocationDelivered(invocation)
        var headers: HTTPHeaders = [
            LambdaHeader.requestID: invocation.id,
            LambdaHeader.deadline: String(invocation.deadlineEpochMilliseconds),
            LambdaHeader.functionARN: functionARN,
        ]
        if let trace = invocation.traceID { headers.add(LambdaHeader.traceID, trace) }
        if let context = invocation.clientContext { headers.add(LambdaHeader.clientContext, context) }
        if let tenant = invocation.tenantID { headers.add(LambdaHeader.tenantID, tenant) }
        headers.add(LambdaHeader.contentType, "application/json")
        // The log line after the send: the runtime starts on the invocation while it is written.
        defer { logger.info("INVOKE START(requestId: \(invocation.id))") }
        try await response.respond(status: 200, headers: headers, body: invocation.payload)
    }

    /// `rendezvous.next()`, given up with `CancellationError` when the runtime closes the connection meanwhile (an
    /// HTTP client that times out its long poll): the parked `/next` is withdrawn, an invocation handed to it goes
    /// to the next `/next`, and the connection is closed now instead of staying in `CLOSE_WAIT` until an invoke.
    private static func next(from rendezvous: Rendezvous, unless peerClose: PeerCloseWatch) async throws -> Invocation {
        try await withThrowingTaskGroup(of: Invocation?.self) { group in
            group.addTask { try await rendezvous.next() }
            group.addTask {
                if await peerClose.closed() { throw CancellationError() }
                return nil  // more bytes arrived (a pipelined request): keep waiting for the invocation
            }
            while let result = try await group.next() {
                if let invocation = result {
                    group.cancelAll()
                    return invocation
                }
            }
            throw CancellationError()  // not reached: the first child returns an invocation or throws
        }
    }

    private func initError(_ head: RequestHead, _ body: RequestBody, _ response: ResponseWriter) async throws {
        guard case .complete(let bytes) = try await collectOrDrain(body) else {
            try await response.send(.payloadTooLarge)
            return
        }
        do {
            try rendezvous.initError(body: bytes, contentType: head.headers[LambdaHeader.contentType])
            try await response.send(.accepted)
        } catch let error as RuntimeAPIError {
            try await response.send(.from(error))
        }
    }

    private func invocationResponse(
        _ id: String, _ head: RequestHead, _ body: RequestBody, _ response: ResponseWriter
    ) async throws {
        do {
            try rendezvous.beginResponse(requestID: id, isError: false)
        } catch {
            try await response.send(.from(error))
            return
        }
        let streaming: Bool
        switch head.headers[LambdaHeader.responseMode]?.lowercased() {
        case nil, "": streaming = false
        case "streaming": streaming = true
        default:
            // As AWS's emulator: the state has already moved to InvocationResponse, so the invoke is left to time
            // out. It accepts only "streaming" (case-sensitively); we accept any case, as its PR #179 does.
            try await response.send(.invalidFunctionResponseMode)
            return
        }
        let contentType = head.headers[LambdaHeader.contentType]
        if streaming {
            try await forwardStream(id, contentType: contentType, body, response)
            return
        }
        guard let bytes = try await collectClaimed(id, body, response) else { return }
        rendezvous.completeResponse(requestID: id, body: bytes, contentType: contentType)
        extensions?.runtimeAnswered(requestID: id, producedBytes: bytes.count, status: "success")
        try await acceptAfterCaller(response)
    }

    private func invocationError(
        _ id: String, _ head: RequestHead, _ body: RequestBody, _ response: ResponseWriter
    ) async throws {
        do {
            try rendezvous.beginResponse(requestID: id, isError: true)
        } catch {
            try await response.send(.from(error))
            return
        }
        guard let bytes = try await collectClaimed(id, body, response) else { return }
        let errorType = FunctionErrorType.validated(head.headers[LambdaHeader.errorType] ?? "")
        var contentType = head.headers[LambdaHeader.contentType]
        var body = bytes
        if contentType?.lowercased() == ErrorCauseFilter.contentType {
            // As AWS's emulator: keep errorMessage, errorType and stackTrace; "Invalid error body" if unparsable.
            body = ErrorCauseFilter.filter(bytes)
            contentType = nil
        }
        rendezvous.completeError(requestID: id, body: body, contentType: contentType, errorType: errorType)
        extensions?.runtimeAnswered(requestID: id, producedBytes: body.count, status: "error")
        try await acceptAfterCaller(response)
    }

    /// The runtime's 202 for a completed answer, sent after the caller's: the completion resumed the invoke's task,
    /// and yielding once lets it run first on the reactor's job queue, so the caller's `send` is not behind this
    /// one (the runtime's next `/next` overlaps with the caller reading its answer).
    private func acceptAfterCaller(_ response: ResponseWriter) async throws {
        await Task.yield()
        try await response.send(.accepted)
    }

    /// Streams the runtime's body to the invoke caller one piece per receive (≤4 KiB: what one `read(2)` brought,
    /// de-chunked, across the runtime's chunk boundaries, as Go's `io.Copy` through a 4 KiB buffer; one send each
    /// on the far side), then answers 202, only after the last chunk, as the runtimes require.
    private func forwardStream(
        _ id: String, contentType: String?, _ body: RequestBody, _ response: ResponseWriter
    ) async throws {
        let stream = rendezvous.startStream(requestID: id, contentType: contentType)
        var forwarded = 0
        var consumerGone = false
        do {
            while let piece = try await body.readCoalesced() {
                guard !consumerGone else { continue }
                forwarded += piece.count
                if forwarded > maxStreamedBytes {
                    stream.fail(reason: "Function.ResponseSizeTooLarge")
                    consumerGone = true
                    continue
                }
                do {
                    try await stream.send(piece)
                } catch {
                    consumerGone = true  // keep draining so the runtime gets its 202 and stays healthy
                }
            }
        } catch {
            stream.fail(reason: "Runtime.TruncatedResponse")
            logger.warning("streamed response broke off: \(error)")
            throw error
        }
        stream.finish(trailers: body.trailers.map { TrailerField(name: $0.name, value: $0.value) })
        extensions?.runtimeAnswered(
            requestID: id, producedBytes: forwarded, status: body.trailers.isEmpty ? "success" : "error")
        try await response.send(.accepted)
    }

    /// The whole body of a claimed `/response` or `/error`, or nil when it was too large (then the runtime has its
    /// 413 and the invoke its `Function.ResponseSizeTooLarge`). A body that breaks off abandons the claim.
    private func collectClaimed(_ id: String, _ body: RequestBody, _ response: ResponseWriter) async throws -> [UInt8]? {
        do {
            switch try await collectOrDrain(body) {
            case .complete(let bytes):
                return bytes
            case .tooLarge(let size):
                rendezvous.responseTooLarge(requestID: id, bytes: size)
                try await response.send(.payloadTooLarge)
                return nil
            }
        } catch {
            rendezvous.abandonResponse(requestID: id)
            throw error
        }
    }

    /// The whole body, or `.tooLarge` with its full size (after draining the rest, without keeping it) when it
    /// exceeds AWS's 6 MiB + 100 byte limit.
    private func collectOrDrain(_ body: RequestBody) async throws -> BufferedBody {
        if let length = body.declaredLength, length <= maxBufferedPayloadBytes {
            return .complete(try await body.collect(upTo: length))  // straight into the result, large receives
        }
        var bytes: [UInt8] = []
        while let piece = try await body.read() {
            if bytes.count + piece.count > maxBufferedPayloadBytes {
                var total = bytes.count + piece.count
                bytes = []
                while let rest = try await body.read() { total += rest.count }
                return .tooLarge(total)
            }
            bytes.append(contentsOf: piece)
        }
        return .complete(bytes)
    }

    private enum BufferedBody {
        case complete([UInt8])
        case tooLarge(Int)
    }
}

/// AWS's `GetValidRuntimeOrFunctionErrorType`: keep a value that contains `(Runtime|Function).Xxx`, else
/// `Function.Unknown` / `Runtime.Unknown`.
enum FunctionErrorType {
    static func validated(_ value: String) -> String {
        let bytes = Array(value.utf8)
        for prefix in ["Runtime.", "Function."] {
            let p = Array(prefix.utf8)
            var i = 0
            while i + p.count < bytes.count {
                if Array(bytes[i..<(i + p.count)]) == p, isUpper(bytes[i + p.count]),
                    i + p.count + 1 < bytes.count, isLetter(bytes[i + p.count + 1])
                {
                    return value
                }
                i += 1
            }
        }
        return value.hasPrefix("Function.") ? "Function.Unknown" : "Runtime.Unknown"
    }
    private static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
    private static func isLetter(_ b: UInt8) -> Bool { isUpper(b) || (b >= 97 && b <= 122) }
}
