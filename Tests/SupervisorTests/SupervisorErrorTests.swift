// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Testing

@testable import Supervisor

@Suite
struct SupervisorErrorTests {
    @Test(
        "messages match the errors Go's exec and simpleBootstrap return",
        arguments: [
            (
                SupervisorError.spawnFailed(errno: ENOENT), "/var/task/bootstrap",
                "fork/exec /var/task/bootstrap: no such file or directory"
            ),
            (.spawnFailed(errno: EACCES), "/var/task/bootstrap", "fork/exec /var/task/bootstrap: permission denied"),
            (.spawnFailed(errno: ENOEXEC), "./bootstrap", "fork/exec ./bootstrap: exec format error"),
            (.spawnFailed(errno: ENOENT), "python3", "exec: \"python3\": executable file not found in $PATH"),
            (.spawnFailed(errno: EACCES), "python3", "fork/exec python3: permission denied"),
            (.spawnFailed(errno: 200), "/x", "fork/exec /x: errno 200"),
            (.invalidWorkingDirectory("/var/task"), "/var/task/bootstrap", "the working directory doesn't exist: /var/task"),
            (
                .invalidWorkingDirectory("task"), "/bootstrap",
                "the working directory 'task' is invalid, it needs to be an absolute path"
            ),
        ])
    func message(_ error: SupervisorError, _ program: String, _ expected: String) {
        #expect(error.message(program: program) == expected)
    }

    @Test("error types are the fatal errors Go's emulator records")
    func errorTypes() {
        #expect(SupervisorError.spawnFailed(errno: ENOENT).errorType == "Runtime.InvalidEntrypoint")
        #expect(SupervisorError.invalidWorkingDirectory("/x").errorType == "Runtime.InvalidWorkingDir")
    }
}
