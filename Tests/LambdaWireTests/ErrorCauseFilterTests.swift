// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

/// Expected outputs are what Go's `json.Marshal(model.ErrorResponse{...})` gives after
/// `json.Unmarshal(body, &errorWithCauseRequest)` in AWS's emulator (`mime_type_error_cause_json.go`).
@Suite("ErrorCauseFilter")
struct ErrorCauseFilterTests {
    @Test("keeps errorMessage, errorType, stackTrace, in that order, compact and HTML-escaped", arguments: [
        (#"{"errorMessage":"foo","errorType":"foo","errorCause":{"paths":[],"working_directory":[],"exceptions":[]}}"#,
         #"{"errorMessage":"foo","errorType":"foo"}"#),
        (#"{"stackTrace":["a","b"],"requestId":"r","errorType":"Exception","errorMessage":"Raising"}"#,
         #"{"errorMessage":"Raising","errorType":"Exception","stackTrace":["a","b"]}"#),
        (#" { "errorMessage" : "<b>&</b>\u2028" } "#, #"{"errorMessage":"\u003cb\u003e\u0026\u003c/b\u003e\u2028","errorType":""}"#),
        ("{}", #"{"errorMessage":"","errorType":""}"#),
        ("null", #"{"errorMessage":"","errorType":""}"#),
        (#"{"stackTrace":[]}"#, #"{"errorMessage":"","errorType":""}"#),
        (#"{"stackTrace":null,"errorMessage":null}"#, #"{"errorMessage":"","errorType":""}"#),
        (#"{"stackTrace":["a",null]}"#, #"{"errorMessage":"","errorType":"","stackTrace":["a",""]}"#),
        (#"{"ERRORMESSAGE":"upper","ErrorType":"mixed","stacktrace":["l"]}"#,
         #"{"errorMessage":"upper","errorType":"mixed","stackTrace":["l"]}"#),
        (#"{"errorMessage":"first","errormessage":"second","errorMessage":null}"#, #"{"errorMessage":"second","errorType":""}"#),
        ("{\"stac\u{212A}Trace\":[\"k\"]}", #"{"errorMessage":"","errorType":"","stackTrace":["k"]}"#),
        ("{\"errorTyp\u{E9}\":\"x\"}", #"{"errorMessage":"","errorType":""}"#),
        ("{\"\u{17F}tackTrace\":[\"x\"]}", #"{"errorMessage":"","errorType":"","stackTrace":["x"]}"#),
        (#"{"errorCause":"anything","unknown":{"deep":[1,2,{"x":null}]}}"#, #"{"errorMessage":"","errorType":""}"#),
    ])
    func filters(_ body: String, _ expected: String) {
        #expect(text(ErrorCauseFilter.filter(bytes(body))) == expected)
    }

    @Test("a body Go cannot decode becomes the JSON string \"Invalid error body\"", arguments: [
        #"{"foo":bar}"#, "", "[]", #""str""#, "42", "true", #"{"errorMessage":5}"#, #"{"errorType":["x"]}"#,
        #"{"stackTrace":"one line"}"#, #"{"stackTrace":[1]}"#, #"{"stackTrace":[["nested"]]}"#, #"{"errorMessage":"a"} trailing"#,
    ])
    func invalid(_ body: String) {
        #expect(ErrorCauseFilter.filter(bytes(body)) == bytes(#""Invalid error body""#))
        #expect(ErrorCauseFilter.filter(bytes(body)) == ErrorCauseFilter.invalidBody)
    }

    @Test("the content type is the one AWS filters on")
    func contentType() {
        #expect(ErrorCauseFilter.contentType == "application/vnd.aws.lambda.error.cause+json")
    }
}
