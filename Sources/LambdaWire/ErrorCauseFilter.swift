// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// What AWS's emulator does to an `/invocation/{id}/error` body sent with the content type
/// `application/vnd.aws.lambda.error.cause+json` (`rapi/handler/mime_type_error_cause_json.go`): it
/// decodes the body into `{errorMessage, errorType, stackTrace, errorCause}` with Go's `json.Unmarshal`
/// and answers `json.Marshal({errorMessage, errorType, stackTrace omitempty})`; a body that fails to
/// decode becomes the JSON string `"Invalid error body"`.
///
/// Go's decoding rules, reproduced: keys match case-insensitively (and the last match wins); unknown
/// keys are ignored; `null` leaves a field empty; the top level may be an object or `null`; a field of
/// the wrong type (a number for `errorMessage`, a string for `stackTrace`, a non-string element) fails
/// the whole body. The output is compact and HTML-escaped, keys in the order `errorMessage`, `errorType`,
/// `stackTrace` (omitted when empty or null). Differences from Go: invalid UTF-8 fails here where Go
/// substitutes U+FFFD, and nesting deeper than `JSONValue.defaultMaxDepth` fails here (Go allows 10000).
package enum ErrorCauseFilter {
    package static let contentType = "application/vnd.aws.lambda.error.cause+json"
    /// `json.Marshal("Invalid error body")`.
    package static let invalidBody: [UInt8] = Array("\"Invalid error body\"".utf8)

    /// The filtered body.
    package static func filter(_ body: [UInt8]) -> [UInt8] {
        guard let value = try? JSONValue.parse(body) else { return invalidBody }
        var errorMessage = ""
        var errorType = ""
        var stackTrace: [String] = []
        switch value {
        case .null:
            break
        case .object(let members):
            for member in members {
                switch fieldName(member.key) {
                case "errormessage":
                    guard let text = stringField(member.value, current: errorMessage) else { return invalidBody }
                    errorMessage = text
                case "errortype":
                    guard let text = stringField(member.value, current: errorType) else { return invalidBody }
                    errorType = text
                case "stacktrace":
                    guard let lines = stringArray(member.value) else { return invalidBody }
                    stackTrace = lines
                default:
                    continue
                }
            }
        default:
            return invalidBody
        }
        var members: [JSONMember] = [JSONMember("errorMessage", .string(errorMessage)), JSONMember("errorType", .string(errorType))]
        if !stackTrace.isEmpty { members.append(JSONMember("stackTrace", .array(stackTrace.map(JSONValue.string)))) }
        return JSONValue.object(members).serialized(escapingHTML: true)
    }

    /// A string field: the new text, the current one for `null`, nil for any other type.
    private static func stringField(_ value: JSONValue, current: String) -> String? {
        switch value {
        case .string(let text): text
        case .null: current
        default: nil
        }
    }

    /// A `[]string` field: nil for a type error; `null` empties it; `null` elements are empty strings.
    private static func stringArray(_ value: JSONValue) -> [String]? {
        switch value {
        case .null:
            return []
        case .array(let elements):
            var lines: [String] = []
            for element in elements {
                switch element {
                case .string(let text): lines.append(text)
                case .null: lines.append("")
                default: return nil
                }
            }
            return lines
        default:
            return nil
        }
    }

    /// The key folded as Go's `encoding/json` matches field names: ASCII case-insensitively, with the
    /// Kelvin sign (U+212A) as `k` and the long s (U+017F) as `s`.
    private static func fieldName(_ key: String) -> String {
        var folded = ""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\u{212A}": folded.append("k")
            case "\u{017F}": folded.append("s")
            case "A"..."Z": folded.append(Character(Unicode.Scalar(scalar.value | 0x20) ?? scalar))
            default: folded.unicodeScalars.append(scalar)
            }
        }
        return folded
    }
}
