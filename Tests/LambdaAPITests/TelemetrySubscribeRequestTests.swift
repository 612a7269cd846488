// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

@Suite("TelemetrySubscribeRequest")
struct TelemetrySubscribeRequestTests {
    func parse(_ text: String, _ api: TelemetryAPIKind = .telemetry) throws(TelemetrySubscribeRequest.Invalid)
        -> TelemetrySubscribeRequest
    {
        try TelemetrySubscribeRequest.parse(Array(text.utf8), api: api)
    }

    @Test("sandbox.localdomain and localhost are delivered to 127.0.0.1; the Host header and path are kept")
    func destinations() throws {
        let sub = try parse(
            #"{"schemaVersion":"2022-12-13","destination":{"protocol":"HTTP","URI":"http://sandbox.localdomain:4243/lambda_logs"},"types":["platform","function"]}"#)
        #expect(sub.address.description == "127.0.0.1:4243")
        #expect(sub.hostHeader == "sandbox.localdomain:4243")
        #expect(sub.path == "/lambda_logs")
        #expect(sub.categories == [.platform, .function])
        #expect(sub.buffering == .telemetryDefault)
        #expect(TelemetrySubscribeRequest.destination("http://localhost:80")?.0.description == "127.0.0.1:80")
        #expect(TelemetrySubscribeRequest.destination("http://10.1.2.3:9")?.2 == "/")
        #expect(TelemetrySubscribeRequest.destination("http://[::1]:8080/x")?.0.description == "[::1]:8080")
        #expect(TelemetrySubscribeRequest.destination("https://sandbox:1") == nil)
        #expect(TelemetrySubscribeRequest.destination("http://sandbox.localdomain") == nil)
        #expect(TelemetrySubscribeRequest.destination("http://example.com:80") == nil)  // never resolved
    }

    @Test("buffering settings are honoured within AWS's bounds; the Logs API has its own defaults")
    func buffering() throws {
        let sub = try parse(
            #"{"destination":{"protocol":"HTTP","URI":"http://sandbox:1"},"types":["function"],"buffering":{"maxItems":2000,"maxBytes":300000,"timeoutMs":25}}"#,
            .logs)
        #expect(sub.buffering == TelemetryBuffering(maxItems: 2000, maxBytes: 300_000, timeoutMs: 25))
        let defaults = try parse(#"{"destination":{"protocol":"HTTP","URI":"http://sandbox:1"},"types":["platform"]}"#, .logs)
        #expect(defaults.buffering == .logsDefault)
        for bad in [#"{"maxItems":999}"#, #"{"maxBytes":1048577}"#, #"{"timeoutMs":24}"#, #"{"timeoutMs":"x"}"#] {
            #expect(throws: TelemetrySubscribeRequest.Invalid.self) {
                try parse(
                    #"{"schemaVersion":"2022-12-13","destination":{"protocol":"HTTP","URI":"http://sandbox:1"},"types":["platform"],"buffering":"#
                        + bad + "}")
            }
        }
    }

    @Test("a bad body is refused", arguments: [
        "not json",
        #"{"destination":{"protocol":"HTTP","URI":"http://sandbox:1"},"types":["platform"]}"#,  // no schemaVersion
        #"{"schemaVersion":"2022-12-13","destination":{"protocol":"TCP","URI":"sandbox:1"},"types":["platform"]}"#,
        #"{"schemaVersion":"2022-12-13","destination":{"protocol":"HTTP","URI":"http://sandbox:1"},"types":[]}"#,
        #"{"schemaVersion":"2022-12-13","destination":{"protocol":"HTTP","URI":"http://sandbox:1"},"types":["bogus"]}"#,
    ])
    func refusals(body: String) {
        #expect(throws: TelemetrySubscribeRequest.Invalid.self) { try parse(body) }
    }
}
