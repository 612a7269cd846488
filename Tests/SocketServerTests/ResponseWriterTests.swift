// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Testing

@testable import SocketServer

/// Responses on the wire: framing chosen by the writer, one flush per write, trailers, misuse, dead peers.
@Suite(.timeLimit(.minutes(1)))
struct ResponseWriterTests {
    @Test("each write arrives as its own chunk before the handler issues the next one")
    func streamingFlushesEachWrite() async throws {
        let (acks, ack) = AsyncStream<Void>.makeStream()
        let handler = ClosureHandler { _, _, response in
            var iterator = acks.makeAsyncIterator()
            response.writeHead(status: 200, headers: ["Content-Type": "text/plain"])
            for n in 1...5 {
                try await response.write(Array("chunk\(n)".utf8))
                // The next write waits for the client to have read this one: had the writer buffered it,
                // the client's read below would time out.
                _ = await iterator.next()
            }
            try await response.finish()
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(
                try await client.read(until: "\r\n\r\n")
                    == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
            for n in 1...5 {
                #expect(try await client.read(until: "chunk\(n)\r\n", timeoutMilliseconds: 5_000) == "6\r\nchunk\(n)\r\n")
                ack.yield()
            }
            #expect(try await client.read(until: "\r\n\r\n") == "0\r\n\r\n")
        }
    }

    @Test(
        "a body on either side of the copy limit arrives exact behind its head, then the next response",
        arguments: [ResponseWriter.copiedBodyLimit, ResponseWriter.copiedBodyLimit + 1, 2 << 20])
    func largeBodies(size: Int) async throws {
        let text = String(String(repeating: "abcdefghijklmnopqrstuvwxyz01234\n", count: size / 32 + 1).prefix(size))
        let body = Array(text.utf8)  // built by copying: cheap even in a debug build
        let handler = ClosureHandler { head, _, response in
            try await response.respond(status: 200, headers: [:], body: head.target == "/big" ? body : Array("ok".utf8))
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /small HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = "HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n"
            #expect(try await client.read(until: "\r\n\r\n") == head)
            let received = try await client.read(count: size, timeoutMilliseconds: 20_000)
            #expect(received == text)
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        }
    }

    @Test("finish sends the last chunk with the trailers; empty writes send nothing")
    func trailersAndEmptyWrites() async throws {
        let handler = ClosureHandler { _, _, response in
            response.writeHead(status: 200, headers: [:])
            try await response.write([UInt8]())
            try await response.write(Array("abc".utf8))
            try await response.write([UInt8]())
            try await response.finish(trailers: ["Lambda-Runtime-Function-Error-Type": "Boom"])
            try await response.finish()  // a second finish does nothing
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let expected =
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nLambda-Runtime-Function-Error-Type: Boom\r\n\r\n"
            #expect(try await client.readResponse() == expected)
            #expect(try await client.readResponse() == expected)
        }
    }

    @Test("finish with trailers and no data sends only the last chunk")
    func trailersOnly() async throws {
        let handler = ClosureHandler { _, _, response in
            response.writeHead(status: 200, headers: [:])
            try await response.finish(trailers: ["X-T": "1"])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n\r\n")
        }
    }

    @Test("a head with Content-Length streams raw bytes, and the connection stays usable")
    func contentLengthStream() async throws {
        let handler = ClosureHandler { _, _, response in
            response.writeHead(status: 200, headers: ["Content-Length": "6"])
            try await response.write(Array("abc".utf8))
            let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 3, alignment: 1)
            defer { raw.deallocate() }
            raw.copyBytes(from: "def".utf8)
            try await response.write(UnsafeRawBufferPointer(raw))
            try await response.finish()
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            for _ in 0..<2 {
                try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef")
            }
        }
    }

    @Test("writing past Content-Length throws and the connection closes")
    func contentLengthExceeded() async throws {
        let errors = Recorder<ResponseWriterError>()
        let handler = ClosureHandler { _, _, response in
            response.writeHead(status: 200, headers: ["Content-Length": "2"])
            do {
                try await response.write(Array("abc".utf8))
            } catch let error as ResponseWriterError {
                errors.record(error)
                throw error
            }
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await client.readToEnd()
            #expect(errors.values == [.contentLengthExceeded])
        }
    }

    @Test("finishing short of Content-Length throws, and the connection closes")
    func contentLengthShort() async throws {
        let errors = Recorder<ResponseWriterError>()
        let handler = ClosureHandler { _, _, response in
            response.writeHead(status: 200, headers: ["Content-Length": "5"])
            try await response.write(Array("ab".utf8))
            do {
                try await response.finish()
            } catch let error as ResponseWriterError {
                errors.record(error)
            }
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readToEnd() == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab")
            #expect(errors.values == [.contentLengthShort])
        }
    }

    @Test("respond after the head was sent throws headAlreadySent")
    func respondTwice() async throws {
        let errors = Recorder<ResponseWriterError>()
        let handler = ClosureHandler { _, _, response in
            try await response.respond(status: 200, headers: [:], body: Array("one".utf8))
            #expect(response.headSent)
            do {
                try await response.respond(status: 200, headers: [:], body: Array("two".utf8))
            } catch let error as ResponseWriterError {
                errors.record(error)
            }
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none")
            #expect(errors.values == [.headAlreadySent])
        }
    }

    @Test("a handler's Connection: close is honoured")
    func handlerCloses() async throws {
        let handler = ClosureHandler { _, _, response in
            try await response.respond(status: 200, headers: ["Connection": "Close"], body: [])
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readToEnd() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
    }

    @Test("a 204 carries neither Content-Length nor a body")
    func noContent() async throws {
        let handler = ClosureHandler { _, _, response in
            try await response.respond(status: 204, headers: ["Content-Length": "3"], body: Array("abc".utf8))
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.read(until: "\r\n\r\n") == "HTTP/1.1 204 No Content\r\n\r\n")
            #expect(try await client.read(until: "\r\n\r\n") == "HTTP/1.1 204 No Content\r\n\r\n")
        }
    }

    @Test("writing to a client that went away throws SocketError.disconnected instead of crashing or hanging")
    func peerGone() async throws {
        let clientGone = Latch()
        let outcome = Recorder<String>()
        let done = Latch()
        let handler = ClosureHandler { _, _, response in
            defer { done.open() }
            response.writeHead(status: 200, headers: [:])
            try await response.write(Array("first".utf8))
            await clientGone.wait()
            let piece = [UInt8](repeating: 0x61, count: 1024)
            do {
                for _ in 0..<100_000 { try await response.write(piece) }
                outcome.record("no error")
            } catch {
                outcome.record("\(error)")
                throw error
            }
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await client.read(until: "first\r\n")
            client.close()
            clientGone.open()
            await done.wait()
            #expect(outcome.values == ["\(SocketError.disconnected)"])
        }
    }
}
