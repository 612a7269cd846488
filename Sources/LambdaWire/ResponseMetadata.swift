// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The HTTP part of a Lambda result object, shared by the streaming prelude and the buffered Function
/// URL result: `statusCode`, `headers`, `multiValueHeaders` and `cookies`, read leniently the way the
/// runtimes write them.
///
/// - `headers`: each member becomes one field, in order; string values as they are, numbers and
///   booleans as their text; null, array and object values are skipped.
/// - `multiValueHeaders`: each array element becomes one field (a scalar counts as a one-element array);
///   `Set-Cookie` (any case) goes to `cookies` instead.
/// - `cookies`: an array of strings (numbers and booleans as text); each becomes a `Set-Cookie` line.
/// - Fields with an empty name are dropped. Bytes a header may not carry are the serializer's business
///   (HTTP1's `ResponseSerializer` replaces them), not this reader's.
/// - Key names are case-sensitive; a repeated key counts once, the last one (as `JSON.parse` does).
struct ResponseMetadata: Equatable {
    /// nil when absent or null.
    var statusCode: Int?
    var headers: [HeaderField] = []
    var cookies: [String] = []

    /// Status codes a response may carry (AWS: "The valid statusCode are within the range of 100 to 599").
    static let validStatusCodes = 100...599

    enum Failure: Error, Equatable {
        case invalidStatusCode
    }

    init(statusCode: Int? = nil, headers: [HeaderField] = [], cookies: [String] = []) {
        self.statusCode = statusCode
        self.headers = headers
        self.cookies = cookies
    }

    /// Reads the metadata keys of `object` (a JSON object); other keys are ignored.
    init(reading object: JSONValue) throws(Failure) {
        if let status = object["statusCode"], !status.isNull {
            guard let code = status.intValue, Self.validStatusCodes.contains(code) else { throw .invalidStatusCode }
            statusCode = code
        }
        for member in object["headers"]?.objectMembers ?? [] where !member.key.isEmpty {
            if let text = member.value.scalarText { headers.append(HeaderField(member.key, text)) }
        }
        if let cookies = object["cookies"]?.arrayValue {
            self.cookies = cookies.compactMap(\.scalarText)
        }
        for member in object["multiValueHeaders"]?.objectMembers ?? [] where !member.key.isEmpty {
            let values = member.value.arrayValue ?? [member.value]
            let texts = values.compactMap(\.scalarText)
            if member.key.equalsASCIICaseInsensitive("Set-Cookie") {
                cookies.append(contentsOf: texts)
            } else {
                headers.append(contentsOf: texts.map { HeaderField(member.key, $0) })
            }
        }
    }
}
