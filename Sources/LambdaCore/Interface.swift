// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
//
// INTERFACE STUB for LambdaCore: the signatures the API layer builds against. The implementation work
// replaces these bodies (and splits this file into Invocation.swift, InvokeOutcome.swift, RuntimeAPIError.swift,
// RuntimeControl.swift, ResponseStream.swift, Rendezvous.swift, RendezvousState.swift) keeping every
// signature below.

/// One invoke, as the runtime sees it on `/next`.
package struct Invocation: Sendable, Equatable {
    package var id: String
    package var payload: [UInt8]
    /// Decoded `X-Amz-Client-Context`, passed on as `Lambda-Runtime-Client-Context`.
    package var clientContext: String?
    /// `X-Amzn-Trace-Id` of the invoke, passed on as `Lambda-Runtime-Trace-Id`.
    package var traceID: String?
    package var tenantID: String?
    /// The function timeout for this invoke, read from `AWS_LAMBDA_FUNCTION_TIMEOUT` when it arrived.
    package var timeoutSeconds: Int
    /// Epoch milliseconds of the deadline; set when the invocation becomes current (see `Rendezvous`).
    package var deadlineEpochMilliseconds: Int64 = 0

    package init(id: String, payload: [UInt8], clientContext: String? = nil, traceID: String? = nil,
                 tenantID: String? = nil, timeoutSeconds: Int) {
        self.id = id
        self.payload = payload
        self.clientContext = clientContext
        self.traceID = traceID
        self.tenantID = tenantID
        self.timeoutSeconds = timeoutSeconds
    }
}

/// One HTTP trailer field (LambdaCore has no HTTP types).
package struct TrailerField: Sendable, Equatable {
    package var name: String
    package var value: String
    package init(name: String, value: String) { self.name = name; self.value = value }
}

/// How an invoke ended, as the invoke API must answer it.
package enum InvokeOutcome: Sendable {
    /// `/response` completed with a buffered body.
    case response(body: [UInt8], contentType: String?)
    /// `/response` started streaming; the caller reads the stream until it ends.
    case streaming(ResponseStream, contentType: String?)
    /// `/error` was posted. `errorType` is the validated `Lambda-Runtime-Function-Error-Type`.
    case functionError(body: [UInt8], contentType: String?, errorType: String)
    /// The buffered response exceeded the limit (the runtime got 413).
    case responseTooLarge(bytes: Int)
    /// The deadline passed before an outcome.
    case timedOut(timeoutSeconds: Int)
    /// The runtime process ended during the invoke, after its first `/next`. `reason` is e.g. `exit status 1`.
    case runtimeExited(reason: String)
    /// The runtime failed before its first `/next`: it exited, or posted `/init/error` (then `body` is that body).
    case initFailed(body: [UInt8]?, contentType: String?)
}

/// Runtime API errors with AWS's exact types; the API layer renders status and JSON.
package enum RuntimeAPIError: Error, Sendable, Equatable {
    /// 400 `InvalidRequestID`, "Invalid request ID".
    case invalidRequestID
    /// 403 `InvalidStateTransition`, "State transition from <from> to <to> failed for runtime. Error: State transition is not allowed".
    case invalidStateTransition(from: String, to: String)
}

/// What the rendezvous asks of the outside world. Called outside any lock, never concurrently for one event.
package protocol RuntimeControl: Sendable {
    /// An invocation became current and no runtime is known to be alive: start one (lazily, as AWS does).
    func startRuntime()
    /// Kill the runtime (timeout or init error); report its end later through `Rendezvous.runtimeExited`.
    func stopRuntime(reason: String)
    /// The runtime's first `/next` arrived: init is done (for `INIT RTDONE` / `INIT REPORT`).
    func runtimeInitialized()
}

/// What the invoke side reads from a streaming response.
package enum StreamEvent: Sendable, Equatable {
    case chunk([UInt8])
    case end(trailers: [TrailerField])
    /// The runtime vanished or the invoke timed out mid-stream.
    case failed(reason: String)
}

package enum ResponseStreamError: Error, Sendable, Equatable {
    /// The invoke side stopped reading (its client went away, or the invoke was failed).
    case consumerGone
}

/// One streamed runtime response on its way to one invoke caller; at most one chunk in flight.
package final class ResponseStream: Sendable {
    /// Runtime side: hands `chunk` over and returns once the consumer took it (backpressure).
    package func send(_ chunk: [UInt8]) async throws(ResponseStreamError) { fatalError("stub") }
    /// Runtime side: the body ended (with trailers, possibly empty).
    package func finish(trailers: [TrailerField]) { fatalError("stub") }
    /// Runtime side: the body broke off.
    package func fail(reason: String) { fatalError("stub") }
    /// Invoke side: the next event; after `.end` or `.failed` it keeps returning that event.
    package func next() async -> StreamEvent { fatalError("stub") }
    /// Invoke side: the consumer is gone; pending and later `send`s throw `consumerGone`.
    package func cancel() { fatalError("stub") }
}

/// Pairs each invoke with the runtime's `/next` and with its `/response` or `/error`.
package final class Rendezvous: Sendable {
    package init(control: any RuntimeControl) { fatalError("stub") }

    // Invoke side
    /// Queues `invocation` FIFO and waits for its outcome.
    package func invoke(_ invocation: Invocation) async -> InvokeOutcome { fatalError("stub") }

    // Runtime side
    /// Long-polls for the next invocation (the runtime's `/next`). Throws `CancellationError` when cancelled.
    package func next() async throws -> Invocation { fatalError("stub") }
    /// Claims the right to answer `requestID` (`/response` when `isError` is false, else `/error`).
    package func beginResponse(requestID: String, isError: Bool) throws(RuntimeAPIError) { fatalError("stub") }
    package func completeResponse(requestID: String, body: [UInt8], contentType: String?) { fatalError("stub") }
    package func startStream(requestID: String, contentType: String?) -> ResponseStream { fatalError("stub") }
    package func completeError(requestID: String, body: [UInt8], contentType: String?, errorType: String) { fatalError("stub") }
    package func responseTooLarge(requestID: String, bytes: Int) { fatalError("stub") }
    /// Abandons a claimed response whose body never arrived whole (the runtime went away mid-body).
    package func abandonResponse(requestID: String) { fatalError("stub") }
    /// `/init/error`: valid before this runtime's first `/next` only.
    package func initError(body: [UInt8], contentType: String?) throws(RuntimeAPIError) { fatalError("stub") }

    // Lifecycle
    /// The runtime process ended; `reason` like `exit status 1`, `signal: killed`.
    package func runtimeExited(reason: String) { fatalError("stub") }
}
