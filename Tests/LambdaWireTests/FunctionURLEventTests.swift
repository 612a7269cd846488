// Copyright 2026 The swift-lambda-rie authors
// SPDX-License-Identifier: Apache-2.0

import LambdaWire
import Testing

@Suite("FunctionURLEvent")
struct FunctionURLEventTests {
    static func request(
        method: String = "POST", path: String = "/my/path", query: String = "", headers: [HeaderField] = [], body: String = ""
    ) -> FunctionURLRequest {
        FunctionURLRequest(
            method: method, rawPath: path, rawQueryString: query, headers: headers, body: bytes(body), sourceIP: "127.0.0.1",
            requestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", timeEpochMilliseconds: 1_583_348_638_390, domainName: "abc123.lambda-url.us-east-1.on.aws")
    }

    @Test("builds the documented payload 2.0 event, keys in order")
    func fullEvent() {
        let event = FunctionURLEvent.payload(for: Self.request(
            query: "parameter1=value1&parameter1=value2&parameter2=value",
            headers: [
                HeaderField("Host", "abc123.lambda-url.us-east-1.on.aws"), HeaderField("User-Agent", "agent"),
                HeaderField("Content-Type", "application/json"), HeaderField("X-Multi", "value1"), HeaderField("x-multi", "value2"),
                HeaderField("Cookie", "cookie1=a; cookie2=b"), HeaderField("cookie", "cookie3=c"),
            ],
            body: #"{"key":"välue"}"#))
        let expected = #"{"version":"2.0","routeKey":"$default","rawPath":"/my/path","#
            + #""rawQueryString":"parameter1=value1&parameter1=value2&parameter2=value","#
            + #""cookies":["cookie1=a","cookie2=b","cookie3=c"],"#
            + #""headers":{"host":"abc123.lambda-url.us-east-1.on.aws","user-agent":"agent","content-type":"application/json","x-multi":"value1,value2"},"#
            + #""queryStringParameters":{"parameter1":"value1,value2","parameter2":"value"},"#
            + #""requestContext":{"accountId":"anonymous","apiId":"abc123","domainName":"abc123.lambda-url.us-east-1.on.aws","#
            + #""domainPrefix":"abc123","http":{"method":"POST","path":"/my/path","protocol":"HTTP/1.1","sourceIp":"127.0.0.1","#
            + #""userAgent":"agent"},"requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","routeKey":"$default","stage":"$default","#
            + #""time":"04/Mar/2020:19:03:58 +0000","timeEpoch":1583348638390},"#
            + #""body":"{\"key\":\"välue\"}","isBase64Encoded":false}"#
        #expect(text(event) == expected)
    }

    @Test("a GET without query, cookies or body omits those keys")
    func minimalEvent() throws {
        let event = FunctionURLEvent.event(for: Self.request(method: "GET", path: "/"))
        let keys = try #require(event.objectMembers).map(\.key)
        #expect(keys == ["version", "routeKey", "rawPath", "rawQueryString", "headers", "requestContext", "isBase64Encoded"])
        #expect(event["headers"] == [:])
        #expect(event["isBase64Encoded"] == false)
        #expect(event["requestContext"]?["http"]?["userAgent"] == "")
        #expect(event["requestContext"]?["timeEpoch"] == .number("1583348638390"))
    }

    @Test("the body is text or base64 by content type and UTF-8 validity", arguments: [
        (nil as String?, "plain", false), ("text/plain; charset=utf-8", "plain", false), ("TEXT/HTML", "<p>", false),
        ("application/json", "{}", false), ("application/problem+json", "{}", false), ("application/atom+xml", "<a/>", false),
        ("application/xml", "<a/>", false), ("application/javascript", "x()", false), ("Application/JSON ; q=1", "{}", false),
        ("", "plain", false),
        ("application/octet-stream", "plain", true), ("image/png", "png", true), ("application/x-www-form-urlencoded", "a=1", true),
        ("multipart/form-data; boundary=x", "--x", true), ("application/jsonl", "{}", true),
    ])
    func bodyEncoding(_ contentType: String?, _ body: String, _ base64: Bool) {
        let headers = contentType.map { [HeaderField("Content-Type", $0)] } ?? []
        let event = FunctionURLEvent.event(for: Self.request(headers: headers, body: body))
        #expect(event["isBase64Encoded"] == .bool(base64))
        #expect(event["body"] == .string(base64 ? Base64.encode(body) : body))
    }

    @Test("bytes that are not UTF-8 are base64 even with a textual content type")
    func invalidUTF8Body() {
        var request = Self.request(headers: [HeaderField("Content-Type", "text/plain")])
        request.body = [0x66, 0xFF, 0x00]
        let event = FunctionURLEvent.event(for: request)
        #expect(event["body"] == "Zv8A")
        #expect(event["isBase64Encoded"] == true)
    }

    @Test("domainPrefix and apiId are the first label of the domain name", arguments: [
        ("abc123.lambda-url.us-east-1.on.aws", "abc123"), ("localhost:8080", "localhost"), ("127.0.0.1:9000", "127"), ("", ""),
    ])
    func domainPrefix(_ domain: String, _ prefix: String) {
        var request = Self.request()
        request.domainName = domain
        let context = FunctionURLEvent.event(for: request)["requestContext"]
        #expect(context?["domainName"] == .string(domain))
        #expect(context?["domainPrefix"] == .string(prefix))
        #expect(context?["apiId"] == .string(prefix))
    }

    @Test("the event is valid JSON that parses back to itself")
    func parsesBack() throws {
        let request = Self.request(query: "a=%22&b", headers: [HeaderField("X-Quote", "say \"hi\"\u{1}")], body: "line\n\"two\"")
        let event = FunctionURLEvent.event(for: request)
        #expect(try JSONValue.parse(FunctionURLEvent.payload(for: request)) == event)
        #expect(event["queryStringParameters"] == ["a": "\"", "b": ""])
    }
}
