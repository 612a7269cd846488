// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

extension JSONValue {
    /// Compact JSON (no whitespace), members in order, numbers as their text.
    ///
    /// Strings escape `"` and `\`, write `\b \f \n \r \t` for those controls and `\u00xx` (lower-case
    /// hex) for the other bytes below 0x20; everything else is raw UTF-8. With `escapingHTML`, also
    /// `<` `>` `&` as `\u003c` `\u003e` `\u0026` and U+2028/U+2029 as `\u2028`/`\u2029`: byte for byte
    /// what Go's `json.Marshal` writes (Go ≥ 1.22), which is what AWS's Go emulator produces.
    package func serialized(escapingHTML: Bool = false) -> [UInt8] {
        var buffer: [UInt8] = []
        serialize(into: &buffer, escapingHTML: escapingHTML)
        return buffer
    }

    /// `serialized(escapingHTML:)` as a `String`.
    package func jsonText(escapingHTML: Bool = false) -> String {
        String(decoding: serialized(escapingHTML: escapingHTML), as: UTF8.self)
    }

    /// Appends the compact serialization to `buffer`.
    package func serialize(into buffer: inout [UInt8], escapingHTML: Bool = false) {
        switch self {
        case .null:
            buffer.append(contentsOf: "null".utf8)
        case .bool(let value):
            buffer.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text):
            buffer.append(contentsOf: (JSONValue.isValidNumber(text) ? text : "null").utf8)
        case .string(let text):
            JSONValue.appendString(text, to: &buffer, escapingHTML: escapingHTML)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { buffer.append(UInt8(ascii: ",")) }
                element.serialize(into: &buffer, escapingHTML: escapingHTML)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            for (offset, member) in members.enumerated() {
                if offset > 0 { buffer.append(UInt8(ascii: ",")) }
                JSONValue.appendString(member.key, to: &buffer, escapingHTML: escapingHTML)
                buffer.append(UInt8(ascii: ":"))
                member.value.serialize(into: &buffer, escapingHTML: escapingHTML)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// `"text"` with JSON escapes, appended to `buffer`.
    package static func appendString(_ text: String, to buffer: inout [UInt8], escapingHTML: Bool = false) {
        var text = text
        text.withUTF8 { utf8 in
            buffer.reserveCapacity(buffer.count &+ utf8.count &+ 2)
            buffer.append(UInt8(ascii: "\""))
            var runStart = 0
            var i = 0
            while i < utf8.count {
                let b = utf8[i]
                let escape = escapeSequence(for: b, at: i, in: utf8, escapingHTML: escapingHTML)
                guard escape.length > 0 else {
                    i &+= 1
                    continue
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                appendEscape(escape.code, to: &buffer)
                i &+= escape.length
                runStart = i
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            buffer.append(UInt8(ascii: "\""))
        }
    }

    /// How many input bytes at `i` are replaced by an escape (0: none), and the code point to write.
    private static func escapeSequence(
        for b: UInt8, at i: Int, in utf8: UnsafeBufferPointer<UInt8>, escapingHTML: Bool
    ) -> (length: Int, code: UInt32) {
        switch b {
        case 0..<0x20, UInt8(ascii: "\""), UInt8(ascii: "\\"):
            return (1, UInt32(b))
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
            return escapingHTML ? (1, UInt32(b)) : (0, 0)
        case 0xE2 where escapingHTML && i &+ 2 < utf8.count && utf8[i &+ 1] == 0x80
            && (utf8[i &+ 2] == 0xA8 || utf8[i &+ 2] == 0xA9):
            return (3, utf8[i &+ 2] == 0xA8 ? 0x2028 : 0x2029)
        default:
            return (0, 0)
        }
    }

    private static func appendEscape(_ code: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\\"))
        switch code {
        case 0x22: buffer.append(UInt8(ascii: "\""))
        case 0x5C: buffer.append(UInt8(ascii: "\\"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            buffer.append(UInt8(ascii: "u"))
            for shift in stride(from: 12, through: 0, by: -4) {
                buffer.append(hex.utf8Start[Int((code >> UInt32(shift)) & 0xF)])
            }
        }
    }

    /// Whether `text` is exactly one JSON number (RFC 8259 §6).
    package static func isValidNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits(_ s: inout Substring.UTF8View) -> Int {
            let count = s.prefix { $0 &- UInt8(ascii: "0") < 10 }.count
            s = s.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits(&bytes) == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits(&bytes) > 0 else { return false }
        }
        if let e = bytes.first, e | 0x20 == UInt8(ascii: "e") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits(&bytes) > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
