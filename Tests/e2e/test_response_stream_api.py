# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""InvokeWithResponseStream (POST /2021-11-15/functions/{name}/response-streaming-invocations) as boto3 sees
it, reading the event stream as it arrives, and mid-stream errors on both the SDK and the raw path.

AWS's emulator has no such route (404), so every SDK test here is ours only."""

import base64
import json
import os
import sys

import pytest

from compat.differences import event_stream_frames
from harness import http
from harness.emulator import FIXTURES, INVOKE_PATH, base_env
from test_boto3 import lambda_client
from test_streaming import ack, expected_stream

ROW = "InvokeWithResponseStream"
STREAM_PATH = "/2021-11-15/functions/function/response-streaming-invocations"


def stream_invoke(emu, payload=b"{}", function="function", **kw):
    return lambda_client(emu).invoke_with_response_stream(FunctionName=function, Payload=payload, **kw)


def collect(resp):
    """(payload bytes, InvokeComplete) of a whole event stream; fails on any other event."""
    payload, complete = b"", None
    for event in resp["EventStream"]:
        assert complete is None, f"event after InvokeComplete: {event}"
        if "PayloadChunk" in event:
            payload += event["PayloadChunk"]["Payload"]
        else:
            complete = event["InvokeComplete"]
    assert complete is not None, "the stream ended without InvokeComplete"
    return payload, complete


def error_of(complete):
    return complete.get("ErrorCode"), complete.get("ErrorDetails")


def wait_for_stderr(emu, needle, timeout=10.0):
    http.wait_until(lambda: needle in emu.stderr(), timeout, f"{needle!r} on stderr of {emu.name}")


@pytest.fixture
def midstream(start_emulator, tmp_path):
    """Factory: the fixtures/midstream.py runtime, which acks its first chunk on a fifo. -> (emu, fifo)"""

    def start(**env):
        fifo = str(tmp_path / "ack.fifo")
        os.mkfifo(fifo)
        argv = [sys.executable, str(FIXTURES / "midstream.py")]
        return start_emulator(argv, env=base_env(MIDSTREAM_ACK_FIFO=fifo, **env)), fifo

    return start


def stream_events_then_ack(emu, fifo, mode):
    """Invokes through boto3 with {"mode": mode}; receives the first PayloadChunk, only then acks it (so
    the runtime's ending comes after the client saw the chunk); returns (first chunk, InvokeComplete)."""
    resp = stream_invoke(emu, json.dumps({"mode": mode}).encode())
    assert resp["StatusCode"] == 200
    events = iter(resp["EventStream"])
    first = next(events)
    ack(fifo)
    rest = list(events)
    assert len(rest) == 1 and "InvokeComplete" in rest[0], rest
    return first["PayloadChunk"]["Payload"], rest[0]["InvokeComplete"]


def assert_next_invoke_works(emu, fifo):
    resp = stream_invoke(emu, b'{"mode":"ok"}')
    events = iter(resp["EventStream"])
    assert next(events)["PayloadChunk"]["Payload"] == b"partial "
    ack(fifo)
    payload, complete = collect({"EventStream": events})
    assert (payload, complete) == (b"rest", {})


@pytest.mark.ours_only(ROW)
def test_streamed_function_arrives_chunk_by_chunk_proven_by_handshake(curl_runtime, tmp_path):
    """The runtime writes chunk i, then waits until the test has received chunk i as a PayloadChunk event
    and acks it. A buffering emulator makes this test time out at chunk 1."""
    n = 5
    fifo = str(tmp_path / "ack.fifo")
    os.mkfifo(fifo)
    emu = curl_runtime("stream", STREAM_CHUNKS=str(n), STREAM_ACK_FIFO=fifo)
    for _ in range(2):  # and again on the same runtime
        resp = stream_invoke(emu, function="any-name")
        assert resp["StatusCode"] == 200
        assert resp["ResponseStreamContentType"] == "application/vnd.amazon.eventstream"
        assert resp["ExecutedVersion"] == "$LATEST"
        assert resp["ResponseMetadata"]["RequestId"]
        events = iter(resp["EventStream"])
        received = b""
        for i in range(1, n + 1):
            event = next(events)  # read timeout here: the emulator held chunk i back
            received += event["PayloadChunk"]["Payload"]
            assert received == expected_stream(n)[: len(received)] and received.count(b"\n") == i, received
            ack(fifo)
        assert list(events) == [{"InvokeComplete": {}}]
    emu.wait_for_stdout(r"^fixture: stream -> 202 ", count=2)


@pytest.mark.ours_only(ROW)
def test_buffered_function_comes_back_as_one_payload_chunk(curl_runtime):
    emu = curl_runtime("echo")
    resp = stream_invoke(emu, b'{"from":"boto3"}', function="arn:aws:lambda:us-east-1:012345678912:function:f")
    events = list(resp["EventStream"])
    assert events == [{"PayloadChunk": {"Payload": b'{"from":"boto3"}'}}, {"InvokeComplete": {}}]
    emu.wait_for_stdout(r"^END RequestId: ")
    emu.wait_for_stdout(r"^REPORT RequestId: ")


@pytest.mark.ours_only(ROW)
def test_empty_buffered_response_is_only_invoke_complete(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke(path=STREAM_PATH, headers={"Content-Type": "application/json"})
    assert inv.respond(b"").status == 202
    out = inv.finish()
    assert (out.status, out.header("Content-Type")) == (200, "application/vnd.amazon.eventstream")
    assert event_stream_frames(out.body) == [("InvokeComplete", b"{}")]  # lengths and CRCs checked


@pytest.mark.ours_only(ROW)
def test_function_error_is_reported_in_invoke_complete(curl_runtime):
    emu = curl_runtime("error")
    for _ in range(2):
        payload, complete = collect(stream_invoke(emu))
        assert payload == b""
        assert error_of(complete) == ("Function.Unhandled", "failed on purpose")
        assert "LogResult" not in complete
    wait_for_stderr(emu, "errorType=Function.Unhandled errorMessage=failed on purpose")


@pytest.mark.ours_only(ROW)
def test_timeout_of_a_buffered_function_is_reported_in_invoke_complete(curl_runtime):
    emu = curl_runtime("sleep", AWS_LAMBDA_FUNCTION_TIMEOUT="1")
    payload, complete = collect(stream_invoke(emu, b"5"))
    assert (payload, error_of(complete)) == (b"", ("Sandbox.Timedout", "Task timed out after 1.00 seconds"))


@pytest.mark.ours_only(ROW)
def test_init_failure_is_reported_in_invoke_complete(curl_runtime):
    emu = curl_runtime("initerror")
    payload, complete = collect(stream_invoke(emu))
    assert (payload, error_of(complete)) == (b"", ("Runtime.InitError", "init failed on purpose"))


@pytest.mark.ours_only(ROW)
def test_http_integration_prelude_is_not_stripped(manual_runtime):
    """As Lambda: InvokeWithResponseStream passes the Function URL prelude on verbatim."""
    rt = manual_runtime()
    resp_call = http.Background(stream_invoke, rt.emu)
    rt.emu.wait_for_runtime()
    event = rt.emu.next()
    rid = event.header("Lambda-Runtime-Aws-Request-Id")
    prelude = b'{"statusCode":201}' + b"\0" * 8
    with http.Connection("127.0.0.1", rt.emu.rapi_port) as conn:
        conn.send_request(
            "POST",
            f"/2018-06-01/runtime/invocation/{rid}/response",
            {
                "Lambda-Runtime-Function-Response-Mode": "streaming",
                "Transfer-Encoding": "chunked",
                "Content-Type": "application/vnd.awslambda.http-integration-response",
            },
        )
        conn.send_chunk(prelude)
        conn.send_chunk(b"body")
        conn.end_chunks()
        assert conn.read_response().status == 202
    payload, complete = collect(resp_call.result())
    assert (payload, complete) == (prelude + b"body", {})


@pytest.mark.ours_only(ROW)
@pytest.mark.parametrize(
    "mode, expected",
    [("node-error", ("Error", "boom")), ("swift-error", ("Unhandled", "Requires base64"))],
)
def test_mid_stream_error_trailers_end_with_invoke_complete(midstream, mode, expected):
    """Node's trailers (base64 JSON) and Swift's (`Requires base64`, not base64 at all) both become
    InvokeComplete's ErrorCode and ErrorDetails, after the chunk sent before them; the error is logged and
    the next invoke works."""
    emu, fifo = midstream()
    first, complete = stream_events_then_ack(emu, fifo, mode)
    assert (first, error_of(complete)) == (b"partial ", expected)
    emu.wait_for_stdout(rf"^midstream: {mode} -> 202")
    wait_for_stderr(emu, f"[ERROR] (rapid) Invoke failed mid-stream errorType={expected[0]}")
    assert_next_invoke_works(emu, fifo)


@pytest.mark.ours_only(ROW)
def test_crash_mid_stream_ends_with_runtime_exit_error(midstream):
    emu, fifo = midstream()
    first, complete = stream_events_then_ack(emu, fifo, "crash")
    code, details = error_of(complete)
    assert (first, code) == (b"partial ", "Runtime.ExitError")
    assert details.startswith("RequestId: ") and "Runtime exited" in details, details
    wait_for_stderr(emu, "[ERROR] (rapid) Invoke failed mid-stream errorType=Runtime.ExitError")
    assert_next_invoke_works(emu, fifo)


@pytest.mark.ours_only(ROW)
def test_timeout_mid_stream_ends_with_sandbox_timedout(midstream):
    emu, fifo = midstream(AWS_LAMBDA_FUNCTION_TIMEOUT="2")
    first, complete = stream_events_then_ack(emu, fifo, "hang")
    assert (first, error_of(complete)) == (b"partial ", ("Sandbox.Timedout", "Task timed out after 2.00 seconds"))
    wait_for_stderr(emu, "[ERROR] (rapid) Invoke failed mid-stream errorType=Sandbox.Timedout")
    assert_next_invoke_works(emu, fifo)


@pytest.mark.ours_only("Streaming responses")
def test_raw_path_crash_mid_stream_ends_with_error_trailers(midstream):
    """On the classic route, a runtime that crashes mid-stream: the chunked response ends with the
    Lambda-Runtime-Function-Error-Type trailer and -Body, base64 of {"errorType","errorMessage"}."""
    emu, fifo = midstream()
    with http.Connection("127.0.0.1", emu.invoke_port, timeout=15) as conn:
        conn.send_request("POST", INVOKE_PATH, {}, b'{"mode":"crash"}')
        head = conn.read_head()
        assert (head.status, head.framing) == (200, "chunked")
        chunks = conn.iter_chunks(head)
        assert next(chunks) == b"partial "
        ack(fifo)
        assert list(chunks) == []
    trailers = dict(head.trailers)
    assert trailers["Lambda-Runtime-Function-Error-Type"] == "Runtime.ExitError", head.trailers
    body = json.loads(base64.b64decode(trailers["Lambda-Runtime-Function-Error-Body"]))
    assert body["errorType"] == "Runtime.ExitError" and "Runtime exited" in body["errorMessage"], body
    wait_for_stderr(emu, "[ERROR] (rapid) Invoke failed mid-stream errorType=Runtime.ExitError")
    with http.Connection("127.0.0.1", emu.invoke_port, timeout=15) as conn:
        conn.send_request("POST", INVOKE_PATH, {}, b'{"mode":"ok"}')
        head = conn.read_head()
        chunks = conn.iter_chunks(head)
        assert next(chunks) == b"partial "
        ack(fifo)
        assert b"".join(chunks) == b"rest"
    assert head.trailers == []


@pytest.mark.ours_only(ROW)
def test_dry_run_answers_204_without_running_the_function(curl_runtime):
    emu = curl_runtime("echo")
    r = emu.invoke(b"{}", headers={"X-Amz-Invocation-Type": "DryRun"}, path=STREAM_PATH)
    assert (r.status, r.body) == (204, b"")
    assert r.header("X-Amzn-RequestId")


@pytest.mark.ours_only(ROW)
def test_request_over_6_mib_is_refused_as_on_invoke(curl_runtime):
    emu = curl_runtime("echo")
    r = emu.invoke(b"q" * 6291557, path=STREAM_PATH)
    assert r.status == 413
    assert json.loads(r.body)["errorType"] == "RequestTooLargeException"
