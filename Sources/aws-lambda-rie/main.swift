// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import LambdaAPI
import LambdaCore
import Logging
import SocketServer
import Supervisor


let version = "0.1.0"

func fail(_ message: String) -> Never {
    let line = RapidLogHandler.timestamp() + " [FATAL] (rapid) " + message + "\n"
    var bytes = Array(line.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

let parsedOptions: EmulatorOptions
do {
    switch try EmulatorOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(EmulatorOptions.usage)
        exit(0)
    case .version:
        print("aws-lambda-rie (swift-lambda-rie) \(version)")
        exit(0)
    case .run(let parsed):
        parsedOptions = parsed
    }
} catch {
    fail("Failed to parse command line arguments: [\(error.message)]")
}

let signals: SignalWatcher
do { signals = try SignalWatcher() } catch { fail("Failed to install signal handlers: \(error)") }

let parentEnvironment = RuntimeEnvironment.current()
let options = parsedOptions.applyingEnvironment { name in parentEnvironment.last { $0.name == name }?.value }
let levelName = options.logLevel ?? parentEnvironment.last { $0.name == "LOG_LEVEL" }?.value ?? "info"
guard let level = RapidLogHandler.level(named: levelName.isEmpty ? "info" : levelName) else {
    fail("Failed to set log level. Valid log levels are: [panic fatal error warning info debug trace]")
}
LoggingSystem.bootstrap { _ in RapidLogHandler(logLevel: level) }
let logger = Logger(label: "aws-lambda-rie")

for (flag, address) in [
    ("--runtime-api-address", options.runtimeAPIAddress),
    ("--runtime-interface-emulator-address", options.emulatorAddress),
    ("--function-url-address", options.functionURLAddress ?? "127.0.0.1:0"),
] where !EmulatorWiring.isValidAddress(address) {
    fail("The command line value for \"\(flag)\" is not a valid network address \"\(address)\"")
}

guard options.concurrency != nil else {
    fail(
        "The value of --max-concurrency (or \(EmulatorOptions.maxConcurrencyVariable)) must be a whole number from 1 "
            + "to \(EmulatorOptions.maxConcurrencyLimit), not \"\(options.maxConcurrency ?? "")\"")
}

let command = BootstrapCommand.resolve(
    positional: options.positional, currentDirectory: EmulatorWiring.currentDirectory())
if !options.positional.isEmpty {
    logger.info("exec '\(command.argv[0])' (cwd=\(command.workingDirectory), handler=\(command.handler ?? ""))")
}

// The whole emulator prefers the epoll thread as its executor (see EmulatorWiring.runOnReactor).
let code = await EmulatorWiring.runOnReactor(
    options: options, command: command, parentEnvironment: parentEnvironment, signals: signals, logger: logger)
exit(code)
