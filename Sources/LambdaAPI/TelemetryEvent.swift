// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaWire

/// Which subscription API an extension used: they share the delivery, not the event shapes.
package enum TelemetryAPIKind: String, Sendable {
    /// `PUT /2022-07-01/telemetry`, schema 2022-12-13.
    case telemetry
    /// `PUT /2020-08-15/logs` (the older Logs API).
    case logs
}

/// The categories a subscription picks (`"types"`).
package enum TelemetryCategory: String, Sendable, Hashable {
    case platform, function
    case `extension`
}

/// One event of the Telemetry API (schema 2022-12-13) and its Logs API form, rendered as
/// `{"time":…,"type":…,"record":…}`.
package enum TelemetryEvent: Sendable, Equatable {
    case initStart(functionName: String, functionVersion: String)
    case initRuntimeDone(status: String)
    case initReport(durationMs: Double, status: String)
    case start(requestID: String, version: String, traceID: String?)
    case runtimeDone(requestID: String, status: String, durationMs: Double, producedBytes: Int, traceID: String?)
    case report(requestID: String, status: String, durationMs: Double, initDurationMs: Double?, memorySizeMB: Int)
    /// One line of the runtime's output (without its newline).
    case function(line: String)

    package var category: TelemetryCategory {
        if case .function = self { return .function }
        return .platform
    }

    /// The event as one JSON object for `api`, stamped `time` (RFC 3339, milliseconds, UTC); nil when that API
    /// has no such event (the Logs API has no init events).
    package func rendered(for api: TelemetryAPIKind, time: String) -> [UInt8]? {
        guard let (type, record) = typeAndRecord(api) else { return nil }
        let object: JSONValue = .object([JSONMember("time", .string(time)), JSONMember("type", .string(type)), JSONMember("record", record)])
        return object.serialized()
    }

    private func typeAndRecord(_ api: TelemetryAPIKind) -> (String, JSONValue)? {
        switch self {
        case .initStart(let name, let version):
            guard api == .telemetry else { return nil }
            return (
                "platform.initStart",
                [
                    "initializationType": "on-demand", "phase": "init", "functionName": .string(name),
                    "functionVersion": .string(version),
                ]
            )
        case .initRuntimeDone(let status):
            guard api == .telemetry else { return nil }
            return ("platform.initRuntimeDone", ["initializationType": "on-demand", "phase": "init", "status": .string(status)])
        case .initReport(let duration, let status):
            guard api == .telemetry else { return nil }
            return (
                "platform.initReport",
                [
                    "initializationType": "on-demand", "phase": "init", "status": .string(status),
                    "metrics": ["durationMs": .double(Self.rounded(duration))],
                ]
            )
        case .start(let id, let version, let trace):
            var members = [JSONMember("requestId", .string(id))]
            if api == .telemetry {
                members.append(JSONMember("version", .string(version)))
                if let trace { members.append(JSONMember("tracing", Self.tracing(trace))) }
            }
            return ("platform.start", .object(members))
        case .runtimeDone(let id, let status, let duration, let produced, let trace):
            var members = [JSONMember("requestId", .string(id)), JSONMember("status", .string(status))]
            if api == .telemetry {
                members.append(
                    JSONMember(
                        "metrics", ["durationMs": .double(Self.rounded(duration)), "producedBytes": .integer(produced)]))
                if let trace { members.append(JSONMember("tracing", Self.tracing(trace))) }
            }
            return ("platform.runtimeDone", .object(members))
        case .report(let id, let status, let duration, let initDuration, let memory):
            var metrics = [
                JSONMember("durationMs", .double(Self.rounded(duration))),
                JSONMember("billedDurationMs", .integer(Int(duration.rounded(.up)))),
                JSONMember("memorySizeMB", .integer(memory)),
                JSONMember("maxMemoryUsedMB", .integer(memory)),
            ]
            if let initDuration { metrics.append(JSONMember("initDurationMs", .double(Self.rounded(initDuration)))) }
            var members = [JSONMember("requestId", .string(id))]
            if api == .telemetry { members.append(JSONMember("status", .string(status))) }
            members.append(JSONMember("metrics", .object(metrics)))
            return ("platform.report", .object(members))
        case .function(let line):
            return ("function", .string(line))
        }
    }

    /// `{"type":"X-Amzn-Trace-Id","value":…}`.
    private static func tracing(_ trace: String) -> JSONValue {
        ["type": "X-Amzn-Trace-Id", "value": .string(trace)]
    }

    /// Three decimals, as Lambda reports milliseconds.
    private static func rounded(_ ms: Double) -> Double { (max(ms, 0) * 1000).rounded() / 1000 }

    /// `2022-10-12T00:00:15.064Z` for an epoch in milliseconds.
    package static func timestamp(epochMilliseconds ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ width: Int) -> String {
            let text = String(v)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(Int64(secondOfDay / 3600), 2)):"
            + "\(pad(Int64(secondOfDay % 3600 / 60), 2)):\(pad(Int64(secondOfDay % 60), 2)).\(pad(Int64(millis), 3))Z"
    }
}
