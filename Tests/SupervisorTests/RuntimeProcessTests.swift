// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Reactor
import Testing

@testable import Supervisor

@Suite(.timeLimit(.minutes(1)))
struct RuntimeProcessTests {
    @Test("a shell that exits 3 reports exited(3), 'exit status 3'")
    func exitCode() async throws {
        let process = try RuntimeProcess.spawn(shell("exit 3"), environment: testEnvironment)
        let status = await process.exitStatus()
        #expect(status == .exited(3))
        #expect(status.description == "exit status 3")
        #expect(await process.exitStatus() == .exited(3))
    }

    @Test("a clean exit reports exited(0)")
    func cleanExit() async throws {
        let process = try RuntimeProcess.spawn(shell("exit 0"), environment: testEnvironment)
        #expect(await process.exitStatus() == .exited(0))
    }

    @Test("a process that kills itself with SIGKILL reports signaled(9), 'signal: killed'")
    func killedBySignal() async throws {
        let process = try RuntimeProcess.spawn(shell("kill -KILL $$"), environment: testEnvironment)
        let status = await process.exitStatus()
        #expect(status == .signaled(SIGKILL))
        #expect(status.description == "signal: killed")
    }

    @Test("a process ended by SIGTERM reports 'signal: terminated'")
    func terminatedBySignal() async throws {
        let process = try RuntimeProcess.spawn(shell("kill -TERM $$"), environment: testEnvironment)
        #expect(await process.exitStatus() == .signaled(SIGTERM))
    }

    @Test("with an output descriptor, the child's stdout and stderr both go to it, in order")
    func outputDescriptor() async throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        let readFD = fds[0]
        defer { close(readFD) }
        let process = try RuntimeProcess.spawn(
            shell("echo out; echo err >&2; echo again"), environment: testEnvironment, outputFD: fds[1])
        close(fds[1])
        #expect(await process.exitStatus() == .exited(0))
        // The child has exited and the write end is closed: this read sees everything, then end of file.
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            collected += buffer[0..<n]
        }
        #expect(String(decoding: collected, as: UTF8.self) == "out\nerr\nagain\n")
    }

    @Test("the child leads its own process group")
    func ownProcessGroup() async throws {
        let process = try RuntimeProcess.spawn(
            BootstrapCommand(argv: ["/bin/sleep", "1000"], workingDirectory: "/"), environment: testEnvironment)
        #expect(getpgid(process.pid) == process.pid)
        #expect(getpgid(process.pid) != getpgrp())
        process.kill()
        #expect(await process.exitStatus() == .signaled(SIGKILL))
    }

    @Test("several tasks awaiting one process all get the same status")
    func manyWaiters() async throws {
        let process = try RuntimeProcess.spawn(
            BootstrapCommand(argv: ["/bin/sleep", "1000"], workingDirectory: "/"), environment: testEnvironment)
        let statuses = await withTaskGroup(of: Supervisor.ExitStatus.self) { group in
            for _ in 0..<8 { group.addTask { await process.exitStatus() } }
            process.kill()
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: .signaled(SIGKILL), count: 8))
    }

    @Test("20 children awaited at once all complete with their own exit codes")
    func twentyConcurrentChildren() async throws {
        let results = try await withThrowingTaskGroup(of: (Int32, Supervisor.ExitStatus).self) { group in
            for code in Int32(0)..<20 {
                let process = try RuntimeProcess.spawn(shell("exit \(code)"), environment: testEnvironment)
                group.addTask { (code, await process.exitStatus()) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 20)
        for code in Int32(0)..<20 { #expect(results[code] == .exited(code)) }
    }

    @Test(
        "20 parked waiters leave the cooperative pool free, whatever the exit watch",
        arguments: [RuntimeProcess.ExitWatch.pidfd, .thread, .polling])
    func waitersDoNotBlockThePool(_ watch: RuntimeProcess.ExitWatch) async throws {
        let sleeper = BootstrapCommand(argv: ["/bin/sleep", "1000"], workingDirectory: "/")
        var processes: [RuntimeProcess] = []
        for _ in 0..<20 {
            processes.append(try RuntimeProcess.spawn(sleeper, environment: testEnvironment, exitWatch: watch))
        }
        // Park 20 tasks (ten times the pool's width on this machine) on processes that will not exit on their own.
        let waiters = processes.map { process in Task { await process.exitStatus() } }
        while processes.contains(where: { $0.parkedWaiterCount == 0 }) { await Task.yield() }
        // If the waits blocked pool threads, none of this would run and the time limit would fail the test.
        let unrelated = await Task { 6 * 7 }.value
        #expect(unrelated == 42)
        for process in processes { process.kill() }
        for waiter in waiters { #expect(await waiter.value == .signaled(SIGKILL)) }
    }

    @Test("every exit watch reports the exit code", arguments: [RuntimeProcess.ExitWatch.pidfd, .thread, .polling])
    func exitWatchModes(_ watch: RuntimeProcess.ExitWatch) async throws {
        let process = try RuntimeProcess.spawn(shell("exit 5"), environment: testEnvironment, exitWatch: watch)
        #expect(await process.exitStatus() == .exited(5))
    }

    @Test("the child is reaped even when nobody awaits it")
    func reapedWithoutWaiter() async throws {
        let process = try RuntimeProcess.spawn(shell("exit 0"), environment: testEnvironment)
        while process.currentStatus == nil { await Task.yield() }
        // Reaped, not a zombie: the pid is gone.
        #expect(Glibc.kill(process.pid, 0) == -1 && errno == ESRCH)
        #expect(await process.exitStatus() == .exited(0))
    }
}
