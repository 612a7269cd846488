// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import LambdaAPI
import LambdaCore
import Logging
import SocketServer
import Supervisor

/// Builds the emulator (rendezvous, runtime controller, Runtime API and invoke API listeners, and the Function
/// URL listener when asked for) and runs it until SIGTERM or SIGINT.
enum EmulatorWiring {
    /// Streamed responses are cut past real Lambda's 200 MB, overridable for tests and big local streams.
    static let defaultMaxStreamedBytes = 200 * 1024 * 1024

    static func run(
        options: EmulatorOptions, command: BootstrapCommand, parentEnvironment: [EnvironmentVariable],
        signals: SignalWatcher, logger: Logger
    ) async -> Int32 {
        let ledger = InitDurationLedger()
        let logTail = LogTail()
        let controller = RuntimeController(command: command, initDurations: ledger, logTail: logTail, logger: logger)
        let rendezvous = Rendezvous(control: controller, clock: ContinuousRendezvousClock(epochMilliseconds: WallClock.milliseconds))
        let functionARN = RuntimeEnvironment.functionARN(parent: parentEnvironment)
        let env = { @Sendable (name: String) in parentEnvironment.last { $0.name == name }?.value }
        let maxStreamed = env("AWS_LAMBDA_RIE_MAX_STREAMED_BYTES").flatMap(Int.init) ?? defaultMaxStreamedBytes
        let metadataToken = RuntimeAPIHandler.makeMetadataToken()
        let runtimeServer: HTTPServer
        let invokeServer: HTTPServer
        var functionURLServer: HTTPServer?
        let report = InvocationReport(
            functionVersion: env("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST",
            memorySize: env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") ?? "3008")
        let timeoutSeconds = { @Sendable in timeout(env("AWS_LAMBDA_FUNCTION_TIMEOUT")) }
        let invoker = Invoker(
            rendezvous: rendezvous, report: report, initDurations: ledger, timeoutSeconds: timeoutSeconds,
            logTail: logTail, logger: logger)
        do {
            runtimeServer = try HTTPServer(
                address: options.runtimeAPIAddress, configuration: ServerConfiguration(),
                handler: RuntimeAPIHandler(
                    rendezvous: rendezvous, functionARN: functionARN, maxStreamedBytes: maxStreamed,
                    metadataToken: metadataToken, logTail: logTail, logger: logger),
                logger: logger)
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
        let runtimeAPIAddress = hostForRuntime(options.runtimeAPIAddress) + ":\(runtimeServer.port)"
        if options.runtimeAPIAddress.hasSuffix(":0") {
            logger.info("Listening port was dynamically allocated port=\(runtimeServer.port)")
        }
        controller.attach(
            rendezvous,
            environment: RuntimeEnvironment.build(
                parent: parentEnvironment, runtimeAPIAddress: runtimeAPIAddress, handler: command.handler
            ).filter { !$0.name.hasPrefix("AWS_LAMBDA_METADATA_") }
                + [
                    // AWS's emulator (as shipped with SAM CLI 1.170) advertises its metadata endpoint this way.
                    EnvironmentVariable(name: "AWS_LAMBDA_METADATA_API", value: runtimeAPIAddress),
                    EnvironmentVariable(name: "AWS_LAMBDA_METADATA_TOKEN", value: metadataToken),
                ])

        return await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                do { try await runtimeServer.run() } catch { logger.critical("Runtime API stopped: \(error)") }
                return 2
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
                    await controller.shutdown(graceMilliseconds: 2000)
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
