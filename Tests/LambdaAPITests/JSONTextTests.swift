// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

struct JSONTextTests {
    @Test(
        "strings are escaped as Go's json.Encoder escapes them",
        arguments: [
            ("plain", #""plain""#),
            ("a\"b\\c", #""a\"b\\c""#),
            ("line\nnext\ttab\r", #""line\nnext\ttab\r""#),
            ("<tag>&", #""\u003ctag\u003e\u0026""#),
            ("\u{01}\u{1f}", #""\u0001\u001f""#),
            ("\u{2028}", #""\u2028""#),
            ("héllo", "\"héllo\""),
        ])
    func quoting(input: String, expected: String) {
        #expect(JSONText.quoted(input) == expected)
    }

    @Test("objects keep the given key order")
    func objectOrder() {
        #expect(JSONText.object(["errorType": "T", "errorMessage": "M"]) == #"{"errorType":"T","errorMessage":"M"}"#)
    }
}
