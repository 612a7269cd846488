// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import HTTP1
import Testing

@testable import SocketServer

struct HTTPDateTests {
    @Test("dates are IMF-fixdate in GMT", arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"), (1_795_738_038, "Fri, 27 Nov 2026 00:07:18 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
    ])
    func format(seconds: Int, expected: String) {
        #expect(HTTPDate.format(epochSeconds: seconds) == expected)
    }

    @Test("every response carries a Date header, as Go's server sends", .timeLimit(.minutes(1)))
    func responsesCarryDate() async throws {
        let handler = ClosureHandler { _, _, response in
            try await response.respond(status: 200, headers: [:], body: Array("ok".utf8))
        }
        try await withServer(handler: handler) { server in
            let client = try await TestClient(port: server.port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            let date = try #require(client.lastDate)
            #expect(date.hasSuffix(" GMT") && date.count == 29)
        }
    }
}
