// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("Base64")
struct Base64Tests {
    // RFC 4648 §10 test vectors, plus bytes that use '+' and '/'.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test("encodes the RFC 4648 vectors with padding", arguments: vectors)
    func encodes(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(plain) == encoded)
        #expect(Base64.encode(bytes(plain)) == encoded)
        #expect(Base64.encode(bytes("xx" + plain)[2...]) == encoded)
    }

    @Test("decodes the RFC 4648 vectors, padded or not", arguments: vectors)
    func decodes(_ plain: String, _ encoded: String) {
        #expect(Base64.decode(encoded) == bytes(plain))
        #expect(Base64.decode(bytes(encoded)) == bytes(plain))
        let unpadded = String(encoded.prefix { $0 != "=" })
        #expect(Base64.decode(unpadded) == bytes(plain))
    }

    @Test("binary with + and / round-trips")
    func binary() {
        let all = (0...255).map { UInt8($0) }
        let encoded = Base64.encode(all)
        #expect(encoded.hasPrefix("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"))
        #expect(encoded.hasSuffix("+/w=="))
        #expect(Base64.decode(encoded) == all)
        #expect(Base64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
    }

    @Test("rejects what is not standard base64", arguments: [
        "Requires base64", "Z", "Zg=", "Zm9v=", "Zg===", "Z===", "====", "Zm 9v", "Zm9v\n", "Zm-_", "Zg==Zg==", "=Zg=", "é",
    ])
    func rejects(_ input: String) {
        #expect(Base64.decode(input) == nil)
    }

    @Test("unused low bits of the last symbol are ignored, as Go's StdEncoding does")
    func lenientTrailingBits() {
        #expect(Base64.decode("Zh==") == bytes("f"))
        #expect(Base64.decode("Zm9=") == bytes("fo"))
    }
}
