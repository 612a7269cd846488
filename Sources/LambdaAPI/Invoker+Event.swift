// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import Logging

/// Asynchronous invokes (`X-Amz-Invocation-Type: Event`) and the response headers real Lambda adds to Invoke.
extension Invoker {
    /// The most of an asynchronous invoke's result that its log line quotes.
    static let eventResultLogBytes = 1024

    /// `X-Amzn-RequestId` (the invoke's request id) and `X-Amz-Executed-Version`, as real Lambda sends them on
    /// Invoke's answers, followed by `headers`.
    func lambdaHeaders(_ invocation: Invocation, then headers: HTTPHeaders) -> HTTPHeaders {
        HTTPHeaders(
            [
                HTTPField(name: LambdaHeader.amznRequestID, value: invocation.id),
                HTTPField(name: LambdaHeader.executedVersion, value: report.functionVersion),
            ] + headers.fields)
    }

    /// Runs `invocation` in the background, as Lambda runs an `Event` invoke: it waits for an environment like any
    /// other invoke, prints `START`/`END`/`REPORT`, and its result, which nobody waits for, is logged: an INFO
    /// line with the first `eventResultLogBytes` of a successful result (a stream is read to its end, flat in
    /// memory), or the ERROR line of a failure.
    func invokeInBackground(_ invocation: Invocation) {
        Task {
            let (outcome, finish, _) = await invoke(invocation)
            var failure: InvokeFailure?
            var head: [UInt8] = []
            var produced = 0
            switch outcome {
            case .response(let body, _):
                produced = body.count
                head = Array(body.prefix(Self.eventResultLogBytes))
            case .streaming(let stream, _):
                reading: while true {
                    switch await stream.next() {
                    case .chunk(let bytes):
                        produced += bytes.count
                        if head.count < Self.eventResultLogBytes {
                            head += bytes.prefix(Self.eventResultLogBytes - head.count)
                        }
                    case .end(let trailers):
                        failure = InvokeFailure.of(trailers: trailers)
                        break reading
                    case .failed(let reason):
                        failure =
                            InvokeFailure.ofBrokenStream(
                                reason: reason, requestID: invocation.id, timeoutSeconds: invocation.timeoutSeconds)
                            ?? InvokeFailure(errorType: "Runtime.TruncatedResponse", errorMessage: reason)
                        break reading
                    }
                }
            case .functionError(let body, _, _):
                produced = body.count
                failure = InvokeFailure.of(outcome, requestID: invocation.id)
            default:
                failure = InvokeFailure.of(outcome, requestID: invocation.id)
            }
            finish(produced, failure == nil)
            if let failure {
                logger.error(
                    "Asynchronous invoke failed errorType=\(failure.errorType) errorMessage=\(failure.errorMessage) InvokeID=\(invocation.id)")
            } else {
                let text = String(decoding: head, as: UTF8.self).replacingNewlines()
                let more = produced > head.count ? "..." : ""
                logger.info(
                    "Asynchronous invoke succeeded InvokeID=\(invocation.id) produced bytes=\(produced) result=\(text)\(more)")
            }
        }
    }
}

extension String {
    /// Line breaks as `\n` and `\r`, so that a logged result stays on one line.
    fileprivate func replacingNewlines() -> String {
        var out = ""
        for ch in self {
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\r\n": out += "\\r\\n"
            default: out.append(ch)
            }
        }
        return out
    }
}
