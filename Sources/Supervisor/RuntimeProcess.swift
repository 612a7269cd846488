// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Glibc
import Reactor
import Locking

/// A running runtime process, leader of its own process group. Owns the pid until the child is reaped, and
/// everything that waits for it.
///
/// Guarantees:
/// - The child is always reaped, whether or not anyone awaits ``exitStatus()``: a watcher starts at spawn. It parks
///   on a pidfd registered with `Poller.shared` and reaps with a non-blocking `waitid`, so no task of the
///   cooperative pool ever blocks. Where `pidfd_open` is unavailable (Linux < 5.3, an old seccomp profile) one
///   dedicated thread blocks in `waitid` instead (and if no thread can start, a task looks every 10 ms).
/// - Signals go to the group (`-pid`) only while the leader is unreaped, under the same lock as the reap: an exited
///   leader (even a zombie) keeps its pid and group id from being reused, so a signal can never reach a stranger.
///   Once the leader is reaped, ``kill()`` and ``terminate(graceMilliseconds:)`` send nothing, as Go's supervisor
///   (`local_supervisor.go: kill` returns early once the process has terminated); processes the leader left
///   behind in its group are then not touched, again as in Go.
package final class RuntimeProcess: Sendable {
    /// How the exit is detected. `pidfd` unless the kernel refuses it; tests force the others.
    enum ExitWatch: Sendable { case pidfd, thread, polling }

    private struct State {
        var status: ExitStatus?
        var waiters: [UInt64: CheckedContinuation<ExitStatus?, Never>] = [:]
        var cancelledWaiters: Set<UInt64> = []
        var nextWaiterID: UInt64 = 0
    }

    /// Also the process group id: the child leads its own group.
    package let pid: Int32
    private let state = Lock(State())

    /// Starts `command` with exactly `environment`; see ``PosixSpawn`` for what the child inherits. A bare
    /// `argv[0]` is looked up in the `PATH` of `environment` (Go's `exec.LookPath`).
    /// - Throws: ``SupervisorError/invalidWorkingDirectory(_:)`` before spawning when the directory is relative or
    ///   missing; ``SupervisorError/spawnFailed(errno:)`` when the program cannot be found or executed.
    /// - Parameter outputFD: where the runtime's stdout and stderr go; nil inherits the emulator's stdout.
    package static func spawn(
        _ command: BootstrapCommand, environment: [EnvironmentVariable], outputFD: Int32? = nil
    ) throws(SupervisorError) -> RuntimeProcess {
        try spawn(command, environment: environment, exitWatch: .pidfd, outputFD: outputFD)
    }

    static func spawn(
        _ command: BootstrapCommand, environment: [EnvironmentVariable], exitWatch: ExitWatch,
        outputFD: Int32? = nil
    ) throws(SupervisorError) -> RuntimeProcess {
        try checkWorkingDirectory(command.workingDirectory)
        guard let program = command.argv.first,
            let path = ExecutableLookup.resolve(program, searchPath: environment.value(of: "PATH"))
        else { throw .spawnFailed(errno: ENOENT) }
        let pid = try PosixSpawn.spawn(
            path: path, argv: command.argv, environment: environment.map(\.entry),
            workingDirectory: command.workingDirectory, outputFD: outputFD)
        return RuntimeProcess(pid: pid, exitWatch: exitWatch)
    }

    /// Go's `simpleBootstrap.Cwd`: the directory must be absolute and exist. (Any other problem with it makes the
    /// child's `chdir` fail, which `posix_spawn` reports as ``SupervisorError/spawnFailed(errno:)``.)
    private static func checkWorkingDirectory(_ path: String) throws(SupervisorError) {
        var info = stat()
        guard path.hasPrefix("/"), stat(path, &info) == 0 || errno != ENOENT else {
            throw .invalidWorkingDirectory(path)
        }
    }

    private init(pid: Int32, exitWatch: ExitWatch) {
        self.pid = pid
        startWatching(exitWatch)
    }

    /// Suspends until the process has exited and returns how. Any number of tasks may wait; all get the same
    /// status. Cancellation does not end the wait (there is no status to return before the exit); ``kill()`` does.
    package func exitStatus() async -> ExitStatus {
        while true {
            if let status = await awaitExit(cancellable: false) { return status }
        }
    }

    /// The status if the process has already been reaped.
    var currentStatus: ExitStatus? { state.withLock { $0.status } }

    /// How many tasks are suspended waiting for the exit (for tests).
    var parkedWaiterCount: Int { state.withLock { $0.waiters.count } }

    /// SIGKILL to the whole process group. Idempotent; does nothing once the process has been reaped.
    package func kill() {
        signalGroup(SIGKILL)
    }

    /// Sends `signal` to the process group if the leader has not been reaped. The lock orders this against the reap.
    func signalGroup(_ signal: Int32) {
        state.withLock { state in
            guard state.status == nil else { return }
            _ = Glibc.kill(-pid, signal)
        }
    }

    // MARK: - Waiting

    /// Suspends until the exit, or returns nil when `cancellable` and the task is cancelled.
    func awaitExit(cancellable: Bool) async -> ExitStatus? {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let park = { (continuation: CheckedContinuation<ExitStatus?, Never>) in
            let immediate: ExitStatus?? = self.state.withLock { state in
                if let status = state.status { return .some(status) }
                if state.cancelledWaiters.remove(id) != nil { return .some(nil) }
                state.waiters[id] = continuation
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        guard cancellable else { return await withCheckedContinuation(park) }
        return await withTaskCancellationHandler {
            await withCheckedContinuation(park)
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<ExitStatus?, Never>? in
                if let parked = state.waiters.removeValue(forKey: id) { return parked }
                if state.status == nil { state.cancelledWaiters.insert(id) }
                return nil
            }
            continuation?.resume(returning: nil)
        }
    }

    /// Reaps the child if it has exited (non-blocking) and wakes every waiter. Returns true once reaped.
    @discardableResult
    func reapIfExited() -> Bool {
        let (status, waiters) = state.withLock { state -> (ExitStatus?, [CheckedContinuation<ExitStatus?, Never>]) in
            if let status = state.status { return (status, []) }
            var value: Int32 = 0
            let status: ExitStatus
            switch cshims_waitid_exit(pid, WNOHANG, &value) {
            case 0: return (nil, [])
            case 1: status = .exited(value)
            case 2: status = .signaled(value)
            default:
                // ECHILD: something else in this process reaped our child (it must not: nothing else may wait
                // for children). Report it as Go does a status it cannot decode.
                status = .exited(1)
            }
            state.status = status
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            state.cancelledWaiters = []
            return (status, waiters)
        }
        for waiter in waiters { waiter.resume(returning: status) }
        return status != nil
    }
}
