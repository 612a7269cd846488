// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import HTTP1
import Testing

// The split-point harnesses (picohttpparser's "at once and per byte" tests, generalised to every split)
// and the table row types the parser and decoder tests share.

/// One row of a parser table: wire text, what the parser must make of it, and the limits to use.
struct ParserCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: [UInt8]
    var want: Want
    var limits = HTTPLimits()
    var testDescription: String { name }

    init(_ name: String, _ raw: String, _ want: Want, limits: HTTPLimits = HTTPLimits()) {
        self.init(name, [UInt8](wire: raw), want, limits: limits)
    }

    init(_ name: String, _ raw: [UInt8], _ want: Want, limits: HTTPLimits = HTTPLimits()) {
        self.name = name
        self.raw = raw
        self.want = want
        self.limits = limits
    }

    enum Want: Sendable {
        case head(HeadWant)
        case error(ErrorKind)
        case incomplete
    }

    struct HeadWant: Sendable {
        var method = "GET"
        var target = "/"
        var version = HTTPVersion.http1_1
        var framing = BodyFraming.none
        var keepAlive = true
        var expectsContinue = false
        /// Checked when set.
        var fields: [HTTPField]?
        /// The whole input when nil.
        var consumed: Int?
    }
}

extension ParserCase.Want {
    static func ok(
        _ method: String = "GET", _ target: String = "/", version: HTTPVersion = .http1_1, framing: BodyFraming = .none,
        keepAlive: Bool = true, expectsContinue: Bool = false, fields: [HTTPField]? = nil, consumed: Int? = nil
    ) -> Self {
        .head(.init(method: method, target: target, version: version, framing: framing, keepAlive: keepAlive,
                    expectsContinue: expectsContinue, fields: fields, consumed: consumed))
    }
}

/// Parses `input` whole and then every prefix of it (the growing buffer of a connection, byte by byte and
/// split at every index), each placed right before a guard page. Prefixes of a valid head must be
/// `.incomplete`; prefixes of an invalid one `.incomplete` or, from some length on, the very same error.
/// Returns the whole result.
func parseEverySplit(_ input: [UInt8], limits: HTTPLimits = HTTPLimits()) -> RequestParseResult {
    let parser = RequestParser(limits: limits)
    let memory = GuardedMemory(capacity: input.count)
    let whole = memory.withBytesAtEnd(input[...]) { parser.parse($0) }
    var failedAt: Int?
    for length in 0..<input.count {
        let result = memory.withBytesAtEnd(input[..<length]) { parser.parse($0) }
        switch whole {
        case .complete(_, let consumed):
            #expect(result == (length < consumed ? .incomplete : whole), "prefix of \(length) bytes")
        case .incomplete:
            #expect(result == .incomplete, "prefix of \(length) bytes")
        case .invalid:
            if result == .incomplete {
                #expect(failedAt == nil, "prefix of \(length) bytes is incomplete after \(failedAt ?? 0) failed")
            } else {
                #expect(result == whole, "prefix of \(length) bytes")
                failedAt = failedAt ?? length
            }
        }
    }
    return whole
}

/// Runs one table row through ``parseEverySplit(_:limits:)`` and checks the whole result.
func check(_ row: ParserCase) {
    let result = parseEverySplit(row.raw, limits: row.limits)
    switch (row.want, result) {
    case (.incomplete, .incomplete):
        break
    case (.error(let kind), .invalid(let error)):
        #expect(ErrorKind(error) == kind, "\(error)")
        #expect(error.status == kind.status)
    case (.head(let want), .complete(let head, let consumed)):
        #expect(head.method == want.method)
        #expect(head.target == want.target)
        #expect(head.version == want.version)
        #expect(head.framing == want.framing)
        #expect(head.keepAlive == want.keepAlive)
        #expect(head.expectsContinue == want.expectsContinue)
        if let fields = want.fields { #expect(head.headers.fields == fields) }
        #expect(consumed == want.consumed ?? row.raw.count)
    default:
        Issue.record("want \(row.want), got \(result)")
    }
}

/// A field list from `name: value` pairs.
func fields(_ pairs: KeyValuePairs<String, String>) -> [HTTPField] {
    pairs.map { HTTPField(name: $0.key, value: $0.value) }
}

extension RequestParseResult {
    /// The error of an `.invalid` result.
    var error: HTTPParseError? {
        if case .invalid(let error) = self { error } else { nil }
    }
}

extension ErrorKind {
    init?(_ error: HTTPParseError?) {
        guard let error else { return nil }
        self.init(error)
    }
}

/// What a whole chunked body decoded to: its data, its trailers (once ended), the bytes after its end,
/// or the error.
struct DecodeOutcome: Equatable, CustomStringConvertible {
    var data: [UInt8] = []
    var trailers: HTTPHeaders?
    var rest: [UInt8] = []
    var error: HTTPParseError?

    var description: String {
        "data \(String(decoding: data, as: UTF8.self).debugDescription), trailers \(trailers.map { "\($0.fields)" } ?? "none"), "
            + "rest \(rest.count) bytes, error \(error.map { "\($0)" } ?? "none")"
    }
}

/// Feeds `pieces` to a fresh decoder the way a connection does: append the piece to a buffer, decode
/// until it needs more, drop the consumed bytes. Checks the step invariants on every step.
func decode(_ pieces: [ArraySlice<UInt8>], limits: HTTPLimits = HTTPLimits()) -> DecodeOutcome {
    var decoder = ChunkedDecoder(limits: limits)
    var outcome = DecodeOutcome()
    var buffer: [UInt8] = []
    for (index, piece) in pieces.enumerated() {
        buffer += piece
        feeding: while true {
            let step = buffer.withUnsafeBytes { decoder.decode($0) }
            switch step {
            case .data(let range, let consumed):
                #expect(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= consumed && consumed <= buffer.count)
                outcome.data += buffer[range.clamped(to: 0..<buffer.count)]
                buffer.removeFirst(min(max(consumed, 0), buffer.count))
            case .needMore(let consumed):
                #expect(consumed >= 0 && consumed <= buffer.count)
                buffer.removeFirst(min(max(consumed, 0), buffer.count))
                #expect(buffer.count <= max(limits.maxTrailerBytes, 0), "buffered more than a trailer section")
                break feeding
            case .end(let trailers, let consumed):
                #expect(consumed >= 0 && consumed <= buffer.count)
                outcome.trailers = trailers
                outcome.rest = Array(buffer.dropFirst(consumed)) + pieces[(index + 1)...].joined()
                let again = buffer.withUnsafeBytes { decoder.decode($0) }
                #expect(again == .end(trailers: trailers, consumed: 0), "the decoder must stay ended")
                return outcome
            case .invalid(let error):
                outcome.error = error
                #expect(buffer.withUnsafeBytes { decoder.decode($0) } == .invalid(error), "the decoder must stay failed")
                return outcome
            }
        }
    }
    return outcome
}

/// Decodes `input` whole, split in two at every index, and byte by byte; every way must give the same
/// outcome, which is returned.
func decodeEverySplit(_ input: [UInt8], limits: HTTPLimits = HTTPLimits()) -> DecodeOutcome {
    let whole = decode([input[...]], limits: limits)
    for split in 0...input.count {
        let outcome = decode([input[..<split], input[split...]], limits: limits)
        #expect(outcome == whole, "split at \(split)")
    }
    #expect(decode(input.indices.map { input[$0...$0] }, limits: limits) == whole, "byte by byte")
    return whole
}

/// One row of a decoder table.
struct ChunkedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: [UInt8]
    var want: Want
    var limits = HTTPLimits()
    var testDescription: String { name }

    enum Want: Sendable {
        /// Ended with this data and these trailers, `rest` bytes left after the end.
        case body(String, trailers: [HTTPField] = [], rest: String = "")
        /// Still waiting for more after this data.
        case unfinished(String)
        case error(ErrorKind)
    }

    init(_ name: String, _ raw: String, _ want: Want, limits: HTTPLimits = HTTPLimits()) {
        self.name = name
        self.raw = [UInt8](wire: raw)
        self.want = want
        self.limits = limits
    }
}
