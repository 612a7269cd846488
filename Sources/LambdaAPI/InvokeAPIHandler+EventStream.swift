// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import LambdaWire
import SocketServer

/// InvokeWithResponseStream's answer: always 200 with `application/vnd.amazon.eventstream` frames, a
/// `PayloadChunk` per piece of the function's output (one frame per stream event, one `send` each, as it
/// arrives) and a final `InvokeComplete`, `{}` on success or `ErrorCode`/`ErrorDetails` when the function failed.
/// The HTTP-integration prelude is passed on verbatim, as Lambda does. No `LogResult`: the runtime's output is
/// inherited by the emulator, not captured, so there is no log tail to send.
extension InvokeAPIHandler {
    static let eventStreamContentType = "application/vnd.amazon.eventstream"

    func answerWithEventStream(
        _ outcome: InvokeOutcome, _ invocation: Invocation, _ response: ResponseWriter, finish: Finish,
        logResult: Invoker.LogResult
    ) async throws {
        response.writeHead(
            status: 200,
            headers: [
                LambdaHeader.contentType: Self.eventStreamContentType,
                LambdaHeader.amznRequestID: invocation.id,
                LambdaHeader.executedVersion: invoker.report.functionVersion,
            ])
        let failure: InvokeFailure?
        if case .streaming(let stream, _) = outcome {
            let end = try await relay(stream, invocation, finish: finish) {
                try await response.write(try EventStreamEncoder.payloadChunk($0))
            }
            switch end {
            case .finished(_, let trailerFailure): failure = trailerFailure
            case .broken(let brokenFailure):
                guard let brokenFailure else { return }  // the caller went away
                failure = brokenFailure
            }
        } else {
            failure = InvokeFailure.of(outcome, requestID: invocation.id)
            if let failure { log(failure, invocation, midStream: false) }
            if case .response(let body, _) = outcome {
                finish(body.count, true)
                if !body.isEmpty { try await response.write(try EventStreamEncoder.payloadChunk(body)) }
            } else {
                finish(0, false)
            }
        }
        try await response.write(
            try EventStreamEncoder.invokeComplete(
                errorCode: failure?.errorType, errorDetails: failure?.errorMessage, logResult: logResult.base64))
        try await response.finish()
    }
}
