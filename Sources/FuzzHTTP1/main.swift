// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

// libFuzzer target for the HTTP/1.1 codec; build and run it with Scripts/fuzz. Each input goes through the
// request parser and, separately, through the chunked decoder, and the invariants below must hold for
// any bytes: a violated one traps, and libFuzzer saves the input as a crash.

import CShims
import Glibc
import HTTP1

/// The parser: no trap; `consumed` within the input; the same answer for the consumed prefix; any
/// shorter prefix incomplete (or, for invalid input, incomplete or the same error).
func fuzzParser(_ bytes: UnsafeRawBufferPointer) {
    var limits = HTTPLimits()
    limits.maxRequestLineBytes = 512
    limits.maxHeadBytes = 2048
    limits.maxHeaderCount = 16
    let parser = RequestParser(limits: limits)
    let whole = parser.parse(bytes)
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % bytes.count
    let prefix = parser.parse(UnsafeRawBufferPointer(rebasing: bytes[..<cut]))
    switch whole {
    case .complete(let head, let consumed):
        precondition(consumed > 0 && consumed <= bytes.count, "consumed out of range")
        precondition(!head.method.isEmpty && !head.target.isEmpty, "empty method or target")
        precondition(head.version == .http1_0 || head.version == .http1_1, "bad version accepted")
        if case .contentLength(let length) = head.framing { precondition(length > 0, "contentLength(0)") }
        let exact = parser.parse(UnsafeRawBufferPointer(rebasing: bytes[..<consumed]))
        precondition(exact == whole, "the consumed prefix parses differently")
        precondition(prefix == (cut < consumed ? .incomplete : whole), "a prefix of a valid head is not incomplete")
    case .incomplete:
        precondition(prefix == .incomplete, "a prefix of an incomplete head is not incomplete")
    case .invalid:
        precondition(prefix == .incomplete || prefix == whole, "a prefix fails differently")
    }
}

/// The decoder, fed the input in two pieces split where the first byte says: data ranges within the
/// buffer, `consumed` within the buffer, never more than a trailer section buffered, and the same data,
/// trailers and error as when the input is fed whole.
func fuzzChunked(_ bytes: UnsafeRawBufferPointer) {
    var limits = HTTPLimits()
    limits.maxChunkLineBytes = 64
    limits.maxTrailerBytes = 256
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let whole = decodeChunked([bytes[...]], limits: limits)
    let twoPieces = decodeChunked([bytes[..<split], bytes[split...]], limits: limits)
    precondition(whole == twoPieces, "a split changed the decoded body")
}

struct Decoded: Equatable {
    var data: [UInt8] = []
    var trailers: HTTPHeaders?
    var rest = 0
    var error: HTTPParseError?
}

func decodeChunked(_ pieces: [Slice<UnsafeRawBufferPointer>], limits: HTTPLimits) -> Decoded {
    var decoder = ChunkedDecoder(limits: limits)
    var decoded = Decoded()
    var buffer: [UInt8] = []
    for (index, piece) in pieces.enumerated() {
        buffer.append(contentsOf: piece)
        while true {
            let step = buffer.withUnsafeBytes { decoder.decode($0) }
            switch step {
            case .data(let range, let consumed):
                precondition(!range.isEmpty && range.lowerBound >= 0, "empty or negative data range")
                precondition(range.upperBound <= consumed && consumed <= buffer.count, "data past the input")
                decoded.data.append(contentsOf: buffer[range])
                buffer.removeFirst(consumed)
                continue
            case .needMore(let consumed):
                precondition(consumed >= 0 && consumed <= buffer.count, "needMore consumed past the input")
                buffer.removeFirst(consumed)
                precondition(buffer.count <= limits.maxTrailerBytes, "buffered more than a trailer section")
            case .end(let trailers, let consumed):
                precondition(consumed >= 0 && consumed <= buffer.count, "end consumed past the input")
                decoded.trailers = trailers
                decoded.rest = buffer.count - consumed + pieces[(index + 1)...].reduce(0) { $0 + $1.count }
                return decoded
            case .invalid(let error):
                decoded.error = error
                return decoded
            }
            break
        }
    }
    return decoded
}

let fuzzOne: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    fuzzParser(bytes)
    fuzzChunked(bytes)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
