// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Reactor
import Testing

@testable import Supervisor

@Suite(.timeLimit(.minutes(1)))
struct RuntimeProcessTeardownTests {
    let sleeper = BootstrapCommand(argv: ["/bin/sleep", "1000"], workingDirectory: "/")

    /// A shell that ignores SIGTERM (inherited by its `sleep`) and says "ready" once it does.
    func stubbornShell(_ fifo: LineFIFO) -> BootstrapCommand {
        shell("trap '' TERM; echo ready > \"$0\"; /bin/sleep 1000", fifo.path)
    }

    @Test("terminate stops a process that honours SIGTERM without waiting out the grace")
    func terminateWithSIGTERM() async throws {
        let process = try RuntimeProcess.spawn(sleeper, environment: testEnvironment)
        let start = MonotonicInstant.now
        let status = await process.terminate(graceMilliseconds: 30_000)
        #expect(status == .signaled(SIGTERM))
        #expect(status.description == "signal: terminated")
        #expect(MonotonicInstant.now.milliseconds(since: start) < 20_000)
    }

    @Test("terminate falls back to SIGKILL after the grace when SIGTERM is ignored")
    func terminateFallsBackToSIGKILL() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fifo = try LineFIFO(in: dir)
        defer { fifo.close() }
        let process = try RuntimeProcess.spawn(stubbornShell(fifo), environment: testEnvironment)
        #expect(try await fifo.readLine() == "ready")
        let start = MonotonicInstant.now
        let status = await process.terminate(graceMilliseconds: 300)
        #expect(status == .signaled(SIGKILL))
        #expect(MonotonicInstant.now.milliseconds(since: start) >= 300)
    }

    @Test("cancelling terminate cuts the grace short and kills")
    func cancelledTerminateKills() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fifo = try LineFIFO(in: dir)
        defer { fifo.close() }
        let process = try RuntimeProcess.spawn(stubbornShell(fifo), environment: testEnvironment)
        #expect(try await fifo.readLine() == "ready")
        let teardown = Task { await process.terminate(graceMilliseconds: 600_000) }
        teardown.cancel()
        #expect(await teardown.value == .signaled(SIGKILL))
    }

    @Test("terminate after the exit returns the status and signals nothing")
    func terminateAfterExit() async throws {
        let process = try RuntimeProcess.spawn(shell("exit 4"), environment: testEnvironment)
        #expect(await process.exitStatus() == .exited(4))
        #expect(await process.terminate(graceMilliseconds: 1000) == .exited(4))
    }

    @Test("kill reaches the whole process group, grandchildren included")
    func killKillsGrandchildren() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fifo = try LineFIFO(in: dir)
        defer { fifo.close() }
        let process = try RuntimeProcess.spawn(
            shell("/bin/sleep 1000 & echo $! > \"$0\"; wait", fifo.path), environment: testEnvironment)
        let grandchild = try #require(Int32(try await fifo.readLine()))
        #expect(isRunning(grandchild))
        #expect(getpgid(grandchild) == process.pid)
        process.kill()
        process.kill()  // idempotent
        #expect(await process.exitStatus() == .signaled(SIGKILL))
        try await awaitTermination(ofPID: grandchild)
        #expect(!isRunning(grandchild))
        process.kill()  // safe after the exit
    }

    @Test("once the leader has exited, kill sends nothing, as Go's supervisor: what it left behind survives")
    func killAfterExitSendsNothing() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fifo = try LineFIFO(in: dir)
        defer { fifo.close() }
        let process = try RuntimeProcess.spawn(
            shell("/bin/sleep 1000 & echo $! > \"$0\"", fifo.path), environment: testEnvironment)
        let orphan = try #require(Int32(try await fifo.readLine()))
        defer { _ = Glibc.kill(orphan, SIGKILL) }
        #expect(await process.exitStatus() == .exited(0))
        process.kill()
        #expect(await process.terminate(graceMilliseconds: 100) == .exited(0))
        #expect(try await !terminates(orphan, withinMilliseconds: 300))
        #expect(isRunning(orphan))
        #expect(getpgid(orphan) == process.pid)
    }
}
