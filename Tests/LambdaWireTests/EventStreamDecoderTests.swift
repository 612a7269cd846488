// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("EventStreamDecoder")
struct EventStreamDecoderTests {
    static func standardHeaders(_ eventType: String, _ contentType: String) -> [EventStreamHeader] {
        [
            EventStreamHeader(":event-type", .string(eventType)), EventStreamHeader(":content-type", .string(contentType)),
            EventStreamHeader(":message-type", .string("event")),
        ]
    }

    @Test("decodes the literal frames into their headers and payloads", arguments: [
        (EventStreamVectors.payloadChunkHello, EventStreamMessage(headers: standardHeaders("PayloadChunk", "application/octet-stream"), payload: bytes("hello"))),
        (EventStreamVectors.payloadChunkEmpty, EventStreamMessage(headers: standardHeaders("PayloadChunk", "application/octet-stream"), payload: [])),
        (EventStreamVectors.invokeCompleteSuccess, EventStreamMessage(headers: standardHeaders("InvokeComplete", "application/json"), payload: bytes("{}"))),
        (EventStreamVectors.allHeaderTypes, EventStreamVectors.allHeaderTypesMessage),
    ])
    func decodesVectors(_ frame: [UInt8], _ expected: EventStreamMessage) throws {
        #expect(try EventStreamDecoder.decodeAll(frame) == [expected])
        #expect(expected.stringHeader(":message-type") == (expected.headers.count == 3 ? "event" : nil))
    }

    @Test("a stream of frames decodes the same however it is cut")
    func splitAnywhere() throws {
        let stream = EventStreamVectors.payloadChunkHello + EventStreamVectors.allHeaderTypes + EventStreamVectors.invokeCompleteError
        let expected = try EventStreamDecoder.decodeAll(stream)
        #expect(expected.count == 3)
        for pieces in splits(of: stream) {
            var decoder = EventStreamDecoder()
            var messages: [EventStreamMessage] = []
            for piece in pieces {
                decoder.append(piece)
                while let message = try decoder.next() { messages.append(message) }
            }
            #expect(messages == expected)
            #expect(!decoder.hasPartialMessage)
        }
    }

    @Test("every proper prefix of a frame is incomplete, and truncated at the end of input")
    func truncated() {
        let frame = EventStreamVectors.invokeCompleteError
        for length in 0..<frame.count {
            let prefix = Array(frame[..<length])
            #expect(prefix.withUnsafeBytes { EventStreamDecoder().decode($0) } == .incomplete)
            if length > 0 {
                #expect(throws: EventStreamError.truncated) { try EventStreamDecoder.decodeAll(prefix) }
            }
        }
    }

    @Test("encode then decode gives the message back")
    func roundTrip() throws {
        let messages = [
            EventStreamVectors.allHeaderTypesMessage,
            EventStreamMessage(headers: [], payload: []),
            EventStreamMessage(headers: [EventStreamHeader("ä", .string(""))], payload: (0...255).map { UInt8($0) }),
        ]
        for message in messages {
            #expect(try EventStreamDecoder.decodeAll(EventStreamEncoder.encode(message)) == [message])
        }
    }

    /// A frame whose bytes are changed at `offset`.
    static func corrupt(_ frame: [UInt8], at offset: Int, xor: UInt8 = 0x01) -> [UInt8] {
        var copy = frame
        copy[offset] ^= xor
        return copy
    }

    /// A prelude with a valid CRC for the given lengths, followed by `rest`.
    static func prelude(total: UInt32, headers: UInt32, rest: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in [total, headers] { bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
        let crc = CRC32.checksum(bytes)
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: crc >> $0) }
        return bytes + rest
    }

    @Test("bad checksums and impossible lengths are rejected before any large buffering", arguments: [
        (corrupt(EventStreamVectors.payloadChunkHello, at: 3), EventStreamError.preludeChecksumMismatch),
        (corrupt(EventStreamVectors.payloadChunkHello, at: 9), .preludeChecksumMismatch),
        (corrupt(EventStreamVectors.payloadChunkHello, at: 106), .messageChecksumMismatch),
        (corrupt(EventStreamVectors.payloadChunkHello, at: 110), .messageChecksumMismatch),
        (corrupt(EventStreamVectors.payloadChunkHello, at: 20), .messageChecksumMismatch),
        (prelude(total: 0, headers: 0), .invalidLengths(total: 0, headers: 0)),
        (prelude(total: 15, headers: 0), .invalidLengths(total: 15, headers: 0)),
        (prelude(total: 20, headers: 5), .invalidLengths(total: 20, headers: 5)),
        (prelude(total: 16, headers: 0xFFFF_FFFF), .invalidLengths(total: 16, headers: 0xFFFF_FFFF)),
        (prelude(total: 0xFFFF_FFFF, headers: 0), .payloadTooLong(0xFFFF_FFFF - 16)),
        (prelude(total: 0xFFFF_FFFF, headers: 200_000), .headersTooLong(200_000)),
        (prelude(total: 16 + 16 * 1024 * 1024 + 1, headers: 0), .payloadTooLong(16 * 1024 * 1024 + 1)),
    ])
    func rejects(_ input: [UInt8], _ error: EventStreamError) {
        #expect(input.withUnsafeBytes { EventStreamDecoder().decode($0) } == .invalid(error))
        var decoder = EventStreamDecoder()
        decoder.append(input)
        #expect(throws: error) { try decoder.next() }
        #expect(throws: error) { try decoder.next() }
    }

    /// A whole frame (valid CRCs) with raw header bytes.
    static func frame(headerBytes: [UInt8]) -> [UInt8] {
        var bytes = prelude(total: UInt32(16 + headerBytes.count), headers: UInt32(headerBytes.count), rest: headerBytes)
        let crc = CRC32.checksum(bytes)
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: crc >> $0) }
        return bytes
    }

    @Test("malformed headers inside a valid frame are rejected", arguments: [
        ([0x00, 0x07, 0x00, 0x00], EventStreamError.malformedHeader),
        ([0x05, 0x61], .malformedHeader),
        ([0x01, 0x61], .malformedHeader),
        ([0x01, 0xFF, 0x00], .malformedHeader),
        ([0x01, 0x61, 0x07, 0x00, 0x05, 0x61], .malformedHeader),
        ([0x01, 0x61, 0x07, 0x00, 0x01, 0xC3], .malformedHeader),
        ([0x01, 0x61, 0x06, 0x00], .malformedHeader),
        ([0x01, 0x61, 0x05, 0x00, 0x00], .malformedHeader),
        ([0x01, 0x61, 0x09] + [UInt8](repeating: 0, count: 15), .malformedHeader),
        ([0x01, 0x61, 0x0A], .unknownHeaderType(10)),
        ([0x01, 0x61, 0xFF], .unknownHeaderType(255)),
    ])
    func malformedHeaders(_ headerBytes: [UInt8], _ error: EventStreamError) {
        #expect(throws: error) { try EventStreamDecoder.decodeAll(Self.frame(headerBytes: headerBytes)) }
    }

    @Test("a smaller payload limit is enforced from the prelude alone")
    func customLimit() {
        let decoder = EventStreamDecoder(maxPayloadLength: 4)
        let header = Array(EventStreamVectors.payloadChunkHello[..<12])
        #expect(header.withUnsafeBytes { decoder.decode($0) } == .invalid(.payloadTooLong(5)))
    }
}
