// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// What the invoke side reads from a streaming response.
package enum StreamEvent: Sendable, Equatable {
    case chunk([UInt8])
    case end(trailers: [TrailerField])
    /// The runtime vanished, the invoke timed out (`reason` is `"timeout"`), or the consumer cancelled
    /// (`ResponseStream.cancelledReason`) mid-stream.
    case failed(reason: String)
}

/// One HTTP trailer field (LambdaCore has no HTTP types).
package struct TrailerField: Sendable, Equatable {
    package var name: String
    package var value: String
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Why `ResponseStream.send` did not hand its chunk over.
package enum ResponseStreamError: Error, Sendable, Equatable {
    /// The invoke side stopped reading (its client went away, or the invoke was failed).
    case consumerGone
}

/// How a stream ended: its terminal event, as `ResponseStream.deliver(to:)` returns it.
package enum StreamEnding: Sendable, Equatable {
    case end(trailers: [TrailerField])
    /// As `StreamEvent.failed`.
    case failed(reason: String)

    /// The same as the event `ResponseStream.next()` returns for ever after the end.
    package var event: StreamEvent {
        switch self {
        case .end(let trailers): .end(trailers: trailers)
        case .failed(let reason): .failed(reason: reason)
        }
    }
}
