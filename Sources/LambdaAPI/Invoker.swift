// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import LambdaWire
import LambdaCore
import Logging
import Reactor
import SocketServer

/// Runs invocations for every front end (the invoke API, InvokeWithResponseStream, Function URLs): reads the
/// request body under the buffered limit, reads the function timeout, gives the invoke its X-Ray trace header,
/// prints `START`, leases an execution environment from the one `EnvironmentPool` (so all front ends share one
/// FIFO), waits for the outcome through that environment's `Rendezvous`, and hands back the `Finish` that logs
/// `INVOKE RTDONE`, prints `END` and `REPORT`, and gives the environment back.
package struct Invoker: Sendable {
    let pool: EnvironmentPool
    let report: InvocationReport
    /// Reads `AWS_LAMBDA_FUNCTION_TIMEOUT` (seconds) on every invoke, as AWS's emulator does.
    let timeoutSeconds: @Sendable () -> Int?
    let logger: Logger

    package init(
        pool: EnvironmentPool, report: InvocationReport, timeoutSeconds: @escaping @Sendable () -> Int?,
        logger: Logger
    ) {
        self.pool = pool
        self.report = report
        self.timeoutSeconds = timeoutSeconds
        self.logger = logger
    }

    /// Called once per invoke with the payload bytes produced and whether the function succeeded: logs
    /// `RTDONE` and prints `END` and `REPORT`.
    typealias Finish = (_ producedBytes: Int, _ succeeded: Bool) -> Void

    /// The whole request body, or nil as soon as it exceeds the 6 MiB + 100 byte limit (the caller answers 413;
    /// the server then closes rather than drain the rest).
    func readPayload(_ body: RequestBody) async throws -> [UInt8]? {
        if let length = body.declaredLength, length <= maxBufferedPayloadBytes {
            return try await body.collect(upTo: length)  // straight into the result, large receives
        }
        // Chunked, or declared too large: read up to the limit first, so the 413 reaches a client still sending.
        var payload: [UInt8] = []
        while let piece = try await body.read() {
            guard payload.count + piece.count <= maxBufferedPayloadBytes else { return nil }
            payload.append(contentsOf: piece)
        }
        return payload
    }

    /// The function timeout in seconds, or nil (logged) when `AWS_LAMBDA_FUNCTION_TIMEOUT` is not valid.
    func timeout() -> Int? {
        guard let seconds = timeoutSeconds() else {
            logger.error("AWS_LAMBDA_FUNCTION_TIMEOUT is not an integer number of seconds")
            return nil
        }
        return seconds
    }

    /// Prints `START`, waits for an environment and the outcome, and returns it with the invoke's `Finish` and,
    /// when `wantsTail`, a getter for its `LogResult` (base64 of the last 4 KiB of its execution log), set once
    /// `Finish` ran. The environment stays leased until `Finish` runs (or the `Finish` is dropped) and, when the
    /// runtime answered, until its INVOKE-subscribed extensions called `/event/next` again.
    func invoke(_ invocation: Invocation, wantsTail: Bool = false) async -> (InvokeOutcome, Finish, LogResult) {
        var invocation = invocation
        invocation.traceID = XRayTraceHeader.forInvoke(
            invocation.traceID, epochSeconds: WallClock.milliseconds() / 1000)
        let started = MonotonicInstant.now
        let startLine = report.start(requestID: invocation.id)
        let lease = try? await pool.acquire()
        let environment = lease?.environment
        if wantsTail { environment?.logTail.begin(invocation.id, startLine: startLine) }
        let outcome =
            await environment?.rendezvous.invoke(invocation)
            ?? .runtimeExited(reason: Rendezvous.invokeCancelledReason)
        let logResult = LogResult()
        // The runtime answered and goes on to its next /next: the environment is free once its INVOKE
        // subscribers are done too. Any other outcome resets the environment (or it never ran).
        let runtimeGoesOn: Bool
        switch outcome {
        case .response, .streaming, .functionError, .responseTooLarge: runtimeGoesOn = true
        case .timedOut, .runtimeExited, .initFailed: runtimeGoesOn = false
        }
        let finish: Finish = { [report, logger] produced, succeeded in
            // The runtime's output so far reaches stdout (and this invoke's log) before END.
            environment?.logTail.drainOutput()
            // As AWS's emulator: the reported duration never exceeds the timeout.
            let elapsed = min(
                MonotonicInstant.now.milliseconds(since: started), Double(invocation.timeoutSeconds) * 1000)
            let status = succeeded ? "success" : "error"
            logger.info(
                "INVOKE RTDONE(status: \(status), produced bytes: \(produced), duration: \(GoFormat.sixDecimals(elapsed))ms)")
            let endLines = report.end(
                requestID: invocation.id, durationMilliseconds: elapsed,
                initMilliseconds: environment?.initDurations.take())
            if wantsTail, let log = environment?.logTail.end(invocation.id, endLines: endLines) {
                logResult.base64 = Base64.encode(log)
            }
            lease?.release(afterExtensions: runtimeGoesOn)
        }
        return (outcome, finish, logResult)
    }

    /// An invoke's `LogResult`, filled in by its `Finish`; nil when the invoke did not ask for a tail.
    final class LogResult {
        var base64: String?
    }
}

/// Wall-clock time, for `Lambda-Runtime-Deadline-Ms` and `requestContext.timeEpoch`.
package enum WallClock {
    /// Milliseconds since the Unix epoch.
    @Sendable package static func milliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
