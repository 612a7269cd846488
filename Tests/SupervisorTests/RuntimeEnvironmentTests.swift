// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import Glibc
import Testing

@testable import Supervisor

private func env(_ pairs: [(String, String)]) -> [EnvironmentVariable] {
    pairs.map { EnvironmentVariable(name: $0.0, value: $0.1) }
}

private func build(_ parent: [(String, String)], handler: String? = nil) -> [EnvironmentVariable] {
    RuntimeEnvironment.build(parent: env(parent), runtimeAPIAddress: "127.0.0.1:9001", handler: handler)
}

@Suite
struct RuntimeEnvironmentTests {
    @Test("an empty parent gets the customer defaults, empty credentials and the Runtime API address")
    func defaults() {
        #expect(
            build([])
                == env([
                    ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/Functions"),
                    ("AWS_LAMBDA_LOG_STREAM_NAME", "$LATEST"),
                    ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
                    ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3008"),
                    ("AWS_LAMBDA_FUNCTION_NAME", "test_function"),
                    ("AWS_ACCESS_KEY_ID", ""),
                    ("AWS_SECRET_ACCESS_KEY", ""),
                    ("AWS_SESSION_TOKEN", ""),
                    ("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"),
                ]))
    }

    @Test("every parent variable is passed on, overriding the defaults, in the parent's order")
    func parentOverridesDefaults() {
        let result = build([
            ("PATH", "/usr/local/bin:/usr/bin"), ("HOME", "/root"), ("LOG_LEVEL", "debug"), ("_LAMBDA_SB_ID", "7"),
            ("AWS_LAMBDA_LOG_GROUP_NAME", "/custom"), ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
            ("AWS_LAMBDA_LOG_STREAM_NAME", ""), ("AWS_REGION", "eu-west-1"), ("TZ", ":UTC"),
        ])
        #expect(
            Array(result.prefix(9))
                == env([
                    ("PATH", "/usr/local/bin:/usr/bin"), ("HOME", "/root"), ("LOG_LEVEL", "debug"), ("_LAMBDA_SB_ID", "7"),
                    ("AWS_LAMBDA_LOG_GROUP_NAME", "/custom"), ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
                    ("AWS_LAMBDA_LOG_STREAM_NAME", ""), ("AWS_REGION", "eu-west-1"), ("TZ", ":UTC"),
                ]))
        #expect(result.value(of: "AWS_LAMBDA_FUNCTION_VERSION") == "$LATEST")
        #expect(result.value(of: "AWS_LAMBDA_FUNCTION_NAME") == "test_function")
    }

    @Test("values containing '=' survive")
    func valuesWithEquals() throws {
        let parent = try #require(EnvironmentVariable(parsing: "MyEnv=4=4"))
        #expect(parent == EnvironmentVariable(name: "MyEnv", value: "4=4"))
        let result = RuntimeEnvironment.build(parent: [parent], runtimeAPIAddress: "127.0.0.1:9001", handler: nil)
        #expect(result.first == parent)
        #expect(result.first?.entry == "MyEnv=4=4")
        #expect(EnvironmentVariable(parsing: "EMPTY=") == EnvironmentVariable(name: "EMPTY", value: ""))
        #expect(EnvironmentVariable(parsing: "NOEQUALS") == nil)
    }

    @Test("credentials pass through when set")
    func credentials() {
        let result = build([("AWS_SESSION_TOKEN", "tok"), ("AWS_ACCESS_KEY_ID", "AKIA"), ("AWS_SECRET_ACCESS_KEY", "s=")])
        #expect(result.value(of: "AWS_ACCESS_KEY_ID") == "AKIA")
        #expect(result.value(of: "AWS_SECRET_ACCESS_KEY") == "s=")
        #expect(result.value(of: "AWS_SESSION_TOKEN") == "tok")
        #expect(result.count(where: { $0.name.hasPrefix("AWS_S") || $0.name.hasPrefix("AWS_A") }) == 3)
    }

    struct HandlerRow: Sendable, CustomTestStringConvertible {
        let functionHandler: String?
        let underscoreHandler: String?
        let cli: String?
        let expected: String?
        var testDescription: String {
            "AWS_LAMBDA_FUNCTION_HANDLER=\(functionHandler ?? "unset") _HANDLER=\(underscoreHandler ?? "unset") "
                + "cli=\(cli ?? "none") -> \(expected ?? "absent")"
        }
    }

    @Test(
        "_HANDLER is the first non-empty of AWS_LAMBDA_FUNCTION_HANDLER, _HANDLER, the command-line handler",
        arguments: [
            HandlerRow(functionHandler: "a.h", underscoreHandler: "b.h", cli: "c.h", expected: "a.h"),
            HandlerRow(functionHandler: nil, underscoreHandler: "b.h", cli: "c.h", expected: "b.h"),
            HandlerRow(functionHandler: "", underscoreHandler: "b.h", cli: "c.h", expected: "b.h"),
            HandlerRow(functionHandler: nil, underscoreHandler: nil, cli: "c.h", expected: "c.h"),
            HandlerRow(functionHandler: "", underscoreHandler: "", cli: "c.h", expected: "c.h"),
            HandlerRow(functionHandler: "a.h", underscoreHandler: nil, cli: nil, expected: "a.h"),
            HandlerRow(functionHandler: nil, underscoreHandler: nil, cli: nil, expected: nil),
            HandlerRow(functionHandler: nil, underscoreHandler: nil, cli: "", expected: nil),
            HandlerRow(functionHandler: nil, underscoreHandler: "", cli: nil, expected: ""),
        ])
    func handlerPrecedence(_ row: HandlerRow) {
        var parent: [(String, String)] = []
        if let value = row.functionHandler { parent.append(("AWS_LAMBDA_FUNCTION_HANDLER", value)) }
        if let value = row.underscoreHandler { parent.append(("_HANDLER", value)) }
        let result = build(parent, handler: row.cli)
        #expect(result.value(of: "_HANDLER") == row.expected)
        #expect(result.count { $0.name == "_HANDLER" } == (row.expected == nil ? 0 : 1))
        if let value = row.functionHandler { #expect(result.value(of: "AWS_LAMBDA_FUNCTION_HANDLER") == value) }
    }

    @Test("empty function name and version fall back to test_function and $LATEST; set ones are kept")
    func functionNameAndVersion() {
        let empty = build([("AWS_LAMBDA_FUNCTION_NAME", ""), ("AWS_LAMBDA_FUNCTION_VERSION", "")])
        #expect(empty.value(of: "AWS_LAMBDA_FUNCTION_NAME") == "test_function")
        #expect(empty.value(of: "AWS_LAMBDA_FUNCTION_VERSION") == "$LATEST")
        let set = build([("AWS_LAMBDA_FUNCTION_NAME", "orders"), ("AWS_LAMBDA_FUNCTION_VERSION", "7")])
        #expect(set.value(of: "AWS_LAMBDA_FUNCTION_NAME") == "orders")
        #expect(set.value(of: "AWS_LAMBDA_FUNCTION_VERSION") == "7")
    }

    @Test("AWS_LAMBDA_RUNTIME_API is the bound address, whatever the parent says")
    func runtimeAPIAddress() {
        let result = RuntimeEnvironment.build(
            parent: env([("AWS_LAMBDA_RUNTIME_API", "10.0.0.1:1")]), runtimeAPIAddress: "127.0.0.1:43210", handler: nil)
        #expect(result.value(of: "AWS_LAMBDA_RUNTIME_API") == "127.0.0.1:43210")
        #expect(result.count { $0.name == "AWS_LAMBDA_RUNTIME_API" } == 1)
    }

    @Test("names are unique and the first of duplicate parent entries wins, as Go's os.Environ")
    func duplicates() {
        let result = build([("A", "first"), ("A", "second"), ("AWS_LAMBDA_FUNCTION_NAME", "one"),
                            ("AWS_LAMBDA_FUNCTION_NAME", "two")])
        #expect(result.value(of: "A") == "first")
        #expect(result.value(of: "AWS_LAMBDA_FUNCTION_NAME") == "one")
        #expect(Set(result.map(\.name)).count == result.count)
    }

    @Test("the function ARN is fixed but for the function name")
    func functionARN() {
        #expect(RuntimeEnvironment.functionARN(parent: []) == "arn:aws:lambda:us-east-1:012345678912:function:test_function")
        #expect(
            RuntimeEnvironment.functionARN(parent: env([("AWS_LAMBDA_FUNCTION_NAME", "orders"), ("AWS_REGION", "eu-west-1")]))
                == "arn:aws:lambda:us-east-1:012345678912:function:orders")
        #expect(
            RuntimeEnvironment.functionARN(parent: env([("AWS_LAMBDA_FUNCTION_NAME", "")]))
                == "arn:aws:lambda:us-east-1:012345678912:function:test_function")
    }

    @Test("current() reads this process's environment")
    func current() throws {
        let current = RuntimeEnvironment.current()
        let path = String(cString: try #require(getenv("PATH")))
        #expect(current.value(of: "PATH") == path)
        #expect(!current.isEmpty)
        #expect(Set(current.map(\.name)).count == current.count)
    }
}
