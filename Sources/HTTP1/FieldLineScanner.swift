// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// What ``FieldLineScanner/scan(_:from:end:)`` found at one line position.
enum FieldLine: Equatable {
    /// `name: value CRLF`; `value` is already trimmed of OWS. The next line starts at `next`.
    case field(name: Range<Int>, value: Range<Int>, next: Int)
    /// The empty line (CRLF) that ends a header or trailer section; the section ends at `next`.
    case endOfSection(next: Int)
    /// The scan reached `end` before the line ended.
    case incomplete
    case invalid(String)
}

/// Scans one field line (RFC 9112 §5: `field-name ":" OWS field-value OWS CRLF`) or the empty line ending
/// the section, for request headers and chunked trailers alike. Strict: CRLF only, no obs-fold, no
/// whitespace before the colon, token names, no control bytes but HTAB in values. It validates every byte
/// before `end` in order, so a prefix of the input is reported `.incomplete` unless it already holds the
/// same error the whole input does.
enum FieldLineScanner {
    static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int, end: Int) -> FieldLine {
        var i = start
        guard i < end else { return .incomplete }
        let first = bytes[i]
        if first == HTTPByte.cr {
            guard i &+ 1 < end else { return .incomplete }
            return bytes[i &+ 1] == HTTPByte.lf ? .endOfSection(next: i &+ 2) : .invalid("bare CR")
        }
        if HTTPByte.isWhitespace(first) { return .invalid("obsolete line folding") }

        // field-name
        while i < end {
            let b = bytes[i]
            if HTTPByte.isToken(b) {
                i &+= 1
                continue
            }
            if b == HTTPByte.colon { break }
            if HTTPByte.isWhitespace(b) { return .invalid("whitespace before colon") }
            if b == HTTPByte.lf { return .invalid("bare LF") }
            if b == HTTPByte.cr { return .invalid("field line without colon") }
            return .invalid("invalid byte in field name")
        }
        guard i < end else { return .incomplete }
        if i == start { return .invalid("empty field name") }
        let name = start..<i
        i &+= 1

        // OWS field-value OWS CRLF
        while i < end, HTTPByte.isWhitespace(bytes[i]) { i &+= 1 }
        let valueStart = i
        var valueEnd = i
        while i < end {
            let b = bytes[i]
            if b == HTTPByte.cr { break }
            guard HTTPByte.isFieldValueByte(b) else {
                return .invalid(b == HTTPByte.lf ? "bare LF" : "control byte in field value")
            }
            i &+= 1
            if b != HTTPByte.space && b != HTTPByte.tab { valueEnd = i }
        }
        guard i &+ 1 < end else { return .incomplete }
        guard bytes[i &+ 1] == HTTPByte.lf else { return .invalid("bare CR") }
        return .field(name: name, value: valueStart..<valueEnd, next: i &+ 2)
    }
}
