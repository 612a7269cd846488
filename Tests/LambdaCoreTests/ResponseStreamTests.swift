// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Locking
import Testing

@testable import LambdaCore

@Suite("ResponseStream", .timeLimit(.minutes(1)))
struct ResponseStreamTests {
    @Test("10 chunks arrive in order, and send n+1 stays pending until the consumer takes it")
    func backpressure() async throws {
        let stream = ResponseStream()
        let returned = Watched(0)
        let producer = Task {
            for index in 0..<10 {
                try await stream.send([UInt8(index)])
                returned.update { $0 += 1 }
            }
            stream.finish(trailers: [])
        }
        for index in 0..<10 {
            // The producer reaches send(index) and parks there: the consumer has not taken it.
            await eventually("send \(index) parks") { stream.pendingSendCount == 1 }
            #expect(returned.value == index)
            #expect(await stream.next() == .chunk([UInt8(index)]))
            await returned.wait { $0 >= index + 1 }
            #expect(returned.value == index + 1)
        }
        #expect(await stream.next() == .end(trailers: []))
        try await producer.value
    }

    @Test("a send to a consumer that already waits hands over at once")
    func consumerFirst() async throws {
        let stream = ResponseStream()
        let consumer = Task { await stream.next() }
        await eventually("consumer parks") { stream.waitingConsumerCount == 1 }
        try await stream.send([1, 2, 3])
        #expect(await consumer.value == .chunk([1, 2, 3]))
        #expect(stream.pendingSendCount == 0)
    }

    @Test("finish delivers the trailers, then the end repeats and later sends throw")
    func finish() async {
        let stream = ResponseStream()
        let consumer = Task { await stream.next() }
        await eventually("consumer parks") { stream.waitingConsumerCount == 1 }
        let trailers = [TrailerField(name: "Lambda-Runtime-Function-Error-Type", value: "Unhandled")]
        stream.finish(trailers: trailers)
        #expect(await consumer.value == .end(trailers: trailers))
        #expect(await stream.next() == .end(trailers: trailers))
        #expect(await stream.next() == .end(trailers: trailers))
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([1]) }
        stream.fail(reason: "late")
        #expect(await stream.next() == .end(trailers: trailers))
    }

    @Test("fail resumes a pending send with consumerGone and the consumer reads the failure for ever")
    func fail() async {
        let stream = ResponseStream()
        let sender = Task { try await stream.send([9]) }
        await eventually("send parks") { stream.pendingSendCount == 1 }
        stream.fail(reason: "timeout")
        await #expect(throws: ResponseStreamError.consumerGone) { try await sender.value }
        #expect(await stream.next() == .failed(reason: "timeout"))
        #expect(await stream.next() == .failed(reason: "timeout"))
    }

    @Test("cancel makes a pending and every later send throw consumerGone")
    func cancel() async {
        let stream = ResponseStream()
        let sender = Task { try await stream.send([1]) }
        await eventually("send parks") { stream.pendingSendCount == 1 }
        stream.cancel()
        await #expect(throws: ResponseStreamError.consumerGone) { try await sender.value }
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([2]) }
        #expect(await stream.next() == .failed(reason: ResponseStream.cancelledReason))
    }

    @Test("a cancelled consumer task counts as cancel")
    func consumerTaskCancelled() async {
        let stream = ResponseStream()
        let consumer = Task { await stream.next() }
        await eventually("consumer parks") { stream.waitingConsumerCount == 1 }
        consumer.cancel()
        #expect(await consumer.value == .failed(reason: ResponseStream.cancelledReason))
        await #expect(throws: ResponseStreamError.consumerGone) { try await stream.send([1]) }
    }

    @Test("a cancelled sender task throws consumerGone; its chunk is not delivered and the stream goes on")
    func senderTaskCancelled() async throws {
        let stream = ResponseStream()
        let sender = Task { try await stream.send([1]) }
        await eventually("send parks") { stream.pendingSendCount == 1 }
        sender.cancel()
        await #expect(throws: ResponseStreamError.consumerGone) { try await sender.value }
        #expect(stream.pendingSendCount == 0)
        let next = Task { await stream.next() }
        await eventually("consumer parks") { stream.waitingConsumerCount == 1 }
        try await stream.send([2])
        #expect(await next.value == .chunk([2]))
    }

    @Test("the owner hears once that the runtime side ended; a consumer cancel is not that end")
    func runtimeEndHook() {
        let ends = Lock(0)
        let stream = ResponseStream { _ in ends.withLock { $0 += 1 } }
        stream.cancel()
        #expect(ends.withLock { $0 } == 0)
        stream.finish(trailers: [])
        stream.fail(reason: "again")
        stream.finish(trailers: [])
        #expect(ends.withLock { $0 } == 1)
    }

    @Test("two concurrent senders are served in arrival order, one chunk at a time")
    func twoSenders() async throws {
        let stream = ResponseStream()
        let first = Task { try await stream.send([1]) }
        await eventually("first send parks") { stream.pendingSendCount == 1 }
        let second = Task { try await stream.send([2]) }
        await eventually("second send parks") { stream.pendingSendCount == 2 }
        #expect(await stream.next() == .chunk([1]))
        try await first.value
        #expect(stream.pendingSendCount == 1)
        #expect(await stream.next() == .chunk([2]))
        try await second.value
    }

    @Test("many chunks through concurrent producer and consumer arrive intact and in order")
    func manyChunks() async throws {
        let stream = ResponseStream()
        let count = 2_000
        let producer = Task {
            for index in 0..<count { try await stream.send([UInt8(index % 256), UInt8(index / 256)]) }
            stream.finish(trailers: [])
        }
        var index = 0
        while case .chunk(let bytes) = await stream.next() {
            #expect(bytes == [UInt8(index % 256), UInt8(index / 256)])
            index += 1
        }
        #expect(index == count)
        try await producer.value
    }
}
