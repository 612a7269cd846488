// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// A byte-at-a-time recognizer of one chunk-size line (RFC 9112 §7.1):
/// `1*HEXDIG *( BWS ";" BWS ext-name [ BWS "=" BWS ( token / quoted-string ) ] ) CRLF`.
/// It keeps only the size so far and its phase, so a line may arrive split anywhere. Extensions are
/// checked and ignored. The size has at most 16 hex digits and must fit an `Int`; no sign, no `0x`, no
/// leading whitespace; the line is at most `maxLength` bytes before its CRLF.
struct ChunkSizeLine: Equatable {
    enum Step: Equatable {
        case more
        case done(size: Int)
        case invalid(String)
    }

    private enum Phase: Equatable {
        case firstDigit, digits
        case spaceBeforeSemicolon, spaceAfterSemicolon, name, spaceAfterName, spaceAfterEquals
        case tokenValue, quoted, quotedEscape, afterQuoted
        case lineFeed
    }

    private var phase = Phase.firstDigit
    private var size = 0
    private var digits = 0
    private var length = 0

    init() {}

    mutating func consume(_ b: UInt8, maxLength: Int) -> Step {
        if phase == .lineFeed {
            return b == HTTPByte.lf ? .done(size: size) : .invalid("bare CR in chunk line")
        }
        if b == HTTPByte.cr {
            switch phase {
            case .digits, .name, .tokenValue, .afterQuoted:
                phase = .lineFeed
                return .more
            case .firstDigit:
                return .invalid("missing chunk size")
            default:
                return .invalid("incomplete chunk extension")
            }
        }
        length &+= 1
        guard length <= maxLength else { return .invalid("chunk line too long") }
        let isSpace = HTTPByte.isWhitespace(b)
        switch phase {
        case .firstDigit, .digits:
            if let value = HTTPByte.hexValue(b) {
                digits &+= 1
                guard digits <= 16, size <= Int.max >> 4 else { return .invalid("chunk size too large") }
                size = size << 4 | value
                phase = .digits
            } else if phase == .digits && b == HTTPByte.semicolon {
                phase = .spaceAfterSemicolon
            } else if phase == .digits && isSpace {
                phase = .spaceBeforeSemicolon
            } else {
                return .invalid(phase == .firstDigit ? "chunk size must start with a hex digit" : "invalid byte in chunk size")
            }
        case .spaceBeforeSemicolon:
            guard isSpace || b == HTTPByte.semicolon else { return .invalid("invalid byte in chunk line") }
            if !isSpace { phase = .spaceAfterSemicolon }
        case .spaceAfterSemicolon:
            guard isSpace || HTTPByte.isToken(b) else { return .invalid("missing chunk extension name") }
            if !isSpace { phase = .name }
        case .name, .spaceAfterName:
            if HTTPByte.isToken(b) && phase == .name {
                break
            } else if b == HTTPByte.equals {
                phase = .spaceAfterEquals
            } else if b == HTTPByte.semicolon {
                phase = .spaceAfterSemicolon
            } else if isSpace {
                phase = .spaceAfterName
            } else {
                return .invalid("invalid byte in chunk extension")
            }
        case .spaceAfterEquals:
            if b == HTTPByte.quote {
                phase = .quoted
            } else if HTTPByte.isToken(b) {
                phase = .tokenValue
            } else if !isSpace {
                return .invalid("invalid chunk extension value")
            }
        case .tokenValue, .afterQuoted:
            if HTTPByte.isToken(b) && phase == .tokenValue {
                break
            } else if b == HTTPByte.semicolon {
                phase = .spaceAfterSemicolon
            } else if isSpace {
                phase = .spaceBeforeSemicolon
            } else {
                return .invalid("invalid byte in chunk extension")
            }
        case .quoted:
            if b == HTTPByte.quote {
                phase = .afterQuoted
            } else if b == HTTPByte.backslash {
                phase = .quotedEscape
            } else if !HTTPByte.isFieldValueByte(b) {
                return .invalid("control byte in chunk extension")
            }
        case .quotedEscape:
            guard HTTPByte.isFieldValueByte(b) else { return .invalid("control byte in chunk extension") }
            phase = .quoted
        case .lineFeed:  // answered before the switch
            return .invalid("bare CR in chunk line")
        }
        return .more
    }
}
