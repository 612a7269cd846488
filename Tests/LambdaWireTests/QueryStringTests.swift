// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

@testable import LambdaWire
import Testing

@Suite("QueryString")
struct QueryStringTests {
    @Test("decodes pairs: percent escapes, + as space, bare names, empty pairs skipped", arguments: [
        ("", [String]()),
        ("a=1", ["a=1"]),
        ("a=1&b=2&a=3", ["a=1", "b=2", "a=3"]),
        ("flag&x=", ["flag=", "x="]),
        ("&&a=1&", ["a=1"]),
        ("q=x%20y+z%2B", ["q=x y z+"]),
        ("%C3%A9=%E2%82%AC", ["é=€"]),
        ("bad=%zz%4%", ["bad=%zz%4%"]),
        ("tail=%4", ["tail=%4"]),
        ("k=v=w", ["k=v=w"]),
        ("bin=%FF", ["bin=\u{FFFD}"]),
        ("%3D=%26", ["==&"]),
    ])
    func pairs(_ raw: String, _ expected: [String]) {
        #expect(QueryString.pairs(raw).map { "\($0.name)=\($0.value)" } == expected)
    }

    @Test("groups repeated names in first-seen order, values joined with a comma")
    func joined() {
        let parameters = QueryString.joinedParameters("parameter1=value1&parameter1=value2&parameter2=value&e=")
        #expect(parameters.map(\.name) == ["parameter1", "parameter2", "e"])
        #expect(parameters.map(\.value) == ["value1,value2", "value", ""])
    }
}
