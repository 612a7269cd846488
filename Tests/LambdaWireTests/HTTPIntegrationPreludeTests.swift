// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("HTTPIntegrationPrelude")
struct HTTPIntegrationPreludeTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let json: String
        let expected: HTTPIntegrationPrelude
        var testDescription: String { json }
        init(_ json: String, _ expected: HTTPIntegrationPrelude) {
            self.json = json
            self.expected = expected
        }
    }

    static let rows: [Row] = [
        .init("{}", HTTPIntegrationPrelude()),
        .init(#"{"statusCode":201}"#, HTTPIntegrationPrelude(statusCode: 201)),
        .init(#"{"statusCode":null}"#, HTTPIntegrationPrelude(statusCode: 200)),
        .init(#"{"statusCode":2.01e2}"#, HTTPIntegrationPrelude(statusCode: 201)),
        // Node (awslambda.HttpResponseStream.from): statusCode, headers, cookies.
        .init(
            #"{"statusCode":201,"headers":{"Content-Type":"text/event-stream","X-Count":3,"X-Flag":true},"cookies":["a=1; Path=/","b=2; Path=/"]}"#,
            HTTPIntegrationPrelude(
                statusCode: 201,
                headers: [HeaderField("Content-Type", "text/event-stream"), HeaderField("X-Count", "3"), HeaderField("X-Flag", "true")],
                cookies: ["a=1; Path=/", "b=2; Path=/"])),
        // Swift (writeStatusAndHeaders): keys in any order, cookies in multiValueHeaders.
        .init(
            #"{"headers":{"content-type":"text/plain"},"multiValueHeaders":{"Set-Cookie":["a=1; Path=/","b=2; Path=/"],"X-Multi":["1","2"]},"statusCode":418}"#,
            HTTPIntegrationPrelude(
                statusCode: 418,
                headers: [HeaderField("content-type", "text/plain"), HeaderField("X-Multi", "1"), HeaderField("X-Multi", "2")],
                cookies: ["a=1; Path=/", "b=2; Path=/"])),
        .init(
            #"{"cookies":["c=3"],"multiValueHeaders":{"set-cookie":"d=4","X-One":5}}"#,
            HTTPIntegrationPrelude(headers: [HeaderField("X-One", "5")], cookies: ["c=3", "d=4"])),
        .init(
            #"{"headers":{"X-Null":null,"X-Array":["a"],"X-Object":{},"":"empty name","X-Ok":"ok"},"cookies":["e=5",null,7]}"#,
            HTTPIntegrationPrelude(headers: [HeaderField("X-Ok", "ok")], cookies: ["e=5", "7"])),
        .init(
            #"{"headers":{"X-A":"1"},"headers":{"X-B":"2"},"unknown":[1,2,3]}"#,
            HTTPIntegrationPrelude(headers: [HeaderField("X-B", "2")])),
        .init(#"  {"headers":"not an object","cookies":"nor an array"}  "#, HTTPIntegrationPrelude()),
    ]

    @Test("reads Node's and Swift's preludes, any key order, every key optional", arguments: rows)
    func parses(_ row: Row) throws {
        #expect(try HTTPIntegrationPrelude(json: bytes(row.json)[...]) == row.expected)
    }

    @Test("rejects what is not a usable prelude", arguments: [
        ("", HTTPIntegrationPreludeError.invalidJSON(JSONParseError(.unexpectedEnd, at: 0))),
        (#"{"statusCode":200"#, .invalidJSON(JSONParseError(.unexpectedEnd, at: 17))),
        ("[]", .notAnObject),
        ("\"200\"", .notAnObject),
        (#"{"statusCode":"201"}"#, .invalidStatusCode),
        (#"{"statusCode":99}"#, .invalidStatusCode),
        (#"{"statusCode":600}"#, .invalidStatusCode),
        (#"{"statusCode":200.5}"#, .invalidStatusCode),
        (#"{"statusCode":true}"#, .invalidStatusCode),
    ])
    func rejects(_ json: String, _ error: HTTPIntegrationPreludeError) {
        #expect(throws: error) { try HTTPIntegrationPrelude(json: bytes(json)[...]) }
    }
}
