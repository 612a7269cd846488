// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import Testing

@testable import LambdaAPI

struct InvokeAnswerTests {
    private func text(_ canned: CannedResponse?) -> String { String(decoding: canned?.body ?? [], as: UTF8.self) }

    @Test("a buffered response passes the runtime's bytes and Content-Type through")
    func success() throws {
        let canned = try #require(InvokeAnswer.canned(for: .response(body: Array("{\"a\":1}".utf8), contentType: "application/json"), requestID: "r"))
        #expect(canned.status == 200)
        #expect(canned.headers["Content-Type"] == "application/json")
        #expect(canned.headers["X-Amz-Function-Error"] == nil)
        #expect(text(canned) == "{\"a\":1}")
    }

    @Test("an empty body without a runtime Content-Type gets no Content-Type, as Go's server sends it")
    func emptyBody() throws {
        let canned = try #require(InvokeAnswer.canned(for: .response(body: [], contentType: nil), requestID: "r"))
        #expect(canned.headers["Content-Type"] == nil)
        #expect(canned.body.isEmpty)
    }

    @Test("without a runtime Content-Type, the type is sniffed as Go does")
    func sniffed() {
        #expect(InvokeAnswer.sniff(Array("{\"a\":1}".utf8)) == "text/plain; charset=utf-8")
        #expect(InvokeAnswer.sniff(Array(" <html><body>".utf8)) == "text/html; charset=utf-8")
        #expect(InvokeAnswer.sniff([0, 1, 2, 3]) == "application/octet-stream")
    }

    @Test("a function error is a 200 with X-Amz-Function-Error")
    func functionError() throws {
        let canned = try #require(InvokeAnswer.canned(for: .functionError(body: Array("{}".utf8), contentType: nil, errorType: "Function.X"), requestID: "r"))
        #expect(canned.status == 200)
        #expect(canned.headers["X-Amz-Function-Error"] == "Unhandled")
    }

    @Test("timeout, crash and size errors carry AWS's exact bodies")
    func errorBodies() {
        #expect(text(InvokeAnswer.canned(for: .timedOut(timeoutSeconds: 3), requestID: "r")) == "Task timed out after 3.00 seconds")
        let crash = InvokeAnswer.canned(for: .runtimeExited(reason: "exit status 1"), requestID: "id-1")
        #expect(crash?.status == 502)
        #expect(text(crash) == #"{"errorType":"Runtime.ExitError","errorMessage":"RequestId: id-1 Error: Runtime exited with error: exit status 1"}"#)
        #expect(text(InvokeAnswer.canned(for: .runtimeExited(reason: "exit status 0"), requestID: "id-2"))
            == #"{"errorType":"Runtime.ExitError","errorMessage":"RequestId: id-2 Error: Runtime exited without providing a reason"}"#)
        #expect(text(InvokeAnswer.canned(for: .responseTooLarge(bytes: 7_000_000), requestID: "r"))
            == #"{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes)."}"#)
    }

    @Test("an init failure is a 502 with the /init/error body or nothing")
    func initFailure() {
        let empty = InvokeAnswer.canned(for: .initFailed(body: nil, contentType: nil), requestID: "r")
        #expect(empty?.status == 502)
        #expect(empty?.body.isEmpty == true)
        let posted = InvokeAnswer.canned(for: .initFailed(body: Array("{\"e\":1}".utf8), contentType: "application/json"), requestID: "r")
        #expect(posted?.status == 502)
        #expect(text(posted) == "{\"e\":1}")
    }
}
