// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// CRC-32/IEEE (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF): the checksum
/// of AWS event-stream framing, identical to zlib's `crc32` and Python's `zlib.crc32`.
///
/// Written in Swift with a lookup table rather than linking zlib, so the fully static release build
/// needs no extra system library; event-stream frames are small (≤ 4 KiB payloads), where a
/// table-driven CRC costs well under a microsecond.
package enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `bytes`.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, with: $0) }
    }

    /// The checksum of `bytes`.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, with: bytes)
    }

    /// The checksum of the data that gave `crc`, followed by `bytes` (start from 0), as zlib's
    /// `crc32(crc, buf, len)`.
    package static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var c = ~crc
            for b in bytes {
                c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8)
            }
            return ~c
        }
    }
}
