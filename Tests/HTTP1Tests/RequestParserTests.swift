// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import HTTP1
import Testing

@Suite("RequestParser")
struct RequestParserTests {
    static let valid: [ParserCase] = [
        .init("simple GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", .ok(fields: fields(["Host": "a"]))),
        .init("target with query", "GET /x/y?z=1&w HTTP/1.1\r\nHost: a\r\n\r\n", .ok("GET", "/x/y?z=1&w")),
        .init("fragment in target is visible ASCII", "GET /p#f HTTP/1.1\r\nHost: a\r\n\r\n", .ok("GET", "/p#f")),
        .init("absolute-form target", "GET http://h:8080/x HTTP/1.1\r\nHost: h:8080\r\n\r\n", .ok("GET", "http://h:8080/x")),
        .init("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", .ok("OPTIONS", "*")),
        .init("registered extension method", "M-SEARCH / HTTP/1.1\r\nHost: a\r\n\r\n", .ok("M-SEARCH")),
        .init("one leading empty line", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .ok()),
        .init("four leading empty lines", "\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .ok()),
        .init(
            "fields keep order, case and duplicates",
            "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nx-a: 2\r\nCONTENT-type: text/plain\r\n\r\n",
            .ok(fields: fields(["Host": "a", "X-A": "1", "x-a": "2", "CONTENT-type": "text/plain"]))
        ),
        .init("empty value", "GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\n\r\n", .ok(fields: fields(["Host": "a", "X-Empty": ""]))),
        .init("OWS trimmed around value", "GET / HTTP/1.1\r\nHost: a\r\nX: \t a  b \t \r\n\r\n", .ok(fields: fields(["Host": "a", "X": "a  b"]))),
        .init("HTAB inside value kept", "GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n", .ok(fields: fields(["Host": "a", "X": "a\tb"]))),
        .init("no space after colon", "GET / HTTP/1.1\r\nHost:a\r\n\r\n", .ok(fields: fields(["Host": "a"]))),
        .init("obs-text in value", [UInt8](wire: "GET / HTTP/1.1\r\nHost: a\r\nX: ") + [0xC3, 0xA9] + [UInt8](wire: "\r\n\r\n"),
              .ok(fields: fields(["Host": "a", "X": "é"]))),
        .init("IPv6 Host", "GET / HTTP/1.1\r\nHost: [::1]:9001\r\n\r\n", .ok()),
        .init("HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n", .ok(version: .http1_0, keepAlive: false)),
        .init("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", .ok(version: .http1_0, keepAlive: true)),
        .init("HTTP/1.0 with Host", "GET / HTTP/1.0\r\nHost: a\r\n\r\n", .ok(version: .http1_0, keepAlive: false)),
        .init("HTTP/1.1 Connection: close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", .ok(keepAlive: false)),
        .init("close wins in a list", "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, CLOSE\r\n\r\n", .ok(keepAlive: false)),
        .init("close in a second Connection field", "GET / HTTP/1.1\r\nHost: a\r\nConnection: te\r\nConnection: close\r\n\r\n",
              .ok(keepAlive: false)),
        .init("close and keep-alive on HTTP/1.0", "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
              .ok(version: .http1_0, keepAlive: false)),
        .init("other Connection options keep alive", "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n\r\n", .ok()),
        .init("closed is not close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n", .ok()),
        .init("Expect: 100-continue", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
              .ok("POST", framing: .contentLength(3), expectsContinue: true)),
        .init("Expect is case-insensitive", "POST / HTTP/1.1\r\nHost: a\r\nexpect: 100-Continue\r\n\r\n", .ok("POST", expectsContinue: true)),
        .init("Expect ignored on HTTP/1.0", "POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
              .ok("POST", version: .http1_0, keepAlive: false)),
        .init("other Expect values", "GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", .ok()),
        .init("body bytes after the head are not consumed", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
              .ok("POST", framing: .contentLength(5), consumed: 47)),
        .init("empty input", "", .incomplete),
        .init("head without its final CRLF", "GET / HTTP/1.1\r\nHost: a\r\n", .incomplete),
        .init("request line only", "GET / HTTP/1.1\r\n", .incomplete),
    ]

    @Test("parses valid heads, whole and at every split", arguments: valid)
    func validHeads(_ row: ParserCase) { check(row) }

    static let framing: [ParserCase] = [
        .init("Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", .ok("POST", framing: .contentLength(5))),
        .init("Content-Length: 0 is no body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", .ok("POST")),
        .init("Content-Length: 00", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 00\r\n\r\n", .ok("POST")),
        .init("leading zeros", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 005\r\n\r\n", .ok("POST", framing: .contentLength(5))),
        // RFC 9110 §8.6 lets a recipient accept agreeing duplicates; we reject them, as AWS's http-desync-guardian
        // rates `1000,1000` severe and a repeated field ambiguous.
        .init("identical list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", .error(.ambiguousFraming)),
        .init("identical list without space", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,5\r\n\r\n", .error(.ambiguousFraming)),
        .init("identical repeated fields", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n",
              .error(.ambiguousFraming)),
        .init("Int.max", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n",
              .ok("POST", framing: .contentLength(Int.max))),
        .init("chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", .ok("POST", framing: .chunked)),
        .init("Chunked in any case", "POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: ChUnKeD\r\n\r\n", .ok("POST", framing: .chunked)),
        .init("chunked with trailing OWS", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked \t\r\n\r\n", .ok("POST", framing: .chunked)),
        .init("chunked after HTAB", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tchunked\r\n\r\n", .ok("POST", framing: .chunked)),
        .init("no framing fields", "POST / HTTP/1.1\r\nHost: a\r\n\r\n", .ok("POST")),
        .init("both Content-Length and Transfer-Encoding",
              "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n", .error(.ambiguousFraming)),
        .init("Transfer-Encoding then Content-Length",
              "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n", .error(.ambiguousFraming)),
        .init("unsupported coding and Content-Length",
              "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n", .error(.ambiguousFraming)),
        .init("differing list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n", .error(.ambiguousFraming)),
        .init("differing fields", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 10\r\n\r\n", .error(.ambiguousFraming)),
        .init("non-digit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", .error(.ambiguousFraming)),
        .init("plus sign", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", .error(.ambiguousFraming)),
        .init("negative", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .error(.ambiguousFraming)),
        .init("negative zero", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -0\r\n\r\n", .error(.ambiguousFraming)),
        .init("hex prefix", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n", .error(.ambiguousFraming)),
        .init("underscore", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1_0\r\n\r\n", .error(.ambiguousFraming)),
        .init("internal space", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 0\r\n\r\n", .error(.ambiguousFraming)),
        .init("empty Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", .error(.ambiguousFraming)),
        .init("trailing comma", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,\r\n\r\n", .error(.ambiguousFraming)),
        .init("overflow", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", .error(.ambiguousFraming)),
        .init("Int.max + 1", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n", .error(.ambiguousFraming)),
        // RFC 9112 §6.1: a coding we do not implement before a final chunked is 501.
        .init("gzip, chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .error(.unsupportedTransferEncoding)),
        .init("gzip field then chunked field", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
              .error(.unsupportedTransferEncoding)),
        // RFC 9112 §6.3: chunked not the final coding (or absent) leaves the length unknown: 400, then close.
        .init("chunked, gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .error(.ambiguousFraming)),
        .init("chunked field then gzip field", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
              .error(.ambiguousFraming)),
        .init("identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", .error(.ambiguousFraming)),
        .init("gzip alone", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", .error(.ambiguousFraming)),
        .init("xchunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", .error(.ambiguousFraming)),
        .init("chunkedx", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunkedx\r\n\r\n", .error(.ambiguousFraming)),
        .init("chunked with a parameter", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;x\r\n\r\n", .error(.ambiguousFraming)),
        .init("quoted chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", .error(.ambiguousFraming)),
        .init("chunked with an inner space", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chun ked\r\n\r\n", .error(.ambiguousFraming)),
        // RFC 9112 §7.1: chunked MUST NOT be applied more than once.
        .init("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .error(.malformed)),
        .init("chunked in two fields", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
              .error(.malformed)),
        .init("empty Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", .error(.malformed)),
        .init("leading comma", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked\r\n\r\n", .error(.malformed)),
        .init("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .error(.ambiguousFraming)),
        .init("vertical tab before chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \u{0B}chunked\r\n\r\n", .error(.malformed)),
        .init("NUL after chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\u{0}\r\n\r\n", .error(.malformed)),
        .init("Transfer_Encoding is another field", "POST / HTTP/1.1\r\nHost: a\r\nTransfer_Encoding: chunked\r\n\r\n", .ok("POST")),
    ]

    @Test("decides body framing, or rejects ambiguous framing with its exact status", arguments: framing)
    func bodyFraming(_ row: ParserCase) { check(row) }

    static let syntax: [ParserCase] = [
        .init("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: v\r\n continued\r\n\r\n", .error(.malformed)),
        .init("obs-fold with HTAB", "GET / HTTP/1.1\r\nHost: a\r\nX: v\r\n\tcontinued\r\n\r\n", .error(.malformed)),
        .init("whitespace line before fields", "GET / HTTP/1.1\r\n \r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("space before colon", "GET / HTTP/1.1\r\nHost: a\r\nX-Test : v\r\n\r\n", .error(.malformed)),
        .init("HTAB before colon", "GET / HTTP/1.1\r\nHost: a\r\nX-Test\t: v\r\n\r\n", .error(.malformed)),
        .init("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", .error(.malformed)),
        .init("no colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColonHere\r\n\r\n", .error(.malformed)),
        .init("non-token in name", "GET / HTTP/1.1\r\nHost: a\r\nBad[Name: v\r\n\r\n", .error(.malformed)),
        .init("non-ASCII in name", [UInt8](wire: "GET / HTTP/1.1\r\nHost: a\r\nX-T") + [0xC3, 0xA9] + [UInt8](wire: "st: v\r\n\r\n"),
              .error(.malformed)),
        .init("bare LF ends request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", .error(.malformed)),
        .init("bare LF ends a field", "GET / HTTP/1.1\r\nHost: a\nX: v\r\n\r\n", .error(.malformed)),
        .init("bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", .error(.malformed)),
        .init("bare LF instead of the first line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("bare CR ends request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", .error(.malformed)),
        .init("bare CR inside value", "GET / HTTP/1.1\r\nHost: a\r\nX: val\rue\r\n\r\n", .error(.malformed)),
        .init("bare CR in name", "GET / HTTP/1.1\r\nHost: a\r\nX\r: v\r\n\r\n", .error(.malformed)),
        .init("bare CR in leading empty lines", "\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("CR CR LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", .error(.malformed)),
        .init("NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: val\u{0}ue\r\n\r\n", .error(.malformed)),
        .init("BEL and BS in value", "GET / HTTP/1.1\r\nHost: a\r\nX: abc\u{07}\u{08}\r\n\r\n", .error(.malformed)),
        .init("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7F}\r\n\r\n", .error(.malformed)),
        .init("NUL in target", "GET /\u{0}x HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("DEL in target", "GET /\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("non-ASCII in target", [UInt8](wire: "GET /caf") + [0xC3, 0xA9] + [UInt8](wire: " HTTP/1.1\r\nHost: a\r\n\r\n"),
              .error(.malformed)),
        .init("HTAB in request line", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("two spaces after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("two spaces before version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("space after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("leading space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("non-token in method", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("missing target", "GET HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("method only", "GET\r\n\r\n", .error(.malformed)),
        .init("whitespace-only line", "   \r\n\r\n", .error(.malformed)),
        .init("five leading empty lines", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("GET *", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("options * (method is case-sensitive)", "options * HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("authority-form (CONNECT)", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", .error(.malformed)),
        .init("relative target", "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("scheme without //", "GET http:x HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("method longer than any registered one", String(repeating: "A", count: 33) + " / HTTP/1.1\r\nHost: a\r\n\r\n",
              .error(.malformed)),
        .init("endless method still arriving", String(repeating: "A", count: 200), .error(.malformed)),
        .init("TLS ClientHello", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03], .error(.malformed)),
        .init("no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", .error(.malformed)),
        .init("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .error(.malformed)),
        .init("two identical Host fields", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", .error(.malformed)),
        .init("two Host fields in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@a:8080\r\n\r\n", .error(.malformed)),
        .init("Host with path", "GET / HTTP/1.1\r\nHost: a:8080/path\r\n\r\n", .error(.malformed)),
        .init("Host list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", .error(.malformed)),
        .init("empty Host", "GET / HTTP/1.1\r\nHost: \r\n\r\n", .error(.malformed)),
    ]

    static let methods: [ParserCase] = [
        .init("DELETE", "DELETE / HTTP/1.1\r\nHost: a\r\n\r\n", .ok("DELETE")),
        .init("PATCH", "PATCH / HTTP/1.1\r\nHost: a\r\n\r\n", .ok("PATCH")),
        .init("HEAD", "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", .ok("HEAD")),
        .init("UNSUBSCRIBE", "UNSUBSCRIBE /x HTTP/1.1\r\nHost: a\r\n\r\n", .ok("UNSUBSCRIBE", "/x")),
        .init("QUERY", "QUERY / HTTP/1.1\r\nHost: a\r\n\r\n", .ok("QUERY")),
        // RFC 9110 §9.1: case-sensitive, and an unrecognized method SHOULD get 501 (llhttp rejects these bytes).
        .init("lowercase get", "get / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.unknownMethod)),
        .init("MKCOLA", "MKCOLA / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.unknownMethod)),
        .init("GETS (a registered method's prefix)", "GETS / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.unknownMethod)),
        .init("GE (a prefix of GET)", "GE / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.unknownMethod)),
        .init("RTSP's ANNOUNCE", "ANNOUNCE /music HTTP/1.0\r\nHost: a\r\n\r\n", .error(.unknownMethod)),
        .init("PRI outside the HTTP/2 preface", "PRI / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.unknownMethod)),
        .init("a 32-byte token", String(repeating: "X", count: 32) + " / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.unknownMethod)),
        .init("version is judged before the method", "FOO / HTTP/2.0\r\nHost: a\r\n\r\n", .error(.unsupportedVersion)),
        .init("target is judged before the method", "FOO * HTTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
    ]

    @Test("accepts registered methods only, case-sensitively; others are 501", arguments: methods)
    func requestMethods(_ row: ParserCase) { check(row) }

    @Test("rejects malformed syntax with 400", arguments: syntax)
    func malformedSyntax(_ row: ParserCase) { check(row) }

    static let versions: [ParserCase] = [
        // RFC 9112 §2.3: a higher minor version is processed as the highest one implemented.
        .init("HTTP/1.2 is read as HTTP/1.1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", .ok(version: .http1_1)),
        .init("HTTP/1.9 is read as HTTP/1.1, keep-alive by default", "GET / HTTP/1.9\r\nHost: a\r\n\r\n",
              .ok(version: .http1_1, keepAlive: true)),
        .init("HTTP/1.2 still needs Host", "GET / HTTP/1.2\r\n\r\n", .error(.malformed)),
        .init("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .error(.unsupportedVersion)),
        .init("HTTP/9.9", "GET / HTTP/9.9\r\nHost: a\r\n\r\n", .error(.unsupportedVersion)),
        .init("HTTP/0.9 in a version field", "GET / HTTP/0.9\r\n\r\n", .error(.unsupportedVersion)),
        .init("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .error(.unsupportedVersion)),
        // HTTP/0.9 has no version field; strict servers (and Http11Probe) answer 400, as we do.
        .init("HTTP/0.9 request without version", "GET /\r\n", .error(.malformed)),
        .init("lowercase http", "GET / http/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("missing minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("leading zeros", "GET / HTTP/01.01\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("space inside version", "GET / HTTP/ 1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
        .init("other protocol", "GET / FTP/1.1\r\nHost: a\r\n\r\n", .error(.malformed)),
    ]

    @Test("accepts only HTTP/1.0 and HTTP/1.1", arguments: versions)
    func httpVersions(_ row: ParserCase) { check(row) }

    static var small: HTTPLimits {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 20
        limits.maxHeadBytes = 64
        limits.maxHeaderCount = 3
        return limits
    }

    static let limitRows: [ParserCase] = [
        .init("request line of exactly the limit", "GET /234567 HTTP/1.1\r\nHost: a\r\n\r\n", .ok("GET", "/234567"), limits: small),
        .init("request line one byte over", "GET /2345678 HTTP/1.1\r\nHost: a\r\n\r\n", .error(.requestLineTooLong), limits: small),
        .init("long request line still arriving", "GET /23456789012345678901234567890", .error(.requestLineTooLong), limits: small),
        .init("long method still arriving", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", .error(.requestLineTooLong), limits: small),
        .init("head of exactly the limit", "GET / HTTP/1.1\r\nHost: a\r\nX: 01234567890123456789012345678901\r\n\r\n",
              .ok(), limits: small),
        .init("head one byte over", "GET / HTTP/1.1\r\nHost: a\r\nX: 012345678901234567890123456789012\r\n\r\n",
              .error(.headTooLarge), limits: small),
        .init("long head still arriving", "GET / HTTP/1.1\r\nHost: a\r\nX: 0123456789012345678901234567890123456789012345",
              .error(.headTooLarge), limits: small),
        .init("exactly the field count", "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", .ok(), limits: small),
        .init("one field too many", "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", .error(.headTooLarge), limits: small),
        .init("too many fields still arriving", "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC", .error(.headTooLarge), limits: small),
    ]

    @Test("enforces the size limits, also while the head is still arriving", arguments: limitRows)
    func sizeLimits(_ row: ParserCase) { check(row) }

    @Test("default limits: 8 KiB request line, 64 KiB head, 100 fields")
    func defaultLimits() {
        let parser = RequestParser()
        func parse(_ text: String) -> RequestParseResult {
            let bytes = [UInt8](wire: text)
            return bytes.withUnsafeBytes { parser.parse($0) }
        }
        let longTarget = "/" + String(repeating: "a", count: 8 * 1024 - 14)
        #expect(ErrorKind(parse("GET \(longTarget)a HTTP/1.1\r\nHost: a\r\n\r\n").error) == .requestLineTooLong)
        guard case .complete = parse("GET \(longTarget) HTTP/1.1\r\nHost: a\r\n\r\n") else {
            Issue.record("an 8 KiB request line must parse")
            return
        }
        let hundred = (0..<99).map { "X-\($0): v\r\n" }.joined()
        guard case .complete = parse("GET / HTTP/1.1\r\nHost: a\r\n\(hundred)\r\n") else {
            Issue.record("100 fields must parse")
            return
        }
        #expect(ErrorKind(parse("GET / HTTP/1.1\r\nHost: a\r\n\(hundred)Y: 1\r\n\r\n").error) == .headTooLarge)
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 64 * 1024)
        #expect(ErrorKind(parse(big).error) == .headTooLarge)
    }

    @Test("pipelined requests: each parse consumes exactly one head")
    func pipelined() throws {
        let first = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n"
        let second = "GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        var buffer = [UInt8](wire: first + "hi" + second)
        let result = parseEverySplit(buffer)
        guard case .complete(let head, let consumed) = result else {
            Issue.record("first head: \(result)")
            return
        }
        #expect(head.target == "/a")
        #expect(head.framing == .contentLength(2))
        #expect(consumed == first.utf8.count)
        buffer.removeFirst(consumed + 2)
        guard case .complete(let next, let nextConsumed) = parseEverySplit(buffer) else {
            Issue.record("second head")
            return
        }
        #expect(next.target == "/b")
        #expect(next.keepAlive == false)
        #expect(nextConsumed == second.utf8.count)
    }

    @Test("every byte value in a field value is either kept or rejected with 400")
    func byteSweepInValue() {
        for byte in UInt8.min...UInt8.max {
            let raw = [UInt8](wire: "GET / HTTP/1.1\r\nHost: a\r\nX: a") + [byte] + [UInt8](wire: "b\r\n\r\n")
            let result = raw.withUnsafeBytes { RequestParser().parse($0) }
            let allowed = byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
            switch result {
            case .complete(let head, _): #expect(allowed, "byte \(byte) accepted: \(head.headers["X"] ?? "")")
            case .invalid(let error): #expect(!allowed && ErrorKind(error) == .malformed, "byte \(byte)")
            case .incomplete: Issue.record("byte \(byte) left the head incomplete")
            }
        }
    }

    @Test("every byte value in a field name is a token byte or rejected with 400")
    func byteSweepInName() {
        let tokenBytes = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for byte in UInt8.min...UInt8.max where byte != 0x3A {
            let raw = [UInt8](wire: "GET / HTTP/1.1\r\nHost: a\r\nX") + [byte] + [UInt8](wire: ": v\r\n\r\n")
            let result = raw.withUnsafeBytes { RequestParser().parse($0) }
            if tokenBytes.contains(byte) {
                guard case .complete = result else { Issue.record("token byte \(byte): \(result)"); continue }
            } else {
                #expect(result.error.map(ErrorKind.init) == .malformed, "byte \(byte): \(result)")
            }
        }
    }

    @Test("path and query of the parsed target")
    func pathAndQuery() throws {
        let bytes = [UInt8](wire: "GET /2015-03-31/functions/function/invocations?q=1 HTTP/1.1\r\nHost: a\r\n\r\n")
        guard case .complete(let head, _) = bytes.withUnsafeBytes({ RequestParser().parse($0) }) else {
            Issue.record("did not parse")
            return
        }
        #expect(head.path == "/2015-03-31/functions/function/invocations")
        #expect(head.query == "q=1")
    }
}
