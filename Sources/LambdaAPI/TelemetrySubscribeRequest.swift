// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaWire
import SocketServer

/// A parsed `PUT /2022-07-01/telemetry` or `PUT /2020-08-15/logs` body:
/// `{"schemaVersion":…,"destination":{"protocol":"HTTP","URI":"http://sandbox.localdomain:PORT/path"},
/// "types":["platform","function"],"buffering":{"maxItems":…,"maxBytes":…,"timeoutMs":…}}`.
///
/// The destination must be HTTP on this machine: `sandbox.localdomain` (what real extensions use),
/// `localhost`, or an IP literal; the first two are delivered to 127.0.0.1.
struct TelemetrySubscribeRequest: Equatable {
    var categories: Set<TelemetryCategory>
    var buffering: TelemetryBuffering
    var address: SocketAddress
    var hostHeader: String
    var path: String

    /// A refusal: AWS answers 400 with `errorType` `ValidationError` and this message.
    struct Invalid: Error, Equatable {
        var message: String
    }

    static func parse(_ body: [UInt8], api: TelemetryAPIKind) throws(Invalid) -> TelemetrySubscribeRequest {
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch { throw Invalid(message: "Invalid JSON body") }
        if api == .telemetry {
            guard let schema = json["schemaVersion"]?.stringValue, ["2022-07-01", "2022-12-13", "2025-01-29"].contains(schema)
            else { throw Invalid(message: "schemaVersion must be 2022-07-01, 2022-12-13 or 2025-01-29") }
        }
        guard let destination = json["destination"], destination["protocol"]?.stringValue == "HTTP",
            let uri = destination["URI"]?.stringValue
        else { throw Invalid(message: "destination must be {\"protocol\":\"HTTP\",\"URI\":…} (TCP is not supported)") }
        guard let (address, host, path) = Self.destination(uri) else {
            throw Invalid(message: "destination URI must be http://sandbox.localdomain:PORT, localhost or an IP")
        }
        guard let types = json["types"]?.arrayValue, !types.isEmpty else { throw Invalid(message: "types is required") }
        var categories: Set<TelemetryCategory> = []
        for type in types {
            guard let text = type.stringValue, let category = TelemetryCategory(rawValue: text) else {
                throw Invalid(message: "types must be among platform, function, extension")
            }
            categories.insert(category)
        }
        var buffering = api == .telemetry ? TelemetryBuffering.telemetryDefault : TelemetryBuffering.logsDefault
        if let settings = json["buffering"], !settings.isNull {
            buffering.maxItems = try Self.setting(settings, "maxItems", buffering.maxItems, TelemetryBuffering.itemRange)
            buffering.maxBytes = try Self.setting(settings, "maxBytes", buffering.maxBytes, TelemetryBuffering.byteRange)
            buffering.timeoutMs = try Self.setting(
                settings, "timeoutMs", buffering.timeoutMs, TelemetryBuffering.timeoutRange)
        }
        return TelemetrySubscribeRequest(
            categories: categories, buffering: buffering, address: address, hostHeader: host, path: path)
    }

    private static func setting(
        _ settings: JSONValue, _ key: String, _ fallback: Int, _ range: ClosedRange<Int>
    ) throws(Invalid) -> Int {
        guard let value = settings[key], !value.isNull else { return fallback }
        guard let number = value.intValue, range.contains(number) else {
            throw Invalid(message: "buffering.\(key) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// `http://host:port[/path]` → the address to connect to, the Host header, the request path.
    static func destination(_ uri: String) -> (SocketAddress, String, String)? {
        guard uri.hasPrefix("http://") else { return nil }
        let rest = uri.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        var path = String(rest.dropFirst(authority.count))
        if path.isEmpty { path = "/" } else if path.first == "?" { path = "/" + path }
        guard let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") else { return nil }
        let host = authority[..<colon]
        let port = authority[authority.index(after: colon)...]
        let connectHost: String
        switch host.lowercased() {
        case "sandbox.localdomain", "sandbox", "localhost": connectHost = "127.0.0.1"
        default: connectHost = String(host)
        }
        guard let address = try? SocketAddress(parsing: "\(connectHost):\(port)"), address.port != 0 else { return nil }
        return (address, String(authority), path)
    }
}
