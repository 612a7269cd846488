// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

struct PooledRandomTests {
    @Test("draws across several refills of the pool are all different and use every bit")
    func distinctDraws() {
        var random = PooledRandom()
        let draws = (0..<3_000).map { _ in random.next() }  // more than five pools of 512
        #expect(Set(draws).count == draws.count)
        #expect(draws.reduce(0, |) == UInt64.max)  // no bit stuck at 0
        #expect(draws.reduce(UInt64.max, &) == 0)  // no bit stuck at 1
    }

    @Test("draws from many threads at once are never handed out twice")
    func concurrentDraws() async {
        let batches = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var random = PooledRandom()
                    return (0..<1_000).map { _ in random.next() }
                }
            }
            return await group.reduce(into: [UInt64]()) { $0 += $1 }
        }
        #expect(Set(batches).count == 8_000)
    }
}
