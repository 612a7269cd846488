// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import LambdaWire
import Locking
import Logging
import Reactor
import Supervisor

/// Where extensions come from, and whether there are any: read from the emulator's environment.
package struct ExtensionsConfiguration: Sendable, Equatable {
    /// False with `AWS_LAMBDA_RIE_DISABLE_EXTENSIONS=true` (or `1`): nothing is started and the Extensions API
    /// answers 404, as AWS's emulator does when extensions are disabled.
    package var enabled: Bool
    /// `AWS_LAMBDA_RIE_EXTENSIONS_DIR`, default `/opt/extensions`.
    package var directory: String

    package init(enabled: Bool = true, directory: String = "/opt/extensions") {
        self.enabled = enabled
        self.directory = directory
    }

    package static func from(environment value: (String) -> String?) -> ExtensionsConfiguration {
        let disabled = ["true", "1", "yes"].contains(value("AWS_LAMBDA_RIE_DISABLE_EXTENSIONS")?.lowercased() ?? "")
        let directory = value("AWS_LAMBDA_RIE_EXTENSIONS_DIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/opt/extensions"
        return ExtensionsConfiguration(enabled: !disabled, directory: directory)
    }
}

/// Everything about extensions and telemetry in ONE execution environment: its `ExtensionHub` (registrations,
/// events, the gates on the runtime's `/next`), its external extension processes, and its `TelemetryHub`.
///
/// Wiring surface (per execution environment): `control(wrapping:)` goes between the rendezvous and the runtime
/// controller (extensions start before the runtime, and are shut down with it); `attach` gives it the runtime's
/// environment and the rendezvous; the Runtime API handler calls `handle` for the Extensions/Telemetry/Logs
/// routes and the three runtime hooks (`runtimeWillRequestNext`, `invocationDelivered`, `runtimeAnswered`); the
/// runtime's output reaches `functionOutput`; `shutdown` runs on SIGTERM.
package final class EnvironmentExtensions: Sendable {
    struct Active {
        let requestID: String
        let started: MonotonicInstant
        let traceID: String?
        var answered: (status: String, durationMs: Double)?
    }

    private struct State {
        var environment: [EnvironmentVariable] = []
        var rendezvous: Rendezvous?
        /// Bumped by each runtime start and stop; a pending start of an older generation does nothing.
        var generation = 0
        /// Extension processes of the current generation may be alive.
        var launched = false
        var initStarted: MonotonicInstant?
        var pendingInitDurationMs: Double?
        var active: Active?
    }

    package let configuration: ExtensionsConfiguration
    package let hub: ExtensionHub
    package let telemetry: TelemetryHub
    let launcher: ExtensionLauncher
    let functionARN: String
    let memorySizeMB: Int
    let logger: Logger
    private let state = Lock(State())
    private let chain = Lock<Task<Void, Never>?>(nil)
    /// How long extensions get after SHUTDOWN before they are killed (Lambda: 2 s with extensions).
    static let shutdownGraceMilliseconds = 2000
    /// How long queued telemetry may take to go out before SHUTDOWN.
    static let telemetryFlushMilliseconds = 500

    package init(
        configuration: ExtensionsConfiguration, functionARN: String, memorySize: String,
        clock: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.configuration = configuration
        let hub = ExtensionHub()
        self.hub = hub
        self.telemetry = TelemetryHub(clock: clock, mayStillSubscribe: { hub.mayStillSubscribe }, logger: logger)
        self.launcher = ExtensionLauncher(directory: configuration.directory, logger: logger)
        self.functionARN = functionARN
        self.memorySizeMB = Int(memorySize) ?? 3008
        self.logger = logger
    }

    /// The control to give the rendezvous: starts extensions before the runtime, tears them down with it.
    package func control(wrapping inner: any RuntimeControl) -> any RuntimeControl {
        ExtensionsRuntimeControl(inner: inner, extensions: self)
    }

    /// The runtime's environment (extensions get the same) and the rendezvous (for extension init errors).
    package func attach(rendezvous: Rendezvous, environment: [EnvironmentVariable]) {
        state.withLock {
            $0.rendezvous = rendezvous
            $0.environment = environment
        }
    }

    var environment: [EnvironmentVariable] { state.withLock { $0.environment } }
    var rendezvous: Rendezvous? { state.withLock { $0.rendezvous } }
    func value(_ name: String) -> String? { environment.last { $0.name == name }?.value }

    // MARK: Runtime API hooks

    /// Before the runtime's `/next` reaches the rendezvous: waits for init to complete (first `/next`) or for the
    /// INVOKE subscribers to finish the last invoke, which then is complete: its `platform.report` goes out.
    package func runtimeWillRequestNext() async {
        await hub.runtimeMayProceed()
        let finished = state.withLock { state -> Active? in
            guard let active = state.active, active.answered != nil else { return nil }
            state.active = nil
            return active
        }
        if let finished { report(finished, status: finished.answered?.status ?? "success") }
    }

    /// The runtime received `invocation` on `/next`: `platform.start`, and INVOKE to the subscribed extensions.
    package func invocationDelivered(_ invocation: Invocation) {
        let isNew = state.withLock { state -> Bool in
            guard state.active?.requestID != invocation.id else { return false }
            state.active = Active(requestID: invocation.id, started: .now, traceID: invocation.traceID)
            return true
        }
        guard isNew else { return }
        telemetry.emit(
            .start(requestID: invocation.id, version: value("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST", traceID: invocation.traceID))
        guard hub.hasSubscribers(to: .invoke) else { return }  // no JSON to build for nobody
        var members = [
            JSONMember("eventType", "INVOKE"),
            JSONMember("deadlineMs", .integer(invocation.deadlineEpochMilliseconds)),
            JSONMember("requestId", .string(invocation.id)),
            JSONMember("invokedFunctionArn", .string(functionARN)),
        ]
        // Always present (aws-lambda-rie#109: the Rust extension crate needs it).
        var tracing: [JSONMember] = [JSONMember("type", "X-Amzn-Trace-Id")]
        if let trace = invocation.traceID { tracing.append(JSONMember("value", .string(trace))) }
        members.append(JSONMember("tracing", .object(tracing)))
        hub.dispatch(ExtensionEvent(type: .invoke, body: JSONValue.object(members).serialized()))
    }

    /// The runtime answered `requestID` (`status`: success, error): `platform.runtimeDone`.
    package func runtimeAnswered(requestID: String, producedBytes: Int, status: String) {
        let answered = state.withLock { state -> Active? in
            guard var active = state.active, active.requestID == requestID, active.answered == nil else { return nil }
            active.answered = (status, MonotonicInstant.now.milliseconds(since: active.started))
            state.active = active
            return active
        }
        guard let answered, let (status, duration) = answered.answered else { return }
        telemetry.emit(
            .runtimeDone(
                requestID: requestID, status: status, durationMs: duration, producedBytes: producedBytes,
                traceID: answered.traceID))
    }

    /// The runtime's output (stdout and stderr), as the relay read it.
    package func functionOutput(_ bytes: UnsafeRawBufferPointer) {
        telemetry.functionOutput(bytes)
    }

    // MARK: Lifecycle (called by ExtensionsRuntimeControl and on SIGTERM)

    /// A new generation (a runtime start or stop): a pending start of an older one does nothing.
    func bumpGeneration() -> Int {
        state.withLock { state in
            state.generation += 1
            return state.generation
        }
    }

    func isCurrent(_ generation: Int) -> Bool { state.withLock { $0.generation == generation } }

    /// Runs lifecycle steps one after the other, in the order they were asked for.
    func enqueue(_ step: @escaping @Sendable () async -> Void) {
        chain.withLock { last in
            let previous = last
            last = Task {
                await previous?.value
                await step()
            }
        }
    }

    /// Starts the runtime of `generation` (unless superseded): tears down the extensions of the previous
    /// runtime if still there, emits `platform.initStart`, starts the external extensions, waits for them to
    /// register, then calls `startRuntime`.
    func start(_ generation: Int, startRuntime: @escaping @Sendable () -> Void) async {
        guard isCurrent(generation) else { return }
        if state.withLock({ $0.launched }) {
            await tearDown(shutdownReason: "failure", graceMilliseconds: Self.shutdownGraceMilliseconds)
        }
        guard isCurrent(generation) else { return }
        hub.reset()
        telemetry.reset()
        state.withLock { $0.initStarted = .now }
        telemetry.emit(
            .initStart(
                functionName: value("AWS_LAMBDA_FUNCTION_NAME") ?? "test_function",
                functionVersion: value("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST"))
        _ = launch(generation)
        await hub.externalsRegistered(generation: generation)
        guard isCurrent(generation) else { return }
        startRuntime()
    }

    /// Starts the external extensions of `generation`; returns their names.
    func launch(_ generation: Int) -> [String] {
        guard configuration.enabled else { return [] }
        let names = launcher.launch(environment: environment) { [self] name, status in
            extensionExited(name: name, status: status, generation: generation)
        }
        state.withLock { if $0.generation == generation { $0.launched = !names.isEmpty } }
        hub.expect(names)
        return names
    }

    /// External extension `name` of `generation` exited (`status`: "exit status 1", "signal: killed"). An exit
    /// of a torn-down generation changes nothing. Before init is over it is Lambda's `Extension.Crash`, handled
    /// as an extension's `/init/error`: the init fails, the waiting invoke gets the error, the runtime and the
    /// extensions are reset, and the next invoke initialises afresh. After init it is `Extension.Crash` at the
    /// next invoke boundary: that invoke gets the error (as an init failure) and the environment is reset.
    func extensionExited(name: String, status: String, generation: Int) {
        guard isCurrent(generation) else { return }
        let duringInit = hub.exited(name: name)
        logger.error("Extension \(name) crashed: \(status)")
        let failure = JSONText.object([
            "errorMessage": "Extension \(name) exited\(duringInit ? " during init" : ""): \(status)",
            "errorType": "Extension.Crash",
        ])
        if duringInit {
            // Throws only when the runtime has already failed this init itself (its /init/error came first).
            try? rendezvous?.initError(body: Array(failure.utf8), contentType: "application/json")
        } else {
            resetAtNextInvoke(failure: failure, reason: "Extension.Crash")
        }
    }

    /// An extension failed after init (`reason`: Extension.Crash, Extension.ExitError): the next invoke gets
    /// `failure` and the runtime and the extensions are reset before the one after it.
    func resetAtNextInvoke(failure: String, reason: String) {
        rendezvous?.resetAtNextInvoke(body: Array(failure.utf8), contentType: "application/json", reason: reason)
    }

    /// `INIT RTDONE`: `platform.initRuntimeDone` and `platform.initReport`.
    func runtimeInitialized() {
        let started = state.withLock { $0.initStarted.take() }
        guard let started else { return }
        let duration = MonotonicInstant.now.milliseconds(since: started)
        state.withLock { $0.pendingInitDurationMs = duration }
        telemetry.emit(.initRuntimeDone(status: "success"))
        telemetry.emit(.initReport(durationMs: duration, status: "success"))
    }

    /// The runtime is being stopped (`reason`: Timeout, InitError) or replaced: the current invoke's report goes
    /// out, then SHUTDOWN to the subscribed extensions, which are terminated after the grace period.
    func runtimeStopped(reason: String) async {
        await tearDown(shutdownReason: reason == "Timeout" ? "timeout" : "failure", graceMilliseconds: Self.shutdownGraceMilliseconds)
    }

    /// SIGTERM: SHUTDOWN (`spindown`) to the subscribed extensions, up to `graceMilliseconds` for them to exit,
    /// then they are killed; telemetry subscribers get what is queued.
    package func shutdown(graceMilliseconds: Int) async {
        let generation = bumpGeneration()
        hub.releaseRegistrationWaiters(through: generation - 1)
        await tearDown(shutdownReason: "spindown", graceMilliseconds: graceMilliseconds)
    }

    /// Ends this generation's extensions: the unfinished invoke's `platform.report`, SHUTDOWN to subscribers
    /// (deadline = now + grace), wait for the processes, kill the rest, then a fresh hub.
    func tearDown(shutdownReason: String, graceMilliseconds: Int) async {
        let active = state.withLock { state -> Active? in
            state.launched = false
            return state.active.take()
        }
        if let active {
            let status = shutdownReason == "timeout" ? "timeout" : active.answered?.status ?? "failure"
            if active.answered == nil {
                telemetry.emit(
                    .runtimeDone(
                        requestID: active.requestID, status: status,
                        durationMs: MonotonicInstant.now.milliseconds(since: active.started), producedBytes: 0,
                        traceID: active.traceID))
            }
            report(active, status: status)
        }
        // Subscribers are extensions: they get what is queued before they are told to shut down.
        await telemetry.flush(withinMilliseconds: Self.telemetryFlushMilliseconds)
        let subscribers = hub.subscribers(of: .shutdown)
        if !subscribers.isEmpty {
            let deadline = WallClock.milliseconds() + Int64(graceMilliseconds)
            let body: JSONValue = [
                "eventType": "SHUTDOWN", "shutdownReason": .string(shutdownReason), "deadlineMs": .integer(deadline),
            ]
            hub.dispatch(ExtensionEvent(type: .shutdown, body: body.serialized()))
            _ = await launcher.awaitExit(withinMilliseconds: graceMilliseconds)
        }
        await launcher.terminateAll(graceMilliseconds: 0)
        hub.reset()
        telemetry.reset()
    }

    private func report(_ active: Active, status: String) {
        let initDuration = state.withLock { $0.pendingInitDurationMs.take() }
        telemetry.emit(
            .report(
                requestID: active.requestID, status: status,
                durationMs: MonotonicInstant.now.milliseconds(since: active.started), initDurationMs: initDuration,
                memorySizeMB: memorySizeMB))
    }
}

/// Sits between the rendezvous and the runtime controller: before each runtime start it tears down the
/// extensions of the previous one (if any), emits `platform.initStart`, starts the external extensions and
/// waits for them to register; a stop tears the extensions down too.
struct ExtensionsRuntimeControl: RuntimeControl {
    let inner: any RuntimeControl
    let extensions: EnvironmentExtensions

    func startRuntime() {
        let generation = extensions.bumpGeneration()
        extensions.enqueue { [extensions, inner] in
            await extensions.start(generation) { inner.startRuntime() }
        }
    }

    func stopRuntime(reason: String) {
        inner.stopRuntime(reason: reason)
        let generation = extensions.bumpGeneration()
        extensions.hub.releaseRegistrationWaiters(through: generation - 1)
        extensions.enqueue { [extensions] in await extensions.runtimeStopped(reason: reason) }
    }

    func runtimeInitialized() {
        inner.runtimeInitialized()
        extensions.runtimeInitialized()
    }
}
