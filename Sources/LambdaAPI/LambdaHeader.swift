// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Every header name the Lambda APIs read or write, spelled once.
package enum LambdaHeader {
    // Runtime API, on /next
    static let requestID = "Lambda-Runtime-Aws-Request-Id"
    static let deadline = "Lambda-Runtime-Deadline-Ms"
    static let functionARN = "Lambda-Runtime-Invoked-Function-Arn"
    static let traceID = "Lambda-Runtime-Trace-Id"
    static let clientContext = "Lambda-Runtime-Client-Context"
    static let tenantID = "Lambda-Runtime-Aws-Tenant-Id"
    // Runtime API, on /response and /error
    static let responseMode = "Lambda-Runtime-Function-Response-Mode"
    static let errorType = "Lambda-Runtime-Function-Error-Type"
    static let errorBody = "Lambda-Runtime-Function-Error-Body"
    // Invoke API
    static let invokeClientContext = "X-Amz-Client-Context"
    static let invokeTraceID = "X-Amzn-Trace-Id"
    static let invokeTenantID = "X-Amz-Tenant-Id"
    static let functionError = "X-Amz-Function-Error"
    static let amznRequestID = "X-Amzn-RequestId"
    static let executedVersion = "X-Amz-Executed-Version"
    static let logType = "X-Amz-Log-Type"
    static let logResult = "X-Amz-Log-Result"
    static let invocationType = "X-Amz-Invocation-Type"
    // HTTP
    static let contentType = "Content-Type"
}

/// AWS's payload limit for buffered requests and responses: 6 MiB + 100 bytes.
package let maxBufferedPayloadBytes = 6_291_556
