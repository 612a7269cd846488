// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import LambdaWire
import Testing

@testable import LambdaAPI

struct FunctionURLAnswerTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a request head becomes the event's request: path, query, headers in order, Host as the domain")
    func request() {
        let head = RequestHead(
            method: "POST", target: "/a%20b/c?x=1&y=2", version: HTTPVersion(major: 1, minor: 1),
            headers: ["Host": "example.test:8081", "X-One": "1", "Cookie": "a=1"], framing: .contentLength(2),
            keepAlive: true, expectsContinue: false)
        let request = FunctionURLAnswer.request(
            head, body: bytes("hi"), sourceIP: "127.0.0.1", requestID: "rid", timeEpochMilliseconds: 42,
            defaultDomain: "0.0.0.0:8081")
        #expect(request.method == "POST")
        #expect(request.rawPath == "/a%20b/c")
        #expect(request.rawQueryString == "x=1&y=2")
        #expect(request.headers == [HeaderField("Host", "example.test:8081"), HeaderField("X-One", "1"), HeaderField("Cookie", "a=1")])
        #expect(request.body == bytes("hi"))
        #expect(request.domainName == "example.test:8081")
        #expect(request.requestID == "rid")
        #expect(request.timeEpochMilliseconds == 42)
    }

    @Test("without Host or query, the listener's address is the domain and the query is empty")
    func requestDefaults() {
        let head = RequestHead(
            method: "GET", target: "/", version: HTTPVersion(major: 1, minor: 0), headers: [:], framing: .none,
            keepAlive: false, expectsContinue: false)
        let request = FunctionURLAnswer.request(
            head, body: [], sourceIP: "127.0.0.1", requestID: "r", timeEpochMilliseconds: 0, defaultDomain: "127.0.0.1:8081")
        #expect(request.rawQueryString == "")
        #expect(request.domainName == "127.0.0.1:8081")
    }

    @Test("a structured result gives status, headers, one Set-Cookie per cookie and the decoded body")
    func structured() {
        let result = #"{"statusCode":201,"headers":{"X-A":"1","Content-Length":"999","Connection":"close"},"cookies":["a=1","b=2"],"body":"aGk=","isBase64Encoded":true}"#
        let (answer, failed) = FunctionURLAnswer.buffered(.response(body: bytes(result), contentType: "application/json"))
        #expect(!failed)
        #expect(answer.status == 201)
        #expect(answer.headers["X-A"] == "1")
        #expect(answer.headers.values("Set-Cookie") == ["a=1", "b=2"])
        #expect(answer.headers["Content-Length"] == nil)  // the framing is the emulator's
        #expect(answer.headers["Connection"] == nil)
        #expect(answer.body == bytes("hi"))
    }

    @Test("a plain result is 200 application/json with the bytes unchanged")
    func plain() {
        let (answer, failed) = FunctionURLAnswer.buffered(.response(body: bytes("\"hello\""), contentType: nil))
        #expect(!failed)
        #expect(answer.status == 200)
        #expect(answer.headers["Content-Type"] == "application/json")
        #expect(answer.body == bytes("\"hello\""))
    }

    @Test("every failure, and a result that breaks the structured form, is 502 Internal Server Error", arguments: [
        InvokeOutcome.functionError(body: [], contentType: nil, errorType: "Function.Unhandled"),
        .timedOut(timeoutSeconds: 3), .runtimeExited(reason: "exit status 1"), .initFailed(body: nil, contentType: nil),
        .responseTooLarge(bytes: 7_000_000), .response(body: Array(#"{"statusCode":42}"#.utf8), contentType: nil),
        .response(body: Array(#"{"statusCode":200,"body":"%%","isBase64Encoded":true}"#.utf8), contentType: nil),
    ])
    func failures(outcome: InvokeOutcome) {
        let (answer, failed) = FunctionURLAnswer.buffered(outcome)
        #expect(failed)
        #expect(answer.status == 502)
        #expect(answer.headers["Content-Type"] == "application/json")
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"message":"Internal Server Error"}"#)
    }

    @Test("a prelude's status, headers and cookies make the streamed response's head")
    func preludeHead() {
        let prelude = HTTPIntegrationPrelude(
            statusCode: 206, headers: [HeaderField("Content-Type", "text/event-stream"), HeaderField("Transfer-Encoding", "gzip")],
            cookies: ["s=1; Path=/"])
        let (status, headers) = FunctionURLAnswer.head(for: prelude)
        #expect(status == 206)
        #expect(headers["Content-Type"] == "text/event-stream")
        #expect(headers["Transfer-Encoding"] == nil)
        #expect(headers.values("Set-Cookie") == ["s=1; Path=/"])
    }

    @Test("only the http-integration content type announces a prelude (any case, parameters ignored)", arguments: [
        ("application/vnd.awslambda.http-integration-response", true),
        ("Application/VND.awslambda.http-integration-response; charset=utf-8", true),
        ("text/event-stream", false), ("application/vnd.awslambda.http-integration-responsex", false), ("", false),
    ])
    func announcesPrelude(contentType: String, expected: Bool) {
        #expect(FunctionURLAnswer.announcesPrelude(contentType) == expected)
        #expect(!FunctionURLAnswer.announcesPrelude(nil))
    }
}
