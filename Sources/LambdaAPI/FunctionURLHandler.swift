// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import HTTP1
import LambdaCore
import LambdaWire
import Logging
import Reactor
import SocketServer

/// Serves a Function URL (`--function-url-address`): every request, whatever its method and path, becomes a
/// payload-format-2.0 event, is invoked through the same `EnvironmentPool` (and FIFO) as the invoke API, and its
/// result is answered as HTTP: a buffered result through `FunctionURLResponse`, a stream chunk by chunk (its
/// http-integration prelude, if announced, giving status, headers and cookies), any failure as 502.
///
/// A stream that breaks after its head went out (an error trailer, a crash, a timeout) is cut short: the
/// connection closes without the terminating chunk, so the client sees an incomplete transfer.
package struct FunctionURLHandler: HTTPHandler {
    let invoker: Invoker
    /// `requestContext.domainName` when the request has no `Host`.
    let defaultDomain: String

    package init(invoker: Invoker, defaultDomain: String) {
        self.invoker = invoker
        self.defaultDomain = defaultDomain
    }

    var logger: Logger { invoker.logger }

    package func handle(_ head: RequestHead, body: RequestBody, response: ResponseWriter) async throws {
        guard let bytes = try await invoker.readPayload(body) else {
            try await response.send(FunctionURLAnswer.requestTooLarge)
            return
        }
        guard let timeout = invoker.timeout() else {
            try await response.send(FunctionURLAnswer.emulatorError)
            return
        }
        let id = RequestID.make()
        let request = FunctionURLAnswer.request(
            head, body: bytes, sourceIP: response.peerAddress?.host ?? "127.0.0.1", requestID: id,
            timeEpochMilliseconds: WallClock.milliseconds(),
            defaultDomain: defaultDomain)
        let payload = FunctionURLEvent.payload(for: request)
        guard payload.count <= maxBufferedPayloadBytes else {
            try await response.send(FunctionURLAnswer.requestTooLarge)
            return
        }
        try await run(Invocation(id: id, payload: payload, timeoutSeconds: timeout), response)
    }

    private func run(_ invocation: Invocation, _ response: ResponseWriter) async throws {
        let (outcome, finish, _) = await invoker.invoke(invocation)
        guard case .streaming(let stream, let contentType) = outcome else {
            let (answer, failed) = FunctionURLAnswer.buffered(outcome)
            if failed { logger.error("Function URL invoke failed: \(Self.describe(outcome)) InvokeID=\(invocation.id)") }
            finish(answer.body.count, !failed)
            try await response.send(answer)
            return
        }
        let relay = FunctionURLStreamRelay(
            stream: stream, response: response, scansPrelude: FunctionURLAnswer.announcesPrelude(contentType),
            contentType: contentType, requestID: invocation.id, logger: logger)
        do {
            let produced = try await relay.run()
            finish(produced, true)
        } catch let failure as FunctionURLStreamRelay.Failure {
            finish(failure.produced, false)
            if response.headSent {
                try response.abort()
            }
            try await response.send(FunctionURLAnswer.internalServerError)
        } catch {
            finish(relay.produced, false)
            throw error
        }
    }

    private static func describe(_ outcome: InvokeOutcome) -> String {
        switch outcome {
        case .response: "invalid result"
        case .streaming: "stream"
        case .functionError(_, _, let type): "function error \(type)"
        case .responseTooLarge(let bytes): "response too large (\(bytes) bytes)"
        case .timedOut(let seconds): "timed out after \(seconds) s"
        case .runtimeExited(let reason): "runtime exited: \(reason)"
        case .initFailed: "init failed"
        }
    }
}
