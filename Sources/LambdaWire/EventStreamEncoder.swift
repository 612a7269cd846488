// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Builds event-stream frames (see `EventStreamMessage` for the layout), including the two that
/// `InvokeWithResponseStream` sends: `PayloadChunk` (one per runtime chunk) and the final
/// `InvokeComplete`. Every frame carries `:message-type: event`, without which the SDKs reject it.
///
/// Sizes beyond `EventStreamLimits` throw instead of producing a frame the SDKs would refuse.
package enum EventStreamEncoder {
    /// The wire bytes of `message`.
    package static func encode(_ message: EventStreamMessage) throws(EventStreamError) -> [UInt8] {
        var buffer: [UInt8] = []
        try append(message, to: &buffer)
        return buffer
    }

    /// Appends the wire bytes of `message` to `buffer` (unchanged when this throws).
    package static func append(_ message: EventStreamMessage, to buffer: inout [UInt8]) throws(EventStreamError) {
        let headerBytes = try encodeHeaders(message.headers)
        try checkPayload(message.payload.count)
        message.payload.withUnsafeBytes { writeFrame(headerBytes: headerBytes, payload: $0, to: &buffer) }
    }

    /// A `PayloadChunk` event carrying `payload` verbatim.
    package static func payloadChunk(_ payload: [UInt8]) throws(EventStreamError) -> [UInt8] {
        try checkPayload(payload.count)
        var buffer: [UInt8] = []
        payload.withUnsafeBytes { writeFrame(headerBytes: payloadChunkHeaders, payload: $0, to: &buffer) }
        return buffer
    }

    /// Appends a `PayloadChunk` event carrying `payload` to `buffer` (no copy of the payload but the
    /// one into `buffer`).
    package static func appendPayloadChunk(_ payload: UnsafeRawBufferPointer, to buffer: inout [UInt8]) throws(EventStreamError) {
        try checkPayload(payload.count)
        writeFrame(headerBytes: payloadChunkHeaders, payload: payload, to: &buffer)
    }

    /// The final `InvokeComplete` event: payload `{}` on success, else an object with only the given
    /// keys, in the order `ErrorCode`, `ErrorDetails`, `LogResult` (the last is base64 of the log tail).
    package static func invokeComplete(
        errorCode: String? = nil, errorDetails: String? = nil, logResult: String? = nil
    ) throws(EventStreamError) -> [UInt8] {
        var members: [JSONMember] = []
        if let errorCode { members.append(JSONMember("ErrorCode", .string(errorCode))) }
        if let errorDetails { members.append(JSONMember("ErrorDetails", .string(errorDetails))) }
        if let logResult { members.append(JSONMember("LogResult", .string(logResult))) }
        let payload = JSONValue.object(members).serialized()
        try checkPayload(payload.count)
        var buffer: [UInt8] = []
        payload.withUnsafeBytes { writeFrame(headerBytes: invokeCompleteHeaders, payload: $0, to: &buffer) }
        return buffer
    }

    // MARK: - Framing

    private static let payloadChunkHeaders = constantHeaders(eventType: "PayloadChunk", contentType: "application/octet-stream")
    private static let invokeCompleteHeaders = constantHeaders(eventType: "InvokeComplete", contentType: "application/json")

    private static func constantHeaders(eventType: String, contentType: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in [(":event-type", eventType), (":content-type", contentType), (":message-type", "event")] {
            appendHeader(name: Array(name.utf8), value: .string(value), to: &bytes)
        }
        return bytes
    }

    private static func checkPayload(_ count: Int) throws(EventStreamError) {
        guard count <= EventStreamLimits.maxPayloadLength else { throw .payloadTooLong(count) }
    }

    /// One frame; the caller checked the payload length, and headers are within their limit.
    private static func writeFrame(headerBytes: [UInt8], payload: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        let total = EventStreamLimits.overhead &+ headerBytes.count &+ payload.count
        let start = buffer.count
        buffer.reserveCapacity(start &+ total)
        appendUInt32(UInt32(total), to: &buffer)
        appendUInt32(UInt32(headerBytes.count), to: &buffer)
        var crc = buffer.withUnsafeBytes { CRC32.update(0, with: UnsafeRawBufferPointer(rebasing: $0[start..<(start &+ 8)])) }
        appendUInt32(crc, to: &buffer)
        buffer.append(contentsOf: headerBytes)
        buffer.append(contentsOf: payload)
        crc = buffer.withUnsafeBytes { CRC32.update(0, with: UnsafeRawBufferPointer(rebasing: $0[start...])) }
        appendUInt32(crc, to: &buffer)
    }

    private static func encodeHeaders(_ headers: [EventStreamHeader]) throws(EventStreamError) -> [UInt8] {
        var bytes: [UInt8] = []
        for header in headers {
            let name = Array(header.name.utf8)
            guard (1...EventStreamLimits.maxHeaderNameLength).contains(name.count) else { throw .headerNameLength(name.count) }
            switch header.value {
            case .bytes(let value) where value.count > EventStreamLimits.maxHeaderValueLength:
                throw .headerValueLength(value.count)
            case .string(let value) where value.utf8.count > EventStreamLimits.maxHeaderValueLength:
                throw .headerValueLength(value.utf8.count)
            case .uuid(let value) where value.count != 16:
                throw .uuidLength(value.count)
            default:
                appendHeader(name: name, value: header.value, to: &bytes)
            }
        }
        guard bytes.count <= EventStreamLimits.maxHeadersLength else { throw .headersTooLong(bytes.count) }
        return bytes
    }

    /// One header; lengths were checked by the caller.
    private static func appendHeader(name: [UInt8], value: EventStreamHeaderValue, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: name.count))
        bytes.append(contentsOf: name)
        bytes.append(value.typeByte)
        switch value {
        case .bool: break
        case .byte(let v): bytes.append(UInt8(bitPattern: v))
        case .int16(let v): appendBigEndian(UInt64(UInt16(bitPattern: v)), count: 2, to: &bytes)
        case .int32(let v): appendUInt32(UInt32(bitPattern: v), to: &bytes)
        case .int64(let v), .timestamp(let v): appendBigEndian(UInt64(bitPattern: v), count: 8, to: &bytes)
        case .bytes(let v):
            appendBigEndian(UInt64(v.count), count: 2, to: &bytes)
            bytes.append(contentsOf: v)
        case .string(let v):
            appendBigEndian(UInt64(v.utf8.count), count: 2, to: &bytes)
            bytes.append(contentsOf: v.utf8)
        case .uuid(let v): bytes.append(contentsOf: v)
        }
    }

    private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        appendBigEndian(UInt64(value), count: 4, to: &bytes)
    }

    private static func appendBigEndian(_ value: UInt64, count: Int, to bytes: inout [UInt8]) {
        for shift in stride(from: (count &- 1) &* 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
