# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""`X-Amz-Log-Type: Tail`: the last 4 KB of an invoke's execution log, base64, as real Lambda returns it."""

import base64
import json
import re

import pytest

from test_boto3 import lambda_client

pytestmark = pytest.mark.ours_only("Log tail")

TAIL = {"X-Amz-Log-Type": "Tail"}


def decoded_log(value):
    assert value, "no log result"
    return base64.b64decode(value).decode()


def assert_whole_log(log, marker):
    request_id = re.search(r"^START RequestId: (\S+) Version: \$LATEST$", log, re.M).group(1)
    assert marker in log
    assert f"\nEND RequestId: {request_id}\n" in log
    assert re.search(rf"\nREPORT RequestId: {request_id}\tDuration: [0-9.]+ ms\t.*\t\n$", log) or re.search(
        rf"\nREPORT RequestId: {request_id}\tInit Duration: ", log
    ), log
    assert log.index("START") < log.index(marker) < log.index("END RequestId")


def test_invoke_with_tail_returns_start_output_end_and_report(python_runtime):
    emu = python_runtime("app.say")
    r = emu.invoke(json.dumps({"text": "marker-4711"}).encode(), TAIL)
    assert (r.status, r.body) == (200, b'"said"')
    assert_whole_log(decoded_log(r.header("X-Amz-Log-Result")), "marker-4711")
    # The output still reaches the emulator's stdout, unchanged.
    emu.wait_for_stdout(r"^marker-4711$")


def test_tail_is_the_last_4096_bytes_of_a_long_log(python_runtime):
    emu = python_runtime("app.say")
    r = emu.invoke(json.dumps({"lines": 1000, "width": 100}).encode(), TAIL)
    assert r.status == 200
    log = base64.b64decode(r.header("X-Amz-Log-Result"))
    assert len(log) == 4096
    text = log.decode()
    assert "line 999 " + "x" * 100 + "\nEND RequestId: " in text
    assert text.endswith("MB\t\n")


def test_without_the_header_there_is_no_log_result(python_runtime):
    emu = python_runtime("app.say")
    r = emu.invoke(json.dumps({"text": "quiet"}).encode())
    assert r.status == 200
    assert r.header("X-Amz-Log-Result") is None
    # the runtime's output reaches stdout before the END line, as when it wrote there directly (END may follow
    # the answer: without a tail to carry, the caller's answer goes first)
    emu.wait_for_stdout(r"^END RequestId: ")
    out = emu.stdout()
    assert re.search(r"^quiet$", out, re.M) and out.index("quiet\n") < out.index("END RequestId: ")
    # and the next invoke asking for it gets only its own output
    r2 = emu.invoke(json.dumps({"text": "second"}).encode(), TAIL)
    log = decoded_log(r2.header("X-Amz-Log-Result"))
    assert "second" in log and "quiet" not in log


def test_boto3_invoke_log_type_tail(python_runtime):
    emu = python_runtime("app.say")
    out = lambda_client(emu).invoke(FunctionName="function", Payload=b'{"text": "from-boto3"}', LogType="Tail")
    assert out["Payload"].read() == b'"said"'
    assert_whole_log(decoded_log(out["LogResult"]), "from-boto3")


def test_boto3_invoke_with_response_stream_log_type_tail(python_runtime):
    emu = python_runtime("app.say")
    out = lambda_client(emu).invoke_with_response_stream(
        FunctionName="function", Payload=b'{"text": "streamed-tail"}', LogType="Tail"
    )
    events = list(out["EventStream"])
    complete = [e["InvokeComplete"] for e in events if "InvokeComplete" in e]
    assert len(complete) == 1
    assert "ErrorCode" not in complete[0] or not complete[0]["ErrorCode"]
    assert_whole_log(decoded_log(complete[0]["LogResult"]), "streamed-tail")


def test_streamed_invoke_carries_the_tail_as_a_trailer(curl_runtime):
    emu = curl_runtime("stream", STREAM_CHUNKS="3")
    r = emu.invoke(b"{}", TAIL)
    assert (r.status, r.framing) == (200, "chunked")
    assert r.body == b"".join(b"chunk %d of 3\n" % i for i in range(1, 4))
    assert r.header("X-Amz-Log-Result") is None  # the head went out before the log ended
    trailers = dict(r.trailers)
    log = decoded_log(trailers.get("X-Amz-Log-Result"))
    request_id = re.search(r"^START RequestId: (\S+) ", log, re.M).group(1)
    assert f"\nEND RequestId: {request_id}\n" in log
    assert re.search(rf"\nREPORT RequestId: {request_id}\t.*\t\n$", log), log
