// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import LambdaWire
import Testing

@testable import LambdaAPI

@Suite("InvokeFailure")
struct InvokeFailureTests {
    private func failure(_ type: String, _ message: String) -> InvokeFailure {
        InvokeFailure(errorType: type, errorMessage: message)
    }

    @Test("a response is no failure; a function error gives the runtime's type and the body's errorMessage")
    func outcomes() {
        #expect(InvokeFailure.of(.response(body: [1], contentType: nil), requestID: "r") == nil)
        let body = Array(#"{"errorMessage":"failed on purpose","errorType":"FixtureError"}"#.utf8)
        #expect(
            InvokeFailure.of(.functionError(body: body, contentType: nil, errorType: "Function.Unhandled"), requestID: "r")
                == failure("Function.Unhandled", "failed on purpose"))
        #expect(
            InvokeFailure.of(.functionError(body: Array("plain text".utf8), contentType: nil, errorType: "Runtime.Unknown"), requestID: "r")
                == failure("Runtime.Unknown", "plain text"))
    }

    @Test("timeouts, exits, oversized responses and init failures use AWS's emulator's texts")
    func cannedTexts() {
        #expect(InvokeFailure.of(.timedOut(timeoutSeconds: 3), requestID: "r") == failure("Sandbox.Timedout", "Task timed out after 3.00 seconds"))
        #expect(
            InvokeFailure.of(.runtimeExited(reason: "exit status 1"), requestID: "r")
                == failure("Runtime.ExitError", "RequestId: r Error: Runtime exited with error: exit status 1"))
        #expect(
            InvokeFailure.of(.runtimeExited(reason: "exit status 0"), requestID: "r")
                == failure("Runtime.ExitError", "RequestId: r Error: Runtime exited without providing a reason"))
        #expect(
            InvokeFailure.of(.responseTooLarge(bytes: 7_000_000), requestID: "r")
                == failure("Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size (6291556 bytes)."))
        let initBody = Array(#"{"errorMessage":"init failed on purpose","errorType":"Runtime.InitError"}"#.utf8)
        #expect(
            InvokeFailure.of(.initFailed(body: initBody, contentType: nil), requestID: "r")
                == failure("Runtime.InitError", "init failed on purpose"))
        #expect(InvokeFailure.of(.initFailed(body: nil, contentType: nil), requestID: "r")?.errorType == "Runtime.ExitError")
    }

    @Test("error trailers: Node's base64 JSON, Swift's literal placeholder, and none")
    func trailers() {
        let node = Base64.encode(#"{"errorType":"Error","errorMessage":"boom","trace":["at x"]}"#)
        #expect(
            InvokeFailure.of(trailers: [
                TrailerField(name: "lambda-runtime-function-error-type", value: "Error"),
                TrailerField(name: "Lambda-Runtime-Function-Error-Body", value: node),
            ]) == failure("Error", "boom"))
        #expect(
            InvokeFailure.of(trailers: [
                TrailerField(name: "Lambda-Runtime-Function-Error-Type", value: "Unhandled"),
                TrailerField(name: "Lambda-Runtime-Function-Error-Body", value: "Requires base64"),
            ]) == failure("Unhandled", "Requires base64"))
        #expect(InvokeFailure.of(trailers: []) == nil)
        #expect(InvokeFailure.of(trailers: [TrailerField(name: "X-Other", value: "1")]) == nil)
    }

    @Test("a broken stream: timeout, crash (exit or cut connection), size cap; a caller that left is no failure")
    func brokenStreams() {
        func broken(_ reason: String) -> InvokeFailure? {
            InvokeFailure.ofBrokenStream(reason: reason, requestID: "r", timeoutSeconds: 2)
        }
        #expect(broken(Rendezvous.timeoutReason) == failure("Sandbox.Timedout", "Task timed out after 2.00 seconds"))
        #expect(broken("exit status 3") == failure("Runtime.ExitError", "RequestId: r Error: Runtime exited with error: exit status 3"))
        #expect(broken(Rendezvous.truncatedResponseReason)?.errorType == "Runtime.ExitError")
        #expect(broken(Rendezvous.truncatedResponseReason)?.errorMessage.hasPrefix("RequestId: r Error: Runtime exited") == true)
        #expect(broken("Function.ResponseSizeTooLarge")?.errorType == "Function.ResponseSizeTooLarge")
        #expect(broken(ResponseStream.cancelledReason) == nil)
        #expect(broken(Rendezvous.invokeCancelledReason) == nil)
    }

    @Test("the raw path's trailers are the type and base64 of {errorType, errorMessage}")
    func trailerFields() throws {
        let fields = failure("Runtime.ExitError", "gone \"now\"").trailers
        #expect(fields["Lambda-Runtime-Function-Error-Type"] == "Runtime.ExitError")
        let body = try #require(fields["Lambda-Runtime-Function-Error-Body"].flatMap { Base64.decode($0) })
        #expect(String(decoding: body, as: UTF8.self) == #"{"errorType":"Runtime.ExitError","errorMessage":"gone \"now\""}"#)
    }
}
