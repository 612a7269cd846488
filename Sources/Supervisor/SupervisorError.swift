// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Why the runtime process could not be started.
package enum SupervisorError: Error, Sendable, Equatable {
    /// The program could not be executed: missing or not found in `PATH` (`ENOENT`), not executable (`EACCES`),
    /// not a valid executable (`ENOEXEC`), or the working directory could not be entered. `errno` is what
    /// `posix_spawn` reported from the child. Go's emulator calls this `Runtime.InvalidEntrypoint`.
    case spawnFailed(errno: Int32)
    /// The working directory is not absolute or does not exist (Go's `simpleBootstrap.Cwd`,
    /// `Runtime.InvalidWorkingDir`). Checked before spawning.
    case invalidWorkingDirectory(String)

    /// The fatal error type Go's emulator records: `Runtime.InvalidEntrypoint` or `Runtime.InvalidWorkingDir`.
    package var errorType: String {
        switch self {
        case .spawnFailed: "Runtime.InvalidEntrypoint"
        case .invalidWorkingDirectory: "Runtime.InvalidWorkingDir"
        }
    }

    /// The error text Go's emulator gets for this failure when starting `program` (`argv[0]`):
    /// `fork/exec /var/task/bootstrap: no such file or directory`,
    /// `exec: "python3": executable file not found in $PATH`, `the working directory doesn't exist: /var/task`.
    /// For a bare name found in `PATH` that then fails to exec, Go names the resolved path; this names `program`.
    package func message(program: String) -> String {
        switch self {
        case .spawnFailed(let code):
            if !program.contains("/") && code == ENOENT {
                return "exec: \"\(program)\": executable file not found in $PATH"
            }
            return "fork/exec \(program): " + SupervisorError.errnoText(code)
        case .invalidWorkingDirectory(let path):
            if !path.hasPrefix("/") {
                return "the working directory '\(path)' is invalid, it needs to be an absolute path"
            }
            return "the working directory doesn't exist: \(path)"
        }
    }

    /// Go's `syscall.Errno.Error()` on Linux for the errors exec can report; `errno N` otherwise, as Go does for
    /// numbers outside its table.
    static func errnoText(_ code: Int32) -> String {
        let index = Int(code)
        guard errnoTexts.indices.contains(index), !errnoTexts[index].isEmpty else { return "errno \(code)" }
        return errnoTexts[index]
    }

    private static let errnoTexts = [
        "", "operation not permitted", "no such file or directory", "no such process", "interrupted system call",
        "input/output error", "no such device or address", "argument list too long", "exec format error",
        "bad file descriptor", "no child processes", "resource temporarily unavailable", "cannot allocate memory",
        "permission denied", "bad address", "block device required", "device or resource busy", "file exists",
        "invalid cross-device link", "no such device", "not a directory", "is a directory", "invalid argument",
        "too many open files in system", "too many open files", "inappropriate ioctl for device", "text file busy",
        "file too large", "no space left on device", "illegal seek", "read-only file system", "too many links",
        "broken pipe", "numerical argument out of domain", "numerical result out of range",
        "resource deadlock avoided", "file name too long", "no locks available", "function not implemented",
        "directory not empty", "too many levels of symbolic links",
    ]
}
