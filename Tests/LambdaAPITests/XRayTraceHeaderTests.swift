// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

@Suite("XRayTraceHeader")
struct XRayTraceHeaderTests {
    @Test("a caller's trace header is passed on unchanged")
    func passedOn() {
        let header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        #expect(XRayTraceHeader.forInvoke(header, epochSeconds: 1) == header)
    }

    @Test("a missing or empty one is generated in X-Ray's format, with the epoch seconds in the root")
    func generated() throws {
        for given in [nil, ""] as [String?] {
            let header = XRayTraceHeader.forInvoke(given, epochSeconds: 0x6745_0a1b)
            let match = try #require(
                header.wholeMatch(of: /Root=1-67450a1b-([0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=0/))
            #expect(match.1 != match.2.prefix(24))
        }
        // Random parts differ from one invoke to the next.
        #expect(XRayTraceHeader.generate(epochSeconds: 5) != XRayTraceHeader.generate(epochSeconds: 5))
        #expect(XRayTraceHeader.generate(epochSeconds: 5).hasPrefix("Root=1-00000005-"))
    }

    @Test(
        "hex digits: lower case, zero-padded to the width, never truncated",
        arguments: [
            (UInt64(0), 8, "00000000"), (0x6745_0a1b, 8, "67450a1b"), (0xabc, 2, "abc"), (0xF, 1, "f"),
            (0, 0, "0"), (UInt64.max, 16, "ffffffffffffffff"), (0x1234_5678_9abc_def0, 20, "0000123456789abcdef0"),
        ] as [(UInt64, Int, String)])
    func hexDigits(value: UInt64, digits: Int, expected: String) {
        var text: [UInt8] = []
        XRayTraceHeader.appendHex(value, digits: digits, to: &text)
        #expect(String(decoding: text, as: UTF8.self) == expected)
    }
}
