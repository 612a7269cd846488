// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// One HTTP header field as LambdaWire reads or builds it: a name and a value, case preserved.
/// LambdaWire keeps headers as ordered lists of these (duplicates allowed) and never folds them into
/// a dictionary; the caller turns them into its own header type.
package struct HeaderField: Sendable, Equatable, Hashable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension String {
    /// ASCII case-insensitive equality (HTTP field names, JSON keys matched the way Go matches them).
    func equalsASCIICaseInsensitive(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in x == y || (x.isASCIILetter && x | 0x20 == y | 0x20) }
    }

    /// The string with ASCII letters lower-cased (other characters untouched).
    var asciiLowercased: String {
        guard utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return self }
        return String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
}
