// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The Runtime API surface in one table (cf. the Go emulator's `rapi/router.go`).
enum RuntimeRoute: Equatable {
    case next, ping, initError, logs, telemetry, metadata, metadataWrongMethod
    case response(requestID: String), error(requestID: String)

    /// What a request resolves to: a route, a known path with the wrong method, or nothing.
    enum Match: Equatable { case route(RuntimeRoute), wrongMethod(allow: String), notFound }

    static func match(method: String, path: Substring) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path.first == "/" else { return .notFound }
        let p = Array(parts)
        func expect(_ m: String, _ route: RuntimeRoute) -> Match { method == m ? .route(route) : .wrongMethod(allow: m) }
        switch p.count {
        case 2 where p == ["2018-06-01", "ping"]: return expect("GET", .ping)
        case 2 where p == ["2020-08-15", "logs"]: return expect("PUT", .logs)
        case 2 where p == ["2022-07-01", "telemetry"]: return expect("PUT", .telemetry)
        case 3 where p == ["2026-01-15", "metadata", "execution-environment"]:
            return method == "GET" ? .route(.metadata) : .route(.metadataWrongMethod)
        case 4 where p == ["2018-06-01", "runtime", "invocation", "next"]: return expect("GET", .next)
        case 4 where p == ["2018-06-01", "runtime", "init", "error"]: return expect("POST", .initError)
        case 5 where p[0] == "2018-06-01" && p[1] == "runtime" && p[2] == "invocation" && !p[3].isEmpty:
            switch p[4] {
            case "response": return expect("POST", .response(requestID: String(p[3])))
            case "error": return expect("POST", .error(requestID: String(p[3])))
            default: return .notFound
            }
        default: return .notFound
        }
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
        let p = path.split(separator: "/", omittingEmptySubsequences: false)
        guard p.count == 5, p[0].isEmpty, p[2] == "functions", !p[3].isEmpty else { return nil }
        switch (p[1], p[4]) {
        case ("2015-03-31", "invocations"): return .invoke
        case ("2021-11-15", "response-streaming-invocations") where method == "POST": return .responseStream
        default: return nil
        }
    }
}
