// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore

/// How each buffered invoke outcome is answered: AWS's emulator's status and body, plus the headers real Lambda
/// adds (`X-Amz-Function-Error`) and the runtime's `Content-Type`. Streaming is handled by `InvokeAPIHandler`.
enum InvokeAnswer {
    static func canned(for outcome: InvokeOutcome, requestID: String) -> CannedResponse? {
        switch outcome {
        case .streaming:
            return nil
        case .response(let body, let contentType):
            // As Go: an empty body without a runtime Content-Type gets no Content-Type at all.
            let type = contentType ?? (body.isEmpty ? nil : sniff(body))
            return CannedResponse(status: 200, headers: HTTPHeaders(type.map { [HTTPField(name: LambdaHeader.contentType, value: $0)] } ?? []), body: body)
        case .functionError(let body, let contentType, _):
            return CannedResponse(
                status: 200,
                headers: [LambdaHeader.contentType: contentType ?? sniff(body), LambdaHeader.functionError: "Unhandled"],
                body: body)
        case .responseTooLarge:
            // AWS's emulator does not say the size (checked against its binary).
            return errorText(200, InvokeFailure.responseTooLarge.jsonText)
        case .timedOut(let seconds):
            return errorText(200, InvokeFailure.timedOut(seconds: seconds).errorMessage)
        case .runtimeExited(let reason):
            return errorText(502, InvokeFailure.runtimeExited(reason: reason, requestID: requestID).jsonText)
        case .initFailed(let body, let contentType):
            let bytes = body ?? []
            var headers: HTTPHeaders = [LambdaHeader.functionError: "Unhandled"]
            if !bytes.isEmpty { headers.add(LambdaHeader.contentType, contentType ?? sniff(bytes)) }
            return CannedResponse(status: 502, headers: headers, body: bytes)
        }
    }

    /// An error body as AWS's emulator sends it (Go sniffs JSON and text as `text/plain; charset=utf-8`), marked
    /// as a function error as real Lambda does.
    private static func errorText(_ status: Int, _ text: String) -> CannedResponse {
        CannedResponse(
            status: status,
            headers: [LambdaHeader.contentType: "text/plain; charset=utf-8", LambdaHeader.functionError: "Unhandled"],
            body: Array(text.utf8))
    }

    /// A small subset of Go's `http.DetectContentType`, used only when the runtime sent no `Content-Type`.
    static func sniff(_ body: [UInt8]) -> String {
        let start = body.prefix(512).drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C }
        let lower = String(decoding: start.prefix(14), as: UTF8.self).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") { return "text/html; charset=utf-8" }
        let binary = body.prefix(512).contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C && $0 != 0x1B }
        return binary ? "application/octet-stream" : "text/plain; charset=utf-8"
    }
}
