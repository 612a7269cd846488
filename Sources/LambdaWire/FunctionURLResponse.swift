// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The HTTP response a Function URL makes of a buffered function result (AWS docs, "Invoking Lambda
/// function URLs", response payload format).
///
/// - A JSON object with a `statusCode` member: the status from it, headers and cookies by
///   `ResponseMetadata`'s rules (`headers`, `multiValueHeaders`, `cookies`), and the body from `body`: a
///   string as its UTF-8 (base64-decoded when `isBase64Encoded` is `true`), absent or null as empty,
///   any other JSON value as its compact serialization. No header is added.
/// - Anything else (other JSON, an object without `statusCode`, or bytes that are not JSON): status 200,
///   `Content-Type: application/json`, and the result's bytes unchanged as the body, so a returned JSON
///   string keeps its quotes, as in AWS's example (`"Hello, world!"`, `content-length: 15`).
package struct FunctionURLResponse: Sendable, Equatable {
    package var statusCode: Int
    package var headers: [HeaderField]
    /// Each becomes one `Set-Cookie` header.
    package var cookies: [String]
    package var body: [UInt8]

    package init(statusCode: Int, headers: [HeaderField] = [], cookies: [String] = [], body: [UInt8] = []) {
        self.statusCode = statusCode
        self.headers = headers
        self.cookies = cookies
        self.body = body
    }

    /// The response for the function's result bytes. Throws only for a result that claims the
    /// structured form and breaks it; the suggested answer is 502.
    package init(functionResult: [UInt8]) throws(FunctionURLResultError) {
        guard let value = try? JSONValue.parse(functionResult), case .object = value,
              let status = value["statusCode"], !status.isNull
        else {
            self.init(statusCode: 200, headers: [HeaderField("Content-Type", "application/json")], body: functionResult)
            return
        }
        let metadata: ResponseMetadata
        do {
            metadata = try ResponseMetadata(reading: value)
        } catch {
            throw .invalidStatusCode
        }
        let body: [UInt8]
        switch value["body"] ?? .null {
        case .null:
            body = []
        case .string(let text) where value["isBase64Encoded"] == .bool(true):
            guard let decoded = Base64.decode(text) else { throw .invalidBase64Body }
            body = decoded
        case .string(let text):
            body = Array(text.utf8)
        case let other:
            guard value["isBase64Encoded"] != .bool(true) else { throw .invalidBase64Body }
            body = other.serialized()
        }
        self.init(statusCode: metadata.statusCode ?? 200, headers: metadata.headers, cookies: metadata.cookies, body: body)
    }
}

/// Why a structured function result could not become a response.
package enum FunctionURLResultError: Error, Sendable, Equatable {
    /// `statusCode` is not an integer in 100...599.
    case invalidStatusCode
    /// `isBase64Encoded` is true but `body` is not a base64 string.
    case invalidBase64Body
}
