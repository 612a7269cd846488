// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Why a JSON document was rejected, and the byte offset where the parser noticed.
package struct JSONParseError: Error, Sendable, Equatable {
    package enum Reason: Sendable, Equatable {
        /// The input ended inside a value (an empty input too).
        case unexpectedEnd
        /// A byte that cannot start or continue a value here.
        case unexpectedByte(UInt8)
        /// `-`, `01`, `1.`, `1e` and the like.
        case invalidNumber
        /// A `\` escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A raw byte below 0x20 inside a string.
        case controlCharacter
        /// A string whose bytes are not valid UTF-8 (offset: the string's opening quote).
        case invalidUTF8
        /// Arrays and objects nested deeper than the parser's limit.
        case tooDeep
        /// Bytes other than whitespace after the value.
        case trailingData
    }

    package var reason: Reason
    package var offset: Int

    package init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }
}
