// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import Glibc
import Testing

import HTTP1

/// The case of an `HTTPParseError`, without its message, as the tables name it.
enum ErrorKind: String, Sendable, CustomStringConvertible {
    case malformed, ambiguousFraming, unsupportedTransferEncoding, unknownMethod, invalidChunk
    case requestLineTooLong, headTooLarge, unsupportedVersion, bodyTooLarge

    init(_ error: HTTPParseError) {
        self =
            switch error {
            case .malformed: .malformed
            case .ambiguousFraming: .ambiguousFraming
            case .unsupportedTransferEncoding: .unsupportedTransferEncoding
            case .unknownMethod: .unknownMethod
            case .invalidChunk: .invalidChunk
            case .requestLineTooLong: .requestLineTooLong
            case .headTooLarge: .headTooLarge
            case .unsupportedVersion: .unsupportedVersion
            case .bodyTooLarge: .bodyTooLarge
            }
    }

    /// The status the error must be answered with.
    var status: Int {
        switch self {
        case .malformed, .ambiguousFraming, .invalidChunk: 400
        case .unsupportedTransferEncoding, .unknownMethod: 501
        case .requestLineTooLong: 414
        case .headTooLarge: 431
        case .unsupportedVersion: 505
        case .bodyTooLarge: 413
        }
    }

    var description: String { "\(rawValue) (\(status))" }
}

extension Array where Element == UInt8 {
    /// The UTF-8 bytes of `text` (tables write `\r\n` and `\u{0}` escapes literally).
    init(wire text: String) { self.init(text.utf8) }
}

/// Memory whose last usable byte sits right before a `PROT_NONE` page, as picohttpparser's tests do: a
/// buffer placed with ``withBytesAtEnd(_:_:)`` ends at the guard page, so any read past its end crashes
/// the test instead of passing silently.
final class GuardedMemory {
    private let base: UnsafeMutableRawPointer
    private let usable: Int
    private let mapped: Int

    init(capacity: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        usable = (Swift.max(capacity, 1) + page - 1) / page * page
        mapped = usable + page
        guard let memory = mmap(nil, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              memory != MAP_FAILED
        else { fatalError("mmap failed in a test") }
        base = memory
        guard mprotect(base + usable, page, PROT_NONE) == 0 else { fatalError("mprotect failed in a test") }
    }

    deinit { munmap(base, mapped) }

    /// Calls `body` with `bytes` copied so that they end exactly at the guard page.
    func withBytesAtEnd<R>(_ bytes: ArraySlice<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        precondition(bytes.count <= usable)
        let start = base + (usable - bytes.count)
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { start.copyMemory(from: from, byteCount: source.count) }
        }
        return body(UnsafeRawBufferPointer(start: start, count: bytes.count))
    }
}
