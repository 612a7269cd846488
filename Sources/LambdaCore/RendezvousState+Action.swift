// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

extension RendezvousState {
    /// What `Rendezvous` must do after an event, outside its lock, in order.
    enum Action {
        /// Resume these `/next` tickets with the invocation.
        case deliver([Ticket], Invocation)
        /// Resume these `/next` tickets with `CancellationError` (their runtime is gone, or they were cancelled).
        case failNexts([Ticket])
        /// Resume this `/next` ticket with an AWS error (403).
        case rejectNext(Ticket, RuntimeAPIError)
        /// Resume this invoker with its outcome.
        case resumeInvoker(Ticket, InvokeOutcome)
        /// Start the timeout timer of this current invocation; when it fires, report `timerFired(ticket)`.
        case startTimer(Ticket, milliseconds: Int64)
        /// Cancel that timer (the invocation is no longer current).
        case cancelTimer(Ticket)
        /// End the stream for its consumer (`.failed(reason)`); its sends throw `consumerGone`.
        case failStream(ResponseStream, reason: String)
        /// Nobody reads this stream: its sends throw `consumerGone`.
        case cancelStream(ResponseStream)
        /// `RuntimeControl.startRuntime()`.
        case startRuntime
        /// `RuntimeControl.stopRuntime(reason:)`.
        case stopRuntime(reason: String)
        /// `RuntimeControl.runtimeInitialized()`.
        case runtimeInitialized
    }

    /// The outcome an `invoke` returns when its task was cancelled (nobody reads it).
    static let cancelledOutcome = InvokeOutcome.runtimeExited(reason: Rendezvous.invokeCancelledReason)
    /// The reason given when a claimed answer broke off before its body was whole.
    static let truncatedResponseReason = Rendezvous.truncatedResponseReason
    /// The `.failed` reason of a stream whose invocation timed out.
    static let timeoutReason = Rendezvous.timeoutReason
}

extension RendezvousState.Action: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.deliver(let a, let ai), .deliver(let b, let bi)): a == b && ai == bi
        case (.failNexts(let a), .failNexts(let b)): a == b
        case (.rejectNext(let a, let ae), .rejectNext(let b, let be)): a == b && ae == be
        case (.resumeInvoker(let a, let ao), .resumeInvoker(let b, let bo)): a == b && ao.isSame(as: bo)
        case (.startTimer(let a, let am), .startTimer(let b, let bm)): a == b && am == bm
        case (.cancelTimer(let a), .cancelTimer(let b)): a == b
        case (.failStream(let a, let ar), .failStream(let b, let br)): a === b && ar == br
        case (.cancelStream(let a), .cancelStream(let b)): a === b
        case (.startRuntime, .startRuntime), (.runtimeInitialized, .runtimeInitialized): true
        case (.stopRuntime(let a), .stopRuntime(let b)): a == b
        default: false
        }
    }
}
