// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking
import Testing

@testable import LambdaAPI

@Suite("LogTail")
struct LogTailTests {
    private func append(_ tail: LogTail, _ text: String) {
        Array(text.utf8).withUnsafeBytes { tail.append($0) }
    }

    @Test("an invoke's log is its START line, the output while it was current, and its END and REPORT lines")
    func attribution() throws {
        let tail = LogTail()
        tail.begin("a", startLine: "START a\n")
        append(tail, "before next\n")  // the runtime is not on "a" yet: not part of its log
        tail.activate("a")
        append(tail, "hello\n")
        let log = try #require(tail.end("a", endLines: "END a\nREPORT a\n"))
        #expect(String(decoding: log, as: UTF8.self) == "START a\nhello\nEND a\nREPORT a\n")
        append(tail, "after end\n")
        #expect(tail.end("a", endLines: "") == nil)
    }

    @Test("only the last 4096 bytes are kept, however much the runtime writes")
    func bounded() throws {
        let tail = LogTail()
        tail.begin("b", startLine: "START b\n")
        tail.activate("b")
        for i in 0..<1000 { append(tail, "line \(i) " + String(repeating: "x", count: 90) + "\n") }
        let log = try #require(tail.end("b", endLines: "END b\nREPORT b\n"))
        #expect(log.count == 4096)
        #expect(String(decoding: log, as: UTF8.self).hasSuffix("line 999 " + String(repeating: "x", count: 90) + "\nEND b\nREPORT b\n"))
    }

    @Test("invokes that did not ask keep no log, and their output goes nowhere")
    func notAsked() {
        let tail = LogTail()
        tail.activate("c")
        append(tail, "output\n")
        #expect(tail.end("c", endLines: "END c\n") == nil)
    }

    @Test("what the runtime wrote before /next and before the invoke ends is drained into the right log first")
    func drainsBeforeAttributionChanges() throws {
        let tail = LogTail()
        // Output the relay has not read yet: the attached source hands it over when drained.
        let unread = Lock<[String]>([])
        tail.attach { [weak tail] in  // weakly, as RuntimeOutputRelay does: a strong capture is a cycle (ASan's leak check)
            for text in unread.withLock({ $0.take() }) { Array(text.utf8).withUnsafeBytes { tail?.append($0) } }
        }
        tail.begin("a", startLine: "START a\n")
        tail.begin("b", startLine: "START b\n")
        tail.activate("a")
        unread.withLock { $0.append("late a\n") }
        tail.activate("b")  // the runtime asked for b before a's output was read (a's Finish has not run yet)
        unread.withLock { $0.append("late b\n") }
        let a = try #require(tail.end("a", endLines: "END a\n"))
        #expect(String(decoding: a, as: UTF8.self) == "START a\nlate a\nEND a\n")
        let b = try #require(tail.end("b", endLines: "END b\n"))
        #expect(String(decoding: b, as: UTF8.self) == "START b\nlate b\nEND b\n")
    }
}

extension Array {
    /// Empties the array and returns what it held.
    fileprivate mutating func take() -> [Element] {
        defer { self = [] }
        return self
    }
}
