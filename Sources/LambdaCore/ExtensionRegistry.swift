// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The events an extension may subscribe to (`POST /2020-01-01/extension/register`, body `{"events":[…]}`).
package enum ExtensionEventType: String, Sendable, Hashable, CaseIterable {
    case invoke = "INVOKE"
    case shutdown = "SHUTDOWN"
}

/// One event for one extension: its type and its rendered JSON body (built by the API layer).
package struct ExtensionEvent: Sendable, Equatable {
    package var type: ExtensionEventType
    package var body: [UInt8]
    package init(type: ExtensionEventType, body: [UInt8]) {
        self.type = type
        self.body = body
    }
}

/// Why a registration (or a call naming an extension) was refused; the API layer maps each to AWS's 403.
package enum ExtensionRegistryError: Error, Sendable, Equatable {
    /// After init: `Extension.RegistrationClosed`.
    case registrationClosed
    /// A name already registered: `Extension.InvalidExtensionState`.
    case nameTaken
    /// An eleventh extension: `Extension.TooManyExtensions`.
    case tooManyExtensions
    /// An internal extension (one not started from the extensions directory) asked for SHUTDOWN:
    /// `Extension.InvalidEventType`.
    case shutdownForInternal
    /// No extension has this identifier: `Extension.UnknownExtensionIdentifier`.
    case unknownIdentifier
}

/// The extensions of one execution environment as a pure state machine: registration rules, who subscribed to
/// what, and, per extension, whether it is parked on `/event/next`, has events waiting, or is still working on
/// the last one it was given. No I/O, no continuations: `ExtensionHub` drives it under its lock.
///
/// Lifecycle (AWS's `doRuntimeDomainInit`): the external extensions started from the extensions directory are
/// `expect`ed; init is complete once each of them has registered and every registered extension has called
/// `/event/next`; then registration closes. One that exits before then fails init (`crashed`, Extension.Crash).
/// An invoke is complete for the extensions once every extension subscribed to INVOKE has come back to
/// `/event/next` (`isIdle`). `reset` forgets everything (a new generation).
package struct ExtensionRegistry: Sendable {
    /// Lambda's limit on extensions per function.
    package static let maxExtensions = 10

    package struct Record: Sendable, Equatable {
        package let id: String
        package let name: String
        package let events: Set<ExtensionEventType>
        /// Started by us from the extensions directory (else registered by the runtime's process).
        package let isExternal: Bool
        /// Has called `/event/next` at least once.
        package var ready = false
        /// Waiting in `/event/next` now.
        package var parked = false
        /// Was handed an event and has not come back to `/event/next` since.
        package var busy = false
        /// Its process exited: it counts for no gate any more.
        package var gone = false
        /// Events not yet handed over (it was busy when they were dispatched).
        package var pending: [ExtensionEvent] = []

        /// Still owes `/event/next` for an event it was given or will be given.
        var outstanding: Bool { !gone && (busy || !pending.isEmpty) }
    }

    /// What `/event/next` should do.
    package enum NextResult: Sendable, Equatable {
        /// Answer with this event now.
        case deliver(ExtensionEvent)
        /// Wait: nothing to hand over yet.
        case park
    }

    package private(set) var records: [Record] = []
    package private(set) var registrationOpen = true
    /// Names of the external extensions started for this generation.
    package private(set) var launched: Set<String> = []
    /// Launched names that have neither registered nor exited.
    package private(set) var awaited: Set<String> = []
    /// The external extension whose exit before the end of init failed it (`Extension.Crash`), if any.
    package private(set) var crashed: String?

    package init() {}

    /// The external extensions just started: init waits for each to register (or exit).
    package mutating func expect(_ names: [String]) {
        launched.formUnion(names)
        awaited.formUnion(names)
    }

    /// Registers `name` under identifier `id` (fresh, from the caller). External when its name is one we started.
    package mutating func register(
        name: String, events: Set<ExtensionEventType>, id: String
    ) throws(ExtensionRegistryError) -> Record {
        guard registrationOpen else { throw .registrationClosed }
        guard !records.contains(where: { $0.name == name }) else { throw .nameTaken }
        guard records.count < Self.maxExtensions else { throw .tooManyExtensions }
        let isExternal = launched.contains(name)
        if !isExternal && events.contains(.shutdown) { throw .shutdownForInternal }
        let record = Record(id: id, name: name, events: events, isExternal: isExternal)
        records.append(record)
        awaited.remove(name)
        return record
    }

    package func record(id: String) -> Record? { records.first { $0.id == id } }

    /// `/event/next` from extension `id`: it is done with its last event; hands over the next one or parks it.
    package mutating func next(id: String) throws(ExtensionRegistryError) -> NextResult {
        guard let index = records.firstIndex(where: { $0.id == id }) else { throw .unknownIdentifier }
        records[index].ready = true
        records[index].busy = false
        if !records[index].pending.isEmpty {
            records[index].busy = true
            records[index].parked = false
            return .deliver(records[index].pending.removeFirst())
        }
        records[index].parked = true
        return .park
    }

    /// A parked `/event/next` went away (its task was cancelled) without being answered.
    package mutating func unpark(id: String) {
        guard let index = records.firstIndex(where: { $0.id == id }) else { return }
        records[index].parked = false
    }

    /// Sends `event` to every live extension subscribed to its type: returns the identifiers parked on
    /// `/event/next`, to be answered now (they are marked busy); the others get it on their next call.
    package mutating func dispatch(_ event: ExtensionEvent) -> [String] {
        var now: [String] = []
        for index in records.indices where !records[index].gone && records[index].events.contains(event.type) {
            if records[index].parked && records[index].pending.isEmpty {
                records[index].parked = false
                records[index].busy = true
                now.append(records[index].id)
            } else {
                records[index].pending.append(event)
            }
        }
        return now
    }

    /// The process of external extension `name` exited: it no longer holds up invokes. Before init is over
    /// (registration still open) that is Lambda's `Extension.Crash`: init can no longer complete (`crashed`
    /// names it) and true is returned; afterwards the extension just counts for nothing any more.
    @discardableResult
    package mutating func exited(name: String) -> Bool {
        let duringInit = registrationOpen && launched.contains(name) && crashed == nil
        if duringInit { crashed = name }
        awaited.remove(name)
        for index in records.indices where records[index].name == name && records[index].isExternal {
            records[index].gone = true
            records[index].parked = false
            records[index].pending = []
        }
        return duringInit
    }

    /// Every started extension has registered and every registered one has called `/event/next`, and none
    /// crashed (after a crash init never completes: the environment is reset).
    package var isInitComplete: Bool {
        crashed == nil && awaited.isEmpty && records.allSatisfy { $0.gone || $0.ready }
    }

    /// Closes registration (init is over): later registrations get `Extension.RegistrationClosed`.
    package mutating func closeRegistration() { registrationOpen = false }

    /// No extension subscribed to INVOKE still owes `/event/next` for an event.
    package var isIdle: Bool {
        !records.contains { $0.events.contains(.invoke) && $0.outstanding }
    }

    /// Live extensions subscribed to `type`.
    package func subscribers(of type: ExtensionEventType) -> [Record] {
        records.filter { !$0.gone && $0.events.contains(type) }
    }

    /// A new generation: nobody registered, registration open, nothing expected.
    package mutating func reset() { self = ExtensionRegistry() }
}
