// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// One `NAME=value` entry of a process environment. The value may itself contain `=` (`MyEnv=4=4` is
/// name `MyEnv`, value `4=4`): entries are always split at the first `=`, as Go's `os.Environ` users do.
package struct EnvironmentVariable: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Splits `entry` at its first `=`; nil when there is none (such an entry cannot be passed to exec).
    package init?(parsing entry: String) {
        guard let equals = entry.firstIndex(of: "=") else { return nil }
        name = String(entry[..<equals])
        value = String(entry[entry.index(after: equals)...])
    }

    /// `NAME=value`, the form `execve` takes.
    package var entry: String { name + "=" + value }
}

extension Array where Element == EnvironmentVariable {
    /// The value of the first variable called `name` (the one `getenv` and Go's `os.Getenv` return).
    package func value(of name: String) -> String? {
        first { $0.name == name }?.value
    }
}
