// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Runtime API errors with AWS's exact types; the API layer renders status and JSON.
package enum RuntimeAPIError: Error, Sendable, Equatable {
    /// 400 `InvalidRequestID`, "Invalid request ID".
    case invalidRequestID
    /// 403 `InvalidStateTransition`, "State transition from <from> to <to> failed for runtime. Error: State transition is not allowed".
    /// `from` and `to` are AWS's runtime state names (`RuntimeStateName`).
    case invalidStateTransition(from: String, to: String)
}
