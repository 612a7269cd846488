// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import LambdaWire

/// Why an invoke failed, as a type and a message: what `InvokeComplete` carries (`ErrorCode`, `ErrorDetails`),
/// what a raw streamed response ends with (the `Lambda-Runtime-Function-Error-Type`/`-Body` trailers) and what
/// the `(rapid)` log says. Owns the wording of every failure, so that each path says the same thing.
struct InvokeFailure: Equatable {
    var errorType: String
    var errorMessage: String

    // MARK: The texts AWS's emulator uses (also the buffered Invoke bodies)

    static func timedOut(seconds: Int) -> InvokeFailure {
        InvokeFailure(errorType: "Sandbox.Timedout", errorMessage: "Task timed out after \(seconds).00 seconds")
    }

    /// `reason` is the rendezvous's exit reason, e.g. `exit status 1`.
    static func runtimeExited(reason: String, requestID: String) -> InvokeFailure {
        let detail = reason == "exit status 0" ? "Runtime exited without providing a reason"
            : "Runtime exited with error: \(reason)"
        return InvokeFailure(errorType: "Runtime.ExitError", errorMessage: "RequestId: \(requestID) Error: \(detail)")
    }

    static let responseTooLarge = InvokeFailure(
        errorType: "Function.ResponseSizeTooLarge",
        errorMessage: "Response payload size exceeded maximum allowed payload size (\(maxBufferedPayloadBytes) bytes).")

    // MARK: From outcomes and stream ends

    /// The failure of a finished (non-streaming) outcome; nil for a response.
    static func of(_ outcome: InvokeOutcome, requestID: String) -> InvokeFailure? {
        switch outcome {
        case .response, .streaming:
            return nil
        case .functionError(let body, _, let errorType):
            return InvokeFailure(errorType: errorType, errorMessage: message(in: body))
        case .responseTooLarge:
            return responseTooLarge
        case .timedOut(let seconds):
            return timedOut(seconds: seconds)
        case .runtimeExited(let reason):
            return runtimeExited(reason: reason, requestID: requestID)
        case .initFailed(let body, _):
            guard let body, !body.isEmpty else {
                return InvokeFailure(
                    errorType: "Runtime.ExitError",
                    errorMessage: "RequestId: \(requestID) Error: Runtime exited before it was ready for an invoke")
            }
            let type = (try? JSONValue.parse(body))?["errorType"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            return InvokeFailure(errorType: type ?? "Runtime.InitError", errorMessage: message(in: body))
        }
    }

    /// The failure a stream ended with: its error trailers (Node's base64 JSON or Swift's `Requires base64`,
    /// read by `StreamErrorTrailers`), nil when it ended cleanly.
    static func of(trailers: [TrailerField]) -> InvokeFailure? {
        let error = StreamErrorTrailers(trailers: trailers.map { HeaderField($0.name, $0.value) })
        return error.map { InvokeFailure(errorType: $0.errorType, errorMessage: $0.errorMessage) }
    }

    /// The failure of a stream that broke off (`StreamEvent.failed`); nil when the caller itself went away.
    static func ofBrokenStream(reason: String, requestID: String, timeoutSeconds: Int) -> InvokeFailure? {
        switch reason {
        case ResponseStream.cancelledReason, Rendezvous.invokeCancelledReason:
            return nil
        case Rendezvous.timeoutReason:
            return timedOut(seconds: timeoutSeconds)
        case responseTooLarge.errorType:
            return InvokeFailure(
                errorType: reason, errorMessage: "Response payload size exceeded maximum allowed streamed payload size.")
        case Rendezvous.truncatedResponseReason:
            // The runtime's connection ended inside the body: in practice it crashed, and its exit, noticed a
            // moment later, is not waited for.
            return InvokeFailure(
                errorType: "Runtime.ExitError",
                errorMessage: "RequestId: \(requestID) Error: Runtime exited before finishing its streamed response")
        default:
            return runtimeExited(reason: reason, requestID: requestID)
        }
    }

    // MARK: Wire forms

    /// The raw path's trailers: the type, and base64 of `{"errorType","errorMessage"}` as the Node runtime sends.
    var trailers: HTTPHeaders {
        [LambdaHeader.errorType: errorType, LambdaHeader.errorBody: Base64.encode(jsonText)]
    }

    /// `{"errorType":…,"errorMessage":…}`, AWS's error shape.
    var jsonText: String { JSONText.object(["errorType": errorType, "errorMessage": errorMessage]) }

    /// The body's `errorMessage` when it is a JSON object with one, else the body as text.
    private static func message(in body: [UInt8]) -> String {
        if let json = try? JSONValue.parse(body), case .object = json, let message = json["errorMessage"]?.stringValue {
            return message
        }
        return String(decoding: body, as: UTF8.self)
    }
}
