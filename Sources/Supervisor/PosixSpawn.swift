// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import CShims
import Glibc

/// One `posix_spawn(3)` call, set up as Go's `exec.Cmd` with `SysProcAttr{Setpgid: true}` behaves:
///
/// - the child leads its own process group (`POSIX_SPAWN_SETPGROUP`, group 0), so the whole group can be signalled;
/// - its signal mask is empty and SIGPIPE, SIGTERM, SIGINT and SIGCHLD are back to their default action: the
///   emulator ignores SIGPIPE and blocks SIGTERM/SIGINT for its signalfd, and both would otherwise be inherited.
///   So are glibc's internal signals 32 and 33, which its posix_spawn would otherwise leave ignored (Go's child
///   gets them at default). Signals ignored by whoever started the emulator stay ignored, as with Go;
/// - its environment is exactly the one given, never the emulator's;
/// - it starts in `workingDirectory` (changed to in the child, after the fork, as Go does);
/// - stdin is `/dev/null`; stdout is the emulator's stdout (or `outputFD`, when given), and so is stderr: Go's
///   emulator hands the runtime `os.Stdout` for both (`NoOpLogsEgressAPI.GetRuntimeSockets`), and its own log
///   lines go to stderr;
/// - no other descriptor is inherited (Go's exec passes 0, 1 and 2 only), whatever lacks `FD_CLOEXEC`.
///
/// glibc's `posix_spawn` forks with `CLONE_VFORK` and reports a failed `chdir` or `execve` as its return value.
enum PosixSpawn {
    static func spawn(
        path: String, argv: [String], environment: [String], workingDirectory: String, outputFD: Int32? = nil
    ) throws(SupervisorError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        var rc = posix_spawnattr_setflags(&attributes, Int16(flags))
        if rc == 0 { rc = posix_spawnattr_setpgroup(&attributes, 0) }
        var mask = sigset_t()
        sigemptyset(&mask)
        if rc == 0 { rc = posix_spawnattr_setsigmask(&attributes, &mask) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGCHLD, 32, 33] { cshims_sigset_add_any(&defaults, signal) }
        if rc == 0 { rc = posix_spawnattr_setsigdefault(&attributes, &defaults) }

        if rc == 0 { rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        if rc == 0, let outputFD { rc = posix_spawn_file_actions_adddup2(&actions, outputFD, 1) }
        if rc == 0 { rc = posix_spawn_file_actions_adddup2(&actions, 1, 2) }
        if rc == 0 { rc = cshims_spawn_file_actions_addchdir(&actions, workingDirectory) }
        if rc == 0 { rc = cshims_spawn_file_actions_addclosefrom(&actions, 3) }
        guard rc == 0 else { throw .spawnFailed(errno: rc) }

        var pid: pid_t = 0
        rc = withCStringArray(argv) { argvPointer in
            withCStringArray(environment) { envPointer in
                posix_spawn(&pid, path, &actions, &attributes, argvPointer, envPointer)
            }
        }
        guard rc == 0 else { throw .spawnFailed(errno: rc) }
        return pid
    }

    /// Calls `body` with a NULL-terminated array of C strings that lives for the duration of the call.
    private static func withCStringArray<R>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
    ) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
