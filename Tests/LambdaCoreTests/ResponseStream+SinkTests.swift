// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import LambdaCore

/// The sink mode: `deliver(to:)` registers the writer; each `send` calls it on the sender's task. Gated sinks
/// (`Watched` latches) hold a sink call in flight so the tests can act while it runs.
@Suite("ResponseStream sink", .timeLimit(.minutes(1)))
struct ResponseStreamSinkTests {
    private struct Gone: Error {}

    /// A sink that logs each chunk it was given.
    private static func recording(_ log: Watched<[[UInt8]]>) -> ResponseStream.Sink {
        ResponseStream.Sink { bytes in log.update { $0.append(bytes) } }
    }

    @Test("chunks parked before the sink attached are written first, in order, then the later ones")
    func sentBeforeAttach() async throws {
        let stream = ResponseStream()
        let log = Watched<[[UInt8]]>([])
        let first = Task { try await stream.send([1]) }
        await eventually("first send parks") { stream.pendingSendCount == 1 }
        let second = Task { try await stream.send([2]) }
        await eventually("second send parks") { stream.pendingSendCount == 2 }
        let consumer = Task { try await stream.deliver(to: Self.recording(log)) }
        try await first.value
        try await second.value
        #expect(log.value == [[1], [2]])
        try await stream.send([3])
        #expect(log.value == [[1], [2], [3]])
        stream.finish(trailers: [])
        #expect(try await consumer.value == .end(trailers: []))
    }

    @Test("many chunks from a producer that starts before the sink attached arrive intact and in order")
    func manyChunks() async throws {
        let stream = ResponseStream()
        let count = 2_000
        let producer = Task {
            for index in 0..<count { try await stream.send([UInt8(index % 256), UInt8(index / 256)]) }
            stream.finish(trailers: [TrailerField(name: "X", value: "y")])
        }
        await eventually("the first send parks") { stream.pendingSendCount == 1 }
        let log = Watched<[[UInt8]]>([])
        #expect(try await stream.deliver(to: Self.recording(log)) == .end(trailers: [TrailerField(name: "X", value: "y")]))
        try await producer.value
        let expected: [[UInt8]] = (0..<count).map { (index: Int) -> [UInt8] in [UInt8(index % 256), UInt8(index / 256)] }
        #expect(log.value == expected)
        #expect(await stream.next() == .end(trailers: [TrailerField(name: "X", value: "y")]))
    }

    @Test("send returns only after the sink's write returned")
    func backpressure() async throws {
        let stream = ResponseStream()
        let events = Watched<[String]>([])
        let allowed = Watched(0)  // how many writes may return
        let sink = ResponseStream.Sink { bytes in
            let index = Int(bytes[0])
            events.update { $0.append("write \(index)") }
            await allowed.wait { $0 > index }
            events.update { $0.append("wrote \(index)") }
        }
        let consumer = Task { try await stream.deliver(to: sink) }
        await eventually("consumer waits") { stream.delivererWaiting }
        let producer = Task {
            for index in 0..<3 {
                try await stream.send([UInt8(index)])
                events.update { $0.append("sent \(index)") }
            }
            stream.finish(trailers: [])
        }
        for index in 0..<3 {
            await events.wait { $0.last == "write \(index)" }
            #expect(!events.value.contains("sent \(index)"))
            allowed.update { $0 = index + 1 }
            await events.wait { $0.contains("sent \(index)") }
        }
        try await producer.value
        #expect(try await consumer.value == .end(trailers: []))
        #expect(events.value == ["write 0", "wrote 0", "sent 0", "write 1", "wrote 1", "sent 1", "write 2", "wrote 2", "sent 2"])
    }

    /// How a stream is ended while a sink call is in flight.
    enum EndDuringSinkCall: Sendable, CustomTestStringConvertible {
        case runtimeFails, consumerCancelled
        var testDescription: String { self == .runtimeFails ? "fail (timeout)" : "consumer task cancelled" }
    }

    @Test(
        "an end during an in-flight sink call reaches the consumer only after that call returned",
        arguments: [EndDuringSinkCall.runtimeFails, .consumerCancelled])
    func endDuringSinkCall(how: EndDuringSinkCall) async throws {
        let stream = ResponseStream()
        let entered = Watched(false)
        let open = Watched(false)
        let returned = Watched(false)
        let sink = ResponseStream.Sink { _ in
            entered.update { $0 = true }
            await open.wait { $0 }
            returned.update { $0 = true }
        }
        let consumer = Task {
            let ending = try await stream.deliver(to: sink)
            return (ending, returned.value)
        }
        await eventually("consumer waits") { stream.delivererWaiting }
        let sender = Task { try await stream.send([1]) }
        await entered.wait { $0 }
        switch how {
        case .runtimeFails: stream.fail(reason: "timeout")
        case .consumerCancelled: consumer.cancel()
        }
        #expect(stream.delivererWaiting)  // not resumed: the sink call still runs
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([2]) }
        open.update { $0 = true }
        try await sender.value  // its chunk was written before the end
        let (ending, sinkReturned) = try await consumer.value
        #expect(ending == .failed(reason: how == .runtimeFails ? "timeout" : ResponseStream.cancelledReason))
        #expect(sinkReturned)
    }

    @Test("a throwing sink: its send, the one queued behind and later ones throw consumerGone; deliver rethrows")
    func throwingSink() async throws {
        let stream = ResponseStream()
        let log = Watched<[[UInt8]]>([])
        let entered = Watched(false)
        let open = Watched(false)
        let sink = ResponseStream.Sink { bytes in
            if bytes == [2] {
                entered.update { $0 = true }
                await open.wait { $0 }
                throw Gone()
            }
            log.update { $0.append(bytes) }
        }
        let consumer = Task { try await stream.deliver(to: sink) }
        await eventually("consumer waits") { stream.delivererWaiting }
        try await stream.send([1])
        let failing = Task { try await stream.send([2]) }
        await entered.wait { $0 }
        let queued = Task { try await stream.send([3]) }
        await eventually("the third send queues") { stream.pendingSendCount == 1 }
        open.update { $0 = true }
        await #expect(throws: ResponseStreamError.consumerGone) { try await failing.value }
        await #expect(throws: ResponseStreamError.consumerGone) { try await queued.value }
        await #expect(throws: Gone.self) { try await consumer.value }
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([4]) }
        #expect(log.value == [[1]])
        #expect(await stream.next() == .failed(reason: ResponseStream.cancelledReason))
        #expect(!stream.sinkAttached)
    }

    @Test("a consumer cancelled before any chunk returns the cancel at once")
    func consumerCancelledIdle() async throws {
        let stream = ResponseStream()
        let log = Watched<[[UInt8]]>([])
        let consumer = Task { try await stream.deliver(to: Self.recording(log)) }
        await eventually("consumer waits") { stream.delivererWaiting }
        consumer.cancel()
        #expect(try await consumer.value == .failed(reason: ResponseStream.cancelledReason))
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([1]) }
        #expect(log.value.isEmpty)
    }

    @Test("concurrent senders are written first come, first served by the sink's holder")
    func concurrentSenders() async throws {
        let stream = ResponseStream()
        let events = Watched<[String]>([])
        let open = Watched(false)
        let sink = ResponseStream.Sink { bytes in
            if bytes == [1] { await open.wait { $0 } }
            events.update { $0.append("wrote \(bytes[0])") }
        }
        let consumer = Task { try await stream.deliver(to: sink) }
        await eventually("consumer waits") { stream.delivererWaiting }
        let first = Task { try await stream.send([1]) }
        await eventually("the first send holds the sink") { stream.state.withLock { $0.sinkHeld } }
        let second = Task {
            try await stream.send([2])
            events.update { $0.append("sent 2") }
        }
        await eventually("the second send queues") { stream.pendingSendCount == 1 }
        let third = Task {
            try await stream.send([3])
            events.update { $0.append("sent 3") }
        }
        await eventually("the third send queues") { stream.pendingSendCount == 2 }
        open.update { $0 = true }
        try await first.value
        try await second.value
        try await third.value
        let order = events.value.filter { $0.hasPrefix("wrote") }
        #expect(order == ["wrote 1", "wrote 2", "wrote 3"])
        let all = events.value
        #expect(all.firstIndex(of: "wrote 2")! < all.firstIndex(of: "sent 2")!)
        #expect(all.firstIndex(of: "wrote 3")! < all.firstIndex(of: "sent 3")!)
        stream.finish(trailers: [])
        #expect(try await consumer.value == .end(trailers: []))
    }

    @Test("the sink's own state needs no lock: four senders, holders changing, every chunk once (TSan checks the order)")
    func unlockedSinkState() async throws {
        let stream = ResponseStream()
        let senders = 4
        let perSender = 300
        let first = Task { try await stream.send([0, 0]) }  // parked before the sink attaches: deliver writes it
        await eventually("the first send parks") { stream.pendingSendCount == 1 }
        let producers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in 1...senders {
                    group.addTask {
                        for index in 0..<perSender { try await stream.send([UInt8(sender), UInt8(index % 256)]) }
                    }
                }
                try await group.waitForAll()
            }
            try await first.value
            stream.finish(trailers: [])
        }
        var received: [[UInt8]] = []  // touched only by sink calls, then by this task after deliver returned
        let sink = ResponseStream.Sink { bytes in received.append(bytes) }
        #expect(try await stream.deliver(to: sink) == .end(trailers: []))
        try await producers.value
        #expect(received.first == [0, 0])
        #expect(received.count == 1 + senders * perSender)
        for sender in 1...senders {
            let mine = received.filter { $0[0] == UInt8(sender) }.map { Int($0[1]) }
            #expect(mine == (0..<perSender).map { $0 % 256 })  // each sender's chunks in its order
        }
    }

    @Test("deliver on a stream that already ended returns its end at once, without calling the sink")
    func alreadyEnded() async throws {
        let stream = ResponseStream()
        stream.fail(reason: "Runtime.ExitError")
        let log = Watched<[[UInt8]]>([])
        #expect(try await stream.deliver(to: Self.recording(log)) == .failed(reason: "Runtime.ExitError"))
        #expect(log.value.isEmpty)
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([1]) }
    }
}
