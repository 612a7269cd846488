// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Glibc
import Reactor
import Testing

@testable import Supervisor

/// A fresh directory under /tmp; `remove()` deletes the files the test created in it, then the directory.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/sup-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        path = try #require(made.map { String(cString: $0) })
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `contents` to `name` with `mode`; returns the path.
    @discardableResult
    func write(_ name: String, _ contents: String, mode: mode_t = 0o644) throws -> String {
        let target = file(name)
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        try #require(fd >= 0)
        defer { close(fd) }
        let bytes = Array(contents.utf8)
        try #require(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
        try #require(chmod(target, mode) == 0)
        return target
    }

    func read(_ name: String) throws -> String { try readFile(file(name)) }

    func remove() {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name != "." && name != ".." { unlink(file(name)) }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}

/// The read end of a named pipe, registered with the poller: a child writes a line into it to tell the test
/// something (a pid, "ready") exactly when it happens, so tests never sleep to order events.
struct LineFIFO {
    let path: String
    let fd: Int32

    init(in directory: TemporaryDirectory, name: String = "fifo") throws {
        path = directory.file(name)
        try #require(mkfifo(path, 0o600) == 0)
        // Non-blocking read end first: the child's open for writing then succeeds at once.
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        try #require(fd >= 0)
        try Poller.shared.register(fd)
    }

    /// The next line, without its newline. Before any writer has opened the FIFO, `read` returns 0; the poller
    /// wakes us when bytes arrive.
    func readLine() async throws -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = Glibc.read(fd, &byte, 1)
            if n == 1 {
                if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
                bytes.append(byte)
                continue
            }
            try #require(n == 0 || errno == EAGAIN || errno == EINTR)
            try await Poller.shared.wait(for: .read, on: fd)
        }
    }

    func close() {
        Poller.shared.deregister(fd)
        _ = Glibc.close(fd)
    }
}

/// `/bin/sh -c script args...` (the first of `args` is `$0`) in `/`.
func shell(_ script: String, _ args: String..., in directory: String = "/") -> BootstrapCommand {
    BootstrapCommand(argv: ["/bin/sh", "-c", script] + args, workingDirectory: directory)
}

/// A minimal environment for test children.
let testEnvironment = [EnvironmentVariable(name: "PATH", value: "/usr/bin:/bin")]

/// Suspends until `pid` (any process, not only our child) has exited, through a pidfd on the poller.
/// Returns at once if it no longer exists.
func awaitTermination(ofPID pid: Int32) async throws {
    let pidfd = cshims_pidfd_open(pid)
    if pidfd < 0 {
        #expect(errno == ESRCH)
        return
    }
    try Poller.shared.register(pidfd)
    defer {
        Poller.shared.deregister(pidfd)
        close(pidfd)
    }
    var pollfd = Glibc.pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
    while poll(&pollfd, 1, 0) == 0 {
        try await Poller.shared.wait(for: .read, on: pidfd)
    }
}

/// Whether `pid` exits within `milliseconds`: proves a negative ("nothing killed it") as well as a test can.
func terminates(_ pid: Int32, withinMilliseconds milliseconds: Int) async throws -> Bool {
    let pidfd = cshims_pidfd_open(pid)
    if pidfd < 0 { return true }
    try Poller.shared.register(pidfd)
    defer {
        Poller.shared.deregister(pidfd)
        close(pidfd)
    }
    let deadline = MonotonicInstant.now.advanced(byMilliseconds: milliseconds)
    var pollfd = Glibc.pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
    while poll(&pollfd, 1, 0) == 0 {
        do {
            try await Poller.shared.wait(for: .read, on: pidfd, deadline: deadline)
        } catch ReactorError.timedOut {
            return false
        }
    }
    return true
}

/// True while `pid` exists and is not a zombie (`/proc/<pid>/stat` state other than Z or X).
func isRunning(_ pid: Int32) -> Bool {
    let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 512)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return false }
    // "pid (comm) S ...": the state follows the last ')'.
    let text = buffer[0..<n]
    guard let close = text.lastIndex(of: UInt8(ascii: ")")), close + 2 < n else { return false }
    let state = text[close + 2]
    return state != UInt8(ascii: "Z") && state != UInt8(ascii: "X")
}

/// The target of `/proc/<pid>/fd/<fd>` (`pipe:[123]`, `/dev/pts/0`, ...).
func descriptorTarget(pid: String, fd: Int32) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/\(pid)/fd/\(fd)", &buffer, buffer.count - 1)
    guard n >= 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The whole contents of a (small) file.
func readFile(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    try #require(fd >= 0)
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        try #require(n >= 0)
        if n == 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}
