// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// How an invoke ended, as the invoke API must answer it. `Rendezvous.invoke` returns exactly one.
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
    ///
    /// Also used, with `Rendezvous.truncatedResponseReason`, when the runtime broke off a claimed response
    /// (`abandonResponse`), and with `Rendezvous.invokeCancelledReason` as the value handed back to an
    /// `invoke` whose task was cancelled (nobody reads it).
    case runtimeExited(reason: String)
    /// The runtime failed before its first `/next`: it exited, or posted `/init/error` (then `body` is that body).
    case initFailed(body: [UInt8]?, contentType: String?)
}

extension InvokeOutcome {
    /// Structural equality, with streams compared by identity (for state-machine actions and tests).
    func isSame(as other: InvokeOutcome) -> Bool {
        switch (self, other) {
        case (.response(let a, let at), .response(let b, let bt)): a == b && at == bt
        case (.streaming(let a, let at), .streaming(let b, let bt)): a === b && at == bt
        case (.functionError(let a, let at, let ae), .functionError(let b, let bt, let be)):
            a == b && at == bt && ae == be
        case (.responseTooLarge(let a), .responseTooLarge(let b)): a == b
        case (.timedOut(let a), .timedOut(let b)): a == b
        case (.runtimeExited(let a), .runtimeExited(let b)): a == b
        case (.initFailed(let a, let at), .initFailed(let b, let bt)): a == b && at == bt
        default: false
        }
    }
}
