// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import Supervisor

@Suite
struct ExecutableLookupTests {
    let executables: Set<String> = ["/usr/bin/python3", "/opt/bin/python3", "./tool", "bin/tool", "/usr/local/bin/node"]

    func resolve(_ program: String, _ path: String?) -> String? {
        ExecutableLookup.resolve(program, searchPath: path) { executables.contains($0) }
    }

    @Test("a name with a slash is used as is, without looking at the filesystem")
    func pathsAreUsedAsIs() {
        #expect(resolve("/var/task/bootstrap", nil) == "/var/task/bootstrap")
        #expect(resolve("./bootstrap", "") == "./bootstrap")
        #expect(resolve("sub/bootstrap", "/usr/bin") == "sub/bootstrap")
    }

    @Test("a bare name is the first executable match along PATH")
    func searchesPATHInOrder() {
        #expect(resolve("python3", "/usr/local/bin:/usr/bin:/opt/bin") == "/usr/bin/python3")
        #expect(resolve("python3", "/opt/bin:/usr/bin") == "/opt/bin/python3")
        #expect(resolve("node", "/usr/local/bin/") == "/usr/local/bin/node")
        #expect(resolve("ruby", "/usr/local/bin:/usr/bin") == nil)
    }

    @Test("an unset or empty PATH finds nothing: there is no default path")
    func emptyPATH() {
        #expect(resolve("python3", nil) == nil)
        #expect(resolve("python3", "") == nil)
        #expect(resolve("", "/usr/bin") == nil)
    }

    @Test("a match relative to the current directory is refused, as Go's exec.ErrDot")
    func relativeMatchIsRefused() {
        #expect(resolve("tool", ":/usr/bin") == nil)
        #expect(resolve("tool", "bin:/usr/bin") == nil)
        #expect(resolve("python3", ":/usr/bin") == "/usr/bin/python3")
    }

    @Test("the real check accepts executables and rejects directories, plain files and missing paths")
    func realCheck() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let plain = try dir.write("plain", "data", mode: 0o644)
        let script = try dir.write("script", "#!/bin/sh\n", mode: 0o755)
        #expect(ExecutableLookup.isExecutable(script))
        #expect(ExecutableLookup.isExecutable("/bin/sh"))
        #expect(!ExecutableLookup.isExecutable(plain))
        #expect(!ExecutableLookup.isExecutable(dir.path))
        #expect(!ExecutableLookup.isExecutable(dir.file("missing")))
    }
}
