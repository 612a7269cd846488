// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaWire

/// JSON text exactly as Go's `json.Encoder` writes it (HTML escaping on), so error bodies match AWS's emulator
/// byte for byte. A thin layer over LambdaWire's serializer.
enum JSONText {
    /// `"…"` with `"`, `\`, control characters, `<`, `>`, `&`, U+2028 and U+2029 escaped.
    static func quoted(_ string: String) -> String {
        var buffer: [UInt8] = []
        JSONValue.appendString(string, to: &buffer, escapingHTML: true)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// `{"k1":"v1","k2":"v2"}` with keys in the given order.
    static func object(_ pairs: KeyValuePairs<String, String>) -> String {
        JSONValue.object(pairs.map { JSONMember($0.key, .string($0.value)) }).jsonText(escapingHTML: true)
    }
}
