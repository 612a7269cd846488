// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import LambdaAPI
import LambdaCore
import Logging
import Reactor
import SocketServer
import Supervisor

/// Builds the emulator (the execution environments, each a rendezvous, runtime controller and Runtime API
/// listener, their pool, the invoke API listener, and the Function URL listener when asked for) and runs it until
/// SIGTERM or SIGINT.
enum EmulatorWiring {
    /// Streamed responses are cut past real Lambda's 200 MB, overridable for tests and big local streams.
    static let defaultMaxStreamedBytes = 200 * 1024 * 1024

    /// ``run(options:command:parentEnvironment:signals:logger:)`` with the epoll thread as the preferred
    /// executor of the whole emulator (see Poller+Executor.swift): a task woken by readiness continues there,
    /// without a hop to the cooperative pool and back. Called from a nonisolated function so that the body does
    /// not start on the main actor (from main.swift's top level it would, through the main queue: 10 ms more
    /// before the listeners are bound, measured).
    static func runOnReactor(
        options: EmulatorOptions, command: BootstrapCommand, parentEnvironment: [EnvironmentVariable],
        signals: SignalWatcher, logger: Logger
    ) async -> Int32 {
        await withTaskExecutorPreference(Poller.shared) {
            await run(
                options: options, command: command, parentEnvironment: parentEnvironment, signals: signals,
                logger: logger)
        }
    }

    static func run(
        options: EmulatorOptions, command: BootstrapCommand, parentEnvironment: [EnvironmentVariable],
        signals: SignalWatcher, logger: Logger
    ) async -> Int32 {
        let functionARN = RuntimeEnvironment.functionARN(parent: parentEnvironment)
        let env = { @Sendable (name: String) in parentEnvironment.last { $0.name == name }?.value }
        let maxStreamed = env("AWS_LAMBDA_RIE_MAX_STREAMED_BYTES").flatMap(Int.init) ?? defaultMaxStreamedBytes
        let settings = ExecutionEnvironment.Settings(
            command: command, parentEnvironment: parentEnvironment, functionARN: functionARN,
            maxStreamedBytes: maxStreamed, logger: logger)
        let invokeServer: HTTPServer
        var functionURLServer: HTTPServer?
        let report = InvocationReport(
            functionVersion: env("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST",
            memorySize: env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") ?? "3008")
        let timeoutSeconds = { @Sendable in timeout(env("AWS_LAMBDA_FUNCTION_TIMEOUT")) }
        var environments: [ExecutionEnvironment] = []
        let pool: EnvironmentPool
        let invoker: Invoker
        do {
            // One execution environment per allowed concurrent invoke, each with its own Runtime API listener:
            // environment 0 on --runtime-api-address, the others on ports the kernel picks, on the same host.
            for index in 0..<(options.concurrency ?? 1) {
                guard let address = ExecutionEnvironment.listenAddress(base: options.runtimeAPIAddress, index: index)
                else {
                    logger.critical("Failed to listen: no port for execution environment \(index)")
                    return 2
                }
                do {
                    environments.append(
                        try ExecutionEnvironment(
                            index: index, listenAddress: address, runtimeHost: hostForRuntime(address),
                            settings: settings))
                } catch let SocketError.failed(call, code) where index > 0 {
                    // Go's wording ("bind: address already in use"), so that the failing port is plain.
                    let reason = String(cString: strerror(code)).lowercased()
                    logger.critical("Failed to listen: execution environment \(index) on \(address): \(call): \(reason)")
                    return 2
                }
            }
            pool = EnvironmentPool(environments)
            invoker = Invoker(pool: pool, report: report, timeoutSeconds: timeoutSeconds, logger: logger)
            invokeServer = try HTTPServer(
                address: options.emulatorAddress, configuration: ServerConfiguration(),
                handler: InvokeAPIHandler(invoker: invoker),
                logger: logger)
            if let address = options.functionURLAddress {
                let server = try HTTPServer(
                    address: address, configuration: ServerConfiguration(),
                    handler: FunctionURLHandler(invoker: invoker, defaultDomain: address),
                    logger: logger)
                logger.info("Function URL listening on http://\(hostForRuntime(address)):\(server.port)/")
                functionURLServer = server
            }
        } catch {
            logger.critical("Failed to listen: \(error)")
            return 2
        }
        let environmentList = environments
        if environments.count > 1 {
            let addresses = environments.map(\.runtimeAPIAddress).joined(separator: ", ")
            logger.info("Execution environments: \(environments.count), Runtime API at \(addresses)")
        }

        return await withTaskGroup(of: Int32?.self) { group in
            for environment in environmentList {
                group.addTask {
                    do { try await environment.run() } catch { logger.critical("Runtime API stopped: \(error)") }
                    return 2
                }
            }
            group.addTask {
                do { try await invokeServer.run() } catch { logger.critical("Invoke API stopped: \(error)") }
                return 2
            }
            if let functionURLServer {
                group.addTask {
                    do { try await functionURLServer.run() } catch { logger.critical("Function URL stopped: \(error)") }
                    return 2
                }
            }
            group.addTask {
                do {
                    let name = try await signals.next()
                    logger.info("Received signal signal=\(name)")
                    logger.info("Shutting down...")
                    await pool.shutdown(graceMilliseconds: 2000)
                    return 0
                } catch {
                    return nil
                }
            }
            var code: Int32 = 2
            for await result in group {
                if let result {
                    code = result
                    break
                }
            }
            group.cancelAll()
            return code
        }
    }

    /// `AWS_LAMBDA_FUNCTION_TIMEOUT` in whole seconds (default 300); nil when it is not a positive integer.
    static func timeout(_ text: String?) -> Int? {
        guard let text else { return 300 }
        guard let seconds = Int(text), seconds > 0 else { return nil }
        return seconds
    }

    /// The Runtime API address as the runtime must dial it: an IP literal (the Swift runtime needs one).
    static func hostForRuntime(_ address: String) -> String {
        guard let colon = address.lastIndex(of: ":") else { return "127.0.0.1" }
        let host = String(address[..<colon])
        switch host {
        case "", "0.0.0.0", "localhost": return "127.0.0.1"
        case "[::]": return "[::1]"
        default: return host
        }
    }

    /// Go's `net.SplitHostPort` rules, roughly: `host:port` with a numeric port, IPv6 in brackets.
    static func isValidAddress(_ address: String) -> Bool {
        guard let colon = address.lastIndex(of: ":") else { return false }
        let host = address[..<colon]
        let port = address[address.index(after: colon)...]
        guard let p = Int(port), (0...65535).contains(p) else { return false }
        if host.hasPrefix("[") { return host.hasSuffix("]") }
        return !host.contains(":")
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
