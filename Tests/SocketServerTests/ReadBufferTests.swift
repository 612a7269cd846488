// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import SocketServer

/// The input buffer's bookkeeping, driven through a socket pair so that `receive` is the real one.
struct ReadBufferTests {
    @Test("received bytes are handed out as slices without copying, and the buffer rewinds when empty")
    func takeAndRewind() throws {
        let pair = try SocketPair()
        defer { pair.close() }
        var buffer = ReadBuffer(capacity: 512)
        try pair.write("hello world")
        #expect(room(&buffer, 512) == true)
        #expect(try received(&buffer, pair) == 11)
        let first = buffer.take(upTo: 5)
        let rest = buffer.take(upTo: 100)
        #expect(Array(first) == Array("hello".utf8))
        #expect(first.startIndex == 0)
        #expect(Array(rest) == Array(" world".utf8))
        #expect(buffer.isEmpty)
        #expect(room(&buffer, 512) == true)
        #expect(buffer.start == 0 && buffer.end == 0)
    }

    @Test("unread bytes move to the front when the tail is short, and the buffer grows only up to its limit")
    func compactAndGrow() throws {
        let pair = try SocketPair()
        defer { pair.close() }
        var buffer = ReadBuffer(capacity: 512)
        try pair.write(String(repeating: "a", count: 500) + "tail")
        #expect(room(&buffer, 512) == true)
        #expect(try received(&buffer, pair) == 504)
        buffer.consume(500)
        #expect(room(&buffer, 512) == true)  // compacts: "tail" moves to the front
        #expect(buffer.start == 0 && buffer.unreadCount == 4)
        #expect(buffer.withUnread { Array($0) } == Array("tail".utf8))
        try pair.write(String(repeating: "b", count: 600))
        #expect(try received(&buffer, pair) == 508)
        #expect(room(&buffer, 1024) == true)  // full: grows
        #expect(buffer.capacity == 1024)
        #expect(try received(&buffer, pair) == 92)
        #expect(buffer.withUnread { Array($0) } == Array(("tail" + String(repeating: "b", count: 600)).utf8))
        try pair.write(String(repeating: "c", count: 420))
        #expect(try received(&buffer, pair) == 420)
        #expect(room(&buffer, 1024) == false)  // at its limit and full of unread bytes
        buffer.consume(buffer.unreadCount)
        buffer.shrinkIfEmpty()
        #expect(buffer.capacity == 512)
    }

    private func room(_ buffer: inout ReadBuffer, _ max: Int) -> Bool { buffer.makeRoom(maxCapacity: max) }
    private func received(_ buffer: inout ReadBuffer, _ pair: SocketPair) throws -> Int { try buffer.receive(from: pair.a) }

    @Test("receive reports an empty socket as wouldBlock and a closed peer as disconnected")
    func receiveErrors() throws {
        let pair = try SocketPair()
        defer { pair.close() }
        var buffer = ReadBuffer(capacity: 512)
        #expect(throws: SocketError.wouldBlock) { try received(&buffer, pair) }
        pair.b.shutdown(1)  // SHUT_WR
        #expect(throws: SocketError.disconnected) { try received(&buffer, pair) }
    }
}
