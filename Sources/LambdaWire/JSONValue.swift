// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// A JSON value (RFC 8259) that keeps what matters on the wire: object members stay in document order
/// (duplicates included), and numbers stay as their text, so parse → serialize reproduces every number
/// exactly and no precision is lost to `Double`.
///
/// Equality is structural: member order counts, numbers compare by text (`1.0` ≠ `1`), strings by
/// Swift `String` equality (canonical equivalence). `parse` lives in `JSONParser.swift`, `serialized` in
/// `JSONSerializer.swift`.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text, as in the document (`-0`, `1e3`, `12.50`). Build one with `.integer(_:)` or
    /// `.double(_:)`; text that is not a JSON number serializes as `null`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order. Lookups (`self["key"]`) take the last member with that key, as
    /// JavaScript, Go and Python do.
    case object([JSONMember])

    /// A number from an integer.
    package static func integer(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    /// A number from a double; `null` for NaN and infinities, which JSON cannot carry.
    package static func double(_ value: Double) -> JSONValue {
        value.isFinite ? .number(value.description) : .null
    }
}

/// Literals for building values in code: `["statusCode": 200, "cookies": ["a=1"], "body": nil]`.
/// A dictionary literal keeps its order.
extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    package init(nilLiteral: ()) { self = .null }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int) { self = .integer(value) }
    package init(stringLiteral value: String) { self = .string(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { JSONMember($0.0, $0.1) })
    }
}

/// One `"key": value` member of a JSON object.
package struct JSONMember: Sendable, Equatable {
    package var key: String
    package var value: JSONValue

    package init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// The value of the last member named `key` (compared byte for byte), or nil when this is not an
    /// object or has no such member.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    package var isNull: Bool { self == .null }

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    package var objectMembers: [JSONMember]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// The number as a `Double` (nil when not a number).
    package var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The number as an `Int` when it is integral and fits: `201`, `2.01e2` and `201.0` all give 201;
    /// `1.5`, `1e400` and non-numbers give nil.
    package var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        if let exact = Int(text) { return exact }
        // Beyond 2^53 a double no longer says which integer the text meant.
        guard let double = Double(text), double > -9.007_199_254_740_992e15, double < 9.007_199_254_740_992e15
        else { return nil }
        let integer = Int(double)  // in range, so no trap; truncation, no libm call
        return Double(integer) == double ? integer : nil
    }

    /// A scalar rendered as header text: strings as they are, numbers as their text, booleans as
    /// `true`/`false`; nil for null, arrays and objects.
    package var scalarText: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null, .array, .object: nil
        }
    }
}
