# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Function URLs (`--function-url-address`): requests become payload-2.0 events, results become HTTP, streams
are relayed chunk by chunk with the http-integration prelude's head. AWS's emulator has no such listener."""

import base64
import json
import os
import subprocess
import sys
import time

import pytest

from harness import http
from harness.emulator import FIXTURES, base_env, free_port

pytestmark = pytest.mark.ours_only("Function URLs")

PRELUDE_TYPE = "application/vnd.awslambda.http-integration-response"
SERVER_ERROR = b'{"message":"Internal Server Error"}'


class FunctionURL:
    """An emulator with a Function URL listener, whose runtime the test plays (fixtures/sleeper)."""

    def __init__(self, emu, port: int):
        self.emu, self.port = emu, port
        self.pending_next = None

    def call(self, method="GET", path="/", headers=None, body=None, timeout=20.0) -> http.Background:
        return http.Background(http.request, "127.0.0.1", self.port, method, path, headers, body, timeout)

    def next_event(self, timeout=20.0):
        """The next event as the runtime gets it: (request id, event dict)."""
        if self.pending_next is None:
            self.emu.wait_for_runtime()
            r = self.emu.next(timeout=timeout)
        else:
            r = self.pending_next.result(timeout)
            self.pending_next = None
        return r.header("Lambda-Runtime-Aws-Request-Id"), json.loads(r.body)

    def release(self):
        """The runtime's next /next, in the background (its event goes to the next next_event)."""
        if self.pending_next is None:
            self.pending_next = self.emu.rapi_async("GET", "/runtime/invocation/next", timeout=120)

    def respond(self, request_id, body: bytes, content_type="application/json"):
        r = self.emu.rapi("POST", f"/runtime/invocation/{request_id}/response", {"Content-Type": content_type}, body)
        assert r.status == 202, r
        self.release()

    def stream(self, request_id, pieces, content_type=PRELUDE_TYPE, trailers=None, abandon=False):
        """Posts a streamed response, one chunk per piece, and releases the invoke; abandon=True drops the
        connection mid-body instead (release after the emulator noticed, or /next may come first)."""
        conn = http.Connection("127.0.0.1", self.emu.rapi_port, timeout=20)
        try:
            conn.send_request(
                "POST",
                f"/2018-06-01/runtime/invocation/{request_id}/response",
                [
                    ("Lambda-Runtime-Function-Response-Mode", "streaming"),
                    ("Content-Type", content_type),
                    ("Transfer-Encoding", "chunked"),
                ],
            )
            for piece in pieces:
                conn.send_chunk(piece)
            if abandon:
                return None
            conn.end_chunks(trailers)
            response = conn.read_response()
            self.release()
            return response
        finally:
            conn.close()

    def roundtrip_ok(self):
        """A plain GET works (the listener and the runtime are fine after whatever happened before)."""
        call = self.call("GET", "/after")
        rid, event = self.next_event()
        assert event["rawPath"] == "/after"
        self.respond(rid, b'{"statusCode":200,"body":"fine"}')
        r = call.result()
        assert (r.status, r.body) == (200, b"fine")


@pytest.fixture
def furl(start_emulator):
    port = free_port()
    emu = start_emulator(
        [str(FIXTURES / "sleeper")], env=base_env(), flags=("--function-url-address", f"127.0.0.1:{port}")
    )
    return FunctionURL(emu, port)


def test_a_get_becomes_a_payload_2_event(furl):
    call = furl.call(
        "GET",
        "/a%20b/c?x=1&y=2&x=3",
        [("X-Custom", "Value"), ("Cookie", "a=1; b=2"), ("User-Agent", "pytest")],
    )
    rid, event = furl.next_event()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "$default"
    assert event["rawPath"] == "/a%20b/c"
    assert event["rawQueryString"] == "x=1&y=2&x=3"
    assert event["queryStringParameters"] == {"x": "1,3", "y": "2"}
    assert event["cookies"] == ["a=1", "b=2"]
    assert event["headers"]["x-custom"] == "Value"
    assert all(name == name.lower() for name in event["headers"])
    assert "cookie" not in event["headers"]
    ctx = event["requestContext"]
    assert ctx["http"] == {
        "method": "GET",
        "path": "/a%20b/c",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "pytest",
    }
    assert ctx["requestId"] == rid
    assert ctx["stage"] == "$default"
    assert isinstance(ctx["timeEpoch"], int)
    assert "body" not in event
    assert event["isBase64Encoded"] is False
    furl.respond(rid, b'"hi"')
    r = call.result()
    # A result that is not a {statusCode...} object: 200, application/json, the bytes unchanged.
    assert (r.status, r.header("Content-Type"), r.body) == (200, "application/json", b'"hi"')
    furl.emu.wait_for_stdout(rf"^END RequestId: {rid}$")


def test_post_bodies_text_and_binary(furl):
    call = furl.call("POST", "/json", {"Content-Type": "application/json"}, b'{"k":"v"}')
    rid, event = furl.next_event()
    assert event["requestContext"]["http"]["method"] == "POST"
    assert (event["body"], event["isBase64Encoded"]) == ('{"k":"v"}', False)
    furl.respond(rid, b"{}")
    assert call.result().status == 200

    blob = bytes(range(256))
    call = furl.call("PUT", "/bin", {"Content-Type": "application/octet-stream"}, blob)
    rid, event = furl.next_event()
    assert event["requestContext"]["http"]["method"] == "PUT"
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == blob
    furl.respond(rid, b"{}")
    assert call.result().status == 200


def test_a_structured_result_becomes_status_headers_cookies_and_body(furl):
    call = furl.call("GET", "/")
    rid, _ = furl.next_event()
    payload = bytes([0, 1, 2, 255]) + b"binary"
    result = {
        "statusCode": 201,
        "headers": {"Content-Type": "application/x-thing", "X-Reply": "yes"},
        "cookies": ["s=1; Path=/", "t=2; HttpOnly"],
        "body": base64.b64encode(payload).decode(),
        "isBase64Encoded": True,
    }
    furl.respond(rid, json.dumps(result).encode())
    r = call.result()
    assert r.status == 201
    assert r.header("Content-Type") == "application/x-thing"
    assert r.header("X-Reply") == "yes"
    assert r.header_all("Set-Cookie") == ["s=1; Path=/", "t=2; HttpOnly"]
    assert r.body == payload
    assert r.framing == "content-length"


def test_a_result_with_an_invalid_status_is_502(furl):
    call = furl.call("GET", "/")
    rid, _ = furl.next_event()
    furl.respond(rid, b'{"statusCode":"nope"}')
    r = call.result()
    assert (r.status, r.body) == (502, SERVER_ERROR)
    furl.roundtrip_ok()


def stream_case(furl, pieces, content_type=PRELUDE_TYPE):
    call = furl.call("GET", "/s")
    rid, _ = furl.next_event()
    runtime = furl.stream(rid, pieces, content_type)
    assert runtime.status == 202, runtime
    return call.result()


def test_stream_with_prelude_in_one_chunk_swift_shape(furl):
    prelude = b'{"headers":{"Content-Type":"text/plain"},"multiValueHeaders":{"Set-Cookie":["a=1; Path=/","b=2"]},"statusCode":203}'
    r = stream_case(furl, [prelude + b"\0" * 8, b"one ", b"two"])
    assert r.status == 203
    assert r.header("Content-Type") == "text/plain"
    assert r.header_all("Set-Cookie") == ["a=1; Path=/", "b=2"]
    assert r.framing == "chunked"
    assert r.body == b"one two"
    assert b"\0" not in r.body


def test_stream_with_prelude_json_and_nuls_in_separate_chunks_node_shape(furl):
    prelude = b'{"statusCode":201,"headers":{"Content-Type":"text/event-stream"},"cookies":["c=3"]}'
    r = stream_case(furl, [prelude, b"\0" * 8, b"data: 1\n\n", b"data: 2\n\n"])
    assert r.status == 201
    assert r.header("Content-Type") == "text/event-stream"
    assert r.header_all("Set-Cookie") == ["c=3"]
    # Chunks written back to back may share a send (one send per 4 KiB read, as Go's io.Copy): bytes, not framing.
    assert r.body == b"data: 1\n\ndata: 2\n\n"


def test_stream_with_nuls_split_across_chunks(furl):
    r = stream_case(furl, [b'{"statusCode":', b'202}\0\0\0', b"\0\0", b"\0\0\0body", b"!"])
    assert r.status == 202
    assert r.body == b"body!"


def test_stream_without_prelude_keeps_the_runtime_content_type(furl):
    r = stream_case(furl, [b"plain ", b"stream"], content_type="text/plain; charset=utf-8")
    assert r.status == 200
    assert r.header("Content-Type") == "text/plain; charset=utf-8"
    assert r.body == b"plain stream"


def test_an_empty_stream_with_the_prelude_type_is_an_empty_200(furl):
    r = stream_case(furl, [])
    assert (r.status, r.body) == (200, b"")


def test_an_invalid_prelude_is_502(furl):
    call = furl.call("GET", "/s")
    rid, _ = furl.next_event()
    furl.stream(rid, [b"not json", b"\0" * 8, b"body"])
    r = call.result()
    assert (r.status, r.header("Content-Type"), r.body) == (502, "application/json", SERVER_ERROR)
    furl.roundtrip_ok()


def read_until_cut(port: int, path: str = "/s"):
    """GETs path on a raw socket; returns (head, chunks, cut) where cut says the connection closed before
    the terminating zero-length chunk."""
    conn = http.Connection("127.0.0.1", port, timeout=20)
    try:
        conn.send_request("GET", path)
        head = conn.read_head()
        chunks = []
        try:
            for chunk in conn.iter_chunks(head):
                chunks.append(chunk)
        except http.HTTPError:
            return head, chunks, True
        return head, chunks, False
    finally:
        conn.close()


def test_an_error_trailer_mid_stream_cuts_the_response_short(furl):
    call = http.Background(read_until_cut, furl.port)
    rid, _ = furl.next_event()
    runtime = furl.stream(
        rid,
        [b'{"statusCode":200}' + b"\0" * 8, b"partial"],
        trailers=[("Lambda-Runtime-Function-Error-Type", "Function.Boom"), ("Lambda-Runtime-Function-Error-Body", "")],
    )
    assert runtime.status == 202
    head, chunks, cut = call.result()
    assert head.status == 200 and head.framing == "chunked"
    assert chunks == [b"partial"]
    assert cut, "the response ended with its terminating chunk: the client cannot tell it failed"
    assert "[ERROR] (rapid) Function URL stream failed error=Function.Boom" in furl.emu.stderr()
    furl.roundtrip_ok()


def test_a_runtime_that_drops_mid_stream_cuts_the_response_short(furl):
    call = http.Background(read_until_cut, furl.port)
    rid, _ = furl.next_event()
    furl.stream(rid, [b'{"statusCode":200}' + b"\0" * 8, b"partial"], abandon=True)
    head, chunks, cut = call.result()
    furl.release()
    assert head.status == 200
    assert chunks == [b"partial"]
    assert cut
    furl.roundtrip_ok()


def test_curl_reports_a_truncated_transfer_mid_stream(furl):
    proc = subprocess.Popen(
        ["curl", "-sS", "-N", f"http://127.0.0.1:{furl.port}/"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    rid, _ = furl.next_event()
    furl.stream(
        rid, [b'{"statusCode":200}', b"\0" * 8, b"partial"], trailers=[("Lambda-Runtime-Function-Error-Type", "X.Y")]
    )
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 18, (proc.returncode, err)
    assert out == b"partial"
    assert b"transfer closed with outstanding read data remaining" in err
    furl.roundtrip_ok()


def test_a_function_error_is_502_and_the_next_request_works(furl):
    call = furl.call("GET", "/")
    rid, _ = furl.next_event()
    r = furl.emu.rapi(
        "POST",
        f"/runtime/invocation/{rid}/error",
        {"Lambda-Runtime-Function-Error-Type": "Function.Unhandled", "Content-Type": "application/json"},
        b'{"errorMessage":"boom","errorType":"Boom"}',
    )
    assert r.status == 202
    furl.release()
    r = call.result()
    assert (r.status, r.header("Content-Type"), r.body) == (502, "application/json", SERVER_ERROR)
    furl.roundtrip_ok()


def test_a_request_over_6_mb_is_413(furl):
    r = http.request("127.0.0.1", furl.port, "POST", "/", {"Content-Type": "text/plain"}, b"x" * (6_291_556 + 1))
    assert r.status == 413
    furl.roundtrip_ok()


def with_function_url(curl_runtime, mode, **env):
    port = free_port()
    emu = curl_runtime(mode, flags=("--function-url-address", f"127.0.0.1:{port}"), **env)
    return emu, port


@pytest.mark.parametrize("mode", ["crash", "initerror"])
def test_a_crash_or_init_failure_is_502(curl_runtime, mode):
    emu, port = with_function_url(curl_runtime, mode)
    r = http.request("127.0.0.1", port, "GET", "/")
    assert (r.status, r.body) == (502, SERVER_ERROR)
    emu.wait_for_stdout(r"^END RequestId: ")


def test_a_timeout_is_502(curl_runtime):
    emu, port = with_function_url(curl_runtime, "sleep", SLEEP_SECONDS="5", AWS_LAMBDA_FUNCTION_TIMEOUT="1")
    r = http.request("127.0.0.1", port, "GET", "/")
    assert (r.status, r.body) == (502, SERVER_ERROR)


def test_invokes_from_both_listeners_share_one_runtime(curl_runtime):
    emu, port = with_function_url(curl_runtime, "echo")
    for _ in range(2):
        r = http.request("127.0.0.1", port, "GET", "/x?q=1")
        assert r.status == 200 and json.loads(r.body)["rawPath"] == "/x"
        r = emu.invoke(b'{"plain":true}')
        assert (r.status, r.body) == (200, b'{"plain":true}')
    assert len(emu.wait_for_stdout(r"^START RequestId: ", count=4)) == 4


def test_the_env_var_turns_it_on_and_the_flag_wins(start_emulator, tmp_path):
    env_port, flag_port = free_port(), free_port()
    emu = start_emulator(
        [str(FIXTURES / "curl-runtime"), "echo"],
        env=base_env(AWS_LAMBDA_RIE_FUNCTION_URL_ADDRESS=f"127.0.0.1:{env_port}"),
    )
    assert http.request("127.0.0.1", env_port, "GET", "/").status == 200
    emu.stop()
    emu = start_emulator(
        [str(FIXTURES / "curl-runtime"), "echo"],
        env=base_env(AWS_LAMBDA_RIE_FUNCTION_URL_ADDRESS=f"127.0.0.1:{env_port}"),
        flags=(f"--function-url-address=127.0.0.1:{flag_port}",),
    )
    assert http.request("127.0.0.1", flag_port, "GET", "/").status == 200
    assert f"Function URL listening on http://127.0.0.1:{flag_port}/" in emu.stderr()
    with pytest.raises(OSError):
        http.request("127.0.0.1", env_port, "GET", "/", timeout=2)


def test_off_by_default(curl_runtime):
    emu = curl_runtime("echo")
    assert "Function URL" not in emu.stderr()


def test_an_invalid_address_is_refused(rie_binary):
    p = subprocess.run(
        [rie_binary, "--function-url-address", "nowhere", "/bin/true"], capture_output=True, text=True, timeout=10
    )
    assert p.returncode == 1
    assert 'The command line value for "--function-url-address" is not a valid network address "nowhere"' in p.stderr


def test_curl_sees_sse_frames_one_by_one_by_handshake(start_emulator, tmp_path):
    """The function sends event n, then waits for the file ack-n, which the test writes only after curl -N
    printed event n: a buffering emulator would deadlock here (and time out)."""
    n = 5
    port = free_port()
    emu = start_emulator(
        [sys.executable, str(FIXTURES / "furl" / "runtime.py")],
        env=base_env(FURL_EVENTS=str(n), FURL_ACK_DIR=str(tmp_path)),
        flags=("--function-url-address", f"127.0.0.1:{port}"),
    )
    proc = subprocess.Popen(
        ["curl", "-sS", "-N", "-i", f"http://127.0.0.1:{port}/events"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        seen = b""
        for i in range(1, n + 1):
            want = b"data: event %d\n\n" % i
            while want not in seen:
                data = os.read(proc.stdout.fileno(), 65536)
                assert data, f"curl's output ended before event {i}: {seen!r}"
                seen += data
            assert b"data: event %d\n" % (i + 1) not in seen
            (tmp_path / f"ack-{i}").touch()
        rest, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    seen += rest
    head, _, body = seen.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"content-type: text/event-stream" in head.lower()
    assert body == b"".join(b"id: %d\ndata: event %d\n\n" % (i, i) for i in range(1, n + 1))
    emu.wait_for_stdout(r"^fixture: stream -> 202")
    log = [line for line in emu.stdout().splitlines() if line.startswith("fixture: ")]
    assert log[1:] == [x for i in range(1, n + 1) for x in (f"fixture: sent {i}", f"fixture: acked {i}")] + [
        "fixture: stream -> 202"
    ]
