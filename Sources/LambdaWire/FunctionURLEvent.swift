// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// An HTTP request as a Function URL receives it: what `FunctionURLEvent` turns into an event.
package struct FunctionURLRequest: Sendable, Equatable {
    package var method: String
    /// The path as sent, not decoded (`/a%20b`).
    package var rawPath: String
    /// The query after `?`, without the `?` (empty when none).
    package var rawQueryString: String
    /// The request's header fields, in order, names as sent.
    package var headers: [HeaderField]
    package var body: [UInt8]
    package var sourceIP: String
    package var requestID: String
    package var timeEpochMilliseconds: Int64
    /// `requestContext.domainName`, e.g. the request's `Host` (`localhost:8080`) or AWS's
    /// `<url-id>.lambda-url.<region>.on.aws`. Its first label (before `.` or `:`) is the
    /// `domainPrefix` and the `apiId`, as on AWS where both are the URL id.
    package var domainName: String

    package init(
        method: String, rawPath: String, rawQueryString: String = "", headers: [HeaderField] = [],
        body: [UInt8] = [], sourceIP: String, requestID: String, timeEpochMilliseconds: Int64, domainName: String
    ) {
        self.method = method
        self.rawPath = rawPath
        self.rawQueryString = rawQueryString
        self.headers = headers
        self.body = body
        self.sourceIP = sourceIP
        self.requestID = requestID
        self.timeEpochMilliseconds = timeEpochMilliseconds
        self.domainName = domainName
    }
}

/// Builds the payload-format-2.0 event a Function URL sends its function (AWS docs, "Invoking Lambda
/// function URLs", request payload format), keys in the documented order:
///
/// `version` "2.0", `routeKey` "$default", `rawPath`, `rawQueryString`, `cookies` (omitted when none),
/// `headers`, `queryStringParameters` (omitted when none), `requestContext` {`accountId` "anonymous",
/// `apiId`, `domainName`, `domainPrefix`, `http` {`method`, `path`, `protocol` "HTTP/1.1", `sourceIp`,
/// `userAgent`}, `requestId`, `routeKey`, `stage` "$default", `time`, `timeEpoch`}, `body` (omitted
/// when empty), `isBase64Encoded`.
///
/// - `headers`: names lower-cased, repeated names joined with `,`; the `Cookie` header is not among
///   them: its values, split on `;` and trimmed, are `cookies` (API Gateway's 2.0 behaviour).
/// - `queryStringParameters`: see `QueryString`.
/// - `body`: the text as it is when it is valid UTF-8 and the `Content-Type` is textual (missing, `text/*`,
///   JSON, XML, JavaScript, or a `+json`/`+xml` type); otherwise base64 with `isBase64Encoded` true. AWS
///   documents only "if the content type of the request is binary, the body is base64-encoded"; the
///   textual list is this emulator's reading of it (form posts, `application/x-www-form-urlencoded`,
///   are base64, as on API Gateway HTTP APIs).
package enum FunctionURLEvent {
    /// The event as a value.
    package static func event(for request: FunctionURLRequest) -> JSONValue {
        var headerOrder: [String] = []
        var headerValues: [String: [String]] = [:]
        var cookies: [String] = []
        for field in request.headers {
            let name = field.name.asciiLowercased
            if name == "cookie" {
                cookies.append(contentsOf: splitCookies(field.value))
                continue
            }
            if headerValues[name] == nil { headerOrder.append(name) }
            headerValues[name, default: []].append(field.value)
        }
        let headers = headerOrder.map { JSONMember($0, .string(headerValues[$0, default: []].joined(separator: ","))) }
        let contentType = headerValues["content-type"]?.first
        let userAgent = headerValues["user-agent"]?.first ?? ""
        let prefix = domainPrefix(request.domainName)

        var members: [JSONMember] = [
            JSONMember("version", "2.0"),
            JSONMember("routeKey", "$default"),
            JSONMember("rawPath", .string(request.rawPath)),
            JSONMember("rawQueryString", .string(request.rawQueryString)),
        ]
        if !cookies.isEmpty { members.append(JSONMember("cookies", .array(cookies.map(JSONValue.string)))) }
        members.append(JSONMember("headers", .object(headers)))
        let parameters = QueryString.joinedParameters(request.rawQueryString)
        if !parameters.isEmpty {
            members.append(JSONMember("queryStringParameters", .object(parameters.map { JSONMember($0.name, .string($0.value)) })))
        }
        members.append(JSONMember("requestContext", [
            "accountId": "anonymous",
            "apiId": .string(prefix),
            "domainName": .string(request.domainName),
            "domainPrefix": .string(prefix),
            "http": [
                "method": .string(request.method),
                "path": .string(request.rawPath),
                "protocol": "HTTP/1.1",
                "sourceIp": .string(request.sourceIP),
                "userAgent": .string(userAgent),
            ],
            "requestId": .string(request.requestID),
            "routeKey": "$default",
            "stage": "$default",
            "time": .string(RequestTime.commonLogFormat(epochMilliseconds: request.timeEpochMilliseconds)),
            "timeEpoch": .integer(request.timeEpochMilliseconds),
        ]))
        var isBase64Encoded = false
        if !request.body.isEmpty {
            if isTextual(contentType: contentType), let text = String(validating: request.body, as: UTF8.self) {
                members.append(JSONMember("body", .string(text)))
            } else {
                members.append(JSONMember("body", .string(Base64.encode(request.body))))
                isBase64Encoded = true
            }
        }
        members.append(JSONMember("isBase64Encoded", .bool(isBase64Encoded)))
        return .object(members)
    }

    /// The event's JSON bytes, ready to be the invoke payload.
    package static func payload(for request: FunctionURLRequest) -> [UInt8] {
        event(for: request).serialized()
    }

    /// Whether a body of this `Content-Type` is sent as text (when it is valid UTF-8).
    package static func isTextual(contentType: String?) -> Bool {
        guard let contentType else { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { String($0).trimmingSpaces.asciiLowercased } ?? ""
        if mediaType.isEmpty || mediaType.hasPrefix("text/") || mediaType.hasSuffix("+json") || mediaType.hasSuffix("+xml") {
            return true
        }
        return ["application/json", "application/xml", "application/javascript", "application/ecmascript"].contains(mediaType)
    }

    static func splitCookies(_ header: String) -> [String] {
        header.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    static func domainPrefix(_ domainName: String) -> String {
        String(domainName.prefix { $0 != "." && $0 != ":" })
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }
}
