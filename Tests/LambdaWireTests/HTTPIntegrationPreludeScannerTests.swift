// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("HTTPIntegrationPreludeScanner")
struct HTTPIntegrationPreludeScannerTests {
    typealias Event = HTTPIntegrationPreludeScanner.Event
    static let nuls = [UInt8](repeating: 0, count: 8)

    /// Runs the scanner over `pieces`, then `finish()`; returns the decision and the joined body.
    static func scan(_ pieces: [[UInt8]], limit: Int = HTTPIntegrationPreludeScanner.defaultLimit) -> (events: [Event], body: [UInt8]) {
        var scanner = HTTPIntegrationPreludeScanner(limit: limit)
        var events: [Event] = []
        for piece in pieces { events += scanner.feed(piece) }
        events += scanner.finish()
        var decisions: [Event] = []
        var body: [UInt8] = []
        for event in events {
            switch event {
            case .body(let bytes):
                #expect(!bytes.isEmpty, "empty body event")
                #expect(decisions.count == 1, "body before the decision")
                body += bytes
            case .prelude, .invalidPrelude:
                decisions.append(event)
            }
        }
        #expect(decisions.count == 1, "not exactly one decision")
        return (decisions, body)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let stream: [UInt8]
        let decision: Event
        let body: [UInt8]
        var limit = HTTPIntegrationPreludeScanner.defaultLimit
    }

    static let swiftPrelude = bytes(#"{"headers":{"content-type":"text/plain"},"multiValueHeaders":{"Set-Cookie":["a=1"]},"statusCode":201}"#)
    static let swiftDecision = Event.prelude(HTTPIntegrationPrelude(statusCode: 201, headers: [HeaderField("content-type", "text/plain")], cookies: ["a=1"]))

    static let rows: [Row] = [
        Row(testDescription: "Swift's prelude and body", stream: swiftPrelude + nuls + bytes("line 1\nline 2\n"), decision: swiftDecision,
            body: bytes("line 1\nline 2\n")),
        Row(testDescription: "NULs in the body after the separator are body", stream: bytes(#"{"statusCode":202}"#) + nuls + [0, 0, 1] + nuls,
            decision: .prelude(HTTPIntegrationPrelude(statusCode: 202)), body: [0, 0, 1] + nuls),
        Row(testDescription: "nine NULs: the first eight separate", stream: bytes("{}") + nuls + [0, 7], decision: .prelude(HTTPIntegrationPrelude()),
            body: [0, 7]),
        Row(testDescription: "seven NULs are not a separator", stream: bytes("{}") + [0, 0, 0, 0, 0, 0, 0, 1], decision: .invalidPrelude(.unterminated),
            body: bytes("{}") + [0, 0, 0, 0, 0, 0, 0, 1]),
        Row(testDescription: "prelude with no body", stream: bytes(#"{"statusCode":204}"#) + nuls,
            decision: .prelude(HTTPIntegrationPrelude(statusCode: 204)), body: []),
        Row(testDescription: "no bytes at all: the default prelude", stream: [], decision: .prelude(HTTPIntegrationPrelude()), body: []),
        Row(testDescription: "invalid JSON before the separator", stream: bytes("{oops") + nuls + bytes("body"),
            decision: .invalidPrelude(.invalidJSON(JSONParseError(.unexpectedByte(UInt8(ascii: "o")), at: 1))), body: bytes("body")),
        Row(testDescription: "empty prelude", stream: nuls + bytes("body"), decision: .invalidPrelude(.invalidJSON(JSONParseError(.unexpectedEnd, at: 0))),
            body: bytes("body")),
        Row(testDescription: "separator ending exactly at the limit", stream: bytes("{ }") + nuls + bytes("x"),
            decision: .prelude(HTTPIntegrationPrelude()), body: bytes("x"), limit: 11),
        Row(testDescription: "separator one byte past the limit", stream: bytes("{  }") + nuls + bytes("x"),
            decision: .invalidPrelude(.tooLarge(limit: 11)), body: bytes("{  }") + nuls + bytes("x"), limit: 11),
        Row(testDescription: "no separator within the limit", stream: bytes("0123456789abcdef"),
            decision: .invalidPrelude(.tooLarge(limit: 16)), body: bytes("0123456789abcdef"), limit: 16),
        Row(testDescription: "stream shorter than the limit without a separator", stream: bytes("plain body"),
            decision: .invalidPrelude(.unterminated), body: bytes("plain body")),
    ]

    @Test("finds the first eight NULs however the stream is cut", arguments: rows)
    func splitAnywhere(_ row: Row) {
        for pieces in splits(of: row.stream) + [[row.stream], [], [[], row.stream, []]] where pieces.joined().elementsEqual(row.stream) {
            let (decision, body) = Self.scan(pieces, limit: row.limit)
            #expect(decision == [row.decision], "pieces: \(pieces.map(\.count))")
            #expect(body == row.body, "pieces: \(pieces.map(\.count))")
        }
    }

    @Test("Node's shape: prelude, then the eight NULs as their own chunk, then the body")
    func nodeChunks() {
        let prelude = bytes(#"{"statusCode":201,"headers":{"Content-Type":"text/event-stream"},"cookies":["a=1; Path=/"]}"#)
        var scanner = HTTPIntegrationPreludeScanner()
        #expect(scanner.feed(prelude).isEmpty)
        #expect(scanner.isScanning)
        let expected = HTTPIntegrationPrelude(statusCode: 201, headers: [HeaderField("Content-Type", "text/event-stream")], cookies: ["a=1; Path=/"])
        #expect(scanner.feed(Self.nuls) == [.prelude(expected)])
        #expect(!scanner.isScanning)
        #expect(scanner.feed(bytes("data: frame 1\n\n")) == [.body(bytes("data: frame 1\n\n"))])
        #expect(scanner.feed([]) == [])
        #expect(scanner.finish() == [])
        #expect(scanner.feed(bytes("late")) == [])
    }

    @Test("Swift's shape: prelude and NULs in one chunk, the rest of it is body at once")
    func swiftChunk() {
        var scanner = HTTPIntegrationPreludeScanner()
        #expect(scanner.feed(Self.swiftPrelude + Self.nuls + bytes("first")) == [Self.swiftDecision, .body(bytes("first"))])
        #expect(scanner.feed(bytes("second")) == [.body(bytes("second"))])
    }

    @Test("the default limit is API Gateway's 16 KiB, and giving up hands over every byte")
    func defaultLimit() {
        #expect(HTTPIntegrationPreludeScanner.defaultLimit == 16 * 1024)
        var scanner = HTTPIntegrationPreludeScanner()
        let big = [UInt8](repeating: UInt8(ascii: " "), count: 16 * 1024 - 1)
        #expect(scanner.feed(big).isEmpty)
        #expect(scanner.feed(bytes("xy")) == [.invalidPrelude(.tooLarge(limit: 16384)), .body(big + bytes("xy"))])
        #expect(scanner.feed(bytes("z")) == [.body(bytes("z"))])
    }
}
