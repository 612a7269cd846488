// swift-tools-version:6.1
// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "swift-lambda-rie",
    products: [
        .executable(name: "aws-lambda-rie", targets: ["aws-lambda-rie"]),
        .executable(name: "FuzzHTTP1", targets: ["FuzzHTTP1"]),
        .executable(name: "FuzzLambdaWire", targets: ["FuzzLambdaWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // Tiny C shims: Linux calls Glibc's module map does not expose, and libFuzzer's driver entry.
        .target(name: "CShims"),
        // The executable's start-up: blocks SIGTERM/SIGINT before any thread exists (they arrive via signalfd).
        .target(name: "CEmulatorStartup"),
        // The one lock type: a pthread mutex around a value (ThreadSanitizer understands it; see Lock.swift).
        .target(name: "Locking", swiftSettings: strict),
        // One epoll thread that resumes Swift continuations; the only place that waits on file descriptors.
        .target(name: "Reactor", dependencies: ["CShims", "Locking"], swiftSettings: strict),
        // HTTP/1.1 bytes <-> values. No I/O.
        .target(name: "HTTP1", swiftSettings: strict),
        // Lambda's byte-level formats: JSON, event-stream frames, the streaming prelude, Function URL
        // events and results, error trailers. No I/O; CRC32 and base64 are in Swift (no zlib).
        .target(name: "LambdaWire", swiftSettings: strict),
        // Non-blocking sockets, listeners, keep-alive connections, request bodies and response writers.
        .target(
            name: "SocketServer",
            dependencies: ["Reactor", "HTTP1", "Locking", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Lambda semantics: the rendezvous of invokes with the runtime, and the streaming pipe. No sockets, no HTTP.
        .target(name: "LambdaCore", dependencies: ["Locking"], swiftSettings: strict),
        // The bootstrap process: resolve, spawn in its own process group, watch, tear down.
        .target(
            name: "Supervisor",
            dependencies: ["Reactor", "CShims", "Locking", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Routes: HTTP <-> LambdaCore, for the invoke API and the Runtime API.
        .target(
            name: "LambdaAPI",
            dependencies: [
                "SocketServer", "HTTP1", "LambdaCore", "LambdaWire", "Supervisor", "Reactor", "Locking", "CShims",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aws-lambda-rie",
            dependencies: [
                "CEmulatorStartup", "LambdaAPI", "SocketServer", "Supervisor", "Reactor", "LambdaCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FuzzHTTP1",
            dependencies: ["HTTP1", "CShims"],
            swiftSettings: strict,
            linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
        ),
        .executableTarget(
            name: "FuzzLambdaWire",
            dependencies: ["LambdaWire", "CShims"],
            swiftSettings: strict,
            linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
        ),
        .testTarget(name: "EmulatorTests", dependencies: ["aws-lambda-rie"], swiftSettings: strict),
        .testTarget(name: "ReactorTests", dependencies: ["Reactor", "Locking"], swiftSettings: strict),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"], swiftSettings: strict),
        .testTarget(name: "LambdaWireTests", dependencies: ["LambdaWire"], swiftSettings: strict),
        .testTarget(
            name: "SocketServerTests",
            dependencies: ["SocketServer", "Reactor", "HTTP1", "Locking", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(name: "LambdaCoreTests", dependencies: ["LambdaCore", "Locking"], swiftSettings: strict),
        .testTarget(name: "SupervisorTests", dependencies: ["Supervisor", "Reactor", "Locking"], swiftSettings: strict),
        .testTarget(
            name: "LambdaAPITests",
            dependencies: ["LambdaAPI", "SocketServer", "HTTP1", "LambdaCore", "Reactor", "Locking"],
            swiftSettings: strict
        ),
    ]
)
