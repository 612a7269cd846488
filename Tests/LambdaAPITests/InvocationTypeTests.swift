// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

@Suite("InvocationType")
struct InvocationTypeTests {
    @Test("absent means RequestResponse; the three values are accepted on Invoke, case-sensitively")
    func invoke() {
        #expect(InvocationType.parse(nil, streamingAPI: false) == .success(.requestResponse))
        #expect(InvocationType.parse("RequestResponse", streamingAPI: false) == .success(.requestResponse))
        #expect(InvocationType.parse("Event", streamingAPI: false) == .success(.event))
        #expect(InvocationType.parse("DryRun", streamingAPI: false) == .success(.dryRun))
        #expect(
            InvocationType.parse("event", streamingAPI: false)
                == .failure(InvalidInvocationType(value: "event", allowed: [.dryRun, .requestResponse, .event])))
    }

    @Test("InvokeWithResponseStream has no Event")
    func streaming() {
        #expect(InvocationType.parse("DryRun", streamingAPI: true) == .success(.dryRun))
        #expect(
            InvocationType.parse("Event", streamingAPI: true)
                == .failure(InvalidInvocationType(value: "Event", allowed: [.requestResponse, .dryRun])))
    }

    @Test("an invalid value is real Lambda's 400 ValidationException")
    func validationError() {
        let answer = InvalidInvocationType(value: "Bogus", allowed: [.dryRun, .requestResponse, .event])
            .response(requestID: "id-1")
        #expect(answer.status == 400)
        #expect(answer.headers["X-Amzn-ErrorType"] == "ValidationException")
        #expect(answer.headers["X-Amzn-RequestId"] == "id-1")
        #expect(
            String(decoding: answer.body, as: UTF8.self)
                == #"{"message":"1 validation error detected: Value 'Bogus' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [DryRun, RequestResponse, Event]"}"#
        )
    }
}
