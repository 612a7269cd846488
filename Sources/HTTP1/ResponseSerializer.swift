// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Response bytes: status line and headers, chunk framing, and the last chunk with trailers.
///
/// Guarantee: whatever a header name or value holds (it may come from a peer, e.g. a runtime's error
/// type), the output has no CR, LF or other control byte inside a field, so a value can never split the
/// response. Bytes a field may not carry are replaced: by `_` in names, by a space in values.
package enum ResponseSerializer {
    /// `HTTP/1.1 <status> <reason>\r\n` + each header `Name: value\r\n` + `\r\n`, appended to `buffer`.
    package static func appendHead(status: Int, headers: HTTPHeaders, version: HTTPVersion = .http1_1, to buffer: inout [UInt8]) {
        buffer.reserveCapacity(buffer.count &+ 64 &+ headers.count &* 40)
        buffer.append(contentsOf: "HTTP/".utf8)
        appendDecimal(version.major, to: &buffer)
        buffer.append(0x2E)
        appendDecimal(version.minor, to: &buffer)
        buffer.append(HTTPByte.space)
        appendDecimal(status, to: &buffer)
        buffer.append(HTTPByte.space)
        buffer.append(contentsOf: reasonPhrase(status).utf8)
        appendCRLF(to: &buffer)
        appendFields(headers, to: &buffer)
        appendCRLF(to: &buffer)
    }

    /// `<hex size>\r\n<data>\r\n` appended to `buffer` (nothing for empty data: an empty chunk would end the body).
    package static func appendChunk(_ data: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        guard !data.isEmpty else { return }
        buffer.reserveCapacity(buffer.count &+ data.count &+ 20)
        appendHex(data.count, to: &buffer)
        appendCRLF(to: &buffer)
        buffer.append(contentsOf: data)
        appendCRLF(to: &buffer)
    }

    /// `0\r\n` + trailers + `\r\n` appended to `buffer`.
    package static func appendLastChunk(trailers: HTTPHeaders, to buffer: inout [UInt8]) {
        buffer.append(0x30)
        appendCRLF(to: &buffer)
        appendFields(trailers, to: &buffer)
        appendCRLF(to: &buffer)
    }

    /// The reason phrase for a status code (`OK`, `Accepted`, `Not Found`, ...).
    package static func reasonPhrase(_ status: Int) -> String {
        ReasonPhrase.of(status)
    }

    private static func appendFields(_ fields: HTTPHeaders, to buffer: inout [UInt8]) {
        for field in fields {
            append(field.name, allowed: HTTPByte.isToken, replacement: 0x5F, to: &buffer)
            buffer.append(HTTPByte.colon)
            buffer.append(HTTPByte.space)
            append(field.value, allowed: HTTPByte.isFieldValueByte, replacement: HTTPByte.space, to: &buffer)
            appendCRLF(to: &buffer)
        }
    }

    /// Appends `text`'s UTF-8 in one copy when every byte is `allowed`, else byte by byte with the
    /// disallowed ones replaced.
    @inline(__always)
    private static func append(_ text: String, allowed: (UInt8) -> Bool, replacement: UInt8, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            if utf8.allSatisfy(allowed) {
                buffer.append(contentsOf: utf8)
            } else {
                for b in utf8 { buffer.append(allowed(b) ? b : replacement) }
            }
        }
    }

    @inline(__always)
    private static func appendCRLF(to buffer: inout [UInt8]) {
        buffer.append(HTTPByte.cr)
        buffer.append(HTTPByte.lf)
    }

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(0x2D) }
        appendDigits(value.magnitude, radix: 10, to: &buffer)
    }

    private static func appendHex(_ value: Int, to buffer: inout [UInt8]) {
        appendDigits(value.magnitude, radix: 16, to: &buffer)
    }

    private static func appendDigits(_ value: UInt, radix: UInt, to buffer: inout [UInt8]) {
        var divisor: UInt = 1
        while value / divisor >= radix { divisor &*= radix }
        var rest = value
        while divisor > 0 {
            let digit = UInt8(truncatingIfNeeded: rest / divisor)
            buffer.append(digit < 10 ? 0x30 &+ digit : 0x61 &+ digit &- 10)
            rest %= divisor
            divisor /= radix
        }
    }
}
