// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

struct ClientContextTests {
    @Test(
        "padded standard base64 decodes; CR and LF are ignored, as Go's StdEncoding does",
        arguments: [
            ("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"),
            ("eyJjdXN0b20iOnsiZm9vIjoiYmFyIn19", #"{"custom":{"foo":"bar"}}"#), ("Zm9v\r\nYmFy", "foobar"),
        ])
    func decodes(encoded: String, decoded: String) {
        #expect(ClientContext.decode(encoded) == decoded)
    }

    @Test("anything Go rejects is rejected (AWS answers it with 500)", arguments: [
        "Zg", "Zg=", "Z", "Zm9v!", "Zm9=v", "@@@@", "Zg===", "Zm9vYg",
    ])
    func rejects(encoded: String) {
        #expect(ClientContext.decode(encoded) == nil)
    }
}
