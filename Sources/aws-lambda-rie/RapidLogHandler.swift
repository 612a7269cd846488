// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Logging

/// A swift-log handler that writes AWS's emulator's line format to stderr:
/// `26 Nov 2026 23:00:52,123 [INFO] (rapid) message key=value`, local time, logrus level names.
struct RapidLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = Self.timestamp() + " [" + Self.levelName(event.level) + "] (rapid) " + event.message.description
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += "\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    /// Go's `02 Jan 2006 15:04:05.000` with the `.` replaced by `,`.
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%d %b %Y %H:%M:%S", &parts)
        let millis = Int(ts.tv_nsec / 1_000_000)
        let pad = millis < 10 ? "00" : millis < 100 ? "0" : ""
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) + ",\(pad)\(millis)"
    }

    /// logrus's level names (`warn`/`warning`, case-insensitive) to swift-log levels; nil when invalid.
    static func level(named name: String) -> Logger.Level? {
        switch name.lowercased() {
        case "panic", "fatal": .critical
        case "error": .error
        case "warn", "warning": .warning
        case "info": .info
        case "debug": .debug
        case "trace": .trace
        default: nil
        }
    }
}
