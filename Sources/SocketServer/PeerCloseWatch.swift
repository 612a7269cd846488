// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Tells a handler that parks after reading its whole request (a long poll, such as the Runtime API's `/next`)
/// that the client has closed the connection, so that it stops waiting and the descriptor is released then,
/// not whenever the wait would have ended. Without it, a client that gives up on a long poll leaves the
/// connection in `CLOSE_WAIT` until the poll is answered. Sendable: it runs in a child task beside the handler,
/// which is parked elsewhere, so it is the only reader of the socket meanwhile.
package struct PeerCloseWatch: Sendable {
    let socket: Socket
    /// The client had already sent more bytes (a pipelined request): nothing to watch.
    let pipelined: Bool

    /// Waits until the client closes or resets the connection: true. Returns false, consuming nothing, when the
    /// client sends more bytes instead (a pipelined request, which the connection reads later) and when the task
    /// is cancelled.
    package func closed() async -> Bool {
        guard !pipelined else { return false }
        do {
            return try await socket.untilReady(.read) { try socket.peekForEnd() }
        } catch {
            return false
        }
    }
}

extension Socket {
    /// One `recv` of a byte with `MSG_PEEK`: true at the end of the stream or on an error (the peer is gone),
    /// false when a byte is waiting (left in place).
    func peekForEnd() throws(SocketError) -> Bool {
        var byte: UInt8 = 0
        while true {
            let n = Glibc.recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
            if n == 0 { return true }
            if n > 0 { return false }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw .wouldBlock
            default: return true
            }
        }
    }
}

extension RequestBody {
    /// A watch for the client closing the connection while the handler parks. Call it once the body has been
    /// read to its end (`read()` returned nil, or `discard()`): unread body bytes count as more bytes.
    package func peerCloseWatch() -> PeerCloseWatch {
        PeerCloseWatch(socket: connection.socket, pipelined: !connection.input.isEmpty)
    }
}
