// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire

/// Bytes from hex text; whitespace is ignored. Test data only: a bad digit is a test bug.
func hex(_ text: String) -> [UInt8] {
    let digits = text.utf8.filter { $0 != 0x20 && $0 != 0x0A }
    var bytes: [UInt8] = []
    var i = digits.startIndex
    while i + 1 < digits.endIndex {
        let pair = String(decoding: digits[i...(i + 1)], as: UTF8.self)
        bytes.append(UInt8(pair, radix: 16) ?? 0)
        i += 2
    }
    return bytes
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Every way to cut `input` in two, plus one byte at a time: the splits an incremental reader must
/// treat alike.
func splits(of input: [UInt8]) -> [[[UInt8]]] {
    var result: [[[UInt8]]] = (0...input.count).map { [Array(input[..<$0]), Array(input[$0...])] }
    result.append(input.map { [$0] })
    return result
}
