// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

@testable import LambdaWire
import Testing

@Suite("HeaderField and its string helpers")
struct HeaderFieldTests {
    @Test("ASCII case-insensitive equality folds letters only", arguments: [
        ("Set-Cookie", "set-cookie", true), ("SET-COOKIE", "Set-Cookie", true), ("Set-Cookie", "Set-Cookie2", false),
        ("a@", "a`", false), ("[", "{", false), ("é", "É", false), ("", "", true),
    ])
    func caseInsensitive(_ a: String, _ b: String, _ equal: Bool) {
        #expect(a.equalsASCIICaseInsensitive(b) == equal)
        #expect(b.equalsASCIICaseInsensitive(a) == equal)
    }

    @Test("lower-casing touches ASCII letters only", arguments: [
        ("Content-Type", "content-type"), ("X-ÉTÉ", "x-ÉtÉ"), ("already", "already"), ("@[`{", "@[`{"),
    ])
    func lowercased(_ input: String, _ expected: String) {
        #expect(input.asciiLowercased == expected)
    }

    @Test("trimming removes spaces and tabs at both ends only", arguments: [
        ("  a b\t", "a b"), ("\t\t", ""), ("", ""), ("x", "x"), (" \n ", "\n"),
    ])
    func trimming(_ input: String, _ expected: String) {
        #expect(input.trimmingSpaces == expected)
    }
}
