// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("JSONValue.parse")
struct JSONParserTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let input: String
        let expected: JSONValue
        var testDescription: String { input }
        init(_ input: String, _ expected: JSONValue) {
            self.input = input
            self.expected = expected
        }
    }

    static let valid: [Valid] = [
        .init("null", .null),
        .init("true", true),
        .init("false", false),
        .init("0", .number("0")),
        .init("-0", .number("-0")),
        .init("12.50", .number("12.50")),
        .init("-1.5E+10", .number("-1.5E+10")),
        .init("1e-3", .number("1e-3")),
        .init("123456789012345678901234567890", .number("123456789012345678901234567890")),
        .init(#""""#, ""),
        .init(#""hi""#, "hi"),
        .init(" \t\r\n\"ws\" \t\r\n", "ws"),
        .init(#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        .init(#""\u0041\u00e9\u20AC""#, "Aé€"),
        .init(#""\ud83d\ude00""#, "😀"),
        .init(#""\ud83d""#, "\u{FFFD}"),
        .init(#""\ude00x""#, "\u{FFFD}x"),
        .init(#""\ud83d\u0041""#, "\u{FFFD}A"),
        .init(#""\ud83d\ud83d\ude00""#, "\u{FFFD}😀"),
        .init(#""\u0000""#, "\u{0}"),
        .init("\"é😀 raw\"", "é😀 raw"),
        .init("\"a\\nb é\"", "a\nb é"),
        .init("[]", []),
        .init("[ 1 , [ ] , { } ]", [1, [], [:]]),
        .init("{}", [:]),
        .init(#"{"b":1,"a":2,"b":3}"#, .object([JSONMember("b", 1), JSONMember("a", 2), JSONMember("b", 3)])),
        .init(#"{ "k" : [ true , null ] , "":"" }"#, ["k": [true, nil], "": ""]),
    ]

    @Test("accepts RFC 8259 documents and keeps order, duplicates and number text", arguments: valid)
    func parsesValid(_ row: Valid) throws {
        #expect(try JSONValue.parse(row.input) == row.expected)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let input: [UInt8]
        let reason: JSONParseError.Reason
        let offset: Int
        var testDescription: String { String(decoding: input, as: UTF8.self) }
        init(_ input: String, _ reason: JSONParseError.Reason, at offset: Int) {
            self.input = Array(input.utf8)
            self.reason = reason
            self.offset = offset
        }
        init(bytes: [UInt8], _ reason: JSONParseError.Reason, at offset: Int) {
            self.input = bytes
            self.reason = reason
            self.offset = offset
        }
    }

    static let invalid: [Invalid] = [
        .init("", .unexpectedEnd, at: 0),
        .init("   ", .unexpectedEnd, at: 3),
        .init("nul", .unexpectedEnd, at: 3),
        .init("nulL", .unexpectedByte(UInt8(ascii: "L")), at: 3),
        .init("True", .unexpectedByte(UInt8(ascii: "T")), at: 0),
        .init("01", .trailingData, at: 1),
        .init("-", .invalidNumber, at: 1),
        .init("+1", .unexpectedByte(UInt8(ascii: "+")), at: 0),
        .init("1.", .invalidNumber, at: 2),
        .init(".5", .unexpectedByte(UInt8(ascii: ".")), at: 0),
        .init("1e", .invalidNumber, at: 2),
        .init("1e+", .invalidNumber, at: 3),
        .init("NaN", .unexpectedByte(UInt8(ascii: "N")), at: 0),
        .init("[1,]", .unexpectedByte(UInt8(ascii: "]")), at: 3),
        .init("[1 2]", .unexpectedByte(UInt8(ascii: "2")), at: 3),
        .init("[", .unexpectedEnd, at: 1),
        .init(#"{"a":1,}"#, .unexpectedByte(UInt8(ascii: "}")), at: 7),
        .init(#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1")), at: 5),
        .init("{a:1}", .unexpectedByte(UInt8(ascii: "a")), at: 1),
        .init(#"{"a":1"#, .unexpectedEnd, at: 6),
        .init(#""abc"#, .unexpectedEnd, at: 4),
        .init(#""a\"#, .unexpectedEnd, at: 3),
        .init(#""\x""#, .invalidEscape, at: 2),
        .init(#""\u12G4""#, .invalidEscape, at: 5),
        .init(#""\u12""#, .invalidEscape, at: 5),
        .init(#""\ud83d\uZZZZ""#, .invalidEscape, at: 9),
        .init("\"tab\there\"", .controlCharacter, at: 4),
        .init("\"a\\n\nb\"", .controlCharacter, at: 4),
        .init("1 2", .trailingData, at: 2),
        .init("{} x", .trailingData, at: 3),
        .init("// c\n1", .unexpectedByte(UInt8(ascii: "/")), at: 0),
        .init(bytes: [0xEF, 0xBB, 0xBF, 0x31], .unexpectedByte(0xEF), at: 0),
        .init(bytes: [0x22, 0xFF, 0x22], .invalidUTF8, at: 0),
        .init(bytes: [0x5B, 0x22, 0xC3, 0x22, 0x5D], .invalidUTF8, at: 1),
        .init(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, at: 0),
        .init(bytes: [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8, at: 0),
        .init(bytes: Array(#""\n"#.utf8) + [0xC3] + Array(#"\u00e9""#.utf8), .invalidUTF8, at: 0),
        .init(bytes: [0x22, 0x00, 0x22], .controlCharacter, at: 1),
    ]

    @Test("rejects malformed documents with the reason and offset", arguments: invalid)
    func rejectsInvalid(_ row: Invalid) {
        #expect(throws: JSONParseError(row.reason, at: row.offset)) { try JSONValue.parse(row.input) }
    }

    @Test("nesting up to the limit parses; one level more is tooDeep")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        _ = try JSONValue.parse(ok)
        #expect(throws: JSONParseError(.tooDeep, at: 64)) { try JSONValue.parse(deep) }
        let objects = String(repeating: #"{"a":"#, count: 3) + "1" + String(repeating: "}", count: 3)
        #expect(throws: JSONParseError(.tooDeep, at: 10)) { try JSONValue.parse(objects, maxDepth: 2) }
        #expect(throws: JSONParseError(.tooDeep, at: 64)) { try JSONValue.parse(String(repeating: "[", count: 100_000)) }
    }

    @Test("a slice parses like the same bytes in their own array")
    func parsesSlices() throws {
        let buffer = bytes(#"xx{"a":[1]}yy"#)
        #expect(try JSONValue.parse(buffer[2..<11]) == ["a": [1]])
    }

    @Test("every one- and two-byte input parses or throws, never traps")
    func shortInputsNeverTrap() {
        var parsed = 0
        for a in 0...255 {
            if (try? JSONValue.parse([UInt8(a)])) != nil { parsed += 1 }
            for b in 0...255 where (try? JSONValue.parse([UInt8(a), UInt8(b)])) != nil {
                parsed += 1
            }
        }
        // 0-9 alone; two digits "1"-"9" followed by a digit, "-d", digit + whitespace, whitespace + digit, "[]", "{}", "\"\"".
        #expect(parsed == 10 + 90 + 10 + 40 + 40 + 3)
    }
}
