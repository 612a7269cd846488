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
/// trailer section buffered. INTERFACE STUB: replaced by the codec work.
package struct ChunkedDecoder: Sendable {
    package var limits: HTTPLimits
    package init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    package mutating func decode(_ bytes: UnsafeRawBufferPointer) -> ChunkedDecodeStep {
        fatalError("ChunkedDecoder.decode is not implemented yet")
    }
}
