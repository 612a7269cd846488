// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaAPI

struct InvocationReportTests {
    @Test("durations print with two decimals, as Go's %.2f", arguments: [
        (0.0, "0.00"), (0.004, "0.00"), (0.005, "0.01"), (12.345, "12.35"), (1.5, "1.50"), (1000.0, "1000.00"),
    ])
    func twoDecimals(value: Double, expected: String) {
        #expect(InvocationReport.twoDecimals(value) == expected)
    }

    @Test("Go's %f prints six decimals")
    func sixDecimals() {
        #expect(GoFormat.sixDecimals(556.32) == "556.320000")
        #expect(GoFormat.sixDecimals(0.0000004) == "0.000000")
    }

    @Test("request ids are version-4 UUIDs and differ")
    func requestIDs() {
        let a = RequestID.make(), b = RequestID.make()
        #expect(a != b)
        let parts = a.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(Array(a.utf8)[14] == UInt8(ascii: "4"))
        #expect(a == a.lowercased())
    }
}
