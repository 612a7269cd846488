// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The request time of a payload-2.0 event, `requestContext.time`: UTC in the Common Log Format,
/// `26/Nov/2026:23:00:52 +0000`. Computed from epoch milliseconds without Foundation (Howard Hinnant's
/// days-to-civil algorithm, valid for any date this process will see, negative epochs included).
enum RequestTime {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func commonLogFormat(epochMilliseconds: Int64) -> String {
        let seconds = floorDivide(epochMilliseconds, 1000)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds &- days &* 86_400
        let (year, month, day) = civil(daysSinceEpoch: days)
        return pad(day) + "/" + months[month &- 1] + "/" + String(year) + ":" + pad(secondOfDay / 3600) + ":"
            + pad(secondOfDay % 3600 / 60) + ":" + pad(secondOfDay % 60) + " +0000"
    }

    /// (year, month 1...12, day 1...31) of a day count since 1970-01-01.
    static func civil(daysSinceEpoch days: Int64) -> (year: Int64, month: Int, day: Int64) {
        let z = days &+ 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z &- era &* 146_097
        let yearOfEra = (dayOfEra &- dayOfEra / 1460 &+ dayOfEra / 36524 &- dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra &- (365 &* yearOfEra &+ yearOfEra / 4 &- yearOfEra / 100)
        let mp = (5 &* dayOfYear &+ 2) / 153
        let day = dayOfYear &- (153 &* mp &+ 2) / 5 &+ 1
        let month = mp < 10 ? mp &+ 3 : mp &- 9
        let year = yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0)
        return (year, Int(month), day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q &- 1 : q
    }

    private static func pad(_ value: Int64) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}
