// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Reactor
import Synchronization

/// Owns the read end of one runtime process's output pipe (its stdout and stderr): copies every byte, unchanged
/// and in order, to the emulator's stdout, and hands it to the `LogTail`. Reads are non-blocking and wait on the
/// reactor. `drain()` lets an invoke collect what the runtime wrote before its response, under the same lock as
/// the relay loop, so no byte is reordered.
final class RuntimeOutputRelay: Sendable {
    private let fd: Int32
    private let tail: LogTail
    /// Held while reading and copying; true once EOF or an error closed the pipe.
    private let closed = Mutex(false)

    /// A pipe for the runtime: returns the relay and the write end to give the child (the caller closes it after
    /// the spawn). Nil when no pipe can be had (then the runtime inherits stdout, and tails stay empty).
    static func open(tail: LogTail) -> (RuntimeOutputRelay, writeFD: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        do {
            try Poller.shared.register(fds[0])
        } catch {
            close(fds[0])
            close(fds[1])
            return nil
        }
        return (RuntimeOutputRelay(fd: fds[0], tail: tail), fds[1])
    }

    private init(fd: Int32, tail: LogTail) {
        self.fd = fd
        self.tail = tail
    }

    /// Copies until every writer has closed the pipe (the runtime and anything it started), then closes it.
    func run() async {
        while !drain() {
            do {
                try await Poller.shared.wait(for: .read, on: fd)
            } catch {
                break
            }
        }
        closed.withLock { isClosed in
            guard !isClosed else { return }
            isClosed = true
            Poller.shared.deregister(fd)
            close(fd)
        }
    }

    /// Copies whatever can be read now; true when the pipe has reached its end.
    @discardableResult
    func drain() -> Bool {
        closed.withLock { isClosed in
            guard !isClosed else { return true }
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    buffer.withUnsafeBytes { bytes in
                        let piece = UnsafeRawBufferPointer(rebasing: bytes[0..<n])
                        Self.writeAll(piece)
                        tail.append(piece)
                    }
                    continue
                }
                if n < 0 && errno == EINTR { continue }
                return n == 0 || errno != EAGAIN
            }
        }
    }

    /// Our stdout, as the runtime's output reached it before (one write per piece, retried on partial writes).
    private static func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let n = write(1, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
