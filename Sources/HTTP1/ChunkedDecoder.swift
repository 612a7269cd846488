// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// One step of ``ChunkedDecoder/decode(_:)``.
package enum ChunkedDecodeStep: Sendable, Equatable {
    /// `bytes[range]` is body data. `consumed` bytes from the start of the input are used up
    /// (`consumed >= range.upperBound`, framing before the data included).
    case data(Range<Int>, consumed: Int)
    /// The input ran out in the middle of framing; `consumed` framing bytes are used up. Call again with more.
    case needMore(consumed: Int)
    /// The last chunk and the trailer section ended after `consumed` bytes; bytes after that belong to the
    /// next message.
    case end(trailers: HTTPHeaders, consumed: Int)
    case invalid(HTTPParseError)
}

/// An incremental decoder of a chunked body: feed it whatever bytes arrived, act on the step, drop the
/// consumed bytes, repeat. It never copies body data and never needs more than one chunk-size line or one
/// trailer section buffered.
///
/// How it holds state: chunk-size lines and the CRLF after data are consumed byte by byte into the
/// decoder's state, so they may be split anywhere. Trailer fields are consumed one whole line at a time:
/// while a trailer line is incomplete it reports `.needMore` without consuming that line, and the caller
/// keeps those bytes (bounded by `maxTrailerBytes`). Each call returns at most one `.data` step; after
/// `.end` it keeps answering `.end` with the same trailers and nothing consumed, after `.invalid` the same
/// error. The steps are the same whatever way the input is split.
package struct ChunkedDecoder: Sendable {
    package var limits: HTTPLimits
    private var state = State.sizeLine(ChunkSizeLine())
    private var trailers: [HTTPField] = []

    private enum State: Sendable {
        case sizeLine(ChunkSizeLine)
        case data(remaining: Int)
        case dataCR, dataLF
        /// Inside the trailer section, `used` bytes of it consumed.
        case trailers(used: Int)
        case done
        case failed(HTTPParseError)
    }

    package init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    package mutating func decode(_ bytes: UnsafeRawBufferPointer) -> ChunkedDecodeStep {
        let count = bytes.count
        var i = 0
        while true {
            switch state {
            case .sizeLine(var line):
                var step = ChunkSizeLine.Step.more
                while i < count, step == .more {
                    step = line.consume(bytes[i], maxLength: limits.maxChunkLineBytes)
                    i &+= 1
                }
                switch step {
                case .more:
                    state = .sizeLine(line)
                    return .needMore(consumed: i)
                case .done(let size):
                    state = size == 0 ? .trailers(used: 0) : .data(remaining: size)
                case .invalid(let reason):
                    return fail(.invalidChunk(reason))
                }
            case .data(let remaining):
                guard i < count else { return .needMore(consumed: i) }
                let take = min(remaining, count &- i)
                state = take == remaining ? .dataCR : .data(remaining: remaining &- take)
                return .data(i..<(i &+ take), consumed: i &+ take)
            case .dataCR, .dataLF:
                guard i < count else { return .needMore(consumed: i) }
                let expectsCR = if case .dataCR = state { true } else { false }
                guard bytes[i] == (expectsCR ? HTTPByte.cr : HTTPByte.lf) else {
                    return fail(.invalidChunk("missing CRLF after chunk data"))
                }
                i &+= 1
                state = expectsCR ? .dataLF : .sizeLine(ChunkSizeLine())
            case .trailers(let used):
                let budget = max(limits.maxTrailerBytes &- used, 0)
                let end = budget >= count &- i ? count : i &+ budget
                switch FieldLineScanner.scan(bytes, from: i, end: end) {
                case .field(let name, let value, let next):
                    trailers.append(HTTPField(name: bytes.string(name), value: bytes.string(value)))
                    state = .trailers(used: used &+ (next &- i))
                    i = next
                case .endOfSection(let next):
                    state = .done
                    return .end(trailers: HTTPHeaders(trailers), consumed: next)
                case .incomplete:
                    if count &- i >= budget { return fail(.invalidChunk("trailer section too large")) }
                    return .needMore(consumed: i)
                case .invalid(let reason):
                    return fail(.invalidChunk(reason))
                }
            case .done:
                return .end(trailers: HTTPHeaders(trailers), consumed: 0)
            case .failed(let error):
                return .invalid(error)
            }
        }
    }

    private mutating func fail(_ error: HTTPParseError) -> ChunkedDecodeStep {
        state = .failed(error)
        return .invalid(error)
    }
}
