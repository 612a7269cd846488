// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import SocketServer

struct SocketAddressTests {
    @Test("addresses in the forms the flags use are parsed", arguments: [
        ("127.0.0.1:9001", SocketAddress.Family.ipv4, "127.0.0.1", 9001, "127.0.0.1:9001"),
        ("0.0.0.0:8080", .ipv4, "0.0.0.0", 8080, "0.0.0.0:8080"),
        ("127.0.0.1:0", .ipv4, "127.0.0.1", 0, "127.0.0.1:0"),
        (":8080", .ipv4, "0.0.0.0", 8080, "0.0.0.0:8080"),
        ("localhost:9001", .ipv4, "127.0.0.1", 9001, "127.0.0.1:9001"),
        ("[::1]:8080", .ipv6, "::1", 8080, "[::1]:8080"),
        ("[::]:0", .ipv6, "::", 0, "[::]:0"),
        ("[2001:db8::7]:65535", .ipv6, "2001:db8::7", 65535, "[2001:db8::7]:65535"),
    ])
    func parses(text: String, family: SocketAddress.Family, host: String, port: Int, description: String) throws {
        let address = try SocketAddress(parsing: text)
        #expect(address.family == family)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == description)
    }

    @Test("anything else is rejected, without resolving names", arguments: [
        "", "8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80a", "127.0.0.1:+80",
        "127.0.0.1:123456", "256.0.0.1:80", "::1:8080", "[::1]8080", "[::1]", "[127.0.0.1]:80", "example.com:80",
        "[fe80::1%eth0]:80", " 127.0.0.1:80",
    ])
    func rejects(text: String) {
        #expect(throws: SocketError.invalidAddress(text)) { try SocketAddress(parsing: text) }
    }
}
