// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Base64 with the standard alphabet (RFC 4648 §4): what Lambda uses for `isBase64Encoded` bodies,
/// `LogResult` and the runtimes' error trailers.
///
/// Encoding always pads. Decoding takes padded or unpadded input but nothing else: no whitespace, no
/// URL-safe alphabet, no `=` except one or two at the very end. Unused low bits of the last symbol are
/// ignored (as Go's `StdEncoding` does). Never traps.
package enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for alphabet bytes, 0xFF for the rest.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()

    package static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { encode($0) }
    }

    package static func encode(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { encode($0) }
    }

    package static func encode(_ text: String) -> String {
        encode(Array(text.utf8))
    }

    private static func encode(_ input: UnsafeBufferPointer<UInt8>) -> String {
        let length = (input.count &+ 2) / 3 &* 4
        let output = [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            alphabet.withUnsafeBufferPointer { symbols in
                var i = 0
                var o = 0
                while i &+ 3 <= input.count {
                    let n = UInt32(input[i]) << 16 | UInt32(input[i &+ 1]) << 8 | UInt32(input[i &+ 2])
                    out[o] = symbols[Int(n >> 18 & 63)]
                    out[o &+ 1] = symbols[Int(n >> 12 & 63)]
                    out[o &+ 2] = symbols[Int(n >> 6 & 63)]
                    out[o &+ 3] = symbols[Int(n & 63)]
                    i &+= 3
                    o &+= 4
                }
                let rest = input.count &- i
                if rest > 0 {
                    let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i &+ 1]) << 8 : 0)
                    out[o] = symbols[Int(n >> 18 & 63)]
                    out[o &+ 1] = symbols[Int(n >> 12 & 63)]
                    out[o &+ 2] = rest == 2 ? symbols[Int(n >> 6 & 63)] : UInt8(ascii: "=")
                    out[o &+ 3] = UInt8(ascii: "=")
                }
            }
            initialized = length
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil when it is not base64.
    package static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// The bytes the ASCII `encoded` encodes, or nil when it is not base64.
    package static func decode(_ encoded: [UInt8]) -> [UInt8]? {
        encoded.withUnsafeBufferPointer { decode($0) }
    }

    private static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var count = input.count
        var padding = 0
        while padding < 2, count > 0, input[count &- 1] == UInt8(ascii: "=") {
            count &-= 1
            padding &+= 1
        }
        // Padded input must be whole quads; unpadded input cannot end with a lone symbol.
        if padding > 0, input.count % 4 != 0 { return nil }
        if count % 4 == 1 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(count / 4 &* 3 &+ 2)
        return values.withUnsafeBufferPointer { table -> [UInt8]? in
            var accumulator: UInt32 = 0
            var bits = 0
            for i in 0..<count {
                let value = table[Int(input[i])]
                guard value != 0xFF else { return nil }
                accumulator = accumulator << 6 | UInt32(value)
                bits &+= 6
                if bits >= 8 {
                    bits &-= 8
                    output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                }
            }
            return output
        }
    }
}
