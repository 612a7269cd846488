// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

struct RuntimeAPIHandlerTests {
    @Test(
        "error types are validated as AWS's GetValidRuntimeOrFunctionErrorType does",
        arguments: [
            ("Runtime.ExitError", "Runtime.ExitError"),
            ("Function.MyError", "Function.MyError"),
            ("prefix Runtime.Xy suffix", "prefix Runtime.Xy suffix"),
            ("Function.lower", "Function.Unknown"),
            ("Runtime.X", "Runtime.Unknown"),
            ("Unhandled", "Runtime.Unknown"),
            ("", "Runtime.Unknown"),
            ("Function.", "Function.Unknown"),
        ])
    func errorTypeValidation(input: String, expected: String) {
        #expect(FunctionErrorType.validated(input) == expected)
    }

    @Test("Runtime API error bodies match AWS's byte for byte")
    func errorBodies() {
        let invalidID = CannedResponse.from(.invalidRequestID)
        #expect(invalidID.status == 400)
        #expect(String(decoding: invalidID.body, as: UTF8.self)
            == "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}\n")
        let transition = CannedResponse.from(.invalidStateTransition(from: "Running", to: "InvocationResponse"))
        #expect(transition.status == 403)
        #expect(String(decoding: transition.body, as: UTF8.self)
            == "{\"errorMessage\":\"State transition from Running to InvocationResponse failed for runtime. "
            + "Error: State transition is not allowed\",\"errorType\":\"InvalidStateTransition\"}\n")
        #expect(String(decoding: CannedResponse.payloadTooLarge.body, as: UTF8.self)
            == "{\"errorMessage\":\"Exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"RequestEntityTooLarge\"}\n")
        #expect(CannedResponse.accepted.body == Array("{\"status\":\"OK\"}\n".utf8))
        #expect(CannedResponse.notFound.body == Array("404 page not found\n".utf8))
    }
}
