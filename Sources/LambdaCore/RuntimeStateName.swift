// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// AWS's runtime state names, verbatim from the `Runtime*StateName` constants of the Go emulator's
/// `internal/lambda/core` package, as they appear in `InvalidStateTransition` messages
/// ("State transition from <from> to <to> failed ...").
package enum RuntimeStateName {
    /// Started, not yet called `/next` (only `/init/error` and `/next` are allowed).
    package static let started = "Started"
    /// Posted `/init/error`.
    package static let initError = "InitError"
    /// Called `/next` and waits for an invocation.
    package static let ready = "Ready"
    /// Holds an invocation it has not answered yet.
    package static let running = "Running"
    /// Is posting `/response` (its body is on the way).
    package static let invocationResponse = "InvocationResponse"
    /// Is posting `/error`.
    package static let invocationErrorResponse = "InvocationErrorResponse"
    /// Has answered; the next `/next` releases the invocation. (AWS really names it like this.)
    package static let responseSent = "RuntimeResponseSentState"
}
