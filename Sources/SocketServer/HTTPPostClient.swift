// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Reactor

/// A one-shot HTTP/1.1 client for `POST`ing a body to a local listener (the Telemetry API's subscribers):
/// non-blocking connect, one request with `Content-Length` and `Connection: close`, then the status line of the
/// answer. Every wait parks on the shared poller under one deadline, so a dead or stalled peer costs a timeout,
/// never a blocked thread. The answer's body is not read; at most `maxHeadBytes` of its head are.
package enum HTTPPostClient {
    /// Why a post failed.
    package enum Failure: Error, Equatable, Sendable {
        /// Connect, send or receive failed (`call`, `errno`), or the peer closed before a status line.
        case io(String)
        /// The deadline passed.
        case timedOut
        /// The answer did not start with `HTTP/1.x NNN`.
        case malformedAnswer
    }

    static let maxHeadBytes = 16 * 1024

    /// Posts `body` to `http://{host header}{path}` at `address`; returns the answer's status code.
    package static func post(
        to address: SocketAddress, hostHeader: String, path: String, contentType: String, body: [UInt8],
        timeoutMilliseconds: Int
    ) async throws(Failure) -> Int {
        let deadline = MonotonicInstant.now.advanced(byMilliseconds: timeoutMilliseconds)
        let socket = try connect(address)
        defer { socket.deregisterAndClose() }
        let head =
            "POST \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        do {
            try await waitConnected(socket, deadline: deadline)
            try await send(Array(head.utf8) + body, on: socket, deadline: deadline)
            return try await readStatus(socket, deadline: deadline)
        } catch let failure as Failure {
            throw failure
        } catch SocketError.timedOut {
            throw .timedOut
        } catch {
            throw .io("\(error)")
        }
    }

    /// Starts a non-blocking connect and registers the socket with the poller.
    private static func connect(_ address: SocketAddress) throws(Failure) -> Socket {
        let domain = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = Glibc.socket(
            domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io("socket errno \(errno)") }
        let socket = Socket(fd: fd)
        let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if rc != 0 && errno != EINPROGRESS && errno != EINTR {
            let e = errno
            socket.close()
            throw .io("connect errno \(e)")
        }
        do {
            try socket.register()
        } catch {
            socket.close()
            throw .io("register \(error)")
        }
        return socket
    }

    /// Waits for the connect to finish and reads its result (`SO_ERROR`).
    private static func waitConnected(_ socket: Socket, deadline: MonotonicInstant) async throws {
        while true {
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else {
                throw Failure.io("getsockopt errno \(errno)")
            }
            if value != 0 && value != EINPROGRESS { throw Failure.io("connect errno \(value)") }
            if socket.peerAddress != nil { return }
            do {
                try await Poller.shared.wait(for: .write, on: socket.fd, deadline: deadline)
            } catch ReactorError.timedOut {
                throw Failure.timedOut
            }
        }
    }

    private static func send(_ bytes: [UInt8], on socket: Socket, deadline: MonotonicInstant) async throws {
        var offset = 0
        while offset < bytes.count {
            offset += try await socket.untilReady(.write, deadline: deadline) {
                try bytes.withUnsafeBytes { try socket.send(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            }
        }
    }

    /// Reads until the status line is complete and returns its code.
    private static func readStatus(_ socket: Socket, deadline: MonotonicInstant) async throws -> Int {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while head.count < maxHeadBytes {
            if let code = try statusCode(head) { return code }
            let n: Int
            do {
                n = try await socket.untilReady(.read, deadline: deadline) {
                    try buffer.withUnsafeMutableBytes { try socket.receive(into: $0) }
                }
            } catch SocketError.disconnected {
                if let code = try statusCode(head) { return code }
                throw Failure.io("closed before a status line")
            }
            head.append(contentsOf: buffer[0..<n])
        }
        throw Failure.malformedAnswer
    }

    /// The code of a complete status line in `head`, nil while it is incomplete.
    static func statusCode(_ head: [UInt8]) throws(Failure) -> Int? {
        guard let end = head.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = head[..<end]
        let prefix = Array("HTTP/1.".utf8)
        guard line.count >= 12, Array(line.prefix(prefix.count)) == prefix, line[line.startIndex + 8] == 0x20 else {
            throw .malformedAnswer
        }
        let digits = line[(line.startIndex + 9)..<(line.startIndex + 12)]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw .malformedAnswer }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
