// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Testing

@testable import LambdaAPI

@Suite("RuntimeOutputRelay", .timeLimit(.minutes(1)))
struct RuntimeOutputRelayTests {
    /// A relay copying to a pipe of its own (instead of the test's stdout); returns it, the runtime's write end,
    /// and the read end of the copy.
    private func makeRelay(_ tail: LogTail) throws -> (RuntimeOutputRelay, writeFD: Int32, copy: Int32, copyWrite: Int32) {
        var copy: [Int32] = [-1, -1]
        try #require(pipe(&copy) == 0)
        let (relay, writeFD) = try #require(RuntimeOutputRelay.open(tail: tail, copyFD: copy[1]))
        return (relay, writeFD, copy[0], copy[1])
    }

    private func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
    }

    /// Everything in the pipe `fd` (its write end closed, less than the 64 KiB a pipe holds): one `read(2)` of a
    /// pipe returns all that is buffered.
    private func readAll(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self)
    }

    @Test("copies every byte, in order, to its output and to the current invoke's log, and ends at end of file")
    func copiesUntilEndOfFile() async throws {
        let tail = LogTail()
        let (relay, writeFD, copy, copyWrite) = try makeRelay(tail)
        tail.begin("a", startLine: "START a\n")
        tail.activate("a")
        let running = Task { await relay.run() }
        write(writeFD, "one\n")
        write(writeFD, String(repeating: "x", count: 20_000) + "\n")
        write(writeFD, "two\n")
        close(writeFD)
        await running.value  // returns only at end of file
        close(copyWrite)
        let copied = readAll(copy)
        close(copy)
        #expect(copied == "one\n" + String(repeating: "x", count: 20_000) + "\ntwo\n")
        let log = try #require(tail.end("a", endLines: "END a\n"))
        #expect(log.count == 4096)
        #expect(String(decoding: log, as: UTF8.self).hasSuffix("xx\ntwo\nEND a\n"))
    }

    @Test("output not yet read when the runtime asks for the next invoke stays with the previous one")
    func drainedBeforeActivation() async throws {
        let tail = LogTail()
        // No relay loop: only the LogTail's drains read the pipe, so the order is fixed.
        let (relay, writeFD, copy, copyWrite) = try makeRelay(tail)
        tail.begin("a", startLine: "START a\n")
        tail.begin("b", startLine: "START b\n")
        tail.activate("a")
        write(writeFD, "for a\n")
        tail.activate("b")
        write(writeFD, "for b\n")
        let a = try #require(tail.end("a", endLines: "END a\n"))
        let b = try #require(tail.end("b", endLines: "END b\n"))
        #expect(String(decoding: a, as: UTF8.self) == "START a\nfor a\nEND a\n")
        #expect(String(decoding: b, as: UTF8.self) == "START b\nfor b\nEND b\n")
        close(writeFD)
        await relay.run()
        close(copyWrite)
        #expect(readAll(copy) == "for a\nfor b\n")
        close(copy)
    }
}
