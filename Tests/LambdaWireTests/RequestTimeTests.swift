// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

@testable import LambdaWire
import Testing

@Suite("RequestTime")
struct RequestTimeTests {
    // Expected values from Python: time.strftime('%d/%b/%Y:%H:%M:%S +0000', time.gmtime(ms // 1000)).
    @Test("formats epoch milliseconds as the Common Log Format in UTC", arguments: [
        (0 as Int64, "01/Jan/1970:00:00:00 +0000"),
        (999, "01/Jan/1970:00:00:00 +0000"),
        (1_583_348_638_390, "04/Mar/2020:19:03:58 +0000"),
        (1_631_055_022_677, "07/Sep/2021:22:50:22 +0000"),
        (1_795_734_052_000, "26/Nov/2026:23:00:52 +0000"),
        (951_782_400_000, "29/Feb/2000:00:00:00 +0000"),
        (4_133_980_799_000, "31/Dec/2100:23:59:59 +0000"),
        (-1, "31/Dec/1969:23:59:59 +0000"),
        (-86_400_000, "31/Dec/1969:00:00:00 +0000"),
    ])
    func formats(_ milliseconds: Int64, _ expected: String) {
        #expect(RequestTime.commonLogFormat(epochMilliseconds: milliseconds) == expected)
    }

    @Test("civil dates agree with a day-by-day count over four centuries")
    func civilMatchesCounting() {
        let monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var (year, month, day): (Int64, Int, Int64) = (1970, 1, 1)
        for days in Int64(0)..<146_097 {
            let civil = RequestTime.civil(daysSinceEpoch: days)
            #expect(civil.year == year && civil.month == month && civil.day == day)
            if civil.year != year || civil.month != month || civil.day != day { return }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let length = Int64(month == 2 && leap ? 29 : monthLengths[month - 1])
            day += 1
            if day > length { (month, day) = (month + 1, 1) }
            if month > 12 { (year, month) = (year + 1, 1) }
        }
    }
}
