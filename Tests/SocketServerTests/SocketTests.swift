// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import HTTP1
import Testing

@testable import SocketServer

/// Two connected non-blocking, close-on-exec Unix sockets, for tests that need no listener.
struct SocketPair {
    let a: Socket
    let b: Socket
    init() throws {
        var fds: [Int32] = [0, 0]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        try #require(socketpair(AF_UNIX, type, 0, &fds) == 0)
        a = Socket(fd: fds[0])
        b = Socket(fd: fds[1])
    }
    func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        try #require(bytes.withUnsafeBytes { try? b.send($0) } == bytes.count)
    }
    func close() {
        a.close()
        b.close()
    }
}

/// Descriptor and socket options the server promises: close-on-exec everywhere (the emulator spawns the
/// runtime), non-blocking everywhere, `TCP_NODELAY` on accepted connections, `SIGPIPE` ignored.
@Suite(.timeLimit(.minutes(1)))
struct SocketTests {
    @Test("the listener and accepted sockets are close-on-exec and non-blocking; accepted ones have TCP_NODELAY")
    func descriptorFlags() async throws {
        let handler = ClosureHandler { _, _, response in try await response.respond(status: 200, headers: [:], body: []) }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await client.readResponse()  // the connection is accepted and set up by now
            let serverSockets = Self.openDescriptors().filter { (try? Socket(fd: $0).localAddress().port) == server.port }
            #expect(serverSockets.count == 2)  // the listener and the one accepted connection
            for fd in serverSockets {
                #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
                #expect(fcntl(fd, F_GETFL) & O_NONBLOCK != 0)
            }
            let accepted = serverSockets.filter { Self.option(SOL_SOCKET, SO_ACCEPTCONN, on: $0) == 0 }
            #expect(accepted.count == 1)
            for fd in accepted { #expect(Self.option(Int32(IPPROTO_TCP), TCP_NODELAY, on: fd) != 0) }
        }
    }

    @Test("creating a server ignores SIGPIPE")
    func sigpipeIgnored() async throws {
        let handler = ClosureHandler { _, _, _ in }
        try await withServer(handler: handler) { _ in
            var current = sigaction()
            #expect(sigaction(SIGPIPE, nil, &current) == 0)
            #expect(unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
        }
    }

    @Test("a send to a peer that closed fails with disconnected, not SIGPIPE")
    func sendToClosedPeer() throws {
        let pair = try SocketPair()
        defer { pair.a.close() }
        pair.b.close()
        let bytes: [UInt8] = [1, 2, 3]
        #expect(throws: SocketError.disconnected) { try bytes.withUnsafeBytes { try pair.a.send($0) } }
    }

    private static func openDescriptors() -> [Int32] {
        guard let dir = opendir("/proc/self/fd") else { return [] }
        defer { closedir(dir) }
        var fds: [Int32] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name) { fds.append(fd) }
        }
        return fds
    }

    private static func option(_ level: Int32, _ name: Int32, on fd: Int32) -> Int32 {
        var value: Int32 = -1
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, level, name, &value, &length) == 0 else { return -1 }
        return value
    }
}
