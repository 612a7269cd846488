// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Builds the environment the runtime process gets, exactly as AWS's emulator does (rie-behavior §1.3–1.4).
///
/// Go computes `mapUnion(Customer, platformUnreserved, credentials, runtime, platform)`, later maps winning
/// (`rapidcore/env/environment.go: RuntimeExecEnv`). Every map but `Customer` takes its values from the same
/// process environment that `Customer` already copies in full, so the union reduces to:
/// 1. the customer defaults (`AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/Functions`, `AWS_LAMBDA_LOG_STREAM_NAME=$LATEST`,
///    `AWS_LAMBDA_FUNCTION_VERSION=$LATEST`, `AWS_LAMBDA_FUNCTION_MEMORY_SIZE=3008`,
///    `AWS_LAMBDA_FUNCTION_NAME=test_function`), overridden by **every** variable of the emulator's environment
///    (`rie/handlers.go: InitHandler`);
/// 2. `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, always present, empty when unset;
/// 3. `_HANDLER` = the first non-empty of `AWS_LAMBDA_FUNCTION_HANDLER`, `_HANDLER`, the command-line handler
///    (left as inherited when all are empty);
/// 4. `AWS_LAMBDA_FUNCTION_NAME` / `_VERSION` = the variable when non-empty, else `test_function` / `$LATEST`
///    (Go's `GetenvWithDefault` treats empty as unset);
/// 5. `AWS_LAMBDA_RUNTIME_API` = the bound Runtime API address.
///
/// Go passes a map, so its order is random; ours is deterministic: the parent's order, then added names.
/// When the parent lists a name twice, the first entry wins, as in Go (`syscall.copyenv` drops later duplicates).
package enum RuntimeEnvironment {
    static let functionNameDefault = "test_function"
    static let functionVersionDefault = "$LATEST"

    /// The customer defaults, in the order Go's `InitHandler` sets them.
    static let customerDefaults: [EnvironmentVariable] = [
        EnvironmentVariable(name: "AWS_LAMBDA_LOG_GROUP_NAME", value: "/aws/lambda/Functions"),
        EnvironmentVariable(name: "AWS_LAMBDA_LOG_STREAM_NAME", value: "$LATEST"),
        EnvironmentVariable(name: "AWS_LAMBDA_FUNCTION_VERSION", value: functionVersionDefault),
        EnvironmentVariable(name: "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", value: "3008"),
        EnvironmentVariable(name: "AWS_LAMBDA_FUNCTION_NAME", value: functionNameDefault),
    ]

    static let credentialNames = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]

    /// - Parameters:
    ///   - parent: the emulator's own environment, in order (``current()``).
    ///   - runtimeAPIAddress: `host:port` the Runtime API is bound to, e.g. `127.0.0.1:9001`.
    ///   - handler: the command-line handler (``BootstrapCommand/handler``).
    package static func build(
        parent: [EnvironmentVariable], runtimeAPIAddress: String, handler: String?
    ) -> [EnvironmentVariable] {
        var env = OrderedEnvironment()
        for variable in parent { env.setIfAbsent(variable) }
        for variable in customerDefaults { env.setIfAbsent(variable) }
        for name in credentialNames { env.set(name, parent.value(of: name) ?? "") }
        if let handler = nonEmpty(parent.value(of: "AWS_LAMBDA_FUNCTION_HANDLER"))
            ?? nonEmpty(parent.value(of: "_HANDLER")) ?? nonEmpty(handler)
        {
            env.set("_HANDLER", handler)
        }
        env.set("AWS_LAMBDA_FUNCTION_NAME", functionName(parent: parent))
        env.set(
            "AWS_LAMBDA_FUNCTION_VERSION",
            nonEmpty(parent.value(of: "AWS_LAMBDA_FUNCTION_VERSION")) ?? functionVersionDefault)
        env.set("AWS_LAMBDA_RUNTIME_API", runtimeAPIAddress)
        return env.variables
    }

    /// The process environment (`environ`), in order. Entries without `=` are skipped; of duplicate names only
    /// the first is kept, as Go's `os.Environ` does.
    package static func current() -> [EnvironmentVariable] {
        var env = OrderedEnvironment()
        var cursor = environ
        while let entry = cursor.pointee {
            if let variable = EnvironmentVariable(parsing: String(cString: entry)) { env.setIfAbsent(variable) }
            cursor += 1
        }
        return env.variables
    }

    /// `arn:aws:lambda:us-east-1:012345678912:function:<AWS_LAMBDA_FUNCTION_NAME|test_function>`; region and
    /// account are fixed, as in Go's `rie/handlers.go`.
    package static func functionARN(parent: [EnvironmentVariable]) -> String {
        "arn:aws:lambda:us-east-1:012345678912:function:" + functionName(parent: parent)
    }

    private static func functionName(parent: [EnvironmentVariable]) -> String {
        nonEmpty(parent.value(of: "AWS_LAMBDA_FUNCTION_NAME")) ?? functionNameDefault
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// An environment with unique names that keeps insertion order.
private struct OrderedEnvironment {
    private(set) var variables: [EnvironmentVariable] = []
    private var index: [String: Int] = [:]

    mutating func setIfAbsent(_ variable: EnvironmentVariable) {
        guard index[variable.name] == nil else { return }
        index[variable.name] = variables.count
        variables.append(variable)
    }

    mutating func set(_ name: String, _ value: String) {
        if let i = index[name] {
            variables[i].value = value
        } else {
            setIfAbsent(EnvironmentVariable(name: name, value: value))
        }
    }
}
