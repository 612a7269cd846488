// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Finds the file to execute for a program name, as Go's `exec.Command` does: a name containing `/` is used as
/// is (a missing or bad file fails at exec), a bare name is looked up in `PATH` with `exec.LookPath` rules.
enum ExecutableLookup {
    /// - Returns: the path to exec, or nil when a bare name is not found.
    /// - Parameters:
    ///   - searchPath: the `PATH` value of the runtime's environment; nil or empty finds nothing (Go's
    ///     `filepath.SplitList("")` is empty: there is no default path as `execvp` has).
    ///   - isExecutable: Go's `findExecutable`: exists, not a directory, executable for the effective ids.
    static func resolve(
        _ program: String,
        searchPath: String?,
        isExecutable: (String) -> Bool = ExecutableLookup.isExecutable
    ) -> String? {
        if program.contains("/") { return program }
        guard !program.isEmpty, let searchPath, !searchPath.isEmpty else { return nil }
        for element in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            // An empty element means ".", as in the shell.
            let directory = element.isEmpty ? "." : String(element)
            let candidate = directory.hasSuffix("/") ? directory + program : directory + "/" + program
            guard isExecutable(candidate) else { continue }
            // Go (1.19+) refuses a match relative to the current directory (`exec.ErrDot`) instead of running it.
            return candidate.hasPrefix("/") ? candidate : nil
        }
        return nil
    }

    static func isExecutable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { return false }
        return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0
    }
}
