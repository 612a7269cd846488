// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

// The event-stream part of the LambdaWire fuzz target (main.swift calls `fuzzEventStream`). Random
// bytes almost never carry two valid CRC32s, so besides the raw input the decoder also gets the input
// with its checksums made right: then the lengths and the header decoder are what the fuzzer explores.

import LambdaWire

/// Event stream: decoding never traps, and gives the same messages and error whole or in two pieces,
/// for the raw input and for the input with its checksums fixed; every message decoded from the latter
/// re-encodes to exactly its frame; any payload, and a message built from the input (every header type,
/// odd names and values), survive encode → decode.
func fuzzEventStream(_ input: [UInt8], cut: Int) {
    let fixed = withChecksumsFixed(input)
    for bytes in [input, fixed] {
        let whole = decodeStream([bytes])
        let pieces = decodeStream([Array(bytes[..<cut]), Array(bytes[cut...])])
        precondition(whole == pieces, "a split changed the decoded messages")
    }
    checkReencoding(fixed)

    let value = String(decoding: input.prefix(40), as: UTF8.self)
    let message = EventStreamMessage(
        headers: [EventStreamHeader(":event-type", .string(value)), EventStreamHeader("n", .int64(Int64(input.count)))],
        payload: input)
    guard let frame = try? EventStreamEncoder.encode(message), let chunk = try? EventStreamEncoder.payloadChunk(input) else {
        preconditionFailure("a small message did not encode")
    }
    precondition((try? EventStreamDecoder.decodeAll(frame)) == [message], "encode → decode changed the message")
    let decodedChunk = try? EventStreamDecoder.decodeAll(chunk)
    precondition(decodedChunk?.first?.payload == input && decodedChunk?.first?.stringHeader(":message-type") == "event",
                 "a PayloadChunk did not decode to its payload")

    let built = builtMessage(input)
    var two: [UInt8] = []
    do {
        try EventStreamEncoder.append(built, to: &two)
        try EventStreamEncoder.append(built, to: &two)
    } catch {
        preconditionFailure("a message within the limits did not encode: \(error)")
    }
    precondition((try? EventStreamDecoder.decodeAll(two)) == [built, built], "encode → decode changed a built message")
}

struct Decoded: Equatable {
    var messages: [EventStreamMessage] = []
    var error: EventStreamError?
    var partial = false
}

func decodeStream(_ pieces: [[UInt8]]) -> Decoded {
    var decoder = EventStreamDecoder(maxPayloadLength: 1 << 16)
    var decoded = Decoded()
    for piece in pieces {
        decoder.append(piece)
        do {
            while let message = try decoder.next() { decoded.messages.append(message) }
        } catch {
            decoded.error = error
            return decoded
        }
    }
    decoded.partial = decoder.hasPartialMessage
    return decoded
}

/// `input` with the CRCs of the frames it describes set right: frames follow each other by their total
/// length; a prelude CRC is set wherever 12 bytes remain, a message CRC wherever the whole frame fits.
func withChecksumsFixed(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    var start = 0
    while bytes.count - start >= 12 {
        put(bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<(start + 8)])) }, into: &bytes, at: start + 8)
        let total = bytes[start..<(start + 4)].reduce(0) { $0 << 8 | Int($1) }
        guard total >= EventStreamLimits.overhead, total <= bytes.count - start else { break }
        let end = start + total - 4
        put(bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }, into: &bytes, at: end)
        start += total
    }
    return bytes
}

func put(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
    for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * i)) }
}

/// Every message that decodes from the start of `bytes` re-encodes to exactly the frame it came from:
/// the encoder is canonical, and nothing the decoder accepts is beyond the encoder's limits.
func checkReencoding(_ bytes: [UInt8]) {
    let decoder = EventStreamDecoder(maxPayloadLength: 1 << 16)
    var start = 0
    while case .message(let message, let consumed) = bytes.withUnsafeBytes({ decoder.decode(UnsafeRawBufferPointer(rebasing: $0[start...])) }) {
        precondition(consumed >= EventStreamLimits.overhead && consumed <= bytes.count - start, "consumed out of range")
        guard let frame = try? EventStreamEncoder.encode(message) else { preconditionFailure("a decoded message did not encode") }
        precondition(frame[...] == bytes[start..<(start + consumed)], "a decoded message re-encodes differently")
        start += consumed
    }
}

/// A message read from `input`: a header count, then for each header a type (0–9), a name and a value
/// whose lengths and bytes come from the input (invalid UTF-8 is repaired); the rest is the payload.
func builtMessage(_ input: [UInt8]) -> EventStreamMessage {
    var reader = ByteReader(bytes: input)
    var headers: [EventStreamHeader] = []
    for _ in 0..<(reader.byte() % 8) {
        let type = reader.byte() % 10
        var name = String(decoding: reader.take(Int(reader.byte() % 32)), as: UTF8.self)
        if name.isEmpty { name = ":" }
        let value: EventStreamHeaderValue
        switch type {
        case 0, 1: value = .bool(type == 0)
        case 2: value = .byte(Int8(bitPattern: reader.byte()))
        case 3: value = .int16(Int16(truncatingIfNeeded: reader.integer(2)))
        case 4: value = .int32(Int32(truncatingIfNeeded: reader.integer(4)))
        case 5: value = .int64(Int64(bitPattern: reader.integer(8)))
        case 6: value = .bytes(reader.take(Int(reader.byte())))
        case 7: value = .string(String(decoding: reader.take(Int(reader.byte())), as: UTF8.self))
        case 8: value = .timestamp(Int64(bitPattern: reader.integer(8)))
        default: value = .uuid((reader.take(16) + [UInt8](repeating: 0, count: 16)).prefix(16).map { $0 })
        }
        headers.append(EventStreamHeader(name, value))
    }
    return EventStreamMessage(headers: headers, payload: reader.rest())
}

/// Reads an input front to back; past its end, bytes read as 0 and takes are short.
struct ByteReader {
    let bytes: [UInt8]
    var index = 0

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func integer(_ count: Int) -> UInt64 {
        (0..<count).reduce(0) { value, _ in value << 8 | UInt64(byte()) }
    }

    mutating func take(_ count: Int) -> [UInt8] {
        let end = min(index + count, bytes.count)
        defer { index = end }
        return Array(bytes[index..<end])
    }

    mutating func rest() -> [UInt8] { take(bytes.count) }
}
