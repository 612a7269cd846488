// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaCore

@Suite("ExtensionRegistry")
struct ExtensionRegistryTests {
    let invoke = ExtensionEvent(type: .invoke, body: Array("invoke".utf8))
    let shutdown = ExtensionEvent(type: .shutdown, body: Array("shutdown".utf8))

    @Test("a launched name registers as external; any other name as internal, which may not take SHUTDOWN")
    func externalAndInternal() throws {
        var registry = ExtensionRegistry()
        registry.expect(["datadog"])
        let external = try registry.register(name: "datadog", events: [.invoke, .shutdown], id: "1")
        #expect(external.isExternal)
        let internalOne = try registry.register(name: "in-process", events: [.invoke], id: "2")
        #expect(!internalOne.isExternal)
        #expect(throws: ExtensionRegistryError.shutdownForInternal) {
            try registry.register(name: "other", events: [.shutdown], id: "3")
        }
    }

    @Test("duplicate names, an eleventh extension and registering after init are refused")
    func refusals() throws {
        var registry = ExtensionRegistry()
        for i in 0..<ExtensionRegistry.maxExtensions {
            _ = try registry.register(name: "e\(i)", events: [], id: "\(i)")
        }
        #expect(throws: ExtensionRegistryError.nameTaken) { try registry.register(name: "e0", events: [], id: "x") }
        #expect(throws: ExtensionRegistryError.tooManyExtensions) {
            try registry.register(name: "e10", events: [], id: "y")
        }
        registry.closeRegistration()
        var fresh = ExtensionRegistry()
        fresh.closeRegistration()
        #expect(throws: ExtensionRegistryError.registrationClosed) { try fresh.register(name: "a", events: [], id: "z") }
    }

    @Test("init is complete once every launched extension registered and every registered one called next")
    func initCompletion() throws {
        var registry = ExtensionRegistry()
        #expect(registry.isInitComplete)  // nothing launched, nothing registered
        registry.expect(["a", "b"])
        #expect(!registry.isInitComplete)
        _ = try registry.register(name: "a", events: [.invoke], id: "A")
        #expect(registry.awaited == ["b"])
        _ = try registry.register(name: "b", events: [], id: "B")
        #expect(!registry.isInitComplete)  // neither has called /event/next yet
        #expect(try registry.next(id: "A") == .park)
        #expect(!registry.isInitComplete)
        #expect(try registry.next(id: "B") == .park)
        #expect(registry.isInitComplete)
    }

    @Test("an external extension exiting before init is over is a crash: init never completes")
    func crashDuringInit() throws {
        var registry = ExtensionRegistry()
        registry.expect(["a", "b", "c"])
        _ = try registry.register(name: "a", events: [.invoke], id: "A")
        #expect(try registry.next(id: "A") == .park)
        let crashB = registry.exited(name: "b")
        #expect(crashB)  // before registering
        #expect(registry.crashed == "b")
        #expect(registry.awaited == ["c"])
        let crashC = registry.exited(name: "c")
        #expect(!crashC)  // a second exit is not a second crash
        #expect(registry.crashed == "b")
        #expect(registry.awaited.isEmpty)
        #expect(!registry.isInitComplete)  // everything else is ready, but init failed
        let crashUnknown = registry.exited(name: "not-launched")
        #expect(!crashUnknown)
    }

    @Test("a registered extension exiting before its first /event/next is a crash; after init it is not")
    func crashAfterRegisteringAndExitAfterInit() throws {
        var registry = ExtensionRegistry()
        registry.expect(["a"])
        _ = try registry.register(name: "a", events: [.invoke], id: "A")
        let crashA = registry.exited(name: "a")
        #expect(crashA)
        #expect(registry.records.first?.gone == true)
        #expect(!registry.isInitComplete)

        var later = ExtensionRegistry()
        later.expect(["a"])
        _ = try later.register(name: "a", events: [.invoke], id: "A")
        #expect(try later.next(id: "A") == .park)
        later.closeRegistration()  // init is over
        let crashAfterInit = later.exited(name: "a")
        #expect(!crashAfterInit)
        #expect(later.crashed == nil)
        #expect(later.isIdle)
    }

    @Test("an event reaches a parked subscriber at once, a busy one on its next call; others never")
    func dispatching() throws {
        var registry = ExtensionRegistry()
        _ = try registry.register(name: "parked", events: [.invoke], id: "P")
        _ = try registry.register(name: "busy", events: [.invoke], id: "B")
        _ = try registry.register(name: "none", events: [], id: "N")
        #expect(try registry.next(id: "P") == .park)
        #expect(try registry.next(id: "N") == .park)
        #expect(registry.dispatch(invoke) == ["P"])
        #expect(!registry.isIdle)
        #expect(try registry.next(id: "B") == .deliver(invoke))
        #expect(!registry.isIdle)  // both still work on it
        #expect(try registry.next(id: "P") == .park)
        #expect(!registry.isIdle)
        #expect(try registry.next(id: "B") == .park)
        #expect(registry.isIdle)
        #expect(registry.record(id: "N")?.busy == false)
    }

    @Test("an extension registered for no events never holds an invoke; a gone one neither")
    func idleRules() throws {
        var registry = ExtensionRegistry()
        registry.expect(["lwa", "crashy"])
        _ = try registry.register(name: "lwa", events: [], id: "L")
        _ = try registry.register(name: "crashy", events: [.invoke], id: "C")
        #expect(registry.dispatch(invoke).isEmpty)
        #expect(!registry.isIdle)
        registry.closeRegistration()
        let crashAfterInit = registry.exited(name: "crashy")
        #expect(!crashAfterInit)
        #expect(registry.isIdle)
        #expect(registry.subscribers(of: .invoke).isEmpty)
    }

    @Test("SHUTDOWN goes only to its subscribers; unknown identifiers are refused; reset forgets all")
    func shutdownAndReset() throws {
        var registry = ExtensionRegistry()
        registry.expect(["ext"])
        _ = try registry.register(name: "ext", events: [.invoke, .shutdown], id: "E")
        _ = try registry.register(name: "inv", events: [.invoke], id: "I")
        _ = try registry.next(id: "E")
        _ = try registry.next(id: "I")
        #expect(registry.dispatch(shutdown) == ["E"])
        #expect(throws: ExtensionRegistryError.unknownIdentifier) { try registry.next(id: "nope") }
        registry.reset()
        #expect(registry.records.isEmpty && registry.registrationOpen && registry.launched.isEmpty)
    }
}
