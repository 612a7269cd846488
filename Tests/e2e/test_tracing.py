# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""X-Ray tracing: X-Amzn-Trace-Id on the invoke becomes Lambda-Runtime-Trace-Id on /next (and, through the
runtime client, _X_AMZN_TRACE_ID); an invoke without one gets a generated header in X-Ray's format."""

import json
import re
import threading
import time

import pytest

from test_boto3 import lambda_client

pytestmark = pytest.mark.ours_only("Trace id")

GIVEN = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
GENERATED = re.compile(r"Root=1-([0-9a-f]{8})-([0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=0")


def assert_generated(header: str, before: float, after: float) -> None:
    m = GENERATED.fullmatch(header or "")
    assert m, header
    # The root's first part is the invoke's time, in epoch seconds.
    assert int(before) <= int(m.group(1), 16) <= int(after) + 1


def test_the_callers_trace_header_reaches_next_unchanged(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke(b"{}", {"X-Amzn-Trace-Id": GIVEN})
    assert inv.event.header("Lambda-Runtime-Trace-Id") == GIVEN
    inv.respond(b"ok")
    assert inv.finish().body == b"ok"


def test_an_invoke_without_one_gets_a_fresh_x_ray_header(manual_runtime):
    rt = manual_runtime()
    seen = []
    for _ in range(2):
        before = time.time()
        inv = rt.invoke(b"{}")
        after = time.time()
        header = inv.event.header("Lambda-Runtime-Trace-Id")
        assert_generated(header, before, after)
        seen.append(header)
        inv.respond(b"ok")
        inv.finish()
    assert seen[0] != seen[1], "each invoke gets its own trace"


def test_the_python_runtime_client_exposes_it_as__x_amzn_trace_id(python_runtime):
    emu = python_runtime("app.env")
    given = json.loads(emu.invoke(b"{}", {"X-Amzn-Trace-Id": GIVEN}).body)
    assert given["_X_AMZN_TRACE_ID"] == GIVEN
    before = time.time()
    generated = json.loads(emu.invoke(b"{}").body)
    assert_generated(generated["_X_AMZN_TRACE_ID"], before, time.time())


def test_invoke_with_response_stream_is_traced_too(manual_runtime):
    rt = manual_runtime()
    emu = rt.emu
    client = lambda_client(emu)
    result = {}
    call = threading.Thread(
        target=lambda: result.setdefault(
            "r", client.invoke_with_response_stream(FunctionName="function", Payload=b"{}")
        )
    )
    call.start()
    emu.wait_for_runtime()
    event = emu.next()
    assert GENERATED.fullmatch(event.header("Lambda-Runtime-Trace-Id") or "")
    request_id = event.header("Lambda-Runtime-Aws-Request-Id")
    emu.rapi("POST", f"/runtime/invocation/{request_id}/response", None, b"streamed")
    rt.release()
    call.join(30)
    events = list(result["r"]["EventStream"])
    assert events[0]["PayloadChunk"]["Payload"] == b"streamed"
