// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The Runtime API surface in one table (cf. the Go emulator's `rapi/router.go`).
enum RuntimeRoute: Equatable {
    case next, ping, initError, logs, telemetry, metadata, metadataWrongMethod
    case response(requestID: String), error(requestID: String)

    /// What a request resolves to: a route, a known path with the wrong method, or nothing.
    enum Match: Equatable { case route(RuntimeRoute), wrongMethod(allow: String), notFound }

    static func match(method: String, path: Substring) -> Match {
        func expect(_ m: String, _ route: RuntimeRoute) -> Match { method == m ? .route(route) : .wrongMethod(allow: m) }
        let bytes = path.utf8
        let invocation = "/2018-06-01/runtime/invocation/".utf8
        if bytes.starts(with: invocation) {
            // {id}/response or {id}/error; `next` is matched whole below.
            let rest = bytes.dropFirst(invocation.count)
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")), slash != rest.startIndex {
                let requestID = String(path[rest.startIndex..<slash])
                let action = rest[rest.index(after: slash)...]
                if action.elementsEqual("response".utf8) { return expect("POST", .response(requestID: requestID)) }
                if action.elementsEqual("error".utf8) { return expect("POST", .error(requestID: requestID)) }
                return .notFound
            }
        }
        switch UTF8Path(bytes) {
        case "/2018-06-01/runtime/invocation/next": return expect("GET", .next)
        case "/2018-06-01/ping": return expect("GET", .ping)
        case "/2018-06-01/runtime/init/error": return expect("POST", .initError)
        case "/2020-08-15/logs": return expect("PUT", .logs)
        case "/2022-07-01/telemetry": return expect("PUT", .telemetry)
        case "/2026-01-15/metadata/execution-environment":
            return method == "GET" ? .route(.metadata) : .route(.metadataWrongMethod)
        default: return .notFound
        }
    }
}

/// A request path compared byte for byte with string literals in a `switch` (no `Character` walking, no
/// Unicode canonical equivalence: an HTTP path is bytes).
struct UTF8Path {
    let bytes: Substring.UTF8View

    init(_ bytes: Substring.UTF8View) {
        self.bytes = bytes
    }

    func equals(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { bytes.elementsEqual($0) }
    }

    static func ~= (pattern: StaticString, value: UTF8Path) -> Bool {
        value.equals(pattern)
    }
}

/// The invoke API's two routes, any function name, query string ignored: `/2015-03-31/functions/{name}/invocations`
/// (Invoke, any method, as AWS's emulator) and `/2021-11-15/functions/{name}/response-streaming-invocations`
/// (InvokeWithResponseStream, POST only, as Lambda).
enum InvokeRoute: Equatable {
    /// Invoke: the outcome as plain HTTP (a stream as chunked HTTP with trailers).
    case invoke
    /// InvokeWithResponseStream: the outcome as `application/vnd.amazon.eventstream` frames.
    case responseStream

    /// The route a request resolves to, or nil (then 404).
    static func match(method: String, path: Substring) -> InvokeRoute? {
        // /{version}/functions/{name}/{action}, the name non-empty and without a slash.
        let bytes = path.utf8
        let slash = UInt8(ascii: "/")
        let dateLength = "/2015-03-31".utf8.count
        guard bytes.count > dateLength else { return nil }
        let afterDate = bytes.index(bytes.startIndex, offsetBy: dateLength)
        let rest = bytes[afterDate...]
        let functions = "/functions/".utf8
        guard rest.starts(with: functions) else { return nil }
        let nameAndAction = rest.dropFirst(functions.count)
        guard let nameEnd = nameAndAction.firstIndex(of: slash), nameEnd != nameAndAction.startIndex else { return nil }
        let action = UTF8Path(nameAndAction[nameAndAction.index(after: nameEnd)...])
        switch UTF8Path(bytes[..<afterDate]) {
        case "/2015-03-31" where action.equals("invocations"): return .invoke
        case "/2021-11-15" where action.equals("response-streaming-invocations") && method == "POST": return .responseStream
        default: return nil
        }
    }
}
