# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""X-Amz-Invocation-Type (Event, DryRun, RequestResponse, invalid) and the X-Amz-Executed-Version and
X-Amzn-RequestId headers, as real Lambda answers them."""

import json
import re
import sys

import pytest

from barrier import Barrier
from harness.emulator import FIXTURES, base_env
from test_boto3 import lambda_client

STREAM_PATH = "/2021-11-15/functions/function/response-streaming-invocations"
EVENT = {"X-Amz-Invocation-Type": "Event"}
DRY_RUN = {"X-Amz-Invocation-Type": "DryRun"}


@pytest.fixture
def barrier():
    b = Barrier()
    yield b
    b.close()


def start_barrier_runtime(start_emulator, **env):
    argv = [sys.executable, "-m", "awslambdaric", "barrier.meet"]
    return start_emulator(argv, env=base_env(**env), cwd=FIXTURES / "python")


@pytest.mark.ours_only("Invocation types")
def test_event_is_accepted_at_once_and_runs_in_the_background(start_emulator, barrier):
    emu = start_barrier_runtime(start_emulator)
    r = emu.invoke(json.dumps({"port": barrier.port}).encode(), EVENT)
    # Answered while nothing has run yet: the handler cannot get past the barrier before the test lets it.
    assert (r.status, r.body) == (202, b"")
    assert r.header("Content-Length") == "0"
    request_id = r.header("X-Amzn-RequestId")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", request_id)
    assert r.header("X-Amz-Executed-Version") is None
    # The invoke runs: its handler arrives with the same request id, and its result is logged.
    assert barrier.arrive(1) == [request_id]
    barrier.release("background")
    emu.wait_for_stdout(rf"^REPORT RequestId: {request_id}\t")
    line = http_wait_for_stderr(emu, rf"Asynchronous invoke succeeded InvokeID={request_id} .*")
    assert '"answer": "background"' in line and '"request_id": "' + request_id + '"' in line


@pytest.mark.ours_only("Invocation types")
def test_an_event_queues_like_any_invoke_and_a_failure_is_logged(start_emulator, barrier):
    emu = start_barrier_runtime(start_emulator)
    accepted = emu.invoke(json.dumps({"port": barrier.port, "fail": True}).encode(), EVENT)
    assert accepted.status == 202
    event_id = accepted.header("X-Amzn-RequestId")
    assert barrier.arrive(1) == [event_id]
    # A synchronous invoke sent while the event runs waits its turn (one environment), then runs.
    sync = emu.invoke_async(json.dumps({"port": barrier.port}).encode(), timeout=60)
    barrier.release()
    sync_id = barrier.arrive(1)[0]
    barrier.release()
    r = sync.result(60)
    assert r.status == 200 and r.header("X-Amzn-RequestId") == sync_id != event_id
    http_wait_for_stderr(
        emu, rf"Asynchronous invoke failed errorType=\S+ errorMessage=failed after the barrier InvokeID={event_id}$")


@pytest.mark.ours_only("Invocation types")
@pytest.mark.parametrize("path", ["/2015-03-31/functions/function/invocations", STREAM_PATH])
def test_dry_run_is_204_and_runs_nothing(curl_runtime, path):
    emu = curl_runtime("echo")
    r = emu.invoke(b'{"x":1}', DRY_RUN, path=path)
    assert (r.status, r.body) == (204, b"")
    assert r.header("X-Amzn-RequestId")
    assert emu.children() == [], "no runtime was started"
    assert "START RequestId" not in emu.stdout()
    # The function still works afterwards.
    assert emu.invoke(b'{"x":2}').body == b'{"x":2}'


@pytest.mark.ours_only("Invocation types")
def test_request_response_is_the_default(curl_runtime):
    emu = curl_runtime("echo")
    r = emu.invoke(b'{"x":1}', {"X-Amz-Invocation-Type": "RequestResponse"})
    assert (r.status, r.body) == (200, b'{"x":1}')


@pytest.mark.ours_only("Invocation types")
@pytest.mark.parametrize(
    "path,value,allowed",
    [
        ("/2015-03-31/functions/function/invocations", "event", "[DryRun, RequestResponse, Event]"),
        ("/2015-03-31/functions/function/invocations", "Async", "[DryRun, RequestResponse, Event]"),
        (STREAM_PATH, "Event", "[RequestResponse, DryRun]"),
    ],
)
def test_an_invalid_invocation_type_is_a_validation_error(curl_runtime, path, value, allowed):
    emu = curl_runtime("echo")
    r = emu.invoke(b"{}", {"X-Amz-Invocation-Type": value}, path=path)
    assert r.status == 400
    assert r.header("X-Amzn-ErrorType") == "ValidationException"
    assert json.loads(r.body) == {
        "message": f"1 validation error detected: Value '{value}' at 'invocationType' failed to satisfy "
        f"constraint: Member must satisfy enum value set: {allowed}"
    }
    assert emu.children() == []


@pytest.mark.ours_only("Executed version and request id")
def test_responses_carry_the_executed_version_and_the_invokes_request_id(python_runtime):
    emu = python_runtime("app.context_dump")
    r = emu.invoke(b"{}")
    assert r.status == 200
    assert r.header("X-Amz-Executed-Version") == "$LATEST"
    assert r.header("X-Amzn-RequestId") == json.loads(r.body)["aws_request_id"]
    emu.wait_for_stdout(rf"^START RequestId: {r.header('X-Amzn-RequestId')} Version: \$LATEST$")


@pytest.mark.ours_only("Executed version and request id")
def test_function_errors_and_streams_carry_them_too(curl_runtime, python_runtime):
    emu = python_runtime("app.raise_exception", AWS_LAMBDA_FUNCTION_VERSION="7")
    r = emu.invoke(b"{}")
    assert r.header("X-Amz-Function-Error") == "Unhandled"
    assert r.header("X-Amz-Executed-Version") == "7"
    assert r.header("X-Amzn-RequestId") == json.loads(r.body)["requestId"]
    streaming = curl_runtime("stream")
    s = streaming.invoke(b"{}")
    assert s.framing == "chunked"
    assert s.header("X-Amz-Executed-Version") == "$LATEST"
    streaming.wait_for_stdout(rf"^END RequestId: {s.header('X-Amzn-RequestId')}$")


@pytest.mark.ours_only("Invocation types")
def test_boto3_sees_event_dry_run_and_the_executed_version(curl_runtime):
    emu = curl_runtime("echo")
    client = lambda_client(emu)
    event = client.invoke(FunctionName="function", InvocationType="Event", Payload=b'{"n":1}')
    assert event["StatusCode"] == 202 and event["Payload"].read() == b""
    dry = client.invoke(FunctionName="function", InvocationType="DryRun", Payload=b"{}")
    assert dry["StatusCode"] == 204
    sync = client.invoke(FunctionName="function", Payload=b'{"n":2}')
    assert (sync["StatusCode"], sync["ExecutedVersion"], sync["Payload"].read()) == (200, "$LATEST", b'{"n":2}')
    event_id = event["ResponseMetadata"]["RequestId"]
    emu.wait_for_stdout(rf"^REPORT RequestId: {event_id}\t")


def http_wait_for_stderr(emu, pattern, timeout=20.0):
    """The first line of the emulator's stderr matching pattern, waiting for it."""
    from harness import http

    rx = re.compile(pattern)
    found = []

    def ready():
        found[:] = [l for l in emu.stderr().splitlines() if rx.search(l)]
        return bool(found)

    http.wait_until(ready, timeout, f"/{pattern}/ on stderr of {emu.name}")
    return found[0]
