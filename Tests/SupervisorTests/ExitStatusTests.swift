// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import Supervisor

@Suite
struct ExitStatusTests {
    @Test(
        "descriptions use Go's exec.ExitError wording",
        arguments: [
            (Supervisor.ExitStatus.exited(0), "exit status 0"),
            (.exited(1), "exit status 1"),
            (.exited(3), "exit status 3"),
            (.exited(255), "exit status 255"),
            (.signaled(1), "signal: hangup"),
            (.signaled(2), "signal: interrupt"),
            (.signaled(3), "signal: quit"),
            (.signaled(4), "signal: illegal instruction"),
            (.signaled(5), "signal: trace/breakpoint trap"),
            (.signaled(6), "signal: aborted"),
            (.signaled(7), "signal: bus error"),
            (.signaled(8), "signal: floating point exception"),
            (.signaled(9), "signal: killed"),
            (.signaled(10), "signal: user defined signal 1"),
            (.signaled(11), "signal: segmentation fault"),
            (.signaled(13), "signal: broken pipe"),
            (.signaled(14), "signal: alarm clock"),
            (.signaled(15), "signal: terminated"),
            (.signaled(24), "signal: CPU time limit exceeded"),
            (.signaled(31), "signal: bad system call"),
            (.signaled(34), "signal: signal 34"),
            (.signaled(64), "signal: signal 64"),
            (.signaled(0), "signal: signal 0"),
        ])
    func description(_ status: Supervisor.ExitStatus, _ expected: String) {
        #expect(status.description == expected)
        #expect("\(status)" == expected)
    }
}
