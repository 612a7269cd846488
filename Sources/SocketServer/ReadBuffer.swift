// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// A connection's input bytes: one array, reused for every head and body read on the connection.
///
/// `storage[start..<end]` holds the bytes received but not yet consumed (a head being parsed, body bytes that
/// arrived with the head, pipelined requests). Body pieces are handed out as slices of `storage`, so body bytes
/// are copied once, by the kernel into this array. The array is `baseCapacity` bytes and grows only while a
/// head or chunk framing does not fit, up to the caller's limit; it shrinks back when empty between requests.
struct ReadBuffer {
    private(set) var storage: [UInt8]
    private(set) var start = 0
    private(set) var end = 0
    let baseCapacity: Int

    /// Compact (move unread bytes to the front) before a read that would have less than this much room.
    private static let compactionThreshold = 1024

    init(capacity: Int) {
        baseCapacity = max(capacity, 512)
        storage = [UInt8](repeating: 0, count: baseCapacity)
    }

    var unreadCount: Int { end - start }
    var isEmpty: Bool { start == end }
    var capacity: Int { storage.count }

    func withUnread<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let (s, e) = (start, end)
        return try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[s..<e])) }
    }

    mutating func consume(_ count: Int) {
        precondition(count >= 0 && count <= unreadCount, "consumed more than was buffered")
        start += count
    }

    /// Consumes up to `limit` unread bytes and returns them as a slice of the storage (indices are storage
    /// positions, not zero-based).
    mutating func take(upTo limit: Int) -> ArraySlice<UInt8> {
        let n = min(limit, unreadCount)
        defer { start += n }
        return storage[start..<start + n]
    }

    /// A slice of the storage at absolute positions (for chunk data the decoder located).
    func slice(_ range: Range<Int>) -> ArraySlice<UInt8> { storage[range] }

    /// Drops everything unread.
    mutating func clear() {
        start = 0
        end = 0
    }

    /// Makes room for at least one more byte: rewinds when empty, compacts when the free tail is small, grows
    /// up to `maxCapacity`. `false` when the unread bytes already fill `maxCapacity`.
    mutating func makeRoom(maxCapacity: Int) -> Bool {
        if start == end { clear() }
        if storage.count - end >= Self.compactionThreshold || (start == 0 && end < storage.count) { return true }
        if start > 0 {
            let (s, n) = (start, unreadCount)
            storage.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                (base).copyMemory(from: base + s, byteCount: n)
            }
            start = 0
            end = n
            if end < storage.count { return true }
        }
        guard storage.count < maxCapacity else { return false }
        let grown = min(maxCapacity, storage.count * 2)
        storage.append(contentsOf: repeatElement(0, count: grown - storage.count))
        return true
    }

    /// Returns to `baseCapacity` when nothing is buffered, so an idle keep-alive connection stays small.
    mutating func shrinkIfEmpty() {
        guard start == end else { return }
        clear()
        if storage.count > baseCapacity { storage = [UInt8](repeating: 0, count: baseCapacity) }
    }

    /// One `recv` into the free tail (at least one byte free: call ``makeRoom(maxCapacity:)`` first).
    /// Throws ``SocketError/wouldBlock`` and ``SocketError/disconnected`` as ``Socket/receive(into:)`` does.
    mutating func receive(from socket: Socket) throws -> Int {
        let e = end
        let n = try storage.withUnsafeMutableBytes { raw in
            try socket.receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[e...]))
        }
        end += n
        return n
    }
}
