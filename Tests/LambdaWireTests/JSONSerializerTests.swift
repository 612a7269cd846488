// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("JSONValue.serialized")
struct JSONSerializerTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let value: JSONValue
        let plain: String
        let html: String
        var testDescription: String { plain }
        init(_ value: JSONValue, _ plain: String, html: String? = nil) {
            self.value = value
            self.plain = plain
            self.html = html ?? plain
        }
    }

    static let rows: [Row] = [
        .init(nil, "null"),
        .init(true, "true"),
        .init(.number("-1.50e+3"), "-1.50e+3"),
        .init(.integer(Int64.min), "-9223372036854775808"),
        .init(.double(0.1), "0.1"),
        .init(.double(.nan), "null"),
        .init(.double(-.infinity), "null"),
        .init(.number("1."), "null"),
        .init(.number("abc"), "null"),
        .init("", #""""#),
        .init("quote \" backslash \\ slash /", #""quote \" backslash \\ slash /""#),
        .init("\u{8}\u{C}\n\r\t", #""\b\f\n\r\t""#),
        .init("\u{0}\u{1}\u{1F}\u{7F}", #""\u0000\u0001\u001f\#u{7F}""#),
        .init("é😀", "\"é😀\""),
        .init("<a href='x'>&</a>", #""<a href='x'>&</a>""#, html: #""\u003ca href='x'\u003e\u0026\u003c/a\u003e""#),
        .init("\u{2028}x\u{2029}", "\"\u{2028}x\u{2029}\"", html: #""\u2028x\u2029""#),
        .init("\u{2027}\u{202A}", "\"\u{2027}\u{202A}\""),
        .init([], "[]"),
        .init([:], "{}"),
        .init([1, "a", [nil], ["k": false]], #"[1,"a",[null],{"k":false}]"#),
        .init(.object([JSONMember("z", 1), JSONMember("a", 2), JSONMember("z", 3)]), #"{"z":1,"a":2,"z":3}"#),
        .init(["<": ">"], #"{"<":">"}"#, html: #"{"\u003c":"\u003e"}"#),
    ]

    @Test("writes compact JSON, members in order, Go's escapes when asked", arguments: rows)
    func serializes(_ row: Row) {
        #expect(text(row.value.serialized()) == row.plain)
        #expect(text(row.value.serialized(escapingHTML: true)) == row.html)
        #expect(row.value.jsonText() == row.plain)
    }

    @Test("serialize appends to what the buffer holds")
    func appends() {
        var buffer = bytes("x=")
        JSONValue.array([1, 2]).serialize(into: &buffer)
        #expect(text(buffer) == "x=[1,2]")
    }

    static let documents = [
        #"{"a":[1,-0.5e10,"\u0000\"\\",{"":null}],"b":true,"a":false}"#,
        #"["é","😀","\ud83d","<&>"]"#,
        #"  { "nested" : { "deeper" : [ [ [ ] ] ] } }  "#,
    ]

    @Test("parse, serialize, parse gives the same value, with and without HTML escaping", arguments: documents)
    func roundTrips(_ document: String) throws {
        let value = try JSONValue.parse(document)
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(try JSONValue.parse(value.serialized(escapingHTML: true)) == value)
    }

    @Test("isValidNumber follows the RFC 8259 grammar", arguments: [
        ("0", true), ("-0", true), ("10", true), ("1.0", true), ("1e5", true), ("1E-5", true), ("-1.2e+3", true),
        ("", false), ("-", false), ("01", false), ("1.", false), (".1", false), ("1e", false), ("+1", false),
        ("1 ", false), ("0x10", false), ("Infinity", false),
    ])
    func numberGrammar(_ text: String, _ valid: Bool) {
        #expect(JSONValue.isValidNumber(text) == valid)
    }
}
