// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// How a process ended, worded as Go's `exec.ExitError` (the Go emulator's `ProcessTermination.String()`), which
/// the emulator puts in `Runtime exited with error: <description>`.
package enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// The process called `exit(code)`.
    case exited(Int32)
    /// A signal ended the process.
    case signaled(Int32)

    /// `exit status 1`, `signal: killed`, `signal: terminated`, `signal: segmentation fault`, `signal: signal 34`.
    /// Go adds no `(core dumped)` here. For `exited(0)` the caller decides the wording
    /// (`Runtime exited without providing a reason`).
    package var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "signal: " + ExitStatus.signalName(signal)
        }
    }

    /// Go's `syscall.Signal.String()` on Linux (the same table on amd64 and arm64).
    static func signalName(_ signal: Int32) -> String {
        let index = Int(signal)
        guard signalNames.indices.contains(index), !signalNames[index].isEmpty else { return "signal \(signal)" }
        return signalNames[index]
    }

    private static let signalNames = [
        "", "hangup", "interrupt", "quit", "illegal instruction", "trace/breakpoint trap", "aborted", "bus error",
        "floating point exception", "killed", "user defined signal 1", "segmentation fault", "user defined signal 2",
        "broken pipe", "alarm clock", "terminated", "stack fault", "child exited", "continued", "stopped (signal)",
        "stopped", "stopped (tty input)", "stopped (tty output)", "urgent I/O condition", "CPU time limit exceeded",
        "file size limit exceeded", "virtual timer expired", "profiling timer expired", "window changed",
        "I/O possible", "power failure", "bad system call",
    ]
}
