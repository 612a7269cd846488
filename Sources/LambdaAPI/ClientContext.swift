// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaWire

/// `X-Amz-Client-Context`, decoded as AWS's emulator decodes it: Go's `base64.StdEncoding`, which ignores CR and
/// LF but requires padding (LambdaWire's decoder also takes unpadded input, so that is checked here).
enum ClientContext {
    static func decode(_ header: String) -> String? {
        let text = Array(header.utf8.filter { $0 != 0x0A && $0 != 0x0D })
        guard text.count % 4 == 0, let bytes = Base64.decode(text) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
