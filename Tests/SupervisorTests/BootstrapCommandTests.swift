// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Locking
import Testing

@testable import Supervisor

@Suite
struct BootstrapCommandTests {
    struct WithArguments: Sendable, CustomTestStringConvertible {
        let positional: [String]
        let handler: String?
        var testDescription: String { positional.joined(separator: " ") }
    }

    @Test(
        "positional arguments run verbatim in the current directory; the last of two or more is the handler",
        arguments: [
            WithArguments(positional: ["/var/task/bootstrap"], handler: nil),
            WithArguments(positional: ["/lambda-entrypoint.sh", "main.success_handler"], handler: "main.success_handler"),
            WithArguments(positional: ["python3", "-m", "awslambdaric", "app.handler"], handler: "app.handler"),
            WithArguments(positional: ["node", "--unknown-flag"], handler: "--unknown-flag"),
            WithArguments(positional: ["./bootstrap", ""], handler: ""),
        ])
    func withArguments(_ row: WithArguments) {
        let command = BootstrapCommand.resolve(positional: row.positional, currentDirectory: "/work/fn") { _ in
            Issue.record("the filesystem must not be consulted when a command is given")
            return true
        }
        #expect(command.argv == row.positional)
        #expect(command.workingDirectory == "/work/fn")
        #expect(command.handler == row.handler)
    }

    @Test("an empty current directory means /, as Go's NewSimpleBootstrap")
    func emptyCurrentDirectory() {
        let command = BootstrapCommand.resolve(positional: ["/bootstrap"], currentDirectory: "")
        #expect(command.workingDirectory == "/")
    }

    struct WithoutArguments: Sendable, CustomTestStringConvertible {
        let existing: Set<String>
        let expected: String
        var testDescription: String { "existing \(existing.sorted()) -> \(expected)" }
    }

    @Test(
        "without arguments the first existing of /var/task, /opt, /var/runtime bootstrap runs in /var/task",
        arguments: [
            WithoutArguments(existing: [], expected: "/var/task/bootstrap"),
            WithoutArguments(existing: ["/var/runtime/bootstrap"], expected: "/var/runtime/bootstrap"),
            WithoutArguments(existing: ["/opt/bootstrap"], expected: "/opt/bootstrap"),
            WithoutArguments(existing: ["/opt/bootstrap", "/var/runtime/bootstrap"], expected: "/opt/bootstrap"),
            WithoutArguments(existing: ["/var/task/bootstrap", "/var/runtime/bootstrap"], expected: "/var/task/bootstrap"),
            WithoutArguments(
                existing: ["/var/task/bootstrap", "/opt/bootstrap", "/var/runtime/bootstrap"],
                expected: "/var/task/bootstrap"),
        ])
    func withoutArguments(_ row: WithoutArguments) {
        let command = BootstrapCommand.resolve(positional: [], currentDirectory: "/elsewhere") { row.existing.contains($0) }
        #expect(command == BootstrapCommand(argv: [row.expected], workingDirectory: "/var/task", handler: nil))
    }

    @Test("candidates are tried in order and the lookup stops at the first hit")
    func lookupOrder() {
        let asked = Lock<[String]>([])
        _ = BootstrapCommand.resolve(positional: [], currentDirectory: "/") { path in
            asked.withLock { $0.append(path) }
            return path == "/opt/bootstrap"
        }
        #expect(asked.withLock { $0 } == ["/var/task/bootstrap", "/opt/bootstrap"])
    }

    @Test("the default check accepts files (through symlinks) and rejects directories and missing paths")
    func defaultIsRegularFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("bootstrap", "#!/bin/sh\n")
        #expect(symlink(file, dir.file("link")) == 0)
        #expect(mkdir(dir.file("subdir"), 0o755) == 0)
        defer { rmdir(dir.file("subdir")) }
        #expect(BootstrapCommand.defaultIsRegularFile(file))
        #expect(BootstrapCommand.defaultIsRegularFile(dir.file("link")))
        #expect(!BootstrapCommand.defaultIsRegularFile(dir.file("subdir")))
        #expect(!BootstrapCommand.defaultIsRegularFile(dir.file("missing")))
        #expect(!BootstrapCommand.defaultIsRegularFile(dir.path))
    }
}
