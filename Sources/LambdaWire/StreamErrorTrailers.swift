// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// A mid-stream function error, read from the trailers of a streamed `/response`:
/// `Lambda-Runtime-Function-Error-Type` and `Lambda-Runtime-Function-Error-Body`.
///
/// The runtimes disagree on the body: Node sends base64 of `{"errorType","errorMessage","trace"}`,
/// Swift sends the literal text `Requires base64`. So the body is read leniently: base64 whose bytes
/// are UTF-8 is decoded, anything else is taken as text; text that is a JSON object gives the fields,
/// other text is the message itself. Never fails.
package struct StreamErrorTrailers: Sendable, Equatable {
    package static let typeTrailer = "Lambda-Runtime-Function-Error-Type"
    package static let bodyTrailer = "Lambda-Runtime-Function-Error-Body"

    /// The trailer's type, else the body's `errorType`, else `Unhandled`.
    package var errorType: String
    /// The body's `errorMessage`; the whole text when the body is not a JSON object; empty when there
    /// is no body.
    package var errorMessage: String
    /// The body's `trace` (Node) or `stackTrace` (other runtimes), string elements only.
    package var stackTrace: [String]
    /// The body as text: decoded when it was base64, as received otherwise.
    package var rawBody: String
    /// Whether the body was base64.
    package var bodyWasBase64: Bool

    /// Reads the error from trailer fields (names matched case-insensitively, values trimmed); nil when
    /// neither trailer is there or both are empty, i.e. the stream ended without an error.
    package init?(trailers: [HeaderField]) {
        func value(_ name: String) -> String? {
            trailers.first { $0.name.equalsASCIICaseInsensitive(name) }.map(\.value.trimmingSpaces)
        }
        self.init(errorType: value(Self.typeTrailer), errorBody: value(Self.bodyTrailer))
    }

    /// Reads the error from the two trailer values; nil when both are absent or empty.
    package init?(errorType: String?, errorBody: String?) {
        let type = errorType.flatMap { $0.isEmpty ? nil : $0 }
        let body = errorBody.flatMap { $0.isEmpty ? nil : $0 }
        guard type != nil || body != nil else { return nil }
        var text = body ?? ""
        bodyWasBase64 = false
        if let body, let decoded = Base64.decode(body), let decodedText = String(validating: decoded, as: UTF8.self) {
            text = decodedText
            bodyWasBase64 = true
        }
        rawBody = text
        errorMessage = text
        stackTrace = []
        var bodyType: String?
        if let json = try? JSONValue.parse(text), case .object = json {
            bodyType = json["errorType"]?.stringValue
            errorMessage = json["errorMessage"]?.stringValue ?? ""
            let trace = json["trace"]?.arrayValue ?? json["stackTrace"]?.arrayValue ?? []
            stackTrace = trace.compactMap(\.stringValue)
        }
        self.errorType = type ?? bodyType.flatMap { $0.isEmpty ? nil : $0 } ?? "Unhandled"
    }
}
