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
        return "Root=1-\(hex(UInt64(seconds), digits: 8))-\(hex(random.next(), digits: 16))"
            + "\(hex(UInt64(random.next() as UInt32), digits: 8));Parent=\(hex(random.next(), digits: 16));Sampled=0"
    }

    /// `value` in lower-case hex, zero-padded to `digits`.
    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(digits - text.count, 0)) + text
    }
}
