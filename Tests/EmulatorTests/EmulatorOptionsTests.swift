// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import aws_lambda_rie

struct EmulatorOptionsTests {
    private func run(_ args: [String]) throws -> EmulatorOptions {
        guard case .run(let options) = try EmulatorOptions.parse(args) else {
            Issue.record("expected .run for \(args)")
            return EmulatorOptions()
        }
        return options
    }

    @Test("defaults match AWS's emulator")
    func defaults() throws {
        let o = try run([])
        #expect(o.runtimeAPIAddress == "127.0.0.1:9001")
        #expect(o.emulatorAddress == "0.0.0.0:8080")
        #expect(o.logLevel == nil)
        #expect(!o.enableInitCaching)
        #expect(o.positional.isEmpty)
    }

    @Test("the bootstrap and its unknown options pass through in order")
    func passThrough() throws {
        let o = try run(["python3", "-m", "awslambdaric", "app.handler"])
        #expect(o.positional == ["python3", "-m", "awslambdaric", "app.handler"])
    }

    @Test("flags are taken anywhere, with = or a separate value, as go-flags does")
    func flagsAnywhere() throws {
        let o = try run([
            "--log-level", "debug", "/lambda-entrypoint.sh", "main.handler",
            "--runtime-interface-emulator-address", "0.0.0.0:8081", "--runtime-api-address=127.0.0.1:0",
            "--enable-init-caching", "--unknown", "x",
        ])
        #expect(o.logLevel == "debug")
        #expect(o.emulatorAddress == "0.0.0.0:8081")
        #expect(o.runtimeAPIAddress == "127.0.0.1:0")
        #expect(o.enableInitCaching)
        #expect(o.positional == ["/lambda-entrypoint.sh", "main.handler", "--unknown", "x"])
    }

    @Test("a flag without its value is an error")
    func missingValue() {
        #expect(throws: EmulatorOptions.ParseError.self) { try EmulatorOptions.parse(["--log-level"]) }
    }

    @Test("--help and --version before the bootstrap, and only there")
    func helpAndVersion() throws {
        #expect(try EmulatorOptions.parse(["--help"]) == .help)
        #expect(try EmulatorOptions.parse(["--version"]) == .version)
        #expect(try run(["node", "--help"]).positional == ["node", "--help"])
    }

    @Test("addresses are validated as Go's SplitHostPort does", arguments: [
        ("0.0.0.0:8080", true), ("127.0.0.1:0", true), ("[::1]:9001", true), (":8080", true),
        ("localhost", false), ("1.2.3.4:99999", false), ("::1:80", false), ("host:port", false),
    ])
    func addressValidation(address: String, valid: Bool) {
        #expect(EmulatorWiring.isValidAddress(address) == valid)
    }

    @Test("the runtime dials an IP literal", arguments: [
        ("0.0.0.0:9001", "127.0.0.1"), ("127.0.0.1:9001", "127.0.0.1"), ("localhost:1", "127.0.0.1"), ("[::]:1", "[::1]"),
        ("10.1.2.3:9001", "10.1.2.3"),
    ])
    func runtimeHost(address: String, host: String) {
        #expect(EmulatorWiring.hostForRuntime(address) == host)
    }

    @Test("log levels use logrus's names")
    func logLevels() {
        #expect(RapidLogHandler.level(named: "WARN") == .warning)
        #expect(RapidLogHandler.level(named: "warning") == .warning)
        #expect(RapidLogHandler.level(named: "trace") == .trace)
        #expect(RapidLogHandler.level(named: "loud") == nil)
        #expect(RapidLogHandler.levelName(.warning) == "WARNING")
    }

    @Test("--function-url-address is off by default and taken anywhere, with = or a separate value")
    func functionURLFlag() throws {
        #expect(try run(["bootstrap"]).functionURLAddress == nil)
        let separate = try run(["bootstrap", "arg", "--function-url-address", "127.0.0.1:8081"])
        #expect(separate.functionURLAddress == "127.0.0.1:8081")
        #expect(separate.positional == ["bootstrap", "arg"])
        #expect(try run(["--function-url-address=0.0.0.0:9000", "bootstrap"]).functionURLAddress == "0.0.0.0:9000")
        #expect(throws: EmulatorOptions.ParseError.self) { try EmulatorOptions.parse(["--function-url-address"]) }
    }

    @Test("AWS_LAMBDA_RIE_FUNCTION_URL_ADDRESS turns the listener on; the flag wins; empty means off")
    func functionURLEnvironment() throws {
        let env = { (value: String?) in { (name: String) -> String? in
            name == "AWS_LAMBDA_RIE_FUNCTION_URL_ADDRESS" ? value : nil
        } }
        #expect(try run([]).applyingEnvironment(env("127.0.0.1:8081")).functionURLAddress == "127.0.0.1:8081")
        #expect(try run([]).applyingEnvironment(env("")).functionURLAddress == nil)
        #expect(try run([]).applyingEnvironment(env(nil)).functionURLAddress == nil)
        let flagged = try run(["--function-url-address", "127.0.0.1:9999"]).applyingEnvironment(env("127.0.0.1:8081"))
        #expect(flagged.functionURLAddress == "127.0.0.1:9999")
    }

    @Test("--max-concurrency (or AWS_LAMBDA_RIE_MAX_CONCURRENCY, not AWS's LMI variable) is 1 to 256; default 1")
    func maxConcurrency() throws {
        let env = { (value: String?) in { (name: String) -> String? in
            name == "AWS_LAMBDA_RIE_MAX_CONCURRENCY" ? value : nil
        } }
        #expect(try run(["bootstrap"]).concurrency == 1)
        #expect(try run(["--max-concurrency", "8", "bootstrap"]).concurrency == 8)
        #expect(try run(["bootstrap", "--max-concurrency=256"]).concurrency == 256)
        for bad in ["0", "-1", "257", "x", ""] {
            #expect(try run(["--max-concurrency", bad]).concurrency == nil, "\(bad)")
        }
        #expect(try run([]).applyingEnvironment(env("4")).concurrency == 4)
        #expect(try run([]).applyingEnvironment(env("")).concurrency == 1)
        #expect(try run(["--max-concurrency", "2"]).applyingEnvironment(env("4")).concurrency == 2)
        let lmi = { (name: String) -> String? in name == "AWS_LAMBDA_MAX_CONCURRENCY" ? "8" : nil }
        #expect(try run([]).applyingEnvironment(lmi).concurrency == 1)
        #expect(throws: EmulatorOptions.ParseError.self) { try EmulatorOptions.parse(["--max-concurrency"]) }
    }
}
