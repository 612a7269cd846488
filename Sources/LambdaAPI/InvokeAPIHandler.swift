// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import Logging
import Reactor
import SocketServer

/// Serves the invoke API on 0.0.0.0:8080: Invoke (`/2015-03-31/functions/{name}/invocations`, any method) and
/// InvokeWithResponseStream (`POST /2021-11-15/functions/{name}/response-streaming-invocations`, in
/// `InvokeAPIHandler+EventStream.swift`). Turns a request into an `Invocation`, waits for its outcome, and
/// answers it, streaming when the runtime streams.
package struct InvokeAPIHandler: HTTPHandler {
    let invoker: Invoker

    package init(invoker: Invoker) { self.invoker = invoker }

    var logger: Logger { invoker.logger }

    package func handle(_ head: RequestHead, body: RequestBody, response: ResponseWriter) async throws {
        guard let route = InvokeRoute.match(method: head.method, path: head.path) else {
            try await response.send(.notFound)
            return
        }
        guard let invocation = try await readInvocation(head, body, response) else { return }
        switch InvocationType.parse(head.headers[LambdaHeader.invocationType], streamingAPI: route == .responseStream) {
        case .failure(let invalid):
            try await response.send(invalid.response(requestID: invocation.id))
            return
        case .success(.dryRun):
            // As Lambda: the request is valid and the function is not run.
            try await response.respond(status: 204, headers: [LambdaHeader.amznRequestID: invocation.id], body: [])
            return
        case .success(.event):
            // As Lambda: accepted at once; the invoke queues like any other and its result is logged.
            invoker.invokeInBackground(invocation)
            try await response.respond(status: 202, headers: [LambdaHeader.amznRequestID: invocation.id], body: [])
            return
        case .success(.requestResponse):
            break
        }
        let wantsTail = head.headers[LambdaHeader.logType]?.lowercased() == "tail"
        let (outcome, finish, logResult) = await invoker.invoke(invocation, wantsTail: wantsTail)
        switch route {
        case .invoke:
            try await answer(outcome, invocation, response, finish: finish, logResult: logResult, wantsTail: wantsTail)
        case .responseStream:
            try await answerWithEventStream(outcome, invocation, response, finish: finish, logResult: logResult)
        }
    }

    typealias Finish = Invoker.Finish

    /// The request as an `Invocation`, or nil once it has been answered with an error (the same for both APIs:
    /// 6 MiB limit, client context, timeout).
    private func readInvocation(_ head: RequestHead, _ body: RequestBody, _ response: ResponseWriter) async throws -> Invocation? {
        guard let payload = try await invoker.readPayload(body) else {
            try await response.send(.requestTooLarge)
            return nil
        }
        var clientContext: String?
        if let encoded = head.headers[LambdaHeader.invokeClientContext] {
            guard let decoded = ClientContext.decode(encoded) else {
                logger.error("Failed to decode X-Amz-Client-Context header")
                try await response.respond(status: 500, headers: [:], body: [])
                return nil
            }
            clientContext = decoded
        }
        guard let timeout = invoker.timeout() else {
            try await response.send(.invalidTimeout)
            return nil
        }
        return Invocation(
            id: RequestID.make(), payload: payload, clientContext: clientContext,
            traceID: head.headers[LambdaHeader.invokeTraceID], tenantID: head.headers[LambdaHeader.invokeTenantID],
            timeoutSeconds: timeout)
    }

    /// Invoke's answer: AWS's emulator's canned responses, or a stream as chunked HTTP ending with the runtime's
    /// trailers (or, when the stream broke off, the error trailers of `InvokeFailure`).
    private func answer(
        _ outcome: InvokeOutcome, _ invocation: Invocation, _ response: ResponseWriter, finish: Finish,
        logResult: Invoker.LogResult, wantsTail: Bool
    ) async throws {
        if case .streaming(let stream, let contentType) = outcome {
            response.writeHead(
                status: 200,
                headers: invoker.lambdaHeaders(
                    invocation, then: [LambdaHeader.contentType: contentType ?? "application/octet-stream"]))
            let end = try await relay(stream, invocation, finish: finish) { try await response.write($0) }
            var trailers: HTTPHeaders
            switch end {
            case .finished(let runtimeTrailers, _):
                trailers = HTTPHeaders(runtimeTrailers.map { HTTPField(name: $0.name, value: $0.value) })
            case .broken(let failure):
                trailers = failure?.trailers ?? [:]
            }
            // A streamed response's head is long gone when the log ends: its tail is a trailer.
            if let tail = logResult.base64 { trailers.add(LambdaHeader.logResult, tail) }
            try await response.finish(trailers: trailers)
            return
        }
        guard var canned = InvokeAnswer.canned(for: outcome, requestID: invocation.id) else { return }
        let succeeded = canned.status == 200 && !canned.headers.contains(LambdaHeader.functionError)
        if !wantsTail {
            // The caller first: RTDONE, END and REPORT are written (and the environment released) while the
            // answer travels, and before this task reads the connection's next request.
            canned.headers = invoker.lambdaHeaders(invocation, then: canned.headers)
            defer { finish(canned.body.count, succeeded) }
            try await response.send(canned)
            return
        }
        finish(canned.body.count, succeeded)  // the tail ends with END and REPORT, so they come first
        if let tail = logResult.base64 { canned.headers.add(LambdaHeader.logResult, tail) }
        canned.headers = invoker.lambdaHeaders(invocation, then: canned.headers)
        try await response.send(canned)
    }

    /// How a relayed stream ended.
    enum StreamEnd {
        /// The runtime ended its body, with these trailers; `failure` is the error they carry, if any.
        case finished(trailers: [TrailerField], failure: InvokeFailure?)
        /// The stream broke off (crash, timeout, size cap); nil when the caller went away.
        case broken(InvokeFailure?)
    }

    /// The streaming data path, caller side, for both APIs: `write` is the stream's sink, so the runtime's task
    /// calls it for each chunk (one `send` to the caller) while this task waits for the end; a slow caller slows
    /// the runtime and nothing but the chunk in hand is buffered. Logs a failure as an ERROR line and calls
    /// `finish` before returning or throwing (a `write` that threw is rethrown: the caller is gone).
    func relay(
        _ stream: ResponseStream, _ invocation: Invocation, finish: Finish,
        write: @escaping ([UInt8]) async throws -> Void
    ) async throws -> StreamEnd {
        var produced = 0
        let sink = ResponseStream.Sink { bytes in
            produced += bytes.count
            try await write(bytes)
        }
        let ending: StreamEnding
        do {
            ending = try await stream.deliver(to: sink)
        } catch {
            finish(produced, false)
            throw error
        }
        switch ending {
        case .end(let trailers):
            let failure = InvokeFailure.of(trailers: trailers)
            if let failure { log(failure, invocation, midStream: true) }
            finish(produced, failure == nil)
            return .finished(trailers: trailers, failure: failure)
        case .failed(let reason):
            let failure = InvokeFailure.ofBrokenStream(
                reason: reason, requestID: invocation.id, timeoutSeconds: invocation.timeoutSeconds)
            if let failure { log(failure, invocation, midStream: true) }
            finish(produced, false)
            return .broken(failure)
        }
    }

    /// The `(rapid)` ERROR line of a failed invoke.
    func log(_ failure: InvokeFailure, _ invocation: Invocation, midStream: Bool) {
        logger.error(
            "Invoke failed\(midStream ? " mid-stream" : "") errorType=\(failure.errorType) errorMessage=\(failure.errorMessage) InvokeID=\(invocation.id)")
    }
}

extension CannedResponse {
    /// Real Lambda's answer to an oversized request (AWS's emulator silently truncates it instead).
    static let requestTooLarge = CannedResponse(
        status: 413,
        headers: ["Content-Type": "application/json", "Connection": "close", "X-Amzn-ErrorType": "RequestTooLargeException"],
        body: Array(
            JSONText.object([
                "errorMessage":
                    "Request must be smaller than \(maxBufferedPayloadBytes) bytes for the InvokeFunction operation",
                "errorType": "RequestTooLargeException",
            ]).utf8))
    static let invalidTimeout = runtimeError(
        500, message: "AWS_LAMBDA_FUNCTION_TIMEOUT must be a whole number of seconds", type: "InvalidTimeout")
}
