// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Reactor
import Locking

/// Owns the read end of one runtime process's output pipe (its stdout and stderr): copies every byte, unchanged
/// and in order, to the emulator's stdout (one `write` per piece read), and hands it to the `LogTail`. Reads are
/// non-blocking and wait on the reactor. The `LogTail` calls `drain()` to collect what the runtime wrote before
/// `/next` or `/response`; it runs under the same lock as the relay loop, so no byte is reordered.
final class RuntimeOutputRelay: Sendable {
    private let fd: Int32
    /// Where the output is copied: the emulator's stdout.
    private let copyFD: Int32
    private let tail: LogTail
    /// Held while reading and copying; true once EOF or an error closed the pipe.
    private let closed = Lock(false)

    /// A pipe for the runtime: returns the relay and the write end to give the child (the caller closes it after
    /// the spawn), and attaches the relay to `tail` as its source. Nil when no pipe can be had (then the runtime
    /// inherits stdout, and tails hold only `START`, `END` and `REPORT`). `copyFD` is for tests.
    static func open(tail: LogTail, copyFD: Int32 = 1) -> (RuntimeOutputRelay, writeFD: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        // Not atomic with pipe(2) (Glibc's module hides pipe2), which is harmless: every spawn closes fds >= 3.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        do {
            try Poller.shared.register(fds[0])
        } catch {
            close(fds[0])
            close(fds[1])
            return nil
        }
        let relay = RuntimeOutputRelay(fd: fds[0], copyFD: copyFD, tail: tail)
        tail.attach { [weak relay] in relay?.drain() }
        return (relay, fds[1])
    }

    private init(fd: Int32, copyFD: Int32, tail: LogTail) {
        self.fd = fd
        self.copyFD = copyFD
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
                        writeAll(piece)
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
    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let n = write(copyFD, base + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
