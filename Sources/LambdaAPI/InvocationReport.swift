// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Reactor

/// The `START`, `END` and `REPORT` lines: product output on stdout, in AWS's exact shape (tabs, trailing tab),
/// but with one request id throughout and real durations.
package struct InvocationReport: Sendable {
    let functionVersion: String
    let memorySize: String

    package init(functionVersion: String, memorySize: String) {
        self.functionVersion = functionVersion
        self.memorySize = memorySize
    }

    /// Prints the `START` line and returns it.
    @discardableResult
    func start(requestID: String) -> String {
        let line = "START RequestId: \(requestID) Version: \(functionVersion)\n"
        emit(line)
        return line
    }

    /// Prints `END` and `REPORT` (`initMilliseconds` only for an invoke that started a runtime) and returns them.
    @discardableResult
    func end(requestID: String, durationMilliseconds: Double, initMilliseconds: Double?) -> String {
        let initPart = initMilliseconds.map { "Init Duration: \(Self.twoDecimals($0)) ms\t" } ?? ""
        let billed = Int(durationMilliseconds.rounded(.up))
        let lines =
            "END RequestId: \(requestID)\n"
            + "REPORT RequestId: \(requestID)\t\(initPart)Duration: \(Self.twoDecimals(durationMilliseconds)) ms\t"
            + "Billed Duration: \(billed) ms\tMemory Size: \(memorySize) MB\tMax Memory Used: \(memorySize) MB\t\n"
        emit(lines)
        return lines
    }

    /// `%.2f`.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((max(value, 0) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// One `write(2)` per line group, so lines from concurrent invokes never interleave.
    private func emit(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if n < 0 && errno == EINTR { continue } else { return } }
            offset += n
        }
    }
}
