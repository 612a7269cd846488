// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import LambdaCore
import Logging
import Reactor
import Supervisor
import Locking

/// Owns the runtime process: starts it when the rendezvous asks (lazily, on the first invoke), reports its exit
/// back, kills its process group on timeout or init error, and logs the `INIT …` lines as AWS's emulator does.
package final class RuntimeController: RuntimeControl {
    private struct State {
        var process: RuntimeProcess?
        /// A start is between its decision and the end of its spawn (no `process` yet).
        var starting = false
        /// A stop came while `starting`: the new process is killed as soon as it exists.
        var stopWhileStarting = false
        var generation = 0
        var initStarted: MonotonicInstant?
        var rendezvous: Rendezvous?
        var environment: [EnvironmentVariable] = []
    }

    private let command: BootstrapCommand
    private let initDurations: InitDurationLedger
    private let logTail: LogTail
    private let logger: Logger
    private let state = Lock(State())
    /// How long a runtime that posted `/init/error` may take to exit by itself.
    static let initErrorGraceMilliseconds = 500

    package init(command: BootstrapCommand, initDurations: InitDurationLedger, logTail: LogTail, logger: Logger) {
        self.command = command
        self.logTail = logTail
        self.initDurations = initDurations
        self.logger = logger
    }

    /// Completes the cycle rendezvous -> controller -> rendezvous, and sets the runtime's environment (which
    /// names the Runtime API's bound port); call once, before serving invokes.
    package func attach(_ rendezvous: Rendezvous, environment: [EnvironmentVariable]) {
        state.withLock {
            $0.rendezvous = rendezvous
            $0.environment = environment
        }
    }

    package func startRuntime() {
        let generation: (Int, [EnvironmentVariable])? = state.withLock {
            guard $0.process == nil, !$0.starting else { return nil }
            $0.starting = true
            $0.stopWhileStarting = false
            $0.generation += 1
            $0.initStarted = .now
            return ($0.generation, $0.environment)
        }
        guard let (generation, environment) = generation else { return }
        logger.info("INIT START(type: on-demand, phase: init)")
        if !Self.isDirectory("/opt/extensions") {
            logger.info("The extension's directory \"/opt/extensions\" does not exist, assuming no extensions to be loaded.")
        }
        let missing = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"].filter { name in
            environment.first { $0.name == name }?.value.isEmpty ?? true
        }
        if !missing.isEmpty {
            logger.info("Starting runtime without \(missing.joined(separator: ", ")) , Expected?: false")
        }
        // The runtime's stdout and stderr come through a pipe we relay to our stdout, so that invokes can ask
        // for their log tail; without a pipe the runtime inherits our stdout.
        let output = RuntimeOutputRelay.open(tail: logTail)
        // Started first: if the spawn fails, the relay sees the end of the pipe and closes it.
        if let relay = output?.0 { Task { await relay.run() } }
        let process: RuntimeProcess
        do {
            defer { if let output { close(output.writeFD) } }
            process = try RuntimeProcess.spawn(command, environment: environment, outputFD: output?.writeFD)
        } catch {
            state.withLock {
                $0.starting = false
                $0.stopWhileStarting = false
            }
            logger.error("Init failed error=\(error.message(program: command.argv.first ?? "")) InvokeID=")
            report(exit: error.errorType)
            return
        }
        let stoppedMeanwhile = state.withLock { state -> Bool in
            state.process = process
            state.starting = false
            defer { state.stopWhileStarting = false }
            return state.stopWhileStarting
        }
        logger.debug("Runtime started runtime.pid=\(process.pid) runtime.generation=\(generation)")
        Task {
            let status = await process.exitStatus()
            state.withLock { if $0.process === process { $0.process = nil } }
            logger.warning("Process runtime-\(generation) exited: \(status.description)")
            report(exit: status.description)
        }
        if stoppedMeanwhile {
            // The reset (an extension that crashed during init, a timeout) came while this process was being
            // spawned: it must not serve anything. Its exit is reported as any other.
            logger.info("Sending SIGKILL to runtime-\(generation)(\(process.pid)).")
            process.kill()
        }
    }

    package func stopRuntime(reason: String) {
        logger.warning("Reset initiated: \(reason)")
        enum Found {
            case running(RuntimeProcess, Int)
            /// Being spawned: `startRuntime` kills it as soon as it exists, and its exit is reported then.
            case starting
            case none
        }
        let found = state.withLock { state -> Found in
            if let process = state.process { return .running(process, state.generation) }
            guard state.starting else { return .none }
            state.stopWhileStarting = true
            return .starting
        }
        guard case .running(let process, let generation) = found else {
            if case .none = found { report(exit: "signal: killed") }
            return
        }
        guard reason == "InitError" else {
            logger.info("Sending SIGKILL to runtime-\(generation)(\(process.pid)).")
            process.kill()
            return
        }
        // A runtime that posted /init/error normally exits by itself right after its 202 (and may still write to
        // its output); give it that chance before the kill.
        Task {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask { _ = await process.exitStatus(); return true }
                group.addTask {
                    (try? await Task.sleep(for: .milliseconds(Self.initErrorGraceMilliseconds))) == nil
                }
                // Kill inside the group: the exit waiter ignores cancellation and returns only once it has exited.
                if await group.next() == false {
                    logger.info("Sending SIGKILL to runtime-\(generation)(\(process.pid)).")
                    process.kill()
                }
                group.cancelAll()
            }
        }
    }

    package func runtimeInitialized() {
        let started = state.withLock { $0.initStarted.take() }
        logger.info("INIT RTDONE(status: success)")
        guard let started else { return }
        let ms = MonotonicInstant.now.milliseconds(since: started)
        logger.info("INIT REPORT(durationMs: \(GoFormat.sixDecimals(ms)))")
        initDurations.record(ms)
    }

    /// SIGTERM to the runtime's group, then SIGKILL after `graceMilliseconds`.
    package func shutdown(graceMilliseconds: Int) async {
        logger.warning("Reset initiated: SandboxTerminated")
        let running = state.withLock { s -> (RuntimeProcess, Int)? in
            if s.process == nil && s.starting { s.stopWhileStarting = true }  // killed once spawned
            return s.process.map { ($0, s.generation) }
        }
        guard let (process, generation) = running else { return }
        logger.info("Sending SIGTERM to runtime-\(generation)(\(process.pid)).")
        logger.info("Waiting for runtime domain processes termination")
        _ = await process.terminate(graceMilliseconds: graceMilliseconds)
    }

    /// Tells the rendezvous outside the caller's stack, so that its follow-up `startRuntime` never re-enters.
    private func report(exit reason: String) {
        let rendezvous = state.withLock { $0.rendezvous }
        Task { rendezvous?.runtimeExited(reason: reason) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

}

/// The init duration of the latest runtime start, handed to the one `REPORT` line that owns it.
package final class InitDurationLedger: Sendable {
    private let pending = Lock<Double?>(nil)
    package init() {}
    func record(_ milliseconds: Double) { pending.withLock { $0 = milliseconds } }
    func take() -> Double? { pending.withLock { $0.take() } }
}
