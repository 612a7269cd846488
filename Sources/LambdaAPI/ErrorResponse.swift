// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import SocketServer

/// A status and a body, ready to be written. Every error the Lambda APIs answer is built here, in one table.
package struct CannedResponse: Sendable, Equatable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: [UInt8]

    /// Go's `rendering.RenderJSON`: `application/json` and a trailing newline.
    static func json(_ status: Int, _ text: String) -> CannedResponse {
        CannedResponse(status: status, headers: ["Content-Type": "application/json"], body: Array((text + "\n").utf8))
    }

    /// `{"errorMessage":…,"errorType":…}\n`, AWS's Runtime API error shape.
    static func runtimeError(_ status: Int, message: String, type: String) -> CannedResponse {
        json(status, JSONText.object(["errorMessage": message, "errorType": type]))
    }

    /// Go's `http.NotFound`, which chi uses for unknown routes.
    static let notFound = CannedResponse(
        status: 404,
        headers: ["Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"],
        body: Array("404 page not found\n".utf8)
    )
    /// Go's `http.Error(w, text, status)`.
    static func goError(_ status: Int, _ text: String) -> CannedResponse {
        CannedResponse(
            status: status,
            headers: ["Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"],
            body: Array((text + "\n").utf8))
    }

    /// The execution-environment metadata AWS's emulator serves (`GET /2026-01-15/metadata/execution-environment`).
    static let metadata = CannedResponse(
        status: 200,
        headers: ["Cache-Control": "private, max-age=43200, immutable", "Content-Type": "application/json"],
        body: Array("{\"AvailabilityZoneID\":\"use1-az1\"}".utf8))

    /// 404 with no body: AWS's emulator's answer to Extensions API routes when extensions are disabled.
    static let empty404 = CannedResponse(status: 404, headers: [:], body: [])

    /// chi's 405: no body, and the allowed method.
    static func methodNotAllowed(allow: String) -> CannedResponse {
        CannedResponse(status: 405, headers: ["Allow": allow], body: [])
    }
    /// `202 {"status":"OK"}\n`.
    static let accepted = json(202, "{\"status\":\"OK\"}")

    static let invalidFunctionResponseMode = runtimeError(
        400, message: "Invalid function response mode", type: "InvalidFunctionResponseMode")
    static let payloadTooLarge = runtimeError(
        413, message: "Exceeded maximum allowed payload size (\(maxBufferedPayloadBytes) bytes).",
        type: "RequestEntityTooLarge")
    static let internalServerError = runtimeError(500, message: "Internal Server Error", type: "InternalServerError")
    static let logsNotSupported = json(
        202, JSONText.object(["errorMessage": "Logs API is not supported", "errorType": "Logs.NotSupported"]))
    static let telemetryNotSupported = json(
        202, JSONText.object(["errorMessage": "Telemetry API is not supported", "errorType": "Telemetry.NotSupported"]))

    /// The one translation of rendezvous errors to HTTP.
    static func from(_ error: RuntimeAPIError) -> CannedResponse {
        switch error {
        case .invalidRequestID:
            runtimeError(400, message: "Invalid request ID", type: "InvalidRequestID")
        case .invalidStateTransition(let from, let to):
            runtimeError(
                403,
                message: "State transition from \(from) to \(to) failed for runtime. Error: State transition is not allowed",
                type: "InvalidStateTransition")
        }
    }
}

extension ResponseWriter {
    /// Sends `canned` whole, head and body in one `send`.
    func send(_ canned: CannedResponse) async throws {
        try await respond(status: canned.status, headers: canned.headers, body: canned.body)
    }
}
