// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1

/// `X-Amz-Invocation-Type`, as real Lambda reads it: `RequestResponse` (the default) waits for the result,
/// `Event` is answered 202 at once and runs in the background, `DryRun` is answered 204 without running the
/// function. The values are case-sensitive; anything else is real Lambda's 400 `ValidationException`.
/// InvokeWithResponseStream accepts only `RequestResponse` and `DryRun`.
package enum InvocationType: String, Sendable, Equatable {
    case requestResponse = "RequestResponse"
    case event = "Event"
    case dryRun = "DryRun"

    /// The type the header asks for, or the 400 to answer. An absent header means `RequestResponse`.
    static func parse(_ header: String?, streamingAPI: Bool) -> Result<InvocationType, InvalidInvocationType> {
        guard let header else { return .success(.requestResponse) }
        let allowed: [InvocationType] = streamingAPI ? [.requestResponse, .dryRun] : [.dryRun, .requestResponse, .event]
        guard let type = InvocationType(rawValue: header), allowed.contains(type) else {
            return .failure(InvalidInvocationType(value: header, allowed: allowed))
        }
        return .success(type)
    }
}

/// A value of `X-Amz-Invocation-Type` that the route does not accept.
struct InvalidInvocationType: Error, Equatable {
    let value: String
    let allowed: [InvocationType]

    /// Real Lambda's answer: 400, `X-Amzn-ErrorType: ValidationException`, `{"message":"1 validation error …"}`.
    func response(requestID: String) -> CannedResponse {
        let set = allowed.map(\.rawValue).joined(separator: ", ")
        let message =
            "1 validation error detected: Value '\(value)' at 'invocationType' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [\(set)]"
        return CannedResponse(
            status: 400,
            headers: [
                LambdaHeader.contentType: "application/json", "X-Amzn-ErrorType": "ValidationException",
                LambdaHeader.amznRequestID: requestID,
            ],
            body: Array(JSONText.object(["message": message]).utf8))
    }
}
