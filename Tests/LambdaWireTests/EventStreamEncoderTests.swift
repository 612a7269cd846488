// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

/// Frames written out byte for byte. They were produced independently of this code, by a Python script
/// using only `struct.pack('>I', ...)` for the big-endian fields and `zlib.crc32` for both checksums:
///
///     def hdr(name, value): return pack('>B', len(name)) + name + b'\x07' + pack('>H', len(value)) + value
///     def frame(headers, payload):
///         prelude = pack('>II', 12 + len(headers) + len(payload) + 4, len(headers))
///         prelude += pack('>I', zlib.crc32(prelude)); body = prelude + headers + payload
///         return body + pack('>I', zlib.crc32(body))
///
/// with headers `:event-type`, `:content-type`, `:message-type` (= `event`) in that order.
enum EventStreamVectors {
    static let payloadChunkHello = hex("""
        0000006f0000005af5fe871f0b3a6576656e742d7479706507000c5061796c6f
        61644368756e6b0d3a636f6e74656e742d747970650700186170706c69636174
        696f6e2f6f637465742d73747265616d0d3a6d6573736167652d747970650700
        056576656e7468656c6c6f29e71260
        """)
    static let payloadChunkEmpty = hex("""
        0000006a0000005a3d1e086f0b3a6576656e742d7479706507000c5061796c6f
        61644368756e6b0d3a636f6e74656e742d747970650700186170706c69636174
        696f6e2f6f637465742d73747265616d0d3a6d6573736167652d747970650700
        056576656e7460b0ca74
        """)
    static let invokeCompleteSuccess = hex("""
        00000066000000541f56c8690b3a6576656e742d7479706507000e496e766f6b
        65436f6d706c6574650d3a636f6e74656e742d747970650700106170706c6963
        6174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e74
        7b7d7006d467
        """)
    /// Payload `{"ErrorCode":"Unhandled","ErrorDetails":"boom","LogResult":"bG9n"}`.
    static let invokeCompleteError = hex("""
        000000a600000054f64320b20b3a6576656e742d7479706507000e496e766f6b
        65436f6d706c6574650d3a636f6e74656e742d747970650700106170706c6963
        6174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e74
        7b224572726f72436f6465223a22556e68616e646c6564222c224572726f7244
        657461696c73223a22626f6f6d222c224c6f67526573756c74223a226247396e
        227d7264bcf6
        """)
    /// One header of each type 0–9 (t=true, f=false, b=-2, s=-300, i=70000, l=-5000000000,
    /// y=00 ff 10, str="é", ts=1700000000123, u=00…0f), payload 00 01 "payload"; same script, with
    /// `pack('>b'|'>h'|'>i'|'>q', ...)` for the numbers.
    static let allHeaderTypes = hex("""
        0000006a00000051aaccd1e7017400016601016202fe017303fed40169040001
        1170016c05fffffffed5fa0e00017906000300ff1003737472070002c3a90274
        73080000018bcfe5687b017509000102030405060708090a0b0c0d0e0f000170
        61796c6f616422c4ef99
        """)
    static let allHeaderTypesMessage = EventStreamMessage(
        headers: [
            EventStreamHeader("t", .bool(true)), EventStreamHeader("f", .bool(false)), EventStreamHeader("b", .byte(-2)),
            EventStreamHeader("s", .int16(-300)), EventStreamHeader("i", .int32(70000)), EventStreamHeader("l", .int64(-5_000_000_000)),
            EventStreamHeader("y", .bytes([0x00, 0xFF, 0x10])), EventStreamHeader("str", .string("é")),
            EventStreamHeader("ts", .timestamp(1_700_000_000_123)), EventStreamHeader("u", .uuid(Array(0...15))),
        ],
        payload: [0x00, 0x01] + bytes("payload"))
}

@Suite("EventStreamEncoder")
struct EventStreamEncoderTests {
    @Test("PayloadChunk frames match the independently computed bytes")
    func payloadChunk() throws {
        #expect(try EventStreamEncoder.payloadChunk(bytes("hello")) == EventStreamVectors.payloadChunkHello)
        #expect(try EventStreamEncoder.payloadChunk([]) == EventStreamVectors.payloadChunkEmpty)
    }

    @Test("appendPayloadChunk appends after what the buffer holds")
    func appendPayloadChunk() throws {
        var buffer: [UInt8] = [0xAA]
        try bytes("hello").withUnsafeBytes { try EventStreamEncoder.appendPayloadChunk($0, to: &buffer) }
        #expect(buffer == [0xAA] + EventStreamVectors.payloadChunkHello)
    }

    @Test("InvokeComplete carries {} on success and only the given keys on error")
    func invokeComplete() throws {
        #expect(try EventStreamEncoder.invokeComplete() == EventStreamVectors.invokeCompleteSuccess)
        let error = try EventStreamEncoder.invokeComplete(errorCode: "Unhandled", errorDetails: "boom", logResult: "bG9n")
        #expect(error == EventStreamVectors.invokeCompleteError)
        let partial = try EventStreamEncoder.invokeComplete(errorDetails: "a \"quoted\" <detail>")
        let message = try #require(try EventStreamDecoder.decodeAll(partial).first)
        #expect(text(message.payload) == #"{"ErrorDetails":"a \"quoted\" <detail>"}"#)
    }

    @Test("every header type encodes to the independently computed bytes")
    func allHeaderTypes() throws {
        #expect(try EventStreamEncoder.encode(EventStreamVectors.allHeaderTypesMessage) == EventStreamVectors.allHeaderTypes)
    }

    struct Oversize: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let message: EventStreamMessage
        let error: EventStreamError
        init(_ description: String, _ message: EventStreamMessage, _ error: EventStreamError) {
            self.testDescription = description
            self.message = message
            self.error = error
        }
    }

    static let oversize: [Oversize] = [
        .init("empty header name", EventStreamMessage(headers: [EventStreamHeader("", .bool(true))], payload: []), .headerNameLength(0)),
        .init("256-byte header name", EventStreamMessage(headers: [EventStreamHeader(String(repeating: "n", count: 256), .bool(true))], payload: []),
              .headerNameLength(256)),
        .init("65536-byte string", EventStreamMessage(headers: [EventStreamHeader("s", .string(String(repeating: "v", count: 65536)))], payload: []),
              .headerValueLength(65536)),
        .init("65536 bytes", EventStreamMessage(headers: [EventStreamHeader("b", .bytes([UInt8](repeating: 0, count: 65536)))], payload: []),
              .headerValueLength(65536)),
        .init("2-byte uuid", EventStreamMessage(headers: [EventStreamHeader("u", .uuid([1, 2]))], payload: []), .uuidLength(2)),
        .init("headers over 128 KiB",
              EventStreamMessage(headers: (0..<3).map { EventStreamHeader("h\($0)", .string(String(repeating: "v", count: 50000))) }, payload: []),
              .headersTooLong(150_018)),
        .init("payload over 16 MiB", EventStreamMessage(headers: [], payload: [UInt8](repeating: 0, count: 16 * 1024 * 1024 + 1)),
              .payloadTooLong(16 * 1024 * 1024 + 1)),
    ]

    @Test("sizes the SDKs refuse throw instead of producing a frame", arguments: oversize)
    func refusesOversize(_ row: Oversize) {
        var buffer: [UInt8] = [1, 2, 3]
        #expect(throws: row.error) { try EventStreamEncoder.append(row.message, to: &buffer) }
        #expect(buffer == [1, 2, 3])
    }

    @Test("a payload over 16 MiB is refused by the PayloadChunk builders too")
    func refusesOversizeChunk() {
        let payload = [UInt8](repeating: 0, count: 16 * 1024 * 1024 + 1)
        #expect(throws: EventStreamError.payloadTooLong(payload.count)) { try EventStreamEncoder.payloadChunk(payload) }
        var buffer: [UInt8] = []
        #expect(throws: EventStreamError.payloadTooLong(payload.count)) {
            try payload.withUnsafeBytes { try EventStreamEncoder.appendPayloadChunk($0, to: &buffer) }
        }
        #expect(buffer.isEmpty)
    }

    @Test("the limits themselves are accepted")
    func acceptsLimits() throws {
        let message = EventStreamMessage(
            headers: [EventStreamHeader(String(repeating: "n", count: 255), .string(String(repeating: "v", count: 65535)))],
            payload: [UInt8](repeating: 7, count: 16 * 1024 * 1024))
        let frame = try EventStreamEncoder.encode(message)
        #expect(try EventStreamDecoder.decodeAll(frame) == [message])
    }
}
