// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Locking

/// The random bits of request ids and trace ids. One `getrandom(2)` of 4 KiB serves about a hundred invokes,
/// where `SystemRandomNumberGenerator` made one system call per 64-bit draw (five per invoke). The bytes are
/// the kernel's CSPRNG output, each handed out once; the pool is shared by every thread behind one lock.
struct PooledRandom: RandomNumberGenerator {
    private static let pool = Lock(Pool())

    mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }

    /// Draws already fetched from the kernel, used front to back.
    private struct Pool {
        var draws = [UInt64](repeating: 0, count: 512)
        var used = 512

        mutating func next() -> UInt64 {
            if used == draws.count { refill() }
            defer { used += 1 }
            return draws[used]
        }

        private mutating func refill() {
            let filled = draws.withUnsafeMutableBytes { cshims_getrandom($0.baseAddress, $0.count) }
            if filled != draws.count * 8 {  // no getrandom (a very old kernel): the standard library's source
                var system = SystemRandomNumberGenerator()
                for index in draws.indices { draws[index] = system.next() }
            }
            used = 0
        }
    }
}
