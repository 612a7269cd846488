// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc

/// The command to run as the runtime, resolved as AWS's emulator does (`rie/run.go: getBootstrap`, rie-behavior §1.2).
///
/// - With positional arguments, they are the command, verbatim; the working directory is the emulator's own; with
///   two or more, the last one is also the handler (`aws-lambda-rie /lambda-entrypoint.sh app.handler`).
/// - Without, the first of `/var/task/bootstrap`, `/opt/bootstrap`, `/var/runtime/bootstrap` that exists and is not
///   a directory runs, in `/var/task`. When none exists the command stays `/var/task/bootstrap`, which then fails
///   to start (`Runtime.InvalidEntrypoint`).
package struct BootstrapCommand: Sendable, Equatable {
    /// `argv[0]` is the program: a path, or a bare name looked up in the runtime environment's `PATH`.
    package var argv: [String]
    package var workingDirectory: String
    /// The last positional argument when there are at least two.
    package var handler: String?

    /// The bootstrap candidates, in the order Go's classic mode tries them.
    static let candidates = ["/var/task/bootstrap", "/opt/bootstrap", "/var/runtime/bootstrap"]
    static let defaultWorkingDirectory = "/var/task"

    package init(argv: [String], workingDirectory: String, handler: String? = nil) {
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.handler = handler
    }

    /// - Parameters:
    ///   - positional: the bootstrap command and its arguments, as given after the flags (may be empty).
    ///   - currentDirectory: the emulator's working directory (Go's `os.Getwd()`); empty means `/`, as in Go's
    ///     `NewSimpleBootstrap`.
    ///   - isRegularFile: "exists and is not a directory" (Go's `isBootstrapFileExist`); tests fake the filesystem.
    package static func resolve(
        positional: [String],
        currentDirectory: String,
        isRegularFile: (String) -> Bool = BootstrapCommand.defaultIsRegularFile
    ) -> BootstrapCommand {
        guard !positional.isEmpty else {
            let program = candidates.first(where: isRegularFile) ?? candidates[0]
            return BootstrapCommand(argv: [program], workingDirectory: defaultWorkingDirectory)
        }
        return BootstrapCommand(
            argv: positional,
            workingDirectory: currentDirectory.isEmpty ? "/" : currentDirectory,
            handler: positional.count >= 2 ? positional.last : nil)
    }

    /// True when `stat(2)` succeeds (following symlinks) and the path is not a directory.
    package static func defaultIsRegularFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & S_IFMT != S_IFDIR
    }
}
