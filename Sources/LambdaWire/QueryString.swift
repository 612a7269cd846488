// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Decoding of a URL query (`a=1&b=x%20y&a=2`) into the name/value pairs of payload 2.0's
/// `queryStringParameters`.
///
/// Pairs are split on `&`; a pair without `=` has the value `""`; empty pairs are skipped. Names and
/// values are percent-decoded and `+` means a space (HTML form encoding, as the usual URL libraries
/// treat queries); a `%` not followed by two hex digits stays as it is; bytes that are not UTF-8 after
/// decoding become U+FFFD.
enum QueryString {
    /// Every pair, decoded, in order.
    static func pairs(_ raw: String) -> [(name: String, value: String)] {
        raw.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                return (decode(pair[..<equals]), decode(pair[pair.index(after: equals)...]))
            }
            return (decode(pair), "")
        }
    }

    /// Pairs grouped by name (first appearance order), duplicate values joined with `,`, as payload
    /// format 2.0 does.
    static func joinedParameters(_ raw: String) -> [(name: String, value: String)] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in pairs(raw) {
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(value)
        }
        return order.map { ($0, values[$0, default: []].joined(separator: ",")) }
    }

    static func decode(_ encoded: Substring.UTF8View) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var i = encoded.startIndex
        while i != encoded.endIndex {
            let b = encoded[i]
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%"), let hi = hexValue(at: encoded.index(after: i), in: encoded),
                      let lo = hexValue(at: encoded.index(i, offsetBy: 2), in: encoded) {
                bytes.append(hi << 4 | lo)
                i = encoded.index(i, offsetBy: 3)
                continue
            } else {
                bytes.append(b)
            }
            i = encoded.index(after: i)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(at index: Substring.UTF8View.Index, in text: Substring.UTF8View) -> UInt8? {
        guard index < text.endIndex else { return nil }
        let b = text[index]
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
