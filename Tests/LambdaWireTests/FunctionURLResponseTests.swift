// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("FunctionURLResponse")
struct FunctionURLResponseTests {
    static let json = [HeaderField("Content-Type", "application/json")]

    struct Row: Sendable, CustomTestStringConvertible {
        let result: [UInt8]
        let expected: FunctionURLResponse
        var testDescription: String { String(decoding: result, as: UTF8.self) }
        init(_ result: String, _ expected: FunctionURLResponse) {
            self.result = Array(result.utf8)
            self.expected = expected
        }
        init(bytes: [UInt8], _ expected: FunctionURLResponse) {
            self.result = bytes
            self.expected = expected
        }
    }

    static let rows: [Row] = [
        // AWS's documented examples.
        .init(#""Hello, world!""#, FunctionURLResponse(statusCode: 200, headers: json, body: bytes(#""Hello, world!""#))),
        .init("{\n  \"message\": \"Hello, world!\"\n}", FunctionURLResponse(statusCode: 200, headers: json, body: bytes("{\n  \"message\": \"Hello, world!\"\n}"))),
        .init(
            #"{"statusCode":201,"headers":{"Content-Type":"application/json","My-Custom-Header":"Custom Value"},"body":"{\"message\":\"Hello, world!\"}","cookies":["Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT","Cookie_2=Value2; Max-Age=78000"],"isBase64Encoded":false}"#,
            FunctionURLResponse(
                statusCode: 201,
                headers: [HeaderField("Content-Type", "application/json"), HeaderField("My-Custom-Header", "Custom Value")],
                cookies: ["Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT", "Cookie_2=Value2; Max-Age=78000"],
                body: bytes(#"{"message":"Hello, world!"}"#))),
        // Inference: anything that is not an object with statusCode is the body as is.
        .init("42", FunctionURLResponse(statusCode: 200, headers: json, body: bytes("42"))),
        .init("null", FunctionURLResponse(statusCode: 200, headers: json, body: bytes("null"))),
        .init("[1,2]", FunctionURLResponse(statusCode: 200, headers: json, body: bytes("[1,2]"))),
        .init(#"{"body":"x"}"#, FunctionURLResponse(statusCode: 200, headers: json, body: bytes(#"{"body":"x"}"#))),
        .init(#"{"statusCode":null,"body":"x"}"#, FunctionURLResponse(statusCode: 200, headers: json, body: bytes(#"{"statusCode":null,"body":"x"}"#))),
        .init("plain text", FunctionURLResponse(statusCode: 200, headers: json, body: bytes("plain text"))),
        .init("", FunctionURLResponse(statusCode: 200, headers: json, body: [])),
        .init(bytes: [0xFF, 0x00], FunctionURLResponse(statusCode: 200, headers: json, body: [0xFF, 0x00])),
        // Structured: body forms.
        .init(#"{"statusCode":204}"#, FunctionURLResponse(statusCode: 204)),
        .init(#"{"statusCode":200,"body":null}"#, FunctionURLResponse(statusCode: 200)),
        .init(#"{"statusCode":200,"body":"aGk=","isBase64Encoded":true}"#, FunctionURLResponse(statusCode: 200, body: bytes("hi"))),
        .init(#"{"statusCode":200,"body":"aGk=","isBase64Encoded":"true"}"#, FunctionURLResponse(statusCode: 200, body: bytes("aGk="))),
        .init(#"{"statusCode":200,"body":{"a":[1, 2]}}"#, FunctionURLResponse(statusCode: 200, body: bytes(#"{"a":[1,2]}"#))),
        .init(#"{"statusCode":"#, FunctionURLResponse(statusCode: 200, headers: json, body: bytes(#"{"statusCode":"#))),
        // Structured: headers and cookies by ResponseMetadata's rules.
        .init(
            #"{"statusCode":302,"headers":{"Location":"/x","X-N":1},"multiValueHeaders":{"Set-Cookie":["s=1"],"Vary":["a","b"]},"cookies":["c=2"]}"#,
            FunctionURLResponse(
                statusCode: 302,
                headers: [HeaderField("Location", "/x"), HeaderField("X-N", "1"), HeaderField("Vary", "a"), HeaderField("Vary", "b")],
                cookies: ["c=2", "s=1"])),
    ]

    @Test("maps a function result to the HTTP response AWS documents", arguments: rows)
    func maps(_ row: Row) throws {
        #expect(try FunctionURLResponse(functionResult: row.result) == row.expected)
    }

    @Test("a structured result that breaks its own form is an error (suggested 502)", arguments: [
        (#"{"statusCode":"200"}"#, FunctionURLResultError.invalidStatusCode),
        (#"{"statusCode":99}"#, .invalidStatusCode),
        (#"{"statusCode":600,"body":"x"}"#, .invalidStatusCode),
        (#"{"statusCode":200.5}"#, .invalidStatusCode),
        (#"{"statusCode":200,"body":"not base64!","isBase64Encoded":true}"#, .invalidBase64Body),
        (#"{"statusCode":200,"body":[1],"isBase64Encoded":true}"#, .invalidBase64Body),
    ])
    func rejects(_ result: String, _ error: FunctionURLResultError) {
        #expect(throws: error) { try FunctionURLResponse(functionResult: bytes(result)) }
    }
}
