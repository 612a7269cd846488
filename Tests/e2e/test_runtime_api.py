# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Runtime API contract: the test is the runtime (the bootstrap only sleeps) and speaks HTTP to
127.0.0.1:<runtime api port>. Status codes and bodies are AWS's, byte for byte."""

import base64
import json
import time

import pytest

from harness import expected as X
from harness import http


def now_ms() -> int:
    return int(time.time() * 1000)


# -- /next ---------------------------------------------------------------------------------------


def test_next_delivers_event_with_exactly_the_aws_headers(manual_runtime):
    rt = manual_runtime()
    before = now_ms()
    inv = rt.invoke(b'{"q":1}')
    after = now_ms()
    ev = inv.event
    assert ev.status == 200
    assert ev.body == b'{"q":1}'
    assert ev.header("Content-Type") == "application/json"
    assert X.UUID_RX.match(inv.request_id), inv.request_id
    assert ev.header("Lambda-Runtime-Invoked-Function-Arn") == X.DEFAULT_ARN
    deadline = int(ev.header("Lambda-Runtime-Deadline-Ms") or "0")
    # Absolute epoch milliseconds: default timeout 300 s from the time of the invoke.
    assert before + 300_000 - 2_000 <= deadline <= after + 300_000 + 1_000, (before, deadline)
    # Ours also sends Lambda-Runtime-Trace-Id, generated when the invoke has none (test_tracing.py).
    names = set(ev.header_names()) - {"lambda-runtime-trace-id"}
    assert names == {
        "content-type",
        "lambda-runtime-aws-request-id",
        "lambda-runtime-deadline-ms",
        "lambda-runtime-invoked-function-arn",
        "date",
        "content-length",
    }, ev.headers
    r = inv.respond(b"done")
    assert (r.status, r.body, r.header("Content-Type")) == (202, X.STATUS_OK, "application/json")
    out = inv.finish()
    assert (out.status, out.body) == (200, b"done")


def test_next_deadline_follows_function_timeout(manual_runtime):
    rt = manual_runtime(AWS_LAMBDA_FUNCTION_TIMEOUT="7")
    before = now_ms()
    inv = rt.invoke()
    after = now_ms()
    deadline = int(inv.event.header("Lambda-Runtime-Deadline-Ms") or "0")
    assert before + 7_000 - 2_000 <= deadline <= after + 7_000 + 1_000, (before, deadline)


def test_next_forwards_decoded_client_context_and_tenant_id(manual_runtime):
    rt = manual_runtime()
    cc = {"custom": {"foo": "bar", "baz": 123}, "env": {"k": "v"}}
    b64 = base64.b64encode(json.dumps(cc).encode()).decode()
    inv = rt.invoke(b"{}", {"X-Amz-Client-Context": b64, "X-Amz-Tenant-Id": "tenant-7"})
    assert json.loads(inv.event.header("Lambda-Runtime-Client-Context") or "null") == cc
    assert inv.event.header("Lambda-Runtime-Aws-Tenant-Id") == "tenant-7"


def test_next_has_no_client_context_without_x_amz_client_context(manual_runtime):
    # (Lambda-Runtime-Trace-Id: AWS's emulator never sends it; ours generates one, test_tracing.py.)
    rt = manual_runtime()
    inv = rt.invoke(b"{}")
    assert inv.event.header("Lambda-Runtime-Client-Context") is None


@pytest.mark.ours_only("Trace id")
def test_next_carries_trace_id_when_the_invoke_has_one(manual_runtime):
    rt = manual_runtime()
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    inv = rt.invoke(b"{}", {"X-Amzn-Trace-Id": trace})
    assert inv.event.header("Lambda-Runtime-Trace-Id") == trace


def test_next_twice_during_one_invoke_returns_the_same_event(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke(b'{"n":2}')
    again = rt.emu.next()
    assert again.status == 200
    assert again.body == b'{"n":2}'
    assert again.header("Lambda-Runtime-Aws-Request-Id") == inv.request_id


def test_each_invoke_gets_a_new_request_id(manual_runtime):
    rt = manual_runtime()
    first = rt.invoke(b"1")
    first.respond(b"one")
    assert first.finish().body == b"one"
    second = rt.invoke(b"2")
    assert second.event.body == b"2"
    assert second.request_id != first.request_id
    second.respond(b"two")
    assert second.finish().body == b"two"


# -- /response, /error, /init/error ----------------------------------------------------------------


def test_response_twice_is_403_invalid_state_transition(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    assert inv.respond(b"a").status == 202
    r = inv.respond(b"b")
    assert r.status == 403
    assert r.body == X.invalid_transition("RuntimeResponseSentState", "InvocationResponse")
    assert r.header("Content-Type") == "application/json"
    assert inv.finish().body == b"a"


def test_error_after_response_is_403(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    assert inv.respond(b"a").status == 202
    r = inv.error(b'{"errorMessage":"late","errorType":"Late"}')
    assert (r.status, r.body) == (403, X.invalid_transition("RuntimeResponseSentState", "InvocationErrorResponse"))


def test_response_after_error_is_403(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    e = inv.error(b'{"errorMessage":"m","errorType":"T"}', {"Content-Type": "application/json"})
    assert (e.status, e.body) == (202, X.STATUS_OK)
    r = inv.respond(b"a")
    assert (r.status, r.body) == (403, X.invalid_transition("RuntimeResponseSentState", "InvocationResponse"))
    out = inv.finish()
    assert (out.status, out.body) == (200, b'{"errorMessage":"m","errorType":"T"}')


def test_init_error_after_next_is_403(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    r = rt.emu.rapi("POST", "/runtime/init/error", {"Lambda-Runtime-Function-Error-Type": "Runtime.X"}, b"{}")
    assert r.status == 403
    assert r.body == X.invalid_transition("Running", "InitError")
    inv.respond(b"ok")
    assert inv.finish().body == b"ok"


def test_init_error_before_first_next_is_202(manual_runtime):
    rt = manual_runtime(AWS_LAMBDA_FUNCTION_TIMEOUT="2")
    rt.emu.invoke_async(b"{}", timeout=10)  # starts the init in AWS's emulator (lazy)
    rt.emu.wait_for_runtime()
    r = rt.emu.rapi(
        "POST",
        "/runtime/init/error",
        {"Lambda-Runtime-Function-Error-Type": "Runtime.InitError", "Content-Type": "application/json"},
        b'{"errorMessage":"no","errorType":"Runtime.InitError"}',
    )
    assert (r.status, r.body, r.header("Content-Type")) == (202, X.STATUS_OK, "application/json")


@pytest.mark.parametrize("kind", ["response", "error"])
def test_unknown_request_id_is_400(manual_runtime, kind):
    rt = manual_runtime()
    inv = rt.invoke()
    r = rt.emu.rapi("POST", f"/runtime/invocation/00000000-0000-0000-0000-000000000000/{kind}", {}, b"x")
    assert (r.status, r.body, r.header("Content-Type")) == (400, X.INVALID_REQUEST_ID, "application/json")
    # The real invoke is unaffected.
    assert inv.respond(b"fine").status == 202
    assert inv.finish().body == b"fine"


def test_post_for_a_finished_invoke_is_400(manual_runtime):
    rt = manual_runtime()
    first = rt.invoke(b"1")
    first.respond(b"one")
    assert first.finish().body == b"one"
    second = rt.invoke(b"2")  # the runtime is now on the second invoke
    r = first.respond(b"late")
    assert (r.status, r.body) == (400, X.INVALID_REQUEST_ID)
    second.respond(b"two")
    assert second.finish().body == b"two"


def test_error_body_reaches_caller_verbatim_with_status_200(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    body = b'{"errorMessage":"boom","errorType":"Custom","stackTrace":["x"],"extra":{"k":1}}'
    r = inv.error(body, {"Lambda-Runtime-Function-Error-Type": "Function.Custom", "Content-Type": "application/json"})
    assert (r.status, r.body) == (202, X.STATUS_OK)
    out = inv.finish()
    assert (out.status, out.body) == (200, body)


def test_error_cause_content_type_filters_the_body(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    body = b'{"errorMessage":"m","errorType":"T","stackTrace":["a"],"extra":1,"cause":{"x":1}}'
    headers = {"Content-Type": "application/vnd.aws.lambda.error.cause+json"}
    assert inv.error(body, headers).status == 202
    out = inv.finish()
    assert (out.status, out.body) == (200, b'{"errorMessage":"m","errorType":"T","stackTrace":["a"]}')


def test_error_cause_that_is_not_json_becomes_invalid_error_body(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    assert inv.error(b"not json", {"Content-Type": "application/vnd.aws.lambda.error.cause+json"}).status == 202
    out = inv.finish()
    assert (out.status, out.body) == (200, b'"Invalid error body"')


def test_response_at_the_size_limit_is_accepted(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    body = b"y" * X.MAX_PAYLOAD
    assert inv.respond(body).status == 202
    out = inv.finish()
    assert out.status == 200
    assert len(out.body) == X.MAX_PAYLOAD and out.body == body


def test_response_over_the_size_limit_is_413_and_caller_gets_response_size_too_large(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    r = inv.respond(b"z" * (X.MAX_PAYLOAD + 1))
    assert (r.status, r.body, r.header("Content-Type")) == (413, X.RAPI_PAYLOAD_TOO_LARGE, "application/json")
    again = inv.respond(b"small")
    assert (again.status, again.body) == (403, X.invalid_transition("RuntimeResponseSentState", "InvocationResponse"))
    out = inv.finish()
    assert (out.status, out.body) == (200, X.INVOKE_RESPONSE_TOO_LARGE)


def test_chunked_response_without_streaming_mode_is_buffered_whole(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    with http.Connection("127.0.0.1", rt.emu.rapi_port) as conn:
        conn.send_request(
            "POST", f"/2018-06-01/runtime/invocation/{inv.request_id}/response", {"Transfer-Encoding": "chunked"}
        )
        for piece in (b"alpha ", b"beta ", b"gamma"):
            conn.send_chunk(piece)
        conn.end_chunks()
        r = conn.read_response()
    assert (r.status, r.body) == (202, X.STATUS_OK)
    out = inv.finish()
    assert (out.status, out.body) == (200, b"alpha beta gamma")


def test_streaming_mode_is_accepted(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    ok = inv.respond(b"streamed", {"Lambda-Runtime-Function-Response-Mode": "streaming"})
    assert (ok.status, ok.body) == (202, X.STATUS_OK)
    out = inv.finish()
    assert (out.status, out.body) == (200, b"streamed")


def test_invalid_response_mode_is_400_and_the_invoke_then_times_out(manual_runtime):
    rt = manual_runtime(AWS_LAMBDA_FUNCTION_TIMEOUT="1")
    inv = rt.invoke()
    bad = inv.respond(b"x", {"Lambda-Runtime-Function-Response-Mode": "invalid-mode"})
    assert (bad.status, bad.body) == (400, X.INVALID_RESPONSE_MODE)
    again = inv.respond(b"x")  # AWS's state machine is left in the InvocationResponse state
    assert (again.status, again.body) == (403, X.invalid_transition("InvocationResponse", "InvocationResponse"))
    out = inv.call.result(10)
    assert (out.status, out.body) == (200, X.timed_out(1))


@pytest.mark.ours_only("Streaming responses")
def test_streaming_mode_value_is_case_insensitive(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    with http.Connection("127.0.0.1", rt.emu.rapi_port) as conn:
        conn.send_request(
            "POST",
            f"/2018-06-01/runtime/invocation/{inv.request_id}/response",
            {"Lambda-Runtime-Function-Response-Mode": "Streaming", "Transfer-Encoding": "chunked"},
        )
        conn.send_chunk(b"upper-case mode")
        conn.end_chunks()
        r = conn.read_response()
    assert (r.status, r.body) == (202, X.STATUS_OK)
    out = inv.finish()
    assert (out.status, out.body) == (200, b"upper-case mode")


def test_expect_100_continue_gets_an_interim_response(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    with http.Connection("127.0.0.1", rt.emu.rapi_port, timeout=10) as conn:
        conn.send_request(
            "POST",
            f"/2018-06-01/runtime/invocation/{inv.request_id}/response",
            {"Content-Length": "5", "Expect": "100-continue"},
        )
        line = conn.read_line()
        assert line.startswith(b"HTTP/1.1 100"), line
        assert conn.read_line() == b""
        conn.send(b"hello")
        r = conn.read_response()
    assert (r.status, r.body) == (202, X.STATUS_OK)
    assert inv.finish().body == b"hello"


def test_one_keep_alive_connection_for_next_and_response(manual_runtime):
    """Like the Swift runtime: /next, /response and the following /next on one connection."""
    rt = manual_runtime()
    emu = rt.emu
    call = emu.invoke_async(b'{"k":"a"}')
    emu.wait_for_runtime()
    with http.Connection("127.0.0.1", emu.rapi_port) as conn:
        conn.send_request("GET", "/2018-06-01/runtime/invocation/next")
        ev = conn.read_response("GET")
        rid = ev.header("Lambda-Runtime-Aws-Request-Id")
        conn.send_request("POST", f"/2018-06-01/runtime/invocation/{rid}/response", {}, b"kept")
        r = conn.read_response()
        assert (r.status, r.body) == (202, X.STATUS_OK)
        conn.send_request("GET", "/2018-06-01/runtime/invocation/next")  # releases the invoke
        out = call.result(20)
        assert (out.status, out.body) == (200, b"kept")
        call2 = emu.invoke_async(b'{"k":"b"}')
        ev2 = conn.read_response("GET")
        assert ev2.body == b'{"k":"b"}'
        rid2 = ev2.header("Lambda-Runtime-Aws-Request-Id")
        conn.send_request("POST", f"/2018-06-01/runtime/invocation/{rid2}/response", {}, b"again")
        assert conn.read_response().status == 202
        conn.send_request("GET", "/2018-06-01/runtime/invocation/next")
        assert call2.result(20).body == b"again"


# -- routing, stubs --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/foo", "/2018-06-01/runtime/invocation", "/2018-06-01/runtime/nope/next"])
def test_unknown_path_is_404_page_not_found(manual_runtime, path):
    rt = manual_runtime()
    r = rt.emu.rapi("GET", path)
    assert (r.status, r.body, r.header("Content-Type")) == (404, X.NOT_FOUND, X.TEXT_PLAIN)


@pytest.mark.parametrize(
    "method,path",
    [
        ("POST", "/2018-06-01/runtime/invocation/next"),
        ("GET", "/2018-06-01/runtime/invocation/00000000-0000-0000-0000-000000000000/response"),
        ("GET", "/2018-06-01/runtime/init/error"),
    ],
)
def test_known_path_with_wrong_method_is_405_empty(manual_runtime, method, path):
    rt = manual_runtime()
    r = rt.emu.rapi(method, path, {}, b"" if method == "POST" else None)
    assert (r.status, r.body) == (405, b"")


def test_logs_and_telemetry_api_stubs_answer_202_not_supported(manual_runtime):
    rt = manual_runtime()
    logs = rt.emu.rapi("PUT", "/2020-08-15/logs", {"Content-Type": "application/json"}, b"{}")
    assert (logs.status, logs.body) == (202, X.LOGS_STUB)
    tele = rt.emu.rapi("PUT", "/2022-07-01/telemetry", {"Content-Type": "application/json"}, b"{}")
    assert (tele.status, tele.body) == (202, X.TELEMETRY_STUB)


def test_ping_answers_pong(manual_runtime):
    rt = manual_runtime()
    r = rt.emu.rapi("GET", "/ping")
    assert (r.status, r.body) == (200, b"pong")
