// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0
import LambdaCore
import Testing

@testable import LambdaAPI

@Suite("ExtensionsAPIHandler")
struct ExtensionsAPIHandlerTests {
    @Test("routes, methods and other paths")
    func routes() {
        #expect(ExtensionsAPIHandler.match(method: "POST", path: "/2020-01-01/extension/register") == .route(.register))
        #expect(ExtensionsAPIHandler.match(method: "GET", path: "/2020-01-01/extension/event/next") == .route(.next))
        #expect(ExtensionsAPIHandler.match(method: "POST", path: "/2020-01-01/extension/init/error") == .route(.initError))
        #expect(ExtensionsAPIHandler.match(method: "POST", path: "/2020-01-01/extension/exit/error") == .route(.exitError))
        #expect(ExtensionsAPIHandler.match(method: "PUT", path: "/2020-01-01/extension/register") == .wrongMethod(allow: "POST"))
        #expect(ExtensionsAPIHandler.match(method: "GET", path: "/2020-01-01/extension") == nil)
        #expect(ExtensionsAPIHandler.match(method: "GET", path: "/2018-06-01/runtime/invocation/next") == nil)
    }

    @Test("register bodies: events, none, and AWS's refusals")
    func events() throws {
        #expect(try ExtensionsAPIHandler.parseEvents(Array(#"{"events":["INVOKE","SHUTDOWN"]}"#.utf8)).get() == [.invoke, .shutdown])
        #expect(try ExtensionsAPIHandler.parseEvents(Array(#"{"events":[]}"#.utf8)).get() == [])
        #expect(try ExtensionsAPIHandler.parseEvents([]).get() == [])
        for (body, type) in [
            ("{", "InvalidRequestFormat"), (#"{"events":"INVOKE"}"#, "InvalidRequestFormat"),
            (#"{"events":["INVOKE"],"configurationKeys":[]}"#, "InvalidRequestFormat"),
            (#"{"events":["invoke"]}"#, "Extension.InvalidEventType"), ("[]", "InvalidRequestFormat"),
        ] {
            guard case .failure(let refusal) = ExtensionsAPIHandler.parseEvents(Array(body.utf8)) else {
                Issue.record("accepted \(body)")
                continue
            }
            #expect(refusal.response.status == 403)
            #expect(String(decoding: refusal.response.body, as: UTF8.self).contains("\"errorType\":\"\(type)\""))
        }
    }

    @Test("registry refusals become AWS's bodies")
    func refusals() {
        #expect(String(decoding: ExtensionsAPIHandler.refusal(.tooManyExtensions).body, as: UTF8.self)
            == "{\"errorMessage\":\"Extension limit (10) reached\",\"errorType\":\"Extension.TooManyExtensions\"}\n")
        #expect(String(decoding: ExtensionsAPIHandler.refusal(.registrationClosed).body, as: UTF8.self)
            == "{\"errorMessage\":\"Extension registration closed already\",\"errorType\":\"Extension.RegistrationClosed\"}\n")
        #expect(ExtensionsAPIHandler.refusal(.unknownIdentifier, id: "x").status == 403)
    }

    @Test("identifiers must be UUIDs")
    func uuids() {
        #expect(ExtensionsAPIHandler.isUUID("3da1f2dc-3222-475e-9205-e2e6c6318895"))
        #expect(ExtensionsAPIHandler.isUUID("3DA1F2DC-3222-475E-9205-E2E6C6318895"))
        #expect(!ExtensionsAPIHandler.isUUID("3da1f2dc-3222-475e-9205-e2e6c631889"))
        #expect(!ExtensionsAPIHandler.isUUID("3da1f2dc+3222-475e-9205-e2e6c6318895"))
        #expect(!ExtensionsAPIHandler.isUUID("zda1f2dc-3222-475e-9205-e2e6c6318895"))
    }

    @Test("configuration: the directory and the switch come from the environment")
    func configuration() {
        let none = ExtensionsConfiguration.from { _ in nil }
        #expect(none == ExtensionsConfiguration(enabled: true, directory: "/opt/extensions"))
        let env = ["AWS_LAMBDA_RIE_DISABLE_EXTENSIONS": "TRUE", "AWS_LAMBDA_RIE_EXTENSIONS_DIR": "/x"]
        #expect(ExtensionsConfiguration.from { env[$0] } == ExtensionsConfiguration(enabled: false, directory: "/x"))
        #expect(ExtensionsConfiguration.from { $0 == "AWS_LAMBDA_RIE_DISABLE_EXTENSIONS" ? "false" : nil }.enabled)
    }
}
