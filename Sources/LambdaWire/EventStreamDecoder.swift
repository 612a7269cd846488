// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Reads event-stream messages from bytes that arrive in pieces of any size.
///
/// Guarantees: never traps on any input; checks the prelude CRC before trusting the lengths and
/// rejects a length above `maxPayloadLength`/`EventStreamLimits.maxHeadersLength` at once, so a hostile
/// length never makes it allocate or wait for more than one legal message; checks the message CRC
/// before decoding headers. Accepts every header type of the spec (0–9).
package struct EventStreamDecoder: Sendable {
    /// One step of `decode(_:)`.
    package enum Step: Sendable, Equatable {
        case message(EventStreamMessage, consumed: Int)
        /// More bytes are needed; nothing was consumed.
        case incomplete
        case invalid(EventStreamError)
    }

    package let maxPayloadLength: Int
    private var buffer: [UInt8] = []
    private var start = 0

    package init(maxPayloadLength: Int = EventStreamLimits.maxPayloadLength) {
        self.maxPayloadLength = maxPayloadLength
    }

    /// Whether bytes of an unfinished message are buffered (at end of input: truncated).
    package var hasPartialMessage: Bool { start < buffer.count }

    /// Adds bytes that arrived.
    package mutating func append(_ bytes: [UInt8]) {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole message, or nil when more bytes are needed. After a throw the decoder is stuck
    /// on the same error: the stream cannot be resynchronised.
    package mutating func next() throws(EventStreamError) -> EventStreamMessage? {
        let step = buffer.withUnsafeBytes { decode(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        switch step {
        case .message(let message, let consumed):
            start &+= consumed
            if start > 4096, start &* 2 > buffer.count {
                buffer.removeFirst(start)
                start = 0
            }
            return message
        case .incomplete:
            return nil
        case .invalid(let error):
            throw error
        }
    }

    /// Every message in `bytes`, which must end at a message boundary (else `.truncated`).
    package static func decodeAll(_ bytes: [UInt8], maxPayloadLength: Int = EventStreamLimits.maxPayloadLength) throws(EventStreamError) -> [EventStreamMessage] {
        var decoder = EventStreamDecoder(maxPayloadLength: maxPayloadLength)
        decoder.append(bytes)
        var messages: [EventStreamMessage] = []
        while let message = try decoder.next() { messages.append(message) }
        guard !decoder.hasPartialMessage else { throw .truncated }
        return messages
    }

    /// Decodes the message at the start of `bytes`, without state.
    package func decode(_ bytes: UnsafeRawBufferPointer) -> Step {
        guard bytes.count >= 12 else { return .incomplete }
        let total = readUInt32(bytes, at: 0)
        let headersLength = readUInt32(bytes, at: 4)
        guard CRC32.update(0, with: UnsafeRawBufferPointer(rebasing: bytes[0..<8])) == readUInt32(bytes, at: 8) else {
            return .invalid(.preludeChecksumMismatch)
        }
        guard total >= UInt32(EventStreamLimits.overhead), headersLength <= total &- UInt32(EventStreamLimits.overhead) else {
            return .invalid(.invalidLengths(total: total, headers: headersLength))
        }
        guard Int(headersLength) <= EventStreamLimits.maxHeadersLength else { return .invalid(.headersTooLong(Int(headersLength))) }
        let payloadLength = Int(total) &- EventStreamLimits.overhead &- Int(headersLength)
        guard payloadLength <= maxPayloadLength else { return .invalid(.payloadTooLong(payloadLength)) }
        let messageLength = Int(total)
        guard bytes.count >= messageLength else { return .incomplete }
        let checksummed = UnsafeRawBufferPointer(rebasing: bytes[0..<(messageLength &- 4)])
        guard CRC32.update(0, with: checksummed) == readUInt32(bytes, at: messageLength &- 4) else {
            return .invalid(.messageChecksumMismatch)
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[12..<(12 &+ Int(headersLength))])
        let headers: [EventStreamHeader]
        switch decodeHeaders(headerBytes) {
        case .success(let decoded): headers = decoded
        case .failure(let error): return .invalid(error)
        }
        let payload = Array(bytes[(12 &+ Int(headersLength))..<(messageLength &- 4)])
        return .message(EventStreamMessage(headers: headers, payload: payload), consumed: messageLength)
    }

    private func decodeHeaders(_ bytes: UnsafeRawBufferPointer) -> Result<[EventStreamHeader], EventStreamError> {
        var headers: [EventStreamHeader] = []
        var i = 0
        func take(_ count: Int) -> UnsafeRawBufferPointer? {
            guard count <= bytes.count &- i else { return nil }
            defer { i &+= count }
            return UnsafeRawBufferPointer(rebasing: bytes[i..<(i &+ count)])
        }
        func integer(_ count: Int) -> UInt64? {
            take(count).map { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        }
        while i < bytes.count {
            guard let nameLength = integer(1), nameLength > 0, let nameBytes = take(Int(nameLength)),
                  let name = String(validating: nameBytes, as: UTF8.self), let type = integer(1)
            else { return .failure(.malformedHeader) }
            let value: EventStreamHeaderValue?
            switch type {
            case 0: value = .bool(true)
            case 1: value = .bool(false)
            case 2: value = integer(1).map { .byte(Int8(truncatingIfNeeded: $0)) }
            case 3: value = integer(2).map { .int16(Int16(truncatingIfNeeded: $0)) }
            case 4: value = integer(4).map { .int32(Int32(truncatingIfNeeded: $0)) }
            case 5: value = integer(8).map { .int64(Int64(bitPattern: $0)) }
            case 6: value = integer(2).flatMap { take(Int($0)) }.map { .bytes(Array($0)) }
            case 7: value = integer(2).flatMap { take(Int($0)) }.flatMap { String(validating: $0, as: UTF8.self) }.map { .string($0) }
            case 8: value = integer(8).map { .timestamp(Int64(bitPattern: $0)) }
            case 9: value = take(16).map { .uuid(Array($0)) }
            default: return .failure(.unknownHeaderType(UInt8(truncatingIfNeeded: type)))
            }
            guard let value else { return .failure(.malformedHeader) }
            headers.append(EventStreamHeader(name, value))
        }
        return .success(headers)
    }

    private func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset &+ 1]) << 16 | UInt32(bytes[offset &+ 2]) << 8 | UInt32(bytes[offset &+ 3])
    }
}
