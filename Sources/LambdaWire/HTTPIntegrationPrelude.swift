// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The status, headers and cookies a streaming function sends ahead of its body when its response
/// `Content-Type` is `application/vnd.awslambda.http-integration-response`: a JSON object, then eight
/// 0x00 bytes, then the body (see `HTTPIntegrationPreludeScanner`).
///
/// Accepts what the runtimes send: Node's `{"statusCode","headers","cookies"}` and Swift's
/// `{"statusCode","headers","multiValueHeaders":{"Set-Cookie":[...]}}`, keys in any order, every key
/// optional (status 200 when absent). The field rules are `ResponseMetadata`'s.
package struct HTTPIntegrationPrelude: Sendable, Equatable {
    /// The runtime's `Content-Type` that announces a prelude.
    package static let contentType = "application/vnd.awslambda.http-integration-response"

    package var statusCode: Int
    /// In order: the `headers` object's members, then `multiValueHeaders` (one field per value).
    package var headers: [HeaderField]
    /// `cookies`, then `multiValueHeaders["Set-Cookie"]`; each becomes a `Set-Cookie` header.
    package var cookies: [String]

    package init(statusCode: Int = 200, headers: [HeaderField] = [], cookies: [String] = []) {
        self.statusCode = statusCode
        self.headers = headers
        self.cookies = cookies
    }

    /// Reads a prelude from its JSON text (the bytes before the separator).
    package init(json: ArraySlice<UInt8>) throws(HTTPIntegrationPreludeError) {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue.parse(json)
        } catch {
            throw .invalidJSON(error)
        }
        guard case .object = value else { throw .notAnObject }
        let metadata: ResponseMetadata
        do {
            metadata = try ResponseMetadata(reading: value)
        } catch {
            throw .invalidStatusCode
        }
        self.init(statusCode: metadata.statusCode ?? 200, headers: metadata.headers, cookies: metadata.cookies)
    }
}

/// Why a prelude was not usable. The caller decides the response; suggested: 502 for the first three
/// (the function broke the protocol), and for `tooLarge`/`unterminated` the scanner's fallback, status
/// 200 with every byte as body.
package enum HTTPIntegrationPreludeError: Error, Sendable, Equatable {
    /// The bytes before the separator are not JSON (an empty prelude included).
    case invalidJSON(JSONParseError)
    /// Valid JSON, but not an object.
    case notAnObject
    /// `statusCode` is not an integer in 100...599.
    case invalidStatusCode
    /// No separator within the first `limit` bytes of the stream.
    case tooLarge(limit: Int)
    /// The stream ended, with some bytes, before any separator.
    case unterminated
}
