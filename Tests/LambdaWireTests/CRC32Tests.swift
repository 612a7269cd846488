// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("CRC32")
struct CRC32Tests {
    // Values from Python's zlib.crc32 (the same function as zlib's crc32).
    @Test("matches zlib's crc32", arguments: [
        ("", 0x0000_0000 as UInt32), ("123456789", 0xCBF4_3926), ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
    ])
    func matchesZlib(_ input: String, _ expected: UInt32) {
        #expect(CRC32.checksum(bytes(input)) == expected)
    }

    @Test("update continues a checksum across pieces, split anywhere")
    func incremental() {
        let input = bytes("The quick brown fox jumps over the lazy dog")
        for cut in 0...input.count {
            let first = input[..<cut].withUnsafeBytes { CRC32.update(0, with: $0) }
            let both = input[cut...].withUnsafeBytes { CRC32.update(first, with: $0) }
            #expect(both == 0x414F_A339)
        }
    }
}
