// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

struct Base64Tests {
    @Test(
        "standard padded base64 decodes",
        arguments: [
            ("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"),
            ("eyJjdXN0b20iOnsiZm9vIjoiYmFyIn19", #"{"custom":{"foo":"bar"}}"#), ("Zm9v\r\nYmFy", "foobar"),
        ])
    func decodes(encoded: String, decoded: String) {
        #expect(Base64.decode(encoded) == Array(decoded.utf8))
    }

    @Test("invalid base64 is rejected", arguments: ["Zg", "Zg=", "Z", "Zm9v!", "Zg==Zg==", "Zm9=v", "@@@@", "Zg===" ])
    func rejects(encoded: String) {
        #expect(Base64.decode(encoded) == nil)
    }

    @Test("encode then decode is the identity for every length up to 64")
    func roundTrip() {
        for length in 0...64 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foob".utf8)) == "Zm9vYg==")
    }
}
