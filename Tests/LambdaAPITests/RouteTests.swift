// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

struct RouteTests {
    @Test(
        "Runtime API paths resolve as the Go router does",
        arguments: [
            ("GET", "/2018-06-01/runtime/invocation/next", RuntimeRoute.Match.route(.next)),
            ("POST", "/2018-06-01/runtime/invocation/next", .wrongMethod(allow: "GET")),
            ("POST", "/2018-06-01/runtime/invocation/abc-1/response", .route(.response(requestID: "abc-1"))),
            ("POST", "/2018-06-01/runtime/invocation/abc-1/error", .route(.error(requestID: "abc-1"))),
            ("GET", "/2018-06-01/runtime/invocation/abc-1/response", .wrongMethod(allow: "POST")),
            ("POST", "/2018-06-01/runtime/invocation//response", .notFound),
            ("POST", "/2018-06-01/runtime/invocation/abc/other", .notFound),
            ("POST", "/2018-06-01/runtime/init/error", .route(.initError)),
            ("GET", "/2018-06-01/ping", .route(.ping)),
            ("PUT", "/2020-08-15/logs", .route(.logs)),
            ("PUT", "/2022-07-01/telemetry", .route(.telemetry)),
            ("POST", "/2022-07-01/telemetry", .wrongMethod(allow: "PUT")),
            ("GET", "/2026-01-15/metadata/execution-environment", .route(.metadata)),
            ("PUT", "/2026-01-15/metadata/execution-environment", .route(.metadataWrongMethod)),
            ("GET", "/", .notFound),
            ("GET", "/2018-06-01/runtime/invocation/next/", .notFound),
            ("GET", "2018-06-01/runtime/invocation/next", .notFound),
            ("POST", "/2018-06-01/runtime/invocation/abc/response/x", .notFound),
            ("POST", "/2018-06-01/runtime/invocation/next/response", .route(.response(requestID: "next"))),
            ("GET", "/2018-06-01/runtime/invocation/", .notFound),
            ("GET", "/2018-06-01/runtime/invocation", .notFound),
            ("GET", "/2018-06-01/runtime/invocation/nex\u{301}t", .notFound),
            ("POST", "/2018-06-01/runtime/invocation/ab\u{e9}/response", .route(.response(requestID: "ab\u{e9}"))),
            ("GET", "/2018-06-01/pinG", .notFound),
        ])
    func runtimeRoutes(method: String, path: String, expected: RuntimeRoute.Match) {
        #expect(RuntimeRoute.match(method: method, path: path[...]) == expected)
    }

    @Test(
        "invoke paths accept any function name and nothing else; the streaming API only with POST",
        arguments: [
            ("POST", "/2015-03-31/functions/function/invocations", InvokeRoute.invoke),
            ("GET", "/2015-03-31/functions/my-fn/invocations", .invoke),
            ("POST", "/2015-03-31/functions//invocations", nil),
            ("POST", "/2015-03-31/functions/function/invocations/", nil),
            ("POST", "/2015-03-31/functions/function", nil),
            ("POST", "/2021-11-15/functions/function/invocations", nil),
            ("POST", "/2021-11-15/functions/my-fn/response-streaming-invocations", .responseStream),
            ("GET", "/2021-11-15/functions/my-fn/response-streaming-invocations", nil),
            ("POST", "/2015-03-31/functions/my-fn/response-streaming-invocations", nil),
            ("POST", "/2021-11-15/functions//response-streaming-invocations", nil),
            ("POST", "/2021-11-15/functions/f/response-streaming-invocations/", nil),
            ("POST", "/2015-03-31/functions/a/b/invocations", nil),
            ("POST", "/2015-03-31", nil),
            ("POST", "/2015-03-31/", nil),
            ("POST", "/2015-03-31/functions/", nil),
            ("POST", "/2015-03-32/functions/f/invocations", nil),
            ("POST", "/2015-03-31/function/f/invocations", nil),
            ("POST", "/2015-03-31/functions/f\u{e9}/invocations", .invoke),
            ("POST", "/2015-03-31/functions/f/invocations?x=1", nil),
        ] as [(String, String, InvokeRoute?)])
    func invokeRoutes(method: String, path: String, route: InvokeRoute?) {
        #expect(InvokeRoute.match(method: method, path: path[...]) == route)
    }
}
