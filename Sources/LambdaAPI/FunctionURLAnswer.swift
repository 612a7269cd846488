// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import LambdaWire

/// What a Function URL request and its answer look like on each side, with no I/O: the event's request value
/// from an HTTP request head, the HTTP response of a buffered outcome, the response head of a streaming
/// prelude, and the error responses. `FunctionURLHandler` does the I/O.
enum FunctionURLAnswer {
    /// A function error, timeout, crash, init failure or unusable result, as a real Function URL answers it
    /// (AWS documents 502 and `{"message": "Internal server error"}` for the same failures behind API Gateway).
    static let internalServerError = CannedResponse(
        status: 502, headers: ["Content-Type": "application/json"],
        body: Array("{\"message\":\"Internal Server Error\"}".utf8))

    /// A request body over the 6 MB payload limit.
    static let requestTooLarge = CannedResponse(
        status: 413, headers: ["Content-Type": "application/json", "Connection": "close"],
        body: Array("{\"message\":\"Request Entity Too Large\"}".utf8))

    /// The emulator itself cannot invoke (e.g. `AWS_LAMBDA_FUNCTION_TIMEOUT` is not a number).
    static let emulatorError = CannedResponse(
        status: 500, headers: ["Content-Type": "application/json"],
        body: Array("{\"message\":\"Internal Server Error\"}".utf8))

    /// Header fields the emulator frames itself; a function's values for them are dropped.
    private static let framingFields = ["Content-Length", "Transfer-Encoding", "Connection"]

    /// The request as `FunctionURLEvent` reads it. `sourceIP` is the peer's address when known.
    static func request(
        _ head: RequestHead, body: [UInt8], sourceIP: String, requestID: String, timeEpochMilliseconds: Int64,
        defaultDomain: String
    ) -> FunctionURLRequest {
        FunctionURLRequest(
            method: head.method, rawPath: String(head.path), rawQueryString: head.query.map(String.init) ?? "",
            headers: head.headers.map { HeaderField($0.name, $0.value) }, body: body, sourceIP: sourceIP,
            requestID: requestID, timeEpochMilliseconds: timeEpochMilliseconds,
            domainName: head.headers["Host"] ?? defaultDomain)
    }

    /// The response to a finished (non-streaming) outcome, and whether the invoke failed.
    static func buffered(_ outcome: InvokeOutcome) -> (response: CannedResponse, failed: Bool) {
        guard case .response(let body, _) = outcome else { return (internalServerError, true) }
        guard let result = try? FunctionURLResponse(functionResult: body) else { return (internalServerError, true) }
        let headers = fields(result.headers, cookies: result.cookies)
        return (CannedResponse(status: result.statusCode, headers: headers, body: result.body), false)
    }

    /// The response head a streaming prelude asks for.
    static func head(for prelude: HTTPIntegrationPrelude) -> (status: Int, headers: HTTPHeaders) {
        (prelude.statusCode, fields(prelude.headers, cookies: prelude.cookies))
    }

    /// Whether the runtime's `Content-Type` announces an http-integration prelude (parameters and case ignored).
    static func announcesPrelude(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return String(mediaType).trimmingSpacesAndTabs.equalsIgnoringASCIICase(HTTPIntegrationPrelude.contentType)
    }

    /// The function's fields (framing fields dropped), then one `Set-Cookie` per cookie.
    private static func fields(_ headers: [HeaderField], cookies: [String]) -> HTTPHeaders {
        var result = HTTPHeaders()
        for field in headers where !framingFields.contains(where: { field.name.equalsIgnoringASCIICase($0) }) {
            result.add(field.name, field.value)
        }
        for cookie in cookies { result.add("Set-Cookie", cookie) }
        return result
    }
}

extension String {
    fileprivate var trimmingSpacesAndTabs: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
