// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

// libFuzzer target for LambdaWire; build and run it with Scripts/fuzz. Each input goes through every
// codec, and the invariants below (and in FuzzEventStream.swift) must hold for any bytes: a violated one
// traps, and libFuzzer saves the input as a crash. Splits and limits are chosen from the input's first bytes.

import CShims
import Glibc
import LambdaWire

/// JSON: parse never traps; a parsed value serializes to JSON that parses back to the same value (with
/// and without HTML escaping), and serializing that again gives the same bytes.
func fuzzJSON(_ input: [UInt8]) {
    guard let value = try? JSONValue.parse(input) else { return }
    for escapingHTML in [false, true] {
        let text = value.serialized(escapingHTML: escapingHTML)
        guard let again = try? JSONValue.parse(text) else { preconditionFailure("serialized JSON does not parse") }
        precondition(again == value, "parse → serialize → parse changed the value")
        precondition(again.serialized(escapingHTML: escapingHTML) == text, "serialization is not stable")
    }
}

/// Prelude scanner: fed whole, in fixed-size pieces, or byte by byte, it makes the same decision and
/// yields the same body; the body is what follows the first eight NULs within the limit, or every byte.
func fuzzPrelude(_ input: [UInt8], limit: Int, pieceSize: Int) {
    let whole = scan([input], limit: limit)
    var pieces: [[UInt8]] = []
    var start = 0
    while start < input.count {
        pieces.append(Array(input[start..<min(start + pieceSize, input.count)]))
        start += pieceSize
    }
    precondition(scan(pieces, limit: limit) == whole, "a split changed the prelude scan")
    if input.count <= 256 {
        precondition(scan(input.map { [$0] }, limit: limit) == whole, "byte-by-byte changed the prelude scan")
    }

    var run = 0
    var separatorEnd: Int?
    for (index, byte) in input.prefix(limit).enumerated() {
        run = byte == 0 ? run + 1 : 0
        if run == 8 { separatorEnd = index + 1; break }
    }
    if let separatorEnd {
        precondition(whole.body == Array(input[separatorEnd...]), "the body is not what follows the separator")
    } else {
        precondition(whole.body == input, "giving up lost bytes")
    }
}

func scan(_ pieces: [[UInt8]], limit: Int) -> (decision: [HTTPIntegrationPreludeScanner.Event], body: [UInt8]) {
    var scanner = HTTPIntegrationPreludeScanner(limit: limit)
    var events: [HTTPIntegrationPreludeScanner.Event] = []
    for piece in pieces { events += scanner.feed(piece) }
    events += scanner.finish()
    var decision: [HTTPIntegrationPreludeScanner.Event] = []
    var body: [UInt8] = []
    for event in events {
        if case .body(let bytes) = event {
            precondition(!bytes.isEmpty && decision.count == 1, "empty body event, or body before the decision")
            body += bytes
        } else {
            decision.append(event)
        }
    }
    precondition(decision.count == 1, "not exactly one decision")
    return (decision, body)
}

/// The lenient readers never trap, and what they produce is well formed.
func fuzzReaders(_ input: [UInt8]) {
    _ = try? FunctionURLResponse(functionResult: input)
    precondition((try? JSONValue.parse(ErrorCauseFilter.filter(input))) != nil, "the filtered error body is not JSON")
    let text = String(decoding: input, as: UTF8.self)
    _ = StreamErrorTrailers(errorType: text, errorBody: text)
    precondition(Base64.decode(Base64.encode(input)) == input, "base64 does not round-trip")
    if let decoded = Base64.decode(input) {
        precondition(Base64.decode(Base64.encode(decoded)) == decoded, "base64 does not round-trip decoded bytes")
    }
    let request = FunctionURLRequest(
        method: "POST", rawPath: "/", rawQueryString: text, headers: [HeaderField("Cookie", text), HeaderField("Content-Type", text)],
        body: input, sourceIP: "127.0.0.1", requestID: "id", timeEpochMilliseconds: Int64(input.count), domainName: text)
    guard let event = try? JSONValue.parse(FunctionURLEvent.payload(for: request)) else { preconditionFailure("the event is not JSON") }
    let body: [UInt8]
    switch (event["body"], event["isBase64Encoded"]) {
    case (nil, .bool(false)): body = []
    case (.string(let text), .bool(true)):
        guard let decoded = Base64.decode(text) else { preconditionFailure("the event's base64 body does not decode") }
        body = decoded
    case (.string(let text), .bool(false)): body = Array(text.utf8)
    default: preconditionFailure("bad body/isBase64Encoded")
    }
    precondition(body == input, "the event's body is not the request's body")
}

let fuzzOne: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let first = Int(input.first ?? 0)
    let second = Int(input.dropFirst().first ?? 0)
    fuzzJSON(input)
    fuzzEventStream(input, cut: input.isEmpty ? 0 : first % (input.count + 1))
    fuzzPrelude(input, limit: 8 + second % 64, pieceSize: 1 + first % 16)
    fuzzReaders(input)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
