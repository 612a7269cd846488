// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Reactor
import Testing

@testable import Supervisor

/// What a spawned child inherits, observed through `RuntimeProcess.spawn`.
@Suite(.timeLimit(.minutes(1)))
struct PosixSpawnTests {
    @Test("the child gets exactly the given environment, not ours; values with '=' survive")
    func exactEnvironment() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = [
            EnvironmentVariable(name: "MyEnv", value: "4=4"),
            EnvironmentVariable(name: "EMPTY", value: ""),
            EnvironmentVariable(name: "AWS_LAMBDA_RUNTIME_API", value: "127.0.0.1:9001"),
        ]
        // /proc/<shell>/environ is exactly what execve received, NUL-separated. (Not the last command: dash may
        // exec a last command in place of itself.)
        let process = try RuntimeProcess.spawn(
            shell("/bin/cat /proc/$$/environ > \"$0\"; exit 0", dir.file("environ")), environment: environment)
        #expect(await process.exitStatus() == .exited(0))
        #expect(try dir.read("environ") == "MyEnv=4=4\0EMPTY=\0AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001\0")
    }

    @Test("the child starts in the command's working directory")
    func workingDirectory() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let process = try RuntimeProcess.spawn(
            shell("/bin/pwd -P > out", in: dir.path), environment: testEnvironment)
        #expect(await process.exitStatus() == .exited(0))
        #expect(try dir.read("out") == dir.path + "\n")
    }

    @Test("stdin is /dev/null; stdout and stderr are both our stdout, as Go's emulator gives the runtime")
    func standardDescriptors() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let process = try RuntimeProcess.spawn(
            // dash applies a command's redirection in the shell itself, so read the shell's descriptors from a
            // command substitution, whose output goes to a pipe of its own.
            shell("r=$(/bin/readlink /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2); echo \"$r\" > \"$0\"", dir.file("fds")),
            environment: testEnvironment)
        #expect(await process.exitStatus() == .exited(0))
        let ourStdout = try #require(descriptorTarget(pid: "self", fd: 1))
        let fds = try dir.read("fds").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(fds == ["/dev/null", ourStdout, ourStdout, ""])
    }

    @Test("descriptors other than 0, 1 and 2 are not inherited, even without close-on-exec")
    func noDescriptorLeaks() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let leaky = open("/dev/null", O_RDONLY)  // deliberately without O_CLOEXEC
        try #require(leaky > 2)
        defer { close(leaky) }
        let process = try RuntimeProcess.spawn(
            shell(
                "if [ -e /proc/$$/fd/$1 ]; then r=leaked; else r=closed; fi; echo $r > \"$0\"", dir.file("out"), "\(leaky)"),
            environment: testEnvironment)
        #expect(await process.exitStatus() == .exited(0))
        #expect(try dir.read("out") == "closed\n")
    }

    @Test("the child's signal mask is empty and SIGPIPE/SIGTERM/SIGINT are back to default")
    func signalStateIsReset() async throws {
        // Set up what the emulator does: SIGPIPE ignored, SIGTERM and SIGINT blocked (on this thread, which spawns).
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        sigaddset(&blocked, SIGINT)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previousMask)
        let previousPipe = signal(SIGPIPE, SIG_IGN)
        let spawned = Result { () throws(SupervisorError) in
            try RuntimeProcess.spawn(
                BootstrapCommand(argv: ["/bin/sleep", "1000"], workingDirectory: "/"), environment: testEnvironment)
        }
        signal(SIGPIPE, previousPipe)
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        let process = try spawned.get()
        // posix_spawn returns after the exec, so this is sleep's own status.
        let status = try readFile("/proc/\(process.pid)/status")
        process.kill()
        #expect(await process.exitStatus() == .signaled(SIGKILL))
        #expect(status.contains("SigBlk:\t0000000000000000\n"))
        #expect(status.contains("SigIgn:\t0000000000000000\n"))
    }

    @Test("a bare program name is looked up in the PATH of the given environment")
    func lookupInPATH() async throws {
        let process = try RuntimeProcess.spawn(
            BootstrapCommand(argv: ["sh", "-c", "exit 7"], workingDirectory: "/"),
            environment: [EnvironmentVariable(name: "PATH", value: "/nonexistent:/bin")])
        #expect(await process.exitStatus() == .exited(7))
    }

    @Test("without PATH in the environment a bare name is not found, even if it exists in ours")
    func noPATH() {
        #expect(throws: SupervisorError.spawnFailed(errno: ENOENT)) {
            try RuntimeProcess.spawn(BootstrapCommand(argv: ["sh", "-c", "exit 0"], workingDirectory: "/"), environment: [])
        }
    }

    @Test("a missing program fails with ENOENT")
    func missingProgram() {
        #expect(throws: SupervisorError.spawnFailed(errno: ENOENT)) {
            try RuntimeProcess.spawn(
                BootstrapCommand(argv: ["/var/task/definitely-missing/bootstrap"], workingDirectory: "/"),
                environment: testEnvironment)
        }
        #expect(throws: SupervisorError.spawnFailed(errno: ENOENT)) {
            try RuntimeProcess.spawn(
                BootstrapCommand(argv: ["definitely-not-a-command-xyz"], workingDirectory: "/"),
                environment: testEnvironment)
        }
        #expect(throws: SupervisorError.spawnFailed(errno: ENOENT)) {
            try RuntimeProcess.spawn(BootstrapCommand(argv: [], workingDirectory: "/"), environment: testEnvironment)
        }
    }

    @Test("a file without execute permission fails with EACCES")
    func notExecutable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bootstrap = try dir.write("bootstrap", "#!/bin/sh\nexit 0\n", mode: 0o644)
        #expect(throws: SupervisorError.spawnFailed(errno: EACCES)) {
            try RuntimeProcess.spawn(BootstrapCommand(argv: [bootstrap], workingDirectory: "/"), environment: testEnvironment)
        }
    }

    @Test("an executable that is not a valid program fails with ENOEXEC ('exec format error')")
    func execFormatError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bootstrap = try dir.write("bootstrap", "\u{7F}ELF not really\n", mode: 0o755)
        #expect(throws: SupervisorError.spawnFailed(errno: ENOEXEC)) {
            try RuntimeProcess.spawn(BootstrapCommand(argv: [bootstrap], workingDirectory: "/"), environment: testEnvironment)
        }
    }

    @Test("a working directory that is missing or relative is refused before spawning")
    func invalidWorkingDirectory() {
        #expect(throws: SupervisorError.invalidWorkingDirectory("/var/task-definitely-missing")) {
            try RuntimeProcess.spawn(shell("exit 0", in: "/var/task-definitely-missing"), environment: testEnvironment)
        }
        #expect(throws: SupervisorError.invalidWorkingDirectory("task")) {
            try RuntimeProcess.spawn(shell("exit 0", in: "task"), environment: testEnvironment)
        }
    }

    @Test("a working directory that is a file fails at the child's chdir")
    func workingDirectoryIsAFile() {
        #expect(throws: SupervisorError.spawnFailed(errno: ENOTDIR)) {
            try RuntimeProcess.spawn(shell("exit 0", in: "/bin/sh"), environment: testEnvironment)
        }
    }
}
