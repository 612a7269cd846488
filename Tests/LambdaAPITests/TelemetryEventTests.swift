// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaWire
import Testing

@testable import LambdaAPI

@Suite("TelemetryEvent")
struct TelemetryEventTests {
    func json(_ event: TelemetryEvent, _ api: TelemetryAPIKind = .telemetry) throws -> JSONValue? {
        guard let bytes = event.rendered(for: api, time: "2022-10-12T00:00:15.064Z") else { return nil }
        return try JSONValue.parse(bytes)
    }

    @Test("timestamps are RFC 3339 UTC with milliseconds", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1_665_533_215_064), "2022-10-12T00:06:55.064Z"),
        (Int64(951_782_400_001), "2000-02-29T00:00:00.001Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
    ])
    func timestamps(ms: Int64, text: String) {
        #expect(TelemetryEvent.timestamp(epochMilliseconds: ms) == text)
    }

    @Test("platform.start, runtimeDone and report carry the 2022-12-13 schema's fields")
    func invokeEvents() throws {
        let start = try #require(try json(.start(requestID: "r", version: "$LATEST", traceID: "Root=1")))
        #expect(start["type"] == "platform.start")
        #expect(start["time"] == "2022-10-12T00:00:15.064Z")
        #expect(start["record"] == ["requestId": "r", "version": "$LATEST", "tracing": ["type": "X-Amzn-Trace-Id", "value": "Root=1"]])
        let done = try #require(
            try json(.runtimeDone(requestID: "r", status: "success", durationMs: 1.23456, producedBytes: 5, traceID: nil)))
        #expect(done["record"]?["status"] == "success")
        #expect(done["record"]?["metrics"]?["producedBytes"]?.intValue == 5)
        #expect(done["record"]?["metrics"]?["durationMs"]?.doubleValue == 1.235)
        #expect(done["record"]?["tracing"] == nil)
        let report = try #require(
            try json(.report(requestID: "r", status: "timeout", durationMs: 10.2, initDurationMs: 3, memorySizeMB: 128)))
        let metrics = try #require(report["record"]?["metrics"])
        #expect(metrics["billedDurationMs"]?.intValue == 11)
        #expect(metrics["memorySizeMB"]?.intValue == 128)
        #expect(metrics["initDurationMs"]?.doubleValue == 3)
        #expect(report["record"]?["status"] == "timeout")
    }

    @Test("the Logs API gets no init events and slimmer records; function lines are strings in both")
    func logsAPIShapes() throws {
        #expect(try json(.initStart(functionName: "f", functionVersion: "1"), .logs) == nil)
        #expect(try json(.initReport(durationMs: 1, status: "success"), .logs) == nil)
        #expect(try json(.start(requestID: "r", version: "1", traceID: "t"), .logs)?["record"] == ["requestId": "r"])
        let report = try #require(try json(.report(requestID: "r", status: "success", durationMs: 1, initDurationMs: nil, memorySizeMB: 1), .logs))
        #expect(report["record"]?["status"] == nil)
        #expect(try json(.function(line: "hello \"x\""), .logs)?["record"] == "hello \"x\"")
        #expect(TelemetryEvent.function(line: "").category == .function)
        #expect(TelemetryEvent.initRuntimeDone(status: "success").category == .platform)
    }
}
