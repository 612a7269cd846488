// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

extension JSONValue {
    /// Nesting allowed by default: deep enough for any Lambda payload we look inside, shallow enough
    /// that the recursive parser's stack use stays small on any thread.
    package static let defaultMaxDepth = 64

    /// Parses one JSON document (RFC 8259), strictly: whitespace is space, tab, CR and LF only; no BOM,
    /// no comments, no trailing commas, no NaN; strings must be valid UTF-8 without raw control bytes;
    /// nothing but whitespace may follow the value. An escaped lone surrogate (`\ud800`) becomes U+FFFD,
    /// as Go's decoder does, because a Swift string cannot hold it. Never traps; memory stays within a
    /// small multiple of the input.
    package static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { JSONParser(bytes: $0, maxDepth: maxDepth).parseDocument() }
        return try result.get()
    }

    /// Parses `bytes` (a slice of a larger buffer, e.g. a prelude before its separator).
    package static func parse(_ bytes: ArraySlice<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { JSONParser(bytes: $0, maxDepth: maxDepth).parseDocument() }
        return try result.get()
    }

    /// Parses the UTF-8 of `text`.
    package static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

/// A recursive-descent parser over one buffer. Recursion depth is bounded by `maxDepth`.
private struct JSONParser {
    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    var index = 0

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func parseDocument() -> Result<JSONValue, JSONParseError> {
        var parser = self
        do throws(JSONParseError) {
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.index == parser.bytes.count else { throw JSONParseError(.trailingData, at: parser.index) }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index &+= 1
            default: return
            }
        }
    }

    private func fail(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(reason, at: index)
    }

    private func unexpected() -> JSONParseError {
        index < bytes.count ? fail(.unexpectedByte(bytes[index])) : fail(.unexpectedEnd)
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth &+ 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth &+ 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected()
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let text = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count {
            guard index < bytes.count, bytes[index] == text[offset] else { throw unexpected() }
            index &+= 1
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw fail(.tooDeep) }
        index &+= 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index &+= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[index] {
            case UInt8(ascii: ","): index &+= 1
            case UInt8(ascii: "]"): index &+= 1; return .array(elements)
            default: throw unexpected()
            }
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw fail(.tooDeep) }
        index &+= 1
        var members: [JSONMember] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index &+= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw unexpected() }
            index &+= 1
            skipWhitespace()
            members.append(JSONMember(key, try parseValue(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[index] {
            case UInt8(ascii: ","): index &+= 1
            case UInt8(ascii: "}"): index &+= 1; return .object(members)
            default: throw unexpected()
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as its text.
    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index &+= 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
        if bytes[index] == UInt8(ascii: "0") {
            index &+= 1
        } else {
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index &+= 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index &+= 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index &+= 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
            skipDigits()
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index &+= 1 }
    }

    /// A string starting at the opening quote. Fast path: no escapes, validated in place.
    private mutating func parseString() throws(JSONParseError) -> String {
        let quote = index
        index &+= 1
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                guard let text = String(validating: raw, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: quote)
                }
                index &+= 1
                return text
            }
            if b == UInt8(ascii: "\\") { return try parseEscapedString(quote: quote, start: start) }
            guard b >= 0x20 else { throw fail(.controlCharacter) }
            index &+= 1
        }
        throw fail(.unexpectedEnd)
    }

    /// The rest of a string that holds escapes, decoded into a buffer and validated once at the end.
    /// Escapes always produce whole UTF-8 sequences, so invalid raw bytes cannot combine with them into
    /// valid text: validating the concatenation is validating every raw run.
    private mutating func parseEscapedString(quote: Int, start: Int) throws(JSONParseError) -> String {
        var buffer = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index &+= 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: quote)
                }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0..<0x20:
                throw fail(.controlCharacter)
            default:
                buffer.append(b)
                index &+= 1
            }
        }
        throw fail(.unexpectedEnd)
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        index &+= 1
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        let b = bytes[index]
        index &+= 1
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(b)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"): appendScalar(try parseUnicodeEscape(), to: &buffer)
        default:
            index &-= 1
            throw fail(.invalidEscape)
        }
    }

    /// The scalar of `XXXX` (after `\u`), joined with a following `\uXXXX` low surrogate when it is a
    /// high one; a surrogate without its partner gives U+FFFD.
    private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let unit = try parseHex4()
        switch unit {
        case 0xD800...0xDBFF:
            let save = index
            if index &+ 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index &+ 1] == UInt8(ascii: "u") {
                index &+= 2
                let low = try parseHex4()
                if (0xDC00...0xDFFF).contains(low) {
                    let value = 0x10000 &+ ((UInt32(unit) &- 0xD800) << 10) &+ (UInt32(low) &- 0xDC00)
                    return Unicode.Scalar(value) ?? "\u{FFFD}"
                }
                index = save
            }
            return "\u{FFFD}"
        case 0xDC00...0xDFFF:
            return "\u{FFFD}"
        default:
            return Unicode.Scalar(unit) ?? "\u{FFFD}"
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b &- UInt8(ascii: "A") &+ 10
            default: throw fail(.invalidEscape)
            }
            value = value << 4 | UInt16(digit)
            index &+= 1
        }
        return value
    }

    private func appendScalar(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
        let v = scalar.value
        switch v {
        case 0..<0x80:
            buffer.append(UInt8(truncatingIfNeeded: v))
        case 0x80..<0x800:
            buffer.append(0xC0 | UInt8(truncatingIfNeeded: v >> 6))
            buffer.append(0x80 | UInt8(truncatingIfNeeded: v) & 0x3F)
        case 0x800..<0x10000:
            buffer.append(0xE0 | UInt8(truncatingIfNeeded: v >> 12))
            buffer.append(0x80 | UInt8(truncatingIfNeeded: v >> 6) & 0x3F)
            buffer.append(0x80 | UInt8(truncatingIfNeeded: v) & 0x3F)
        default:
            buffer.append(0xF0 | UInt8(truncatingIfNeeded: v >> 18))
            buffer.append(0x80 | UInt8(truncatingIfNeeded: v >> 12) & 0x3F)
            buffer.append(0x80 | UInt8(truncatingIfNeeded: v >> 6) & 0x3F)
            buffer.append(0x80 | UInt8(truncatingIfNeeded: v) & 0x3F)
        }
    }
}
