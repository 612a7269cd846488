// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import HTTP1
import Testing

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    @Test("lookup ignores ASCII case and returns the first value")
    func lookup() {
        let headers: HTTPHeaders = ["Content-Type": "a", "content-type": "b", "X": "c"]
        #expect(headers["CONTENT-TYPE"] == "a")
        #expect(headers.values("Content-type") == ["a", "b"])
        #expect(headers["missing"] == nil)
        #expect(headers.contains("x"))
        #expect(!headers.contains("y"))
        #expect(headers.count == 3)
    }

    @Test("case folding is ASCII only: letters match, other bytes that differ by 0x20 do not")
    func asciiFolding() {
        #expect("Lambda-Runtime".equalsIgnoringASCIICase("lambda-RUNTIME"))
        #expect(!"a".equalsIgnoringASCIICase("b"))
        #expect(!"@".equalsIgnoringASCIICase("`"))
        #expect(!"[".equalsIgnoringASCIICase("{"))
        #expect(!"ab".equalsIgnoringASCIICase("abc"))
        #expect("".equalsIgnoringASCIICase(""))
    }

    @Test("add keeps duplicates in order; set replaces them all; remove removes them all")
    func mutation() {
        var headers = HTTPHeaders()
        headers.add("A", "1")
        headers.add("B", "2")
        headers.add("a", "3")
        #expect(headers.fields == [HTTPField(name: "A", value: "1"), HTTPField(name: "B", value: "2"), HTTPField(name: "a", value: "3")])
        headers.set("A", "4")
        #expect(headers.fields == [HTTPField(name: "B", value: "2"), HTTPField(name: "A", value: "4")])
        headers.remove("b")
        #expect(headers.fields == [HTTPField(name: "A", value: "4")])
        #expect(!headers.isEmpty)
        headers.remove("A")
        #expect(headers.isEmpty)
    }

    @Test("iteration yields the fields in wire order")
    func iteration() {
        let headers = HTTPHeaders([HTTPField(name: "Z", value: "1"), HTTPField(name: "A", value: "2")])
        #expect(headers.map(\.name) == ["Z", "A"])
    }
}
