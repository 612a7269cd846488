// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import LambdaCore
import LambdaWire
import Logging
import SocketServer

/// The streaming data path of a Function URL: writes each chunk of a `ResponseStream` to the client, one `write`
/// (one `send`) per piece, after finding the http-integration prelude when the runtime announced one
/// (`HTTPIntegrationPreludeScanner`, which finds it however the runtime cut the bytes). The per-chunk part
/// (`take`) is the stream's sink: it runs on the runtime's task while `run` waits in `deliver(to:)`, which is
/// what lets it use the response writer, the scanner and `produced` (the stream calls it exclusively; see
/// `ResponseStream.Sink`). Owns the scanner and the byte count for one response.
///
/// Ends in one of three ways: the stream ended cleanly (the response is finished, `run` returns the body
/// bytes written); the function failed (an error trailer, a crash, a timeout, an invalid prelude: the
/// failure is logged as an error and thrown as `Failure`, and the caller answers 502 or cuts the response
/// short); or the client went away (the stream is cancelled and the socket error rethrown).
final class FunctionURLStreamRelay {
    /// The function failed; `produced` body bytes had been written.
    struct Failure: Error {
        var produced: Int
    }

    let stream: ResponseStream
    let response: ResponseWriter
    let contentType: String?
    let requestID: String
    let logger: Logger
    private let scansPrelude: Bool
    private var scanner = HTTPIntegrationPreludeScanner()
    private(set) var produced = 0

    init(
        stream: ResponseStream, response: ResponseWriter, scansPrelude: Bool, contentType: String?, requestID: String,
        logger: Logger
    ) {
        self.stream = stream
        self.response = response
        self.contentType = contentType
        self.requestID = requestID
        self.logger = logger
        self.scansPrelude = scansPrelude
        if !scansPrelude {
            response.writeHead(status: 200, headers: [LambdaHeader.contentType: contentType ?? "application/octet-stream"])
        }
    }

    /// Relays until the stream ends; returns the body bytes written.
    func run() async throws -> Int {
        let sink = ResponseStream.Sink { [self] bytes in try await take(bytes) }
        switch try await stream.deliver(to: sink) {
        case .end(let trailers):
            if scansPrelude { try await apply(scanner.finish()) }
            if let error = StreamErrorTrailers(trailers: trailers.map { HeaderField($0.name, $0.value) }) {
                throw fail("\(error.errorType): \(error.errorMessage)")
            }
            try await response.finish()
            return produced
        case .failed(let reason):
            throw fail(reason == Rendezvous.timeoutReason ? "Sandbox.Timedout" : reason)
        }
    }

    /// One chunk of the stream (the sink): throwing ends the stream as a cancel.
    private func take(_ bytes: [UInt8]) async throws {
        if scansPrelude {
            try await apply(scanner.feed(bytes))
        } else {
            try await write(bytes)
        }
    }

    private func apply(_ events: [HTTPIntegrationPreludeScanner.Event]) async throws {
        for event in events {
            switch event {
            case .prelude(let prelude):
                let (status, headers) = FunctionURLAnswer.head(for: prelude)
                response.writeHead(status: status, headers: headers)
            case .invalidPrelude(let error):
                throw fail("invalid http-integration prelude: \(error)")
            case .body(let bytes):
                try await write(bytes)
            }
        }
    }

    private func write(_ bytes: [UInt8]) async throws {
        try await response.write(bytes)
        produced += bytes.count
    }

    private func fail(_ reason: String) -> Failure {
        let cut = response.headSent ? "; the response to the client is cut short" : ""
        logger.error("Function URL stream failed error=\(reason) InvokeID=\(requestID)\(cut)")
        return Failure(produced: produced)
    }
}
