// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

/// The command line, parsed as AWS's emulator parses it (go-flags with `IgnoreUnknown` over all of argv):
/// the flags may appear anywhere, `--flag value` or `--flag=value`; everything else, unknown options
/// included, is the bootstrap command and its arguments, in order.
///
/// Hand-rolled rather than swift-argument-parser: go-flags' "options anywhere, unknown ones passed through"
/// is not expressible there without re-parsing, and the binary stays smaller.
struct EmulatorOptions: Equatable {
    var logLevel: String?
    var runtimeAPIAddress = "127.0.0.1:9001"
    var emulatorAddress = "0.0.0.0:8080"
    /// The Function URL listener's address; nil (the default) means no such listener.
    var functionURLAddress: String?
    var enableInitCaching = false
    /// `--max-concurrency` (or `AWS_LAMBDA_RIE_MAX_CONCURRENCY`) as given; see `concurrency`.
    var maxConcurrency: String?
    var positional: [String] = []

    enum Parsed: Equatable {
        case run(EmulatorOptions)
        case help
        case version
    }

    struct ParseError: Error, Equatable {
        let message: String
    }

    static func parse(_ arguments: [String]) throws(ParseError) -> Parsed {
        var options = EmulatorOptions()
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if options.positional.isEmpty && (arg == "--help" || arg == "-h") { return .help }
            if options.positional.isEmpty && arg == "--version" { return .version }
            let (name, inlineValue) = split(arg)
            switch name {
            case "--enable-init-caching":
                options.enableInitCaching = true
            case "--log-level", "--runtime-api-address", "--runtime-interface-emulator-address", "--function-url-address",
                "--max-concurrency":
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard i < arguments.count else {
                        throw ParseError(message: "expected argument for flag `\(name)'")
                    }
                    value = arguments[i]
                    i += 1
                }
                switch name {
                case "--log-level": options.logLevel = value
                case "--runtime-api-address": options.runtimeAPIAddress = value
                case "--function-url-address": options.functionURLAddress = value
                case "--max-concurrency": options.maxConcurrency = value
                default: options.emulatorAddress = value
                }
            default:
                options.positional.append(arg)
            }
        }
        return .run(options)
    }

    /// The environment variable that turns the Function URL listener on when the flag is absent.
    static let functionURLAddressVariable = "AWS_LAMBDA_RIE_FUNCTION_URL_ADDRESS"

    /// These options with the environment's defaults applied: `AWS_LAMBDA_RIE_FUNCTION_URL_ADDRESS` when
    /// `--function-url-address` was not given (the flag wins; an empty value means off).
    func applyingEnvironment(_ lookup: (String) -> String?) -> EmulatorOptions {
        var options = self
        if options.functionURLAddress == nil, let value = lookup(Self.functionURLAddressVariable), !value.isEmpty {
            options.functionURLAddress = value
        }
        if options.maxConcurrency == nil, let value = lookup(Self.maxConcurrencyVariable), !value.isEmpty {
            options.maxConcurrency = value
        }
        return options
    }

    /// The environment variable for `--max-concurrency`. Not AWS's `AWS_LAMBDA_MAX_CONCURRENCY`: that one switches
    /// AWS's emulator into Lambda Managed Instances mode, where ONE runtime process serves up to N invokes at once
    /// (the runtime, which also gets the variable, runs N `/next` pollers), and N busy pollers turn further
    /// invokes away with 400. Ours runs N runtime processes of one invoke each and queues the rest, so it must not
    /// tell runtimes to multiplex; `AWS_LAMBDA_MAX_CONCURRENCY` is passed to the runtime untouched, as before.
    static let maxConcurrencyVariable = "AWS_LAMBDA_RIE_MAX_CONCURRENCY"
    /// The most execution environments one emulator runs.
    static let maxConcurrencyLimit = 256

    /// How many execution environments to run: 1 when not asked; nil when `maxConcurrency` is not a whole number
    /// from 1 to `maxConcurrencyLimit`.
    var concurrency: Int? {
        guard let maxConcurrency else { return 1 }
        guard let n = Int(maxConcurrency), (1...Self.maxConcurrencyLimit).contains(n) else { return nil }
        return n
    }

    private static func split(_ arg: String) -> (String, String?) {
        guard arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") else { return (arg, nil) }
        return (String(arg[..<eq]), String(arg[arg.index(after: eq)...]))
    }

    static let usage = """
        Usage:
          aws-lambda-rie [OPTIONS] [bootstrap [args...]]

        A local AWS Lambda Runtime Interface Emulator that streams responses.

        Application Options:
              --log-level=                            log level (panic, fatal, error, warn, info, debug, trace; env LOG_LEVEL)
              --runtime-api-address=                  address of the Runtime API (default: 127.0.0.1:9001)
              --runtime-interface-emulator-address=   address of the invoke API (default: 0.0.0.0:8080)
              --function-url-address=                 serve a Function URL on this address, e.g. 127.0.0.1:8081
                                                      (default: off; env AWS_LAMBDA_RIE_FUNCTION_URL_ADDRESS)
              --max-concurrency=                      run up to N invokes at once, each in its own runtime process
                                                      (default: 1; env AWS_LAMBDA_RIE_MAX_CONCURRENCY)
              --enable-init-caching                   accepted for compatibility

        Without a bootstrap, the first of /var/task/bootstrap, /opt/bootstrap, /var/runtime/bootstrap is run.
        Invoke: curl -X POST http://localhost:8080/2015-03-31/functions/function/invocations -d '{}'
        With --function-url-address 127.0.0.1:8081: curl http://127.0.0.1:8081/any/path?x=1

        Help Options:
          -h, --help                                  Show this help message
              --version                               Show the version
        """
}
