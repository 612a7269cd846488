// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// Response bytes: status line and headers, chunk framing, and the last chunk with trailers.
/// INTERFACE STUB: replaced by the codec work.
package enum ResponseSerializer {
    /// `HTTP/1.1 <status> <reason>\r\n` + each header `Name: value\r\n` + `\r\n`, appended to `buffer`.
    package static func appendHead(status: Int, headers: HTTPHeaders, version: HTTPVersion = .http1_1, to buffer: inout [UInt8]) {
        fatalError("not implemented yet")
    }
    /// `<hex size>\r\n<data>\r\n` appended to `buffer` (nothing for empty data: an empty chunk would end the body).
    package static func appendChunk(_ data: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        fatalError("not implemented yet")
    }
    /// `0\r\n` + trailers + `\r\n` appended to `buffer`.
    package static func appendLastChunk(trailers: HTTPHeaders, to buffer: inout [UInt8]) {
        fatalError("not implemented yet")
    }
    /// The reason phrase for a status code (`OK`, `Accepted`, `Not Found`, ...).
    package static func reasonPhrase(_ status: Int) -> String {
        fatalError("not implemented yet")
    }
}
