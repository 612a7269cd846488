# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Invoke API (the caller's side) with the shell+curl custom runtime (fixtures/curl-runtime),
including issue check (a), buffered."""

import socket

import pytest

from harness import expected as X
from harness.emulator import INVOKE_PATH


def test_curl_runtime_echoes_events_buffered(curl_runtime):
    emu = curl_runtime("echo")
    for i in range(3):
        body = b'{"event":%d,"text":"h\\u00e9llo"}' % i
        r = emu.invoke(body)
        assert (r.status, r.body) == (200, body)
        assert r.header("X-Amz-Function-Error") is None


def test_success_with_text_body_is_sniffed_text_plain_without_runtime_content_type(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    inv.respond(b'{"plain":"json"}')  # no Content-Type from the runtime
    out = inv.finish()
    assert (out.status, out.body, out.header("Content-Type")) == (200, b'{"plain":"json"}', X.TEXT_PLAIN)


@pytest.mark.ours_only("Content-Type")
def test_runtime_content_type_reaches_the_caller(curl_runtime):
    emu = curl_runtime("echo", RESPONSE_CONTENT_TYPE="application/x-fixture")
    r = emu.invoke(b"payload")
    assert (r.status, r.body, r.header("Content-Type")) == (200, b"payload", "application/x-fixture")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_any_method_invokes(curl_runtime, method):
    emu = curl_runtime("echo")
    body = None if method == "GET" else b'{"m":"%s"}' % method.encode()
    r = emu.invoke(body, method=method)
    assert (r.status, r.body) == (200, body or b"")


def test_query_string_is_ignored(curl_runtime):
    emu = curl_runtime("echo")
    r = emu.invoke(b'{"q":1}', path=INVOKE_PATH + "?Qualifier=prod&x=1")
    assert (r.status, r.body) == (200, b'{"q":1}')


def test_empty_body_is_forwarded_as_empty(curl_runtime):
    emu = curl_runtime("echo")
    r = emu.invoke(b"")
    assert (r.status, r.body) == (200, b"")


@pytest.mark.parametrize(
    "path",
    ["/", "/2015-03-31/functions/function/invocations/", "/2015-03-31/functions/function", "/invocations"],
)
def test_other_paths_are_404(curl_runtime, path):
    emu = curl_runtime("echo")
    r = emu.invoke(b"{}", path=path)
    assert (r.status, r.body, r.header("Content-Type")) == (404, X.NOT_FOUND, X.TEXT_PLAIN)


@pytest.mark.ours_only("Function name in the path")
@pytest.mark.parametrize("name", ["my-function", "MyCoolName", "arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Ax"])
def test_any_function_name_in_the_path_invokes(curl_runtime, name):
    emu = curl_runtime("echo")
    r = emu.invoke(b'{"n":1}', path=f"/2015-03-31/functions/{name}/invocations")
    assert (r.status, r.body) == (200, b'{"n":1}')


def test_invalid_client_context_is_500_empty_and_never_reaches_the_runtime(curl_runtime):
    emu = curl_runtime("headers")
    r = emu.invoke(b"{}", {"X-Amz-Client-Context": "%%% not base64 %%%"})
    assert (r.status, r.body) == (500, b"")
    ok = emu.invoke(b'{"after":1}')
    assert ok.status == 200
    assert b"Lambda-Runtime-Client-Context" not in ok.body


def test_request_body_at_the_size_limit_reaches_the_runtime_whole(curl_runtime):
    emu = curl_runtime("echo")
    body = bytes(range(256)) * (X.MAX_PAYLOAD // 256) + b"e" * (X.MAX_PAYLOAD % 256)
    assert len(body) == X.MAX_PAYLOAD
    r = emu.invoke(body)
    assert r.status == 200
    assert r.body == body


@pytest.mark.ours_only("Request size limit")
def test_request_body_over_the_size_limit_is_413_request_too_large(curl_runtime):
    import json

    emu = curl_runtime("echo")
    r = emu.invoke(b"r" * (X.MAX_PAYLOAD + 1))
    assert r.status == 413
    doc = json.loads(r.body)
    assert set(doc) == {"errorMessage", "errorType"}
    assert doc["errorType"] == "RequestTooLargeException"
    assert isinstance(doc["errorMessage"], str) and doc["errorMessage"]
    ok = emu.invoke(b'{"next":"fine"}')
    assert (ok.status, ok.body) == (200, b'{"next":"fine"}')


def test_function_error_is_200_with_the_error_body(curl_runtime):
    emu = curl_runtime("error")
    r = emu.invoke(b"{}")
    assert (r.status, r.body) == (200, b'{"errorMessage":"failed on purpose","errorType":"FixtureError"}')


@pytest.mark.ours_only("Function errors")
def test_function_error_carries_x_amz_function_error_unhandled(curl_runtime):
    emu = curl_runtime("error")
    r = emu.invoke(b"{}")
    assert r.status == 200
    assert r.header("X-Amz-Function-Error") == "Unhandled"


@pytest.mark.ours_only("Function errors")
@pytest.mark.parametrize(
    "mode,env,body",
    [
        ("crash", {}, b"{}"),
        ("initerror", {}, b"{}"),
        ("initexit", {}, b"{}"),
        ("sleep", {"AWS_LAMBDA_FUNCTION_TIMEOUT": "1"}, b"30"),
        ("big", {"BIG_BYTES": str(X.MAX_PAYLOAD + 1)}, b"{}"),
    ],
)
def test_every_function_error_carries_x_amz_function_error(curl_runtime, mode, env, body):
    emu = curl_runtime(mode, **env)
    r = emu.invoke(body)
    assert r.header("X-Amz-Function-Error") == "Unhandled", r


def test_success_has_no_aws_only_headers(curl_runtime):
    emu = curl_runtime("echo")
    r = emu.invoke(b"{}")
    # (X-Amz-Executed-Version and X-Amzn-RequestId: ours sends them, as real Lambda: test_invocation_types.py)
    for name in ("X-Amz-Function-Error", "X-Amz-Log-Result"):
        assert r.header(name) is None, name


@pytest.mark.parametrize("code", ["1", "7"])
def test_crash_during_invoke_is_502_runtime_exit_error(curl_runtime, code):
    emu = curl_runtime("crash", EXIT_CODE=code)
    r = emu.invoke(b"{}")
    assert r.status == 502
    m = X.EXIT_ERROR_RX.match(r.body)
    assert m, r.body
    assert r.body == X.exit_error(m.group(1).decode(), f"exit status {code}")


def test_exit_zero_during_invoke_is_502_without_a_reason(curl_runtime):
    emu = curl_runtime("crash", EXIT_CODE="0")
    r = emu.invoke(b"{}")
    m = X.EXIT_ERROR_RX.match(r.body)
    assert r.status == 502 and m, r
    assert r.body == X.exit_without_reason(m.group(1).decode())


def test_crash_then_the_next_invoke_runs_a_fresh_runtime(curl_runtime):
    emu = curl_runtime("crash", EXIT_CODE="3")
    first = emu.invoke(b"{}")
    assert first.status == 502
    second = emu.invoke(b"{}")
    assert second.status == 502
    a, b = X.EXIT_ERROR_RX.match(first.body), X.EXIT_ERROR_RX.match(second.body)
    assert a and b and a.group(1) != b.group(1)
    assert second.body == X.exit_error(b.group(1).decode(), "exit status 3")


def test_init_error_is_502_with_the_init_error_body(curl_runtime):
    emu = curl_runtime("initerror")
    for _ in range(2):
        r = emu.invoke(b"{}")
        assert (r.status, r.body) == (502, b'{"errorMessage":"init failed on purpose","errorType":"Runtime.InitError"}')
    assert "fixture: init-error -> 202" in emu.stdout()


def test_exit_during_init_is_502_with_an_empty_body(curl_runtime):
    emu = curl_runtime("initexit")
    for _ in range(2):
        r = emu.invoke(b"{}")
        assert (r.status, r.body) == (502, b"")


def test_shell_runtime_timeout_then_recovery(curl_runtime):
    emu = curl_runtime("sleep", AWS_LAMBDA_FUNCTION_TIMEOUT="1")
    r = emu.invoke(b"30")
    assert (r.status, r.body, r.header("Content-Type")) == (200, X.timed_out(1), X.TEXT_PLAIN)
    ok = emu.invoke(b"0")
    assert (ok.status, ok.body) == (200, b"0")


def test_too_large_response_from_curl_runtime(curl_runtime):
    emu = curl_runtime("big", BIG_BYTES=str(X.MAX_PAYLOAD + 1))
    r = emu.invoke(b"{}")
    assert (r.status, r.body) == (200, X.INVOKE_RESPONSE_TOO_LARGE)
    emu.wait_for_stdout(r"^fixture: response -> 413 ")


def test_small_buffered_bodies_carry_content_length(manual_runtime):
    """Up to 2048 bytes both emulators send Content-Length, to the caller and on /next."""
    rt = manual_runtime()
    inv = rt.invoke(b"e" * 2048)
    assert inv.event.framing == "content-length", inv.event.headers
    inv.respond(b"r" * 2048)
    out = inv.finish()
    assert (out.status, len(out.body), out.framing) == (200, 2048, "content-length"), out.headers


@pytest.mark.ours_only("Framing of buffered bodies")
def test_large_buffered_bodies_carry_content_length(manual_runtime):
    """Past 2048 bytes Go's net/http switches to chunked; ours keeps Content-Length (same body bytes)."""
    rt = manual_runtime()
    inv = rt.invoke(b"e" * 100_000)
    assert inv.event.framing == "content-length", inv.event.headers
    assert inv.event.body == b"e" * 100_000
    inv.respond(b"r" * 100_000)
    out = inv.finish()
    assert (out.status, out.body, out.framing) == (200, b"r" * 100_000, "content-length"), out.headers
    assert out.header("Content-Length") == "100000"


def test_empty_response_has_no_content_type(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke(b"")
    assert inv.event.body == b""
    inv.respond(b"")
    out = inv.finish()
    assert (out.status, out.body, out.header("Content-Length")) == (200, b"", "0")
    assert out.header("Content-Type") is None, out.headers


def test_http_1_2_is_served_as_http_1_1(curl_runtime):
    """RFC 9112 §2.3, and Go's net/http in AWS's emulator: a higher minor version is read as HTTP/1.1."""
    emu = curl_runtime("echo")
    request = b"POST %s HTTP/1.2\r\nHost: a\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}" % INVOKE_PATH.encode()
    with socket.create_connection(("127.0.0.1", emu.invoke_port), timeout=20) as s:
        s.sendall(request)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer
    assert answer.endswith(b"\r\n\r\n{}"), answer
