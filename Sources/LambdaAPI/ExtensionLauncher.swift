// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Locking
import Logging
import Supervisor

/// Owns the external extension processes of one execution environment: finds the executables in the extensions
/// directory (`/opt/extensions` by default), starts each in its own process group with the runtime's
/// environment (so `AWS_LAMBDA_RUNTIME_API` names this environment's listener), reports each exit, and tears
/// them all down (SIGTERM, then SIGKILL after a grace period).
package final class ExtensionLauncher: Sendable {
    private struct Running {
        let name: String
        let process: RuntimeProcess
    }

    let directory: String
    private let logger: Logger
    private let running = Lock<[Running]>([])

    package init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// The executable regular files of `directory`, by name, sorted (as Lambda starts them); empty when the
    /// directory does not exist.
    package static func discover(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            var info = stat()
            let path = directory + "/" + name
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(path, X_OK) == 0 else { continue }
            names.append(name)
        }
        return names.sorted()
    }

    /// Starts every extension found; returns the names of those started. `onExit` is called (in a task) with
    /// the name of each that exits and how it ended (`exit status 1`, `signal: killed`).
    package func launch(
        environment: [EnvironmentVariable], onExit: @escaping @Sendable (String, String) -> Void
    ) -> [String] {
        var started: [String] = []
        for name in Self.discover(directory) {
            let command = BootstrapCommand(argv: [directory + "/" + name], workingDirectory: "/")
            let process: RuntimeProcess
            do {
                process = try RuntimeProcess.spawn(command, environment: environment)
            } catch {
                logger.error("Failed to start extension \(name): \(error.message(program: command.argv[0]))")
                continue
            }
            logger.debug("Extension started name=\(name) pid=\(process.pid)")
            running.withLock { $0.append(Running(name: name, process: process)) }
            started.append(name)
            Task { [logger, running] in
                let status = await process.exitStatus()
                running.withLock { list in list.removeAll { $0.process === process } }
                logger.info("Extension \(name) exited: \(status.description)")
                onExit(name, status.description)
            }
        }
        return started
    }

    /// Names of the extension processes still running.
    package var runningNames: [String] { running.withLock { $0.map(\.name) } }

    /// Waits up to `milliseconds` for every extension process to exit by itself; true if they all did.
    package func awaitExit(withinMilliseconds milliseconds: Int) async -> Bool {
        let processes = running.withLock { $0.map(\.process) }
        guard !processes.isEmpty else { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for process in processes { _ = await process.exitStatus() }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            if !first {
                // The exit waiter ignores cancellation: end it by ending the processes.
                for process in processes { process.kill() }
            }
            return first
        }
    }

    /// SIGTERM to every extension's group, SIGKILL after `graceMilliseconds`; returns when all have exited.
    package func terminateAll(graceMilliseconds: Int) async {
        let processes = running.withLock { $0.map(\.process) }
        await withTaskGroup(of: Void.self) { group in
            for process in processes {
                group.addTask { _ = await process.terminate(graceMilliseconds: graceMilliseconds) }
            }
        }
    }
}
