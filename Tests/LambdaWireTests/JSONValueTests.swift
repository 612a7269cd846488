// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("intValue takes integral numbers that fit, and nothing else", arguments: [
        (JSONValue.number("201"), 201 as Int?), (.number("-7"), -7), (.number("2.01e2"), 201), (.number("201.0"), 201),
        (.number("1.5"), nil), (.number("1e400"), nil), (.number("9223372036854775808"), nil),
        (.number("9007199254740993.0"), nil), (.string("201"), nil), (.bool(true), nil), (.null, nil),
    ])
    func intValue(_ value: JSONValue, _ expected: Int?) {
        #expect(value.intValue == expected)
    }

    @Test("the subscript finds the last member with the key, byte for byte")
    func subscriptTakesLastMember() throws {
        let value = try JSONValue.parse(#"{"a":1,"b":2,"a":3,"\u00e9":4}"#)
        #expect(value["a"] == 3)
        #expect(value["b"] == 2)
        #expect(value["A"] == nil)
        #expect(value["é"] == 4)
        #expect(value["e\u{301}"] == nil)
        #expect(JSONValue.array([1])["a"] == nil)
    }

    @Test("accessors return the payload of their own case only")
    func accessors() {
        let values: [JSONValue] = [nil, true, 1, "s", [1], ["k": 1]]
        #expect(values.map(\.isNull) == [true, false, false, false, false, false])
        #expect(values.compactMap(\.boolValue) == [true])
        #expect(values.compactMap(\.stringValue) == ["s"])
        #expect(values.compactMap(\.arrayValue) == [[1]])
        #expect(values.compactMap(\.objectMembers) == [[JSONMember("k", 1)]])
        #expect(values.compactMap(\.doubleValue) == [1])
        #expect(values.map(\.scalarText) == [nil, "true", "1", "s", nil, nil])
    }

    @Test("literals build the same values as the cases, dictionary order kept")
    func literals() {
        let value: JSONValue = ["z": 1, "a": [true, nil, "x"]]
        #expect(value == .object([JSONMember("z", .number("1")), JSONMember("a", .array([.bool(true), .null, .string("x")]))]))
    }
}
