// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("StreamErrorTrailers")
struct StreamErrorTrailersTests {
    static let nodeBody = #"{"errorType":"TypeError","errorMessage":"boom","trace":["TypeError: boom","    at handler (/var/task/index.js:3:9)"]}"#

    @Test("Node: base64 JSON with errorType, errorMessage and trace")
    func node() throws {
        let trailers = [
            HeaderField("Lambda-Runtime-Function-Error-Type", "TypeError"),
            HeaderField("Lambda-Runtime-Function-Error-Body", Base64.encode(Self.nodeBody)),
        ]
        let error = try #require(StreamErrorTrailers(trailers: trailers))
        #expect(error.errorType == "TypeError")
        #expect(error.errorMessage == "boom")
        #expect(error.stackTrace == ["TypeError: boom", "    at handler (/var/task/index.js:3:9)"])
        #expect(error.rawBody == Self.nodeBody)
        #expect(error.bodyWasBase64)
    }

    @Test("Swift: the literal placeholder 'Requires base64' is kept as text")
    func swift() throws {
        let trailers = [
            HeaderField("lambda-runtime-function-error-type", " Unhandled "),
            HeaderField("LAMBDA-RUNTIME-FUNCTION-ERROR-BODY", "Requires base64"),
        ]
        let error = try #require(StreamErrorTrailers(trailers: trailers))
        #expect(error == StreamErrorTrailers(errorType: "Unhandled", errorBody: "Requires base64"))
        #expect(error.errorType == "Unhandled")
        #expect(error.errorMessage == "Requires base64")
        #expect(error.stackTrace == [])
        #expect(error.rawBody == "Requires base64")
        #expect(!error.bodyWasBase64)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let type: String?
        let body: String?
        let expected: (type: String, message: String, trace: [String], raw: String, base64: Bool)?
    }

    static let rows: [Row] = [
        Row(testDescription: "no trailers: no error", type: nil, body: nil, expected: nil),
        Row(testDescription: "empty trailers: no error", type: "", body: "", expected: nil),
        Row(testDescription: "type only", type: "Runtime.Oops", body: nil, expected: ("Runtime.Oops", "", [], "", false)),
        Row(testDescription: "body only: type from the JSON", type: nil, body: Base64.encode(#"{"errorType":"E","errorMessage":"m","stackTrace":["a",1,"b"]}"#),
            expected: ("E", "m", ["a", "b"], #"{"errorType":"E","errorMessage":"m","stackTrace":["a",1,"b"]}"#, true)),
        Row(testDescription: "body without a type anywhere", type: nil, body: "plain words", expected: ("Unhandled", "plain words", [], "plain words", false)),
        Row(testDescription: "plain JSON, not base64", type: "T", body: #"{"errorMessage":"m"}"#, expected: ("T", "m", [], #"{"errorMessage":"m"}"#, false)),
        Row(testDescription: "base64 of non-JSON text", type: "T", body: Base64.encode("just text"), expected: ("T", "just text", [], "just text", true)),
        Row(testDescription: "base64 of non-UTF-8 bytes is taken as text", type: "T", body: "/w==", expected: ("T", "/w==", [], "/w==", false)),
        Row(testDescription: "JSON that is not an object", type: "T", body: Base64.encode("[1]"), expected: ("T", "[1]", [], "[1]", true)),
        Row(testDescription: "header type wins over the body's", type: "Header", body: Base64.encode(#"{"errorType":"Body"}"#),
            expected: ("Header", "", [], #"{"errorType":"Body"}"#, true)),
        Row(testDescription: "empty errorType in the body", type: nil, body: Base64.encode(#"{"errorType":""}"#),
            expected: ("Unhandled", "", [], #"{"errorType":""}"#, true)),
    ]

    @Test("reads any mix of type and body leniently", arguments: rows)
    func lenient(_ row: Row) {
        let error = StreamErrorTrailers(errorType: row.type, errorBody: row.body)
        #expect(error?.errorType == row.expected?.type)
        #expect(error?.errorMessage == row.expected?.message)
        #expect(error?.stackTrace == row.expected?.trace)
        #expect(error?.rawBody == row.expected?.raw)
        #expect(error?.bodyWasBase64 == row.expected?.base64)
    }

    @Test("other trailers are ignored")
    func otherTrailers() {
        #expect(StreamErrorTrailers(trailers: [HeaderField("X-Checksum", "abc")]) == nil)
    }
}
