// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The X-Ray trace header an invoke carries to the runtime (`Lambda-Runtime-Trace-Id` on `/next`, which runtime
/// clients copy into `_X_AMZN_TRACE_ID`). Lambda always sends one; the caller's `X-Amzn-Trace-Id` is passed on
/// unchanged, and an invoke without one gets a fresh, unsampled header in X-Ray's format, so that runtimes that
/// require it (Swift, Rust) work:
/// `Root=1-<8 hex digits: epoch seconds>-<24 hex digits: random>;Parent=<16 hex digits: random>;Sampled=0`.
package enum XRayTraceHeader {
    /// `header` when the caller sent a non-empty one, else a generated header stamped `epochSeconds`.
    package static func forInvoke(_ header: String?, epochSeconds: Int64) -> String {
        if let header, !header.isEmpty { return header }
        return generate(epochSeconds: epochSeconds)
    }

    /// A new trace header: a root id of X-Ray's version 1, a random parent segment id, not sampled.
    package static func generate(epochSeconds: Int64) -> String {
        var random = PooledRandom()
        let seconds = UInt32(truncatingIfNeeded: max(epochSeconds, 0))
        var text: [UInt8] = []
        text.reserveCapacity(82)
        text.append(contentsOf: "Root=1-".utf8)
        appendHex(UInt64(seconds), digits: 8, to: &text)
        text.append(UInt8(ascii: "-"))
        appendHex(random.next(), digits: 16, to: &text)
        appendHex(random.next() & 0xFFFF_FFFF, digits: 8, to: &text)
        text.append(contentsOf: ";Parent=".utf8)
        appendHex(random.next(), digits: 16, to: &text)
        text.append(contentsOf: ";Sampled=0".utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the low `digits` hex digits of `value` (lower case, zero-padded), or all of them if there are more.
    static func appendHex(_ value: UInt64, digits: Int, to text: inout [UInt8]) {
        let significant = max((64 - value.leadingZeroBitCount + 3) / 4, 1)
        let count = max(digits, significant)
        for position in stride(from: count - 1, through: 0, by: -1) {
            let nibble = position < 16 ? Int(value >> (4 * UInt64(position)) & 0xF) : 0
            text.append(nibble < 10 ? UInt8(ascii: "0") + UInt8(nibble) : UInt8(ascii: "a") + UInt8(nibble - 10))
        }
    }
}
