// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// One invoke, as the runtime sees it on `/next`.
///
/// A plain value: the invoke API builds it, `Rendezvous` stamps `deadlineEpochMilliseconds` when the invocation
/// becomes current, and the Runtime API renders it as headers plus body.
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

    package init(
        id: String, payload: [UInt8], clientContext: String? = nil, traceID: String? = nil,
        tenantID: String? = nil, timeoutSeconds: Int
    ) {
        self.id = id
        self.payload = payload
        self.clientContext = clientContext
        self.traceID = traceID
        self.tenantID = tenantID
        self.timeoutSeconds = timeoutSeconds
    }

    /// The timeout in milliseconds, clamped to `0...Int64.max` so that no environment value can trap.
    var timeoutMilliseconds: Int64 {
        let seconds = Int64(clamping: max(timeoutSeconds, 0))
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? Int64.max : product
    }
}
