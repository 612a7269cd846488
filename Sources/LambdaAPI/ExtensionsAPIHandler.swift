// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import LambdaWire
import Logging
import SocketServer

/// The Extensions API (`/2020-01-01/extension/...`) and the Telemetry and Logs APIs' subscribe routes, served on
/// the Runtime API listener of one execution environment; AWS's status codes, error types and messages
/// (`rapi/handler/agent*.go`).
struct ExtensionsAPIHandler {
    enum Route: Equatable { case register, next, initError, exitError, logs, telemetry }
    enum Match: Equatable { case route(Route), wrongMethod(allow: String) }

    let extensions: EnvironmentExtensions
    var logger: Logger { extensions.logger }
    /// Largest register or subscribe body read.
    static let maxBodyBytes = 64 * 1024

    static let nameHeader = "Lambda-Extension-Name"
    static let identifierHeader = "Lambda-Extension-Identifier"
    static let eventIdentifierHeader = "Lambda-Extension-Event-Identifier"
    static let errorTypeHeader = "Lambda-Extension-Function-Error-Type"

    /// The route of an Extensions/Telemetry/Logs request, `.wrongMethod` for a known path with another method,
    /// nil for any other path.
    static func match(method: String, path: Substring) -> Match? {
        let route: (Route, String)
        switch path {
        case "/2020-01-01/extension/register": route = (.register, "POST")
        case "/2020-01-01/extension/event/next": route = (.next, "GET")
        case "/2020-01-01/extension/init/error": route = (.initError, "POST")
        case "/2020-01-01/extension/exit/error": route = (.exitError, "POST")
        default: return nil
        }
        return method == route.1 ? .route(route.0) : .wrongMethod(allow: route.1)
    }

    /// Serves `route`; false when the request is left to the caller (a Telemetry/Logs subscription without a
    /// registered extension's identifier gets AWS's emulator's 202 stub).
    func handle(_ route: Route, _ head: RequestHead, _ body: RequestBody, _ response: ResponseWriter) async throws -> Bool {
        switch route {
        case .register: try await register(head, body, response)
        case .next: try await next(head, response)
        case .initError, .exitError: try await reportError(route == .initError, head, body, response)
        case .logs, .telemetry:
            guard extensions.configuration.enabled, let id = head.headers[Self.identifierHeader],
                let record = extensions.hub.record(id: id)
            else { return false }
            try await subscribe(route == .logs ? .logs : .telemetry, record, body, response)
        }
        return true
    }

    private func register(_ head: RequestHead, _ body: RequestBody, _ response: ResponseWriter) async throws {
        guard let name = head.headers[Self.nameHeader], !name.isEmpty else {
            return try await response.send(Self.forbidden("Extension.InvalidExtensionName", "Empty extension name"))
        }
        let bytes = try await body.collect(upTo: Self.maxBodyBytes)
        let events: Set<ExtensionEventType>
        switch Self.parseEvents(bytes) {
        case .failure(let refusal): return try await response.send(refusal.response)
        case .success(let parsed): events = parsed
        }
        let record: ExtensionRegistry.Record
        do {
            record = try extensions.hub.register(name: name, events: events, id: RequestID.make()) { record in
                let subscribed = ExtensionEventType.allCases.filter { events.contains($0) }.map(\.rawValue)
                logger.info(
                    "\(record.isExternal ? "External" : "Internal") agent \(name) (\(record.id)) registered, subscribed to [\(subscribed.joined(separator: " "))]")
            }
        } catch {
            return try await response.send(Self.refusal(error))
        }
        let answer: JSONValue = [
            "functionName": .string(extensions.value("AWS_LAMBDA_FUNCTION_NAME") ?? "test_function"),
            "functionVersion": .string(extensions.value("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST"),
            "handler": .string(extensions.value("_HANDLER") ?? ""),
        ]
        try await response.respond(
            status: 200,
            headers: [Self.identifierHeader: record.id, "Content-Type": "application/json"],
            body: answer.serialized(escapingHTML: true) + [0x0A])
    }

    /// `{"events":[…]}` → the event types, or AWS's 403 refusal.
    static func parseEvents(_ bytes: [UInt8]) -> Result<Set<ExtensionEventType>, Refusal> {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes.isEmpty ? Array("{}".utf8) : bytes)
        } catch {
            return .failure(Refusal(forbidden("InvalidRequestFormat", "\(error)")))
        }
        guard json.objectMembers != nil else { return .failure(Refusal(forbidden("InvalidRequestFormat", "Invalid request body"))) }
        if json["configurationKeys"] != nil {
            return .failure(Refusal(forbidden("InvalidRequestFormat", "configurationKeys are deprecated; use environment variables instead")))
        }
        var events: Set<ExtensionEventType> = []
        guard let list = json["events"], !list.isNull else { return .success(events) }
        guard let items = list.arrayValue else { return .failure(Refusal(forbidden("InvalidRequestFormat", "events must be an array"))) }
        for item in items {
            guard let text = item.stringValue, let event = ExtensionEventType(rawValue: text) else {
                return .failure(Refusal(forbidden("Extension.InvalidEventType", "\(item.scalarText ?? "?"): invalid event type")))
            }
            events.insert(event)
        }
        return .success(events)
    }

    private func next(_ head: RequestHead, _ response: ResponseWriter) async throws {
        let id: String
        switch identify(head) {
        case .failure(let refusal): return try await response.send(refusal.response)
        case .success(let known): id = known.id
        }
        let event: ExtensionEvent
        do {
            event = try await extensions.hub.next(id: id)
        } catch let error as ExtensionRegistryError {
            return try await response.send(Self.refusal(error, id: id))
        }
        try await response.respond(
            status: 200,
            headers: [Self.eventIdentifierHeader: RequestID.make(), "Content-Type": "application/json"],
            body: event.body)
    }

    private func reportError(_ isInit: Bool, _ head: RequestHead, _ body: RequestBody, _ response: ResponseWriter) async throws {
        let record: ExtensionRegistry.Record
        switch identify(head) {
        case .failure(let refusal): return try await response.send(refusal.response)
        case .success(let known): record = known
        }
        guard let errorType = head.headers[Self.errorTypeHeader], !errorType.isEmpty else {
            return try await response.send(Self.forbidden("Extension.MissingHeader", "Missing \(Self.errorTypeHeader) header"))
        }
        _ = try? await body.collect(upTo: Self.maxBodyBytes)
        if isInit {
            logger.error("Extension \(record.name) init error: \(errorType)")
            // As Lambda: the init fails; the invoke that waits for it gets Extension.InitError.
            let failure = JSONText.object([
                "errorMessage": "Extension \(record.name) failed to initialize: \(errorType)", "errorType": "Extension.InitError",
            ])
            try? extensions.rendezvous?.initError(body: Array(failure.utf8), contentType: "application/json")
        } else {
            logger.error("Extension \(record.name) exit error: \(errorType)")
            // Lambda records Extension.ExitError and resets the environment: after the current invoke, the next
            // one gets the error and a fresh runtime and extensions follow.
            let failure = JSONText.object([
                "errorMessage": "Extension \(record.name) exited with an error: \(errorType)", "errorType": "Extension.ExitError",
            ])
            extensions.resetAtNextInvoke(failure: failure, reason: "Extension.ExitError")
        }
        try await response.send(.accepted)
    }

    private func subscribe(
        _ api: TelemetryAPIKind, _ record: ExtensionRegistry.Record, _ body: RequestBody, _ response: ResponseWriter
    ) async throws {
        let request: TelemetrySubscribeRequest
        do {
            request = try TelemetrySubscribeRequest.parse(try await body.collect(upTo: Self.maxBodyBytes), api: api)
        } catch let invalid as TelemetrySubscribeRequest.Invalid {
            return try await response.send(.runtimeError(400, message: invalid.message, type: "ValidationError"))
        }
        let subscriber = TelemetrySubscriber(
            name: record.name, api: api, categories: request.categories, buffering: request.buffering,
            address: request.address, hostHeader: request.hostHeader, path: request.path, logger: logger)
        extensions.telemetry.subscribe(subscriber)
        let types = request.categories.map(\.rawValue).sorted().joined(separator: " ")
        logger.info("Extension \(record.name) subscribed to \(api.rawValue) [\(types)] at \(request.address)")
        try await response.respond(status: 200, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array("OK".utf8))
    }

    /// The registered extension named by `Lambda-Extension-Identifier`, or AWS's 403.
    private func identify(_ head: RequestHead) -> Result<ExtensionRegistry.Record, Refusal> {
        guard let id = head.headers[Self.identifierHeader], !id.isEmpty else {
            return .failure(Refusal(Self.forbidden("Extension.MissingExtensionIdentifier", "Missing \(Self.identifierHeader) header")))
        }
        guard Self.isUUID(id) else {
            return .failure(Refusal(Self.forbidden("Extension.InvalidExtensionIdentifier", "Invalid \(Self.identifierHeader)")))
        }
        guard let record = extensions.hub.record(id: id) else {
            return .failure(Refusal(Self.refusal(.unknownIdentifier, id: id)))
        }
        return .success(record)
    }

    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let hex = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
                guard hex else { return false }
            }
        }
        return true
    }

    /// An AWS error answer, as a `Result` failure.
    struct Refusal: Error {
        let response: CannedResponse
        init(_ response: CannedResponse) { self.response = response }
    }

    static func forbidden(_ type: String, _ message: String) -> CannedResponse {
        .runtimeError(403, message: message, type: type)
    }

    static func refusal(_ error: ExtensionRegistryError, id: String = "") -> CannedResponse {
        switch error {
        case .registrationClosed: forbidden("Extension.RegistrationClosed", "Extension registration closed already")
        case .nameTaken: forbidden("Extension.InvalidExtensionState", "Extension with this name already registered")
        case .tooManyExtensions:
            forbidden("Extension.TooManyExtensions", "Extension limit (\(ExtensionRegistry.maxExtensions)) reached")
        case .shutdownForInternal:
            forbidden("Extension.InvalidEventType", "SHUTDOWN: internal extensions cannot subscribe to SHUTDOWN")
        case .unknownIdentifier: forbidden("Extension.UnknownExtensionIdentifier", "Unknown extension \(id)")
        }
    }
}
