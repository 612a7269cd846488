// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Reactor

/// What the raw test client can run into.
enum TestClientError: Error, Equatable {
    case timedOut(expecting: String, got: String)
    case closed(expecting: String, got: String)
    case failed(call: String, errno: Int32)
}

/// A tiny raw TCP client for tests: a non-blocking Glibc socket parked on the shared poller (never a blocking
/// syscall on the cooperative pool), literal bytes out, literal bytes in. Every read has a deadline, so a
/// broken server fails the test instead of hanging it.
final class TestClient {
    let fd: Int32
    /// Bytes received and not yet returned by a read.
    private var received: [UInt8] = []
    private var closed = false
    private var isOpen = true
    static let defaultTimeoutMilliseconds = 10_000

    init(port: Int, host: String = "127.0.0.1") async throws {
        let family = host.contains(":") ? AF_INET6 : AF_INET
        fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestClientError.failed(call: "socket", errno: errno) }
        do {
            try Poller.shared.register(fd)
            let rc: Int32
            if family == AF_INET {
                var sin = sockaddr_in()
                sin.sin_family = sa_family_t(AF_INET)
                sin.sin_port = UInt16(port).bigEndian
                inet_pton(AF_INET, host, &sin.sin_addr)
                rc = withUnsafePointer(to: &sin) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            } else {
                var sin6 = sockaddr_in6()
                sin6.sin6_family = sa_family_t(AF_INET6)
                sin6.sin6_port = UInt16(port).bigEndian
                inet_pton(AF_INET6, host, &sin6.sin6_addr)
                rc = withUnsafePointer(to: &sin6) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                    }
                }
            }
            if rc != 0 {
                guard errno == EINPROGRESS else { throw TestClientError.failed(call: "connect", errno: errno) }
                try await Poller.shared.wait(for: .write, on: fd, deadline: Self.deadline(nil))
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                guard error == 0 else { throw TestClientError.failed(call: "connect", errno: error) }
            }
        } catch {
            close()
            throw error
        }
    }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n >= 0 {
                offset += n
            } else if errno == EAGAIN {
                try await Poller.shared.wait(for: .write, on: fd, deadline: Self.deadline(nil))
            } else {
                throw TestClientError.failed(call: "send", errno: errno)
            }
        }
    }

    /// The value of the last `Date` header seen. Reads drop that one volatile line (the server adds it to every
    /// response, as Go's net/http does) so that tests can compare every other byte literally.
    private(set) var lastDate: String?

    private func dropDate(_ text: String) -> String {
        guard let start = text.firstRange(of: "\r\nDate: "),
            let end = text[start.upperBound...].firstRange(of: "\r\n")
        else { return text }
        lastDate = String(text[start.upperBound..<end.lowerBound])
        return String(text[..<start.lowerBound]) + String(text[end.lowerBound...])
    }

    /// Everything up to and including the first `marker` (without the `Date` line).
    func read(until marker: String, timeoutMilliseconds: Int? = nil) async throws -> String {
        let needle = Array(marker.utf8)
        let deadline = Self.deadline(timeoutMilliseconds)
        while true {
            if let end = Self.find(needle, in: received) {
                defer { received.removeFirst(end) }
                return dropDate(String(decoding: received[..<end], as: UTF8.self))
            }
            try await receiveMore(deadline: deadline, expecting: marker)
        }
    }

    /// Exactly `count` bytes.
    func read(count: Int, timeoutMilliseconds: Int? = nil) async throws -> String {
        let deadline = Self.deadline(timeoutMilliseconds)
        while received.count < count { try await receiveMore(deadline: deadline, expecting: "\(count) bytes") }
        defer { received.removeFirst(count) }
        return String(decoding: received[..<count], as: UTF8.self)
    }

    /// Everything until the server closes the connection.
    func readToEnd(timeoutMilliseconds: Int? = nil) async throws -> String {
        let deadline = Self.deadline(timeoutMilliseconds)
        while !closed {
            do {
                try await receiveMore(deadline: deadline, expecting: "end of stream")
            } catch TestClientError.closed {
                break
            }
        }
        defer { received.removeAll() }
        return dropDate(String(decoding: received, as: UTF8.self))
    }

    /// One response: its head, then a body framed by `Content-Length` or chunked (through the last chunk
    /// and trailers), as raw text. A head without either reads nothing more.
    func readResponse(timeoutMilliseconds: Int? = nil) async throws -> String {
        let head = try await read(until: "\r\n\r\n", timeoutMilliseconds: timeoutMilliseconds)
        let lines = head.split(separator: "\r\n").map { $0.lowercased() }
        if let cl = lines.first(where: { $0.hasPrefix("content-length:") }) {
            let n = Int(cl.dropFirst("content-length:".count).trimmingCharacters()) ?? 0
            return head + (try await read(count: n, timeoutMilliseconds: timeoutMilliseconds))
        }
        guard lines.contains("transfer-encoding: chunked") else { return head }
        var text = head
        while true {
            let sizeLine = try await read(until: "\r\n", timeoutMilliseconds: timeoutMilliseconds)
            text += sizeLine
            let size = Int(sizeLine.dropLast(2), radix: 16) ?? 0
            if size == 0 {
                while true {
                    let line = try await read(until: "\r\n", timeoutMilliseconds: timeoutMilliseconds)
                    text += line
                    if line == "\r\n" { return text }
                }
            }
            text += try await read(count: size + 2, timeoutMilliseconds: timeoutMilliseconds)
        }
    }

    /// Whether the server closes the connection (end of stream or reset) within the time limit, with no
    /// further bytes.
    func closesWithoutData(timeoutMilliseconds: Int) async throws -> Bool {
        do {
            try await receiveMore(deadline: Self.deadline(timeoutMilliseconds), expecting: "end of stream")
            return false
        } catch TestClientError.closed {
            return received.isEmpty
        } catch TestClientError.timedOut {
            return false
        }
    }

    /// Closes our side for writing (the server sees end of stream) but keeps reading.
    func shutdownWrite() {
        _ = shutdown(fd, Int32(SHUT_WR))
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        Poller.shared.deregister(fd)
        _ = Glibc.close(fd)
    }

    private func receiveMore(deadline: MonotonicInstant, expecting: String) async throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: chunk[..<n])
                return
            }
            if n == 0 || (n < 0 && errno == ECONNRESET) {
                closed = true
                throw TestClientError.closed(expecting: expecting, got: String(decoding: received, as: UTF8.self))
            }
            guard errno == EAGAIN else { throw TestClientError.failed(call: "recv", errno: errno) }
            do {
                try await Poller.shared.wait(for: .read, on: fd, deadline: deadline)
            } catch ReactorError.timedOut {
                throw TestClientError.timedOut(expecting: expecting, got: String(decoding: received, as: UTF8.self))
            }
        }
    }

    private static func deadline(_ milliseconds: Int?) -> MonotonicInstant {
        MonotonicInstant.now.advanced(byMilliseconds: milliseconds ?? defaultTimeoutMilliseconds)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, !needle.isEmpty else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i + needle.count }
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces (no Foundation).
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
