// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc

/// An IPv4 or IPv6 address with a port: what a listener binds and what `getsockname` reports.
///
/// Parses the forms the emulator's flags use: `127.0.0.1:9001`, `0.0.0.0:8080`, `[::1]:8080`, `[::]:0`,
/// `:8080` (every IPv4 interface, as Go's `net.Listen` reads it) and `localhost:9001` (127.0.0.1). Other host
/// names are rejected rather than resolved: resolving would block, and nothing here needs it.
package struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    package enum Family: Sendable, Hashable { case ipv4, ipv6 }

    package let family: Family
    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    package let ip: [UInt8]
    package let port: Int

    /// Parses `host:port` or `[v6]:port`; throws ``SocketError/invalidAddress(_:)``.
    package init(parsing text: String) throws(SocketError) {
        let bad = SocketError.invalidAddress(text)
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw bad }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw bad }
            portText = rest.dropFirst()
            guard let bytes = Self.presentationToBytes(host, family: AF_INET6, size: 16) else { throw bad }
            family = .ipv6
            ip = bytes
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw bad }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            switch host {
            case "": ip = [0, 0, 0, 0]
            case "localhost": ip = [127, 0, 0, 1]
            default:
                guard let bytes = Self.presentationToBytes(host, family: AF_INET, size: 4) else { throw bad }
                ip = bytes
            }
            family = .ipv4
        }
        guard (1...5).contains(portText.utf8.count), portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let port = Int(portText), port <= 65535
        else { throw bad }
        self.port = port
    }

    /// Reads a `sockaddr_in` or `sockaddr_in6` (from `getsockname`, `getpeername` or `accept`).
    package init?(_ storage: sockaddr_storage) {
        let family = Int32(storage.ss_family)
        let parsed: (Family, [UInt8], Int)? = withUnsafeBytes(of: storage) { raw in
            switch family {
            case AF_INET:
                let sin = raw.load(as: sockaddr_in.self)
                return (.ipv4, withUnsafeBytes(of: sin.sin_addr) { Array($0) }, Int(UInt16(bigEndian: sin.sin_port)))
            case AF_INET6:
                let sin6 = raw.load(as: sockaddr_in6.self)
                return (.ipv6, withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }, Int(UInt16(bigEndian: sin6.sin6_port)))
            default:
                return nil
            }
        }
        guard let (family, ip, port) = parsed else { return nil }
        self.family = family
        self.ip = ip
        self.port = port
    }

    /// The numeric host, e.g. `127.0.0.1` or `::1`.
    package var host: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let af = family == .ipv4 ? AF_INET : AF_INET6
        let ok = ip.withUnsafeBytes { inet_ntop(af, $0.baseAddress, &text, socklen_t(text.count)) } != nil
        guard ok else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `host:port`, with brackets around an IPv6 host.
    package var description: String {
        family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)"
    }

    /// Calls `body` with this address as a `sockaddr` and its length, for `bind` and `connect`.
    package func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        switch family {
        case .ipv4:
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: ip) }
            return try withUnsafePointer(to: &sin) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6:
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: ip) }
            return try withUnsafePointer(to: &sin6) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    private static func presentationToBytes(_ host: Substring, family: Int32, size: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: size)
        let ok = bytes.withUnsafeMutableBytes { inet_pton(family, String(host), $0.baseAddress) } == 1
        return ok ? bytes : nil
    }
}
