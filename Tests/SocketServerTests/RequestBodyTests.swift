// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Testing

@testable import SocketServer

/// Request bodies as the handler sees them: pieces, framing, trailers, `100 Continue`, limits, failures.
@Suite(.timeLimit(.minutes(1)))
struct RequestBodyTests {
    /// Answers with a description of what the handler read: piece count, largest piece, bytes, trailers.
    static let echo = ClosureHandler { _, body, response in
        var bytes: [UInt8] = []
        var largest = 0
        while let piece = try await body.read() {
            largest = max(largest, piece.count)
            bytes.append(contentsOf: piece)
        }
        let trailers = body.trailers.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        let text = "len=\(bytes.count) largest=\(largest) trailers=[\(trailers)] body=\(String(decoding: bytes.prefix(64), as: UTF8.self))"
        try await response.respond(status: 200, headers: [:], body: Array(text.utf8))
    }

    @Test("a POST body with Content-Length reaches the handler")
    func contentLength() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 46\r\n\r\nlen=11 largest=11 trailers=[] body=hello world")
        }
    }

    @Test("a large body is read in pieces of at most bodyPieceBytes, never whole")
    func pieces() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            let body = String(repeating: "abcdefghij", count: 10_000)
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            let answer = try await client.readResponse()
            #expect(answer.contains("len=100000 largest=4096 "))
            #expect(answer.hasSuffix("body=" + String(body.prefix(64))))
        }
    }

    @Test("a chunked upload reaches the handler with its trailers, also when sent in small pieces")
    func chunkedWithTrailers() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            let request =
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 2\r\n\r\n"
            let expected = "HTTP/1.1 200 OK\r\nContent-Length: 69\r\n\r\nlen=11 largest=6 trailers=[X-Checksum=abc,X-Other=2] body=hello world"
            try await client.send(request)
            #expect(try await client.readResponse() == expected)
            // The same bytes three at a time, each its own send: framing split anywhere.
            let bytes = Array(request.utf8)
            for start in stride(from: 0, to: bytes.count, by: 3) {
                try await client.send(Array(bytes[start..<min(start + 3, bytes.count)]))
            }
            #expect(try await client.readResponse() == expected)
        }
    }

    @Test("a large chunk is handed out in pieces of at most bodyPieceBytes")
    func largeChunk() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            let data = String(repeating: "z", count: 20_000)
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4e20\r\n\(data)\r\n0\r\n\r\n")
            #expect(try await client.readResponse().contains("len=20000 largest=4096 "))
        }
    }

    @Test("Expect: 100-continue gets 100 Continue before the client sends the body")
    func expectContinue() async throws {
        try await withServer(handler: Self.echo) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            #expect(try await client.read(until: "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
            try await client.send("hello")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 38\r\n\r\nlen=5 largest=5 trailers=[] body=hello")
        }
    }

    @Test("without a read, no 100 Continue is sent and the connection closes after the response")
    func expectContinueUnread() async throws {
        let handler = ClosureHandler { _, _, response in
            try await response.respond(status: 404, headers: [:], body: [])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            #expect(try await client.readToEnd() == "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
    }

    @Test("collect(upTo:) past its limit makes the server answer 413 and close", arguments: [
        "Content-Length: 20\r\n\r\n01234567890123456789",
        "Transfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n01234567\r\n0\r\n\r\n",
    ])
    func bodyTooLarge(framing: String) async throws {
        let handler = ClosureHandler { _, body, response in
            let bytes = try await body.collect(upTo: 10)
            try await response.respond(status: 200, headers: [:], body: bytes)
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\n" + framing)
            #expect(
                try await client.readToEnd()
                    == "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 29\r\nConnection: close\r\n\r\n413 Request Entity Too Large\n")
        }
    }

    @Test("collect(upTo:) returns a body within its limit")
    func collectWithinLimit() async throws {
        let handler = ClosureHandler { _, body, response in
            try await response.respond(status: 200, headers: [:], body: try await body.collect(upTo: 10))
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n7\r\ndefghij\r\n0\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcdefghij")
        }
    }

    @Test(
        "a peer that disconnects mid-body makes read (and collect, which receives straight into its array) throw SocketError.disconnected",
        arguments: [false, true])
    func disconnectMidBody(collects: Bool) async throws {
        let errors = Recorder<String>()
        let done = Latch()
        let handler = ClosureHandler { _, body, response in
            defer { done.open() }
            do {
                if collects {
                    _ = try await body.collect(upTo: 1 << 20)
                } else {
                    while try await body.read() != nil {}
                }
                errors.record("no error")
            } catch {
                errors.record("\(error)")
                throw error
            }
            try await response.respond(status: 200, headers: [:], body: [])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a few bytes")
            client.shutdownWrite()
            await done.wait()
            #expect(errors.values == ["\(SocketError.disconnected)"])
            #expect(try await client.closesWithoutData(timeoutMilliseconds: 5_000))
        }
    }

    @Test("malformed chunking makes read throw HTTPParseError, answered with 400")
    func badChunk() async throws {
        let errors = Recorder<HTTPParseError>()
        let handler = ClosureHandler { _, body, response in
            do {
                while try await body.read() != nil {}
            } catch let error as HTTPParseError {
                errors.record(error)
                throw error
            }
            try await response.respond(status: 200, headers: [:], body: [])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
            #expect(try await client.readToEnd().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(errors.values.count == 1)
        }
    }

    @Test("an unread body is drained and the next pipelined request is served")
    func drain() async throws {
        let handler = ClosureHandler { head, _, response in
            try await response.respond(status: 200, headers: [:], body: Array(head.target.utf8))
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send(
                "POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n")
            for i in 1...3 {
                #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/\(i)")
            }
        }
    }

    // A body the handler never read is read and checked before its answer goes out (RequestBody.settleUnread).

    @Test("an unread body over the drain limit is refused with 413 instead of the handler's answer, and closed")
    func hugeUnreadBody() async throws {
        let handler = ClosureHandler { _, _, response in
            try await response.respond(status: 200, headers: [:], body: [])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nstart")
            let answer = try await client.readToEnd()
            #expect(answer.hasPrefix("HTTP/1.1 413 "), "\(answer)")
            #expect(answer.contains("Connection: close\r\n"))
        }
    }

    @Test("malformed chunking in a body the handler never read gets 400, not the handler's answer")
    func unreadMalformedBody() async throws {
        let handler = ClosureHandler { _, _, response in
            try await response.respond(status: 404, headers: [:], body: Array("not found".utf8))
        }
        try await withServer(handler: handler) { server in
            for body in ["5\r\nhello\r\nZZ\r\n", "FFFFFFFFFFFFFFFFF\r\n", "5\r\nhello0\r\n\r\n", "0\r\nX\r\n\r\n"] {
                let client = try await TestClient(port: server.port)
                defer { client.close() }
                try await client.send("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
                let answer = try await client.readToEnd()
                #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(body.debugDescription): \(answer)")
                #expect(!answer.contains("not found"))
            }
        }
    }

    @Test("a head recorded but left for the server to finish also waits for the unread body, and 400s a bad one")
    func recordedHeadWithUnreadBody() async throws {
        let handler = ClosureHandler { _, _, response in
            response.writeHead(status: 404, headers: [:])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            try await client.send("POST /y HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nX\r\n")
            #expect(try await client.readToEnd().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        }
    }

    @Test("the answer to an unread body waits for the body's end, then the connection serves the next request")
    func unreadBodyBeforeAnswer() async throws {
        let entered = Counter()
        let events = Recorder<String>()
        let handler = ClosureHandler { head, _, response in
            entered.increment()
            try await response.respond(status: 200, headers: [:], body: Array(head.target.utf8))
            events.record("answered \(head.target)")
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel")
            await entered.wait(for: 1)
            events.record("rest sent")
            try await client.send("lo" + "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/1")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/2")
            #expect(events.values.prefix(2) == ["rest sent", "answered /1"])
        }
    }

    @Test("an unread body that stops arriving closes the connection without an answer at the head-read timeout")
    func unreadBodyTimesOut() async throws {
        var configuration = ServerConfiguration()
        configuration.headReadTimeoutMilliseconds = 200
        let handler = ClosureHandler { _, _, response in
            try await response.respond(status: 404, headers: [:], body: [])
        }
        try await withServer(configuration, handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
            #expect(try await client.closesWithoutData(timeoutMilliseconds: 5_000))
        }
    }

    @Test("discard() checks the body before the handler acts: malformed is 400 and nothing happens; valid goes on")
    func discardBeforeActing() async throws {
        let acted = Recorder<String>()
        let handler = ClosureHandler { head, body, response in
            try await body.discard()
            acted.record(head.target)
            try await response.respond(status: 200, headers: [:], body: [])
        }
        try await withServer(handler: handler) { server in
            let bad = try await TestClient(port: server.port)
            defer { bad.close() }
            try await bad.send("GET /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nX\r\n")
            #expect(try await bad.readToEnd().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            let good = try await TestClient(port: server.port)
            defer { good.close() }
            try await good.send(
                "GET /good HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await good.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            #expect(try await good.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            #expect(acted.values == ["/good", "/next"])
        }
    }
}
