# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The Telemetry API (PUT /2022-07-01/telemetry) and Logs API (PUT /2020-08-15/logs) deliver: an external
extension (fixtures/extensions/py-ext) subscribes a destination on `sandbox.localdomain`, as real extensions do,
and the HTTP server this test runs receives the batches (JSON arrays): platform events in lifecycle order with
AWS's fields, the runtime's output as `function` events, batched by the subscription's buffering settings."""

from __future__ import annotations

import json
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness import http
from harness.emulator import FIXTURES, base_env, free_port

pytestmark = pytest.mark.ours_only("Telemetry API")

EXT_FIXTURES = FIXTURES / "extensions"
TRACE = "Root=1-5f35ae12-0c0fec141ab77a00bc047aa2;Parent=2be948a625588e32;Sampled=1"
TIME_RX = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class Collector:
    """An HTTP server that records every POSTed batch: (path, parsed JSON array, body length)."""

    def __init__(self) -> None:
        self.batches: list[tuple[str, list, int]] = []
        self.cond = threading.Condition()
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with collector.cond:
                    collector.batches.append((self.path, json.loads(body), len(body)))
                    collector.cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def events(self) -> list[dict]:
        with self.cond:
            return [event for _, batch, _ in self.batches for event in batch]

    def wait_for(self, predicate, timeout: float, what: str) -> list[dict]:
        with self.cond:
            ok = self.cond.wait_for(
                lambda: predicate([e for _, b, _ in self.batches for e in b]), timeout)
        assert ok, f"timed out waiting for {what}; got {[e['type'] for e in self.events()]}"
        return self.events()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def collector():
    c = Collector()
    yield c
    c.close()


@pytest.fixture
def subscribed(start_emulator, tmp_path):
    """Factory: subscribed(path, subscription, argv=None, cwd=None) -> (emulator, handshake dir): py-ext in the
    extensions directory subscribes `subscription` (a dict) at `path` before its first /event/next."""

    def start(path, subscription, argv=None, cwd=None, **env):
        out = tmp_path / "handshakes"
        out.mkdir()
        directory = tmp_path / "opt-extensions"
        directory.mkdir()
        (directory / "py-ext").symlink_to(EXT_FIXTURES / "py-ext")
        environment = base_env(
            AWS_LAMBDA_RIE_EXTENSIONS_DIR=str(directory), EXT_OUT=str(out),
            EXT_SUBSCRIBE=f"{path} {json.dumps(subscription)}", **env)
        argv = argv or [str(FIXTURES / "curl-runtime"), "echo"]
        return start_emulator(argv, env=environment, cwd=cwd), out

    return start


def telemetry(port: int, types=("platform", "function"), buffering=None, path="/telemetry") -> dict:
    sub = {
        "schemaVersion": "2022-12-13",
        "destination": {"protocol": "HTTP", "URI": f"http://sandbox.localdomain:{port}{path}"},
        "types": list(types),
    }
    if buffering is not None:
        sub["buffering"] = buffering
    return sub


def first(events: list[dict], type_: str, request_id: str | None = None) -> int:
    for i, event in enumerate(events):
        if event["type"] == type_ and (request_id is None or event["record"].get("requestId") == request_id):
            return i
    raise AssertionError(f"no {type_} in {[e['type'] for e in events]}")


def has_report(request_id: str):
    return lambda events: any(e["type"] == "platform.report" and e["record"]["requestId"] == request_id for e in events)


def test_telemetry_subscriber_gets_platform_events_in_order_and_function_lines(subscribed, collector):
    emu, out = subscribed("/2022-07-01/telemetry", telemetry(collector.port, buffering={"timeoutMs": 25}))
    answer = emu.invoke(b'{"hello":"world"}', headers={"X-Amzn-Trace-Id": TRACE})
    assert answer.status == 200
    request_id = emu.wait_for_stdout(r"^START RequestId: (\S+)")[0].group(1)
    assert (out / "py-ext.subscribe").read_text() == "200 OK"

    events = collector.wait_for(has_report(request_id), 15, "platform.report")
    order = [first(events, t) for t in ("platform.initStart", "platform.initRuntimeDone", "platform.initReport")]
    order += [first(events, t, request_id) for t in ("platform.start", "platform.runtimeDone", "platform.report")]
    assert order == sorted(order), [e["type"] for e in events]
    assert all(TIME_RX.match(e["time"]) for e in events)
    assert {path for path, _, _ in collector.batches} == {"/telemetry"}

    init_start = events[order[0]]["record"]
    assert init_start == {"initializationType": "on-demand", "phase": "init", "functionName": "test_function",
                          "functionVersion": "$LATEST"}
    assert events[order[1]]["record"]["status"] == "success"
    assert events[order[2]]["record"]["metrics"]["durationMs"] > 0
    tracing = {"type": "X-Amzn-Trace-Id", "value": TRACE}
    assert events[order[3]]["record"] == {"requestId": request_id, "version": "$LATEST", "tracing": tracing}
    done = events[order[4]]["record"]
    assert (done["status"], done["metrics"]["producedBytes"], done["tracing"]) == ("success", 17, tracing)
    assert done["metrics"]["durationMs"] >= 0
    report = events[order[5]]["record"]
    assert report["status"] == "success"
    metrics = report["metrics"]
    assert metrics["memorySizeMB"] == 3008 and metrics["maxMemoryUsedMB"] == 3008
    assert metrics["billedDurationMs"] >= metrics["durationMs"] > 0
    assert metrics["initDurationMs"] > 0  # the first invoke of a runtime

    # The curl runtime logs each POST's status to stderr, after its /response: a function event.
    collector.wait_for(lambda es: any(e["type"] == "function" and "fixture: response -> 202" in e["record"] for e in es),
                       15, "the runtime's log line")

    # A second invoke: no init events again, no initDurationMs.
    emu.invoke(b"2")
    second = emu.wait_for_stdout(r"^START RequestId: (\S+)", count=2)[1].group(1)
    events = collector.wait_for(has_report(second), 15, "the second platform.report")
    assert [e["type"] for e in events].count("platform.initStart") == 1
    assert "initDurationMs" not in events[first(events, "platform.report", second)]["record"]["metrics"]


def test_max_bytes_sends_a_batch_before_the_timeout(subscribed, collector):
    # timeoutMs is 30 s: only maxBytes can make batches go out within the test's 20 s.
    buffering = {"maxItems": 10000, "maxBytes": 262144, "timeoutMs": 30000}
    argv = [sys.executable, "-m", "awslambdaric", "handlers.chatty"]
    emu, _ = subscribed("/2022-07-01/telemetry", telemetry(collector.port, types=["function"], buffering=buffering),
                        argv=argv, cwd=EXT_FIXTURES)
    answer = emu.invoke(json.dumps({"lines": 3000, "width": 200}).encode())
    assert (answer.status, json.loads(answer.body)) == (200, {"printed": 3000})
    collector.wait_for(lambda events: len(events) >= 2000, 20, "two batches of maxBytes")
    with collector.cond:
        batches = list(collector.batches)
    for _, batch, length in batches:
        # The events of a batch (without the array's brackets and commas) fit maxBytes.
        assert length - 2 - (len(batch) - 1) <= 262144
        assert all(e["type"] == "function" for e in batch)
    # Full by bytes (an event is ~280 bytes): the next event would not have fitted.
    first_length, first_count = batches[0][2], len(batches[0][1])
    assert first_length - 2 - (first_count - 1) > 262144 - 400
    lines = [e["record"] for _, batch, _ in batches for e in batch if e["record"].startswith("line ")]
    numbers = [int(line.split()[1]) for line in lines]
    assert numbers == list(range(len(numbers)))  # in order, none lost


def test_logs_api_subscriber_gets_logs_api_events(subscribed, collector):
    sub = {
        "destination": {"protocol": "HTTP", "URI": f"http://sandbox.localdomain:{collector.port}/logs"},
        "types": ["platform", "function"],
        "buffering": {"timeoutMs": 25},
    }
    emu, out = subscribed("/2020-08-15/logs", sub)
    assert emu.invoke(b"{}").status == 200
    request_id = emu.wait_for_stdout(r"^START RequestId: (\S+)")[0].group(1)
    events = collector.wait_for(has_report(request_id), 15, "platform.report")
    assert (out / "py-ext.subscribe").read_text() == "200 OK"
    types = [e["type"] for e in events]
    assert "platform.initStart" not in types  # the Logs API has no init events
    assert events[first(events, "platform.start", request_id)]["record"] == {"requestId": request_id}
    report = events[first(events, "platform.report", request_id)]["record"]
    assert report["requestId"] == request_id and "durationMs" in report["metrics"]
    assert first(events, "platform.start", request_id) < first(events, "platform.report", request_id)


def test_dead_subscriber_never_blocks_invokes(subscribed):
    dead = free_port()  # nothing listens there
    emu, out = subscribed("/2022-07-01/telemetry", telemetry(dead, buffering={"timeoutMs": 25}))
    for payload in (b"1", b"2", b"3"):
        answer = emu.invoke(payload)
        assert (answer.status, answer.body) == (200, payload)
    assert (out / "py-ext.subscribe").read_text() == "200 OK"
    http.wait_until(lambda: "events dropped" in emu.stderr(), 15, "the dropped-events warning")


def test_invalid_subscription_is_400_validation_error(subscribed):
    emu, out = subscribed("/2022-07-01/telemetry", {"destination": {"protocol": "HTTP", "URI": "http://x:1"}})
    assert emu.invoke(b"1").status == 200
    status, body = (out / "py-ext.subscribe").read_text().split(" ", 1)
    assert status == "400"
    assert json.loads(body)["errorType"] == "ValidationError"


def test_queued_events_are_flushed_before_shutdown(subscribed, collector):
    # timeoutMs of 30 s: nothing would go out during the test but for the flush before SHUTDOWN.
    buffering = {"maxItems": 1000, "maxBytes": 262144, "timeoutMs": 30000}
    emu, out = subscribed("/2022-07-01/telemetry", telemetry(collector.port, types=["platform"], buffering=buffering))
    assert emu.invoke(b"{}").status == 200
    request_id = emu.wait_for_stdout(r"^START RequestId: (\S+)")[0].group(1)
    emu.signal(signal.SIGTERM)
    assert emu.wait(15) == 0
    events = collector.events()
    types = [e["type"] for e in events]
    assert types[:3] == ["platform.initStart", "platform.initRuntimeDone", "platform.initReport"], types
    assert first(events, "platform.start", request_id) < first(events, "platform.report", request_id)
    assert (out / "py-ext.shutdown").read_text() == "bye"
