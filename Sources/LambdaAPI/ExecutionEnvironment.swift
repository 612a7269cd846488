// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import Logging
import SocketServer
import Supervisor

/// One execution environment, as Lambda has one per concurrent invoke: its own runtime process
/// (`RuntimeController`, started lazily by the first invoke it gets), its own Runtime API listener
/// (`RuntimeAPIHandler` on an `HTTPServer`), the `Rendezvous` that pairs its invokes with that runtime's `/next`,
/// its runtime output relay's `LogTail`, and its init-duration ledger. `--max-concurrency N` makes N of them;
/// `EnvironmentPool` spreads invokes over them.
///
/// Everything that exists once per environment is created here, in `init`, and nowhere else: per-environment
/// services (the Extensions API, a Telemetry API) belong here too, next to the Runtime API they share a
/// listener with.
package final class ExecutionEnvironment: PooledEnvironment {
    /// Largest piece the Runtime API reads of a request body at once: the product's fixed 4 KiB streaming buffer.
    /// A streamed response is forwarded in pieces of up to this size, one `read` and one `send` each, so at most
    /// 4 KiB of a stream is in flight. (Scripts/bench measured 64 KiB reads at ~3x the throughput for runtimes that
    /// write 64 KiB chunks; the README's Performance section gives the figures. The buffer size is the owner's call.)
    static let runtimeBodyPieceBytes = 4 * 1024

    /// What every environment shares: the function's settings and the emulator's environment.
    package struct Settings: Sendable {
        package var command: BootstrapCommand
        package var parentEnvironment: [EnvironmentVariable]
        package var functionARN: String
        /// Largest streamed response forwarded before the stream is cut.
        package var maxStreamedBytes: Int
        package var logger: Logger

        package init(
            command: BootstrapCommand, parentEnvironment: [EnvironmentVariable], functionARN: String,
            maxStreamedBytes: Int, logger: Logger
        ) {
            self.command = command
            self.parentEnvironment = parentEnvironment
            self.functionARN = functionARN
            self.maxStreamedBytes = maxStreamedBytes
            self.logger = logger
        }
    }

    /// 0 for the environment on the configured Runtime API address; the others listen on ports the kernel picks.
    package let index: Int
    package let rendezvous: Rendezvous
    package let controller: RuntimeController
    package let logTail: LogTail
    package let initDurations: InitDurationLedger
    /// This environment's extensions (processes, Extensions API) and its Telemetry and Logs API subscribers.
    package let extensions: EnvironmentExtensions
    /// The Runtime API listener of this environment's runtime.
    package let runtimeServer: HTTPServer
    /// The Runtime API as this runtime dials it (`AWS_LAMBDA_RUNTIME_API`): `runtimeHost:<bound port>`.
    package let runtimeAPIAddress: String

    /// Binds the Runtime API on `listenAddress` (throws when it cannot) and prepares the runtime's environment;
    /// starts nothing. `runtimeHost` is the IP literal the runtime dials.
    package init(index: Int, listenAddress: String, runtimeHost: String, settings: Settings) throws {
        let logger = settings.logger
        let ledger = InitDurationLedger()
        let logTail = LogTail()
        let controller = RuntimeController(
            command: settings.command, initDurations: ledger, logTail: logTail, logger: logger)
        let parentValue = { (name: String) in settings.parentEnvironment.last { $0.name == name }?.value }
        let extensions = EnvironmentExtensions(
            configuration: .from(environment: parentValue), functionARN: settings.functionARN,
            memorySize: parentValue("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") ?? "3008", clock: WallClock.milliseconds,
            logger: logger)
        logTail.observeOutput { extensions.functionOutput($0) }
        let rendezvous = Rendezvous(
            control: extensions.control(wrapping: controller), clock: ReactorRendezvousClock())
        let metadataToken = RuntimeAPIHandler.makeMetadataToken()
        var configuration = ServerConfiguration()
        configuration.bodyPieceBytes = Self.runtimeBodyPieceBytes
        let server = try HTTPServer(
            address: listenAddress, configuration: configuration,
            handler: RuntimeAPIHandler(
                rendezvous: rendezvous, functionARN: settings.functionARN, maxStreamedBytes: settings.maxStreamedBytes,
                metadataToken: metadataToken, logTail: logTail, logger: logger, extensions: extensions),
            logger: logger)
        let address = runtimeHost + ":\(server.port)"
        if index == 0, listenAddress.hasSuffix(":0") {  // the others are listed once, by the wiring
            logger.info("Listening port was dynamically allocated port=\(server.port)")
        }
        let runtimeEnvironment =
            RuntimeEnvironment.build(
                parent: settings.parentEnvironment, runtimeAPIAddress: address, handler: settings.command.handler
            ).filter { !$0.name.hasPrefix("AWS_LAMBDA_METADATA_") }
                + [
                    // AWS's emulator (as shipped with SAM CLI 1.170) advertises its metadata endpoint this way.
                    EnvironmentVariable(name: "AWS_LAMBDA_METADATA_API", value: address),
                    EnvironmentVariable(name: "AWS_LAMBDA_METADATA_TOKEN", value: metadataToken),
                ]
        controller.attach(rendezvous, environment: runtimeEnvironment)
        extensions.attach(rendezvous: rendezvous, environment: runtimeEnvironment)
        self.extensions = extensions
        self.index = index
        self.rendezvous = rendezvous
        self.controller = controller
        self.logTail = logTail
        self.initDurations = ledger
        self.runtimeServer = server
        self.runtimeAPIAddress = address
    }

    package var isInvokeSettled: Bool { extensions.hub.isSettled }

    package func invokeSettled() async { await extensions.hub.invokeSettled() }

    /// Serves this environment's Runtime API until cancelled (or its listener fails).
    package func run() async throws {
        try await runtimeServer.run()
    }

    package func shutdown(graceMilliseconds: Int) async {
        await controller.shutdown(graceMilliseconds: graceMilliseconds)
        await extensions.shutdown(graceMilliseconds: graceMilliseconds)
    }

    /// The listen address of environment `index`: the configured one for 0 (as AWS's emulator), else the same
    /// host on a port the kernel picks. Fixed following ports (9002, 9003, ...) were tried first and dropped: any
    /// of them can be taken, by another service or by the local end of an outgoing connection (ephemeral ports),
    /// which failed the start at random; nobody but the environment's own runtime, which is told the address in
    /// `AWS_LAMBDA_RUNTIME_API`, dials these listeners. Nil when `base` has no port.
    package static func listenAddress(base: String, index: Int) -> String? {
        guard index > 0 else { return base }
        guard let colon = base.lastIndex(of: ":"), Int(base[base.index(after: colon)...]) != nil else { return nil }
        return "\(base[..<colon]):0"
    }
}
