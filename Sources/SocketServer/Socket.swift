// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Glibc

/// A non-blocking, close-on-exec TCP socket descriptor and its syscalls, each tried once.
///
/// Every call returns at once: `EAGAIN` becomes ``SocketError/wouldBlock`` (the caller parks on the poller
/// and retries, see `Socket+Async.swift`), `EINTR` is retried here, and `errno` is captured right after the
/// call. Sends pass `MSG_NOSIGNAL`, so a vanished peer is an error, never a `SIGPIPE`. The value does not own
/// the descriptor: whoever created it calls ``close()`` exactly once.
package struct Socket: Sendable, Hashable {
    package let fd: Int32

    package init(fd: Int32) { self.fd = fd }

    /// A listening socket bound to `address`, with `SO_REUSEADDR` (a restarted emulator can rebind while old
    /// connections sit in `TIME_WAIT`).
    package static func listening(on address: SocketAddress, backlog: Int32 = SOMAXCONN) throws(SocketError) -> Socket {
        let domain = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = Glibc.socket(domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .failed(call: "socket", errno: errno) }
        let socket = Socket(fd: fd)
        do throws(SocketError) {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
            let bound = address.withSockAddr { Glibc.bind(fd, $0, $1) }
            guard bound == 0 else { throw SocketError.failed(call: "bind", errno: errno) }
            guard Glibc.listen(fd, backlog) == 0 else { throw SocketError.failed(call: "listen", errno: errno) }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket (`accept4`, atomically: a
    /// process spawned concurrently never inherits it).
    package func accept() throws(SocketError) -> Socket {
        while true {
            let client = cshims_accept4_nonblocking_cloexec(fd)
            if client >= 0 { return Socket(fd: client) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw .wouldBlock
            case let e: throw .failed(call: "accept4", errno: e)
            }
        }
    }

    /// Reads what is available into `buffer`; at least one byte. End of stream is ``SocketError/disconnected``.
    package func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> Int {
        while true {
            let n = Glibc.recv(fd, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return n }
            if n == 0 { throw .disconnected }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw .wouldBlock
            case ECONNRESET, ETIMEDOUT, EPIPE: throw .disconnected
            case let e: throw .failed(call: "recv", errno: e)
            }
        }
    }

    /// Sends as much of `bytes` as the kernel takes now (`MSG_NOSIGNAL`); returns how many it took.
    package func send(_ bytes: UnsafeRawBufferPointer) throws(SocketError) -> Int {
        try retryingSend("send") { Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Sends as much of `first` and then `second` as the kernel takes now, with one `sendmsg` (`MSG_NOSIGNAL`)
    /// and no copy of either; returns how many bytes it took in all.
    package func send(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) throws(SocketError) -> Int {
        var parts = [
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count),
        ]
        return try retryingSend("sendmsg") {
            parts.withUnsafeMutableBufferPointer { iov -> Int in
                var message = msghdr()
                message.msg_iov = iov.baseAddress
                message.msg_iovlen = iov.count
                return Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
        }
    }

    /// Runs a send call until it is not interrupted, mapping its errno: the bytes it took, or ``SocketError``.
    private func retryingSend(_ call: String, _ attempt: () -> Int) throws(SocketError) -> Int {
        while true {
            let n = attempt()
            if n >= 0 { return n }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw .wouldBlock
            case EPIPE, ECONNRESET, ENOTCONN: throw .disconnected
            case let e: throw .failed(call: call, errno: e)
            }
        }
    }

    package func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SocketError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .failed(call: "setsockopt", errno: errno)
        }
    }

    /// The address the socket is bound to (with the port the kernel picked for port 0).
    package func localAddress() throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { throw .failed(call: "getsockname", errno: errno) }
        guard let address = SocketAddress(storage) else { throw .failed(call: "getsockname", errno: EAFNOSUPPORT) }
        return address
    }

    /// Shuts down one or both directions. The descriptor stays open; a task parked on it wakes up.
    package func shutdown(_ how: Int32) {
        _ = Glibc.shutdown(fd, how)
    }

    /// The connected peer's address (`getpeername`), or nil when the socket is not connected.
    package var peerAddress: SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        return rc == 0 ? SocketAddress(storage) : nil
    }

    package func close() {
        _ = Glibc.close(fd)
    }
}
