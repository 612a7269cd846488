// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import Logging
import Reactor
import SocketServer

/// Serves the invoke API (`/2015-03-31/functions/{name}/invocations`, any method) on 0.0.0.0:8080: turns a
/// request into an `Invocation`, waits for its outcome, and answers it, streaming when the runtime streams.
package struct InvokeAPIHandler: HTTPHandler {
    let rendezvous: Rendezvous
    let report: InvocationReport
    let initDurations: InitDurationLedger
    /// Reads `AWS_LAMBDA_FUNCTION_TIMEOUT` (seconds) on every invoke, as AWS's emulator does.
    let timeoutSeconds: @Sendable () -> Int?
    let logger: Logger

    package init(
        rendezvous: Rendezvous, report: InvocationReport, initDurations: InitDurationLedger,
        timeoutSeconds: @escaping @Sendable () -> Int?, logger: Logger
    ) {
        self.rendezvous = rendezvous
        self.report = report
        self.initDurations = initDurations
        self.timeoutSeconds = timeoutSeconds
        self.logger = logger
    }

    package func handle(_ head: RequestHead, body: RequestBody, response: ResponseWriter) async throws {
        guard InvokeRoute.functionName(path: head.path) != nil else {
            try await response.send(.notFound)
            return
        }
        var payload: [UInt8] = []
        while let piece = try await body.read() {
            guard payload.count + piece.count <= maxBufferedPayloadBytes else {
                try await response.send(.requestTooLarge)
                return  // the server closes rather than drain an oversized body
            }
            payload.append(contentsOf: piece)
        }
        var clientContext: String?
        if let encoded = head.headers[LambdaHeader.invokeClientContext] {
            guard let decoded = ClientContext.decode(encoded) else {
                logger.error("Failed to decode X-Amz-Client-Context header")
                try await response.respond(status: 500, headers: [:], body: [])
                return
            }
            clientContext = decoded
        }
        guard let timeout = timeoutSeconds() else {
            logger.error("AWS_LAMBDA_FUNCTION_TIMEOUT is not an integer number of seconds")
            try await response.send(.invalidTimeout)
            return
        }
        let invocation = Invocation(
            id: RequestID.make(), payload: payload, clientContext: clientContext,
            traceID: head.headers[LambdaHeader.invokeTraceID], tenantID: head.headers[LambdaHeader.invokeTenantID],
            timeoutSeconds: timeout)
        try await run(invocation, response)
    }

    private func run(_ invocation: Invocation, _ response: ResponseWriter) async throws {
        let started = MonotonicInstant.now
        report.start(requestID: invocation.id)
        let outcome = await rendezvous.invoke(invocation)
        let finish = { (produced: Int, status: String) in
            // As AWS's emulator: the reported duration never exceeds the timeout.
            let elapsed = min(MonotonicInstant.now.milliseconds(since: started), Double(invocation.timeoutSeconds) * 1000)
            logger.info(
                "INVOKE RTDONE(status: \(status), produced bytes: \(produced), duration: \(GoFormat.sixDecimals(elapsed))ms)")
            report.end(
                requestID: invocation.id, durationMilliseconds: elapsed,
                initMilliseconds: initDurations.take())
        }
        if case .streaming(let stream, let contentType) = outcome {
            try await relay(stream, contentType: contentType, response, finish: finish)
            return
        }
        guard let canned = InvokeAnswer.canned(for: outcome, requestID: invocation.id) else { return }
        finish(canned.body.count, canned.status == 200 && !canned.headers.contains(LambdaHeader.functionError) ? "success" : "error")
        try await response.send(canned)
    }

    /// The streaming data path, caller side: each event taken from the stream is one `write` (one `send`) to the
    /// caller, so a slow caller slows the runtime and nothing but the chunk in hand is buffered.
    private func relay(
        _ stream: ResponseStream, contentType: String?, _ response: ResponseWriter,
        finish: (Int, String) -> Void
    ) async throws {
        response.writeHead(status: 200, headers: [LambdaHeader.contentType: contentType ?? "application/octet-stream"])
        var produced = 0
        while true {
            switch await stream.next() {
            case .chunk(let bytes):
                produced += bytes.count
                do {
                    try await response.write(bytes)
                } catch {
                    stream.cancel()
                    finish(produced, "error")
                    throw error
                }
            case .end(let trailers):
                let errorTrailer = trailers.contains { $0.name.equalsIgnoringASCIICase(LambdaHeader.errorType) }
                finish(produced, errorTrailer ? "error" : "success")
                try await response.finish(trailers: HTTPHeaders(trailers.map { HTTPField(name: $0.name, value: $0.value) }))
                return
            case .failed(let reason):
                logger.error("Invoke failed error=\(reason) InvokeID=")
                finish(produced, "error")
                try await response.finish(trailers: [
                    LambdaHeader.errorType: reason == "timeout" ? "Sandbox.Timedout" : reason,
                ])
                return
            }
        }
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
