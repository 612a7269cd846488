// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// One AWS event-stream message (`application/vnd.amazon.eventstream`), as `InvokeWithResponseStream`
/// sends them: typed headers and an opaque payload. The wire form is
///
///     total length u32 BE | headers length u32 BE | CRC32(first 8 bytes) u32 BE
///     headers: (name length u8, name, type u8, value)*
///     payload
///     CRC32(everything before it) u32 BE
package struct EventStreamMessage: Sendable, Equatable {
    package var headers: [EventStreamHeader]
    package var payload: [UInt8]

    package init(headers: [EventStreamHeader], payload: [UInt8]) {
        self.headers = headers
        self.payload = payload
    }

    /// The value of the first string header named `name`.
    package func stringHeader(_ name: String) -> String? {
        for header in headers where header.name == name {
            if case .string(let value) = header.value { return value }
        }
        return nil
    }
}

/// One header of an event-stream message: a name of 1...255 UTF-8 bytes and a typed value.
package struct EventStreamHeader: Sendable, Equatable {
    package var name: String
    package var value: EventStreamHeaderValue

    package init(_ name: String, _ value: EventStreamHeaderValue) {
        self.name = name
        self.value = value
    }
}

/// A header value, one case per wire type (the type byte is in the comment).
package enum EventStreamHeaderValue: Sendable, Equatable {
    /// 0 (true) or 1 (false), no value bytes.
    case bool(Bool)
    /// 2: one byte.
    case byte(Int8)
    /// 3: two bytes, big-endian.
    case int16(Int16)
    /// 4: four bytes, big-endian.
    case int32(Int32)
    /// 5: eight bytes, big-endian.
    case int64(Int64)
    /// 6: u16 length, then the bytes.
    case bytes([UInt8])
    /// 7: u16 length, then UTF-8.
    case string(String)
    /// 8: milliseconds since the Unix epoch, eight bytes.
    case timestamp(Int64)
    /// 9: sixteen bytes (the encoder refuses any other count).
    case uuid([UInt8])

    var typeByte: UInt8 {
        switch self {
        case .bool(let value): value ? 0 : 1
        case .byte: 2
        case .int16: 3
        case .int32: 4
        case .int64: 5
        case .bytes: 6
        case .string: 7
        case .timestamp: 8
        case .uuid: 9
        }
    }
}

/// The sizes the AWS SDKs accept (smithy-rs `aws-smithy-eventstream`): larger frames make them fail, so
/// the encoder refuses them and the decoder rejects them before buffering.
package enum EventStreamLimits {
    package static let maxHeaderNameLength = 255
    package static let maxHeaderValueLength = Int(UInt16.max)
    package static let maxHeadersLength = 128 * 1024
    package static let maxPayloadLength = 16 * 1024 * 1024
    /// Prelude (12) + message CRC (4).
    package static let overhead = 16
}

/// Why a message could not be encoded or decoded.
package enum EventStreamError: Error, Sendable, Equatable {
    // Encoding.
    case headerNameLength(Int)
    case headerValueLength(Int)
    case uuidLength(Int)
    // Both directions.
    case headersTooLong(Int)
    case payloadTooLong(Int)
    // Decoding.
    /// The total length is below the 16-byte minimum, or the headers length does not fit inside it.
    case invalidLengths(total: UInt32, headers: UInt32)
    case preludeChecksumMismatch
    case messageChecksumMismatch
    /// A header runs past the headers section, has an empty or non-UTF-8 name, or a non-UTF-8 string.
    case malformedHeader
    case unknownHeaderType(UInt8)
    /// The input ended inside a message.
    case truncated
}
