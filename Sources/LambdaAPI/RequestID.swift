// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Request ids: random (version 4) UUIDs in lower-case hex, as AWS's emulator makes them.
enum RequestID {
    /// Two 64-bit draws from ``PooledRandom`` (no system call for most invokes), written as hex in one buffer.
    static func make() -> String {
        var generator = PooledRandom()
        let halves: [UInt64] = [generator.next(), generator.next()]
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 { bytes[i] = UInt8(truncatingIfNeeded: halves[i / 8] >> (56 - 8 * (i % 8))) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Go's `%f`: six decimals.
enum GoFormat {
    static func sixDecimals(_ value: Double) -> String {
        let micro = Int((max(value, 0) * 1_000_000).rounded())
        let fraction = String(micro % 1_000_000)
        return "\(micro / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
