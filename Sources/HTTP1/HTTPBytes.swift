// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Byte classes of RFC 9110/9112 as branch-light tests on `UInt8`, shared by the parser and the chunked
/// decoder. Owns no state; every test is total over 0...255.
enum HTTPByte {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C

    /// tchar: `!#$%&'*+-.^_`|~`, DIGIT, ALPHA, as a 128-bit set (bit n of the pair is byte n).
    private static let tokenLow: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tokenHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    /// Bytes a `Host` value may hold: reg-name, IP-literal brackets, `:` and the port, but no `,`, `@`, `/`.
    private static let hostLow: UInt64 = 0x2FFF_6FF2_0000_0000
    private static let hostHigh: UInt64 = 0x47FF_FFFE_AFFF_FFFE

    @inline(__always)
    private static func inSet(_ b: UInt8, _ low: UInt64, _ high: UInt64) -> Bool {
        if b < 64 { return (low >> UInt64(b)) & 1 != 0 }
        if b < 128 { return (high >> UInt64(b &- 64)) & 1 != 0 }
        return false
    }

    /// A tchar (RFC 9110 §5.6.2): what methods, field names and transfer codings are made of.
    @inline(__always)
    static func isToken(_ b: UInt8) -> Bool { inSet(b, tokenLow, tokenHigh) }

    @inline(__always)
    static func isHostByte(_ b: UInt8) -> Bool { inSet(b, hostLow, hostHigh) }

    /// SP or HTAB.
    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool { b == space || b == tab }

    /// A byte allowed inside a field value: VCHAR, obs-text, SP and HTAB. Everything else (NUL, CR, LF,
    /// other controls, DEL) is rejected.
    @inline(__always)
    static func isFieldValueByte(_ b: UInt8) -> Bool { (b >= 0x20 && b != 0x7F) || b == tab }

    /// A byte allowed in a request target: visible ASCII only (no controls, space, DEL or non-ASCII).
    @inline(__always)
    static func isTargetByte(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b &- 0x30)
        case 0x41...0x46: Int(b &- 0x41 &+ 10)
        case 0x61...0x66: Int(b &- 0x61 &+ 10)
        default: nil
        }
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always)
    static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
}

extension UnsafeRawBufferPointer {
    /// Whether `self[range]` equals the lowercase ASCII `lowercase`, ignoring ASCII case.
    @inline(__always)
    func equalsIgnoringCase(_ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        guard range.count == lowercase.utf8CodeUnitCount else { return false }
        let other = lowercase.utf8Start
        var i = 0
        for index in range {
            if HTTPByte.lowercased(self[index]) != other[i] { return false }
            i &+= 1
        }
        return true
    }

    /// `range` without leading and trailing SP/HTAB.
    @inline(__always)
    func trimmingWhitespace(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, HTTPByte.isWhitespace(self[lower]) { lower &+= 1 }
        while upper > lower, HTTPByte.isWhitespace(self[upper &- 1]) { upper &-= 1 }
        return lower..<upper
    }

    /// Calls `body` with each comma-separated element of `range` (RFC 9110 §5.6.1 lists), trimmed of
    /// OWS, empty ones included. Allocates nothing.
    @inline(__always)
    func forEachListElement(_ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        var start = range.lowerBound
        for index in range where self[index] == HTTPByte.comma {
            body(trimmingWhitespace(start..<index))
            start = index &+ 1
        }
        body(trimmingWhitespace(start..<range.upperBound))
    }

    /// `self[range]` as a String (invalid UTF-8 is repaired, which only obs-text in values can cause).
    @inline(__always)
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: self[range]), as: UTF8.self)
    }
}
