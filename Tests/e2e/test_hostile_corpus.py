# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The hostile HTTP corpus (hostile/cases.json) against both listeners of the real binary.

Every case is sent, on a fresh connection, to the invoke API and to the Runtime API of one emulator whose
runtime is this test (fixtures/sleeper; the test calls /next and posts /response itself). Each case runs
with an invoke in flight, so that a request that slipped through would show:

  1. before the case, a normal invoke is started and its event taken from /next: the event must be exactly
     that invoke's payload (so nothing a previous case sent was queued as an invoke);
  2. the case's bytes go out, with `{path}` replaced by a route that acts (the invoke route on the invoke
     API; that in-flight invoke's /response on the Runtime API, or /runtime/init/error for a case whose
     head is valid and whose body is at fault, see below) and `{rid}` by its request id; the answer
     must be exactly the case's statuses, in order, and the connection must close, or stay usable (a probe
     request on it is answered), or get no answer at all, as the case says;
  3. the runtime then posts the real /response (202: no stray /response or /error was accepted for it)
     and the caller must get exactly those bytes; the emulator must still be running.

A case marked `"framing": "body"` has a valid head and a broken body. Posted to a claimed /response, such a
body is the runtime's response failing (the invoke fails with Runtime.TruncatedResponse, test_faults.py), so
on the Runtime API those cases go to /runtime/init/error, which reads its body before it acts.
Cases and their expectations: hostile/README.md.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Optional

import pytest

from harness.emulator import INVOKE_PATH, RAPI, FIXTURES, Emulator, base_env

CASES_FILE = Path(__file__).resolve().parent / "hostile" / "cases.json"
CASES = json.loads(CASES_FILE.read_text())
LISTENERS = ("invoke", "runtime")
PROBE = b"GET /hostile-probe HTTP/1.1\r\nHost: a\r\n\r\n"
# How long "no answer" is watched for: an answer to bytes already sent comes in well under this.
SILENCE = 0.3
DEADLINE = 5.0

pytestmark = pytest.mark.ours_only("Request parsing (hostile input)")


def expand(raw, substitutions: dict[str, str]) -> bytes:
    """A case's bytes: the string (one char per byte) or list of strings and {"repeat", "times"} parts."""
    parts = raw if isinstance(raw, list) else [raw]
    text = "".join(p if isinstance(p, str) else p["repeat"] * p["times"] for p in parts)
    for key, value in substitutions.items():
        text = text.replace("{" + key + "}", value)
    return text.encode("latin-1")


def parse_responses(buf: bytes) -> tuple[list[int], int]:
    """The statuses of the complete responses at the start of buf, and how many bytes they take."""
    statuses, pos = [], 0
    while True:
        end = buf.find(b"\r\n\r\n", pos)
        if end < 0:
            return statuses, pos
        lines = buf[pos:end].decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise AssertionError(f"not an HTTP/1.x response: {buf[pos:pos + 200]!r}")
        status = int(parts[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
        body_start = end + 4
        if status < 200 or status in (204, 304):
            length = 0
        elif "content-length" in headers:
            length = int(headers["content-length"])
        else:
            raise AssertionError(f"response without Content-Length: {buf[pos:end]!r}")
        if len(buf) < body_start + length:
            return statuses, pos
        statuses.append(status)
        pos = body_start + length


class Outcome:
    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.closed = False  # the server closed (EOF or reset) on its own
        self.probe: Optional[list[int]] = None  # statuses answering the keep-alive probe
        self.raw = b""

    def __repr__(self) -> str:
        return f"statuses={self.statuses} closed={self.closed} probe={self.probe} raw={self.raw[:300]!r}"


def exchange(port: int, data: bytes, want: list[int], want_close: bool) -> Outcome:
    """Sends data on a fresh connection and observes the answer as the case's expectation needs."""
    out = Outcome()
    sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = bytearray()

    def receive(until: float) -> bool:
        """One recv before `until`; False on timeout, EOF or reset (then out.closed)."""
        sock.settimeout(max(until - time.monotonic(), 0.001))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return False
        except ConnectionResetError:
            out.closed = True
            return False
        if not chunk:
            out.closed = True
            return False
        buf.extend(chunk)
        return True

    try:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading everything; its answer is still readable
        if want:
            deadline = time.monotonic() + DEADLINE
            while len(parse_responses(bytes(buf))[0]) < len(want) and receive(deadline):
                pass
        else:
            silence = time.monotonic() + SILENCE
            while receive(silence):
                pass
        if want_close or out.closed:
            deadline = time.monotonic() + DEADLINE
            while not out.closed and receive(deadline):
                pass
        elif want:
            # Still open: the connection must serve one more request.
            answered = len(parse_responses(bytes(buf))[0])
            sock.sendall(PROBE)
            deadline = time.monotonic() + DEADLINE
            while len(parse_responses(bytes(buf))[0]) <= answered and receive(deadline):
                pass
            statuses, _ = parse_responses(bytes(buf))
            out.probe = statuses[answered:]
            out.statuses = statuses[:answered]
            out.raw = bytes(buf)
            return out
        else:
            # No answer and still open: end our side; the server must then close without a word (this is
            # also the handshake that it has dropped whatever the request had claimed).
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + DEADLINE
            while receive(deadline):
                pass
            assert out.closed, "the server did not close after our end of stream"
            out.closed = False
    finally:
        sock.close()
    out.raw = bytes(buf)
    statuses, used = parse_responses(out.raw)
    out.statuses = statuses
    if used != len(out.raw):
        out.statuses.append(-1)  # trailing bytes that are not a complete response
    return out


class RuntimeRig:
    """The emulator and the test as its runtime: one invoke in flight around every case."""

    def __init__(self, make_emulator):
        self.make_emulator = make_emulator
        self.emu: Emulator = make_emulator()
        self.pending_next = None
        self.invokes = 0
        self.events = 0
        self.dirty = False

    def restart(self) -> None:
        """A fresh emulator after a failed case, so that one failure does not fail every case after it."""
        self.emu.stop()
        self.emu = self.make_emulator()
        self.pending_next = None
        self.invokes = self.events = 0
        self.dirty = False

    def begin(self, tag: str):
        if self.dirty:
            self.restart()
        payload = json.dumps({"hostile": tag}).encode()
        call = self.emu.invoke_async(payload, timeout=30)
        self.invokes += 1
        if self.pending_next is None:
            self.emu.wait_for_runtime()
            event = self.emu.next(timeout=10)
        else:
            event = self.pending_next.result(10)
            self.pending_next = None
        self.events += 1
        assert event.status == 200, event
        assert event.body == payload, f"the runtime got {event.body!r}, not the invoke it was sent"
        return call, event.header("Lambda-Runtime-Aws-Request-Id")

    def end(self, call, request_id: str, tag: str) -> None:
        body = b"ok " + tag.encode()
        posted = self.emu.rapi("POST", f"/runtime/invocation/{request_id}/response", None, body)
        assert posted.status == 202, f"the real /response was refused (a stray one got in?): {posted}"
        self.pending_next = self.emu.rapi_async("GET", "/runtime/invocation/next", timeout=300)
        answer = call.result(10)
        assert answer.status == 200 and answer.body == body, answer
        assert self.events == self.invokes
        assert self.emu.proc is not None and self.emu.proc.poll() is None, "the emulator exited"


@pytest.fixture(scope="module")
def rig(rie_binary, tmp_path_factory):
    def make_emulator() -> Emulator:
        logs = tmp_path_factory.mktemp("hostile")
        return Emulator(rie_binary, [str(FIXTURES / "sleeper")], logs, env=base_env()).start()

    rig = RuntimeRig(make_emulator)
    try:
        yield rig
    finally:
        rig.emu.stop()


def test_corpus_size_and_shape():
    """The corpus is what the issue asks for: at least 150 cases, each with an exact expectation."""
    assert len(CASES) >= 150
    assert len({c["name"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert isinstance(case["status"], list) and isinstance(case["close"], bool), case["name"]
        assert set(case.get("listeners", LISTENERS)) <= set(LISTENERS), case["name"]


PARAMS = [
    pytest.param(case, listener, id=f"{listener}: {case['name']}")
    for case in CASES
    for listener in case.get("listeners", LISTENERS)
]


@pytest.mark.parametrize("case,listener", PARAMS)
def test_hostile_case(rig: RuntimeRig, case: dict, listener: str):
    try:
        run_case(rig, case, listener)
    except BaseException:
        rig.dirty = True
        raise


def run_case(rig: RuntimeRig, case: dict, listener: str) -> None:
    tag = f"{listener}: {case['name']}"
    call, request_id = rig.begin(tag)
    if listener == "invoke":
        port, path = rig.emu.invoke_port, INVOKE_PATH
    elif case.get("framing") == "body":
        port, path = rig.emu.rapi_port, f"{RAPI}/runtime/init/error"
    else:
        port, path = rig.emu.rapi_port, f"{RAPI}/runtime/invocation/{request_id}/response"
    data = expand(case["raw"], {"path": path, "rid": request_id})
    outcome = exchange(port, data, case["status"], case["close"])
    assert outcome.statuses == case["status"], f"{case.get('why', '')} {outcome}"
    if case["close"]:
        assert outcome.closed, f"the connection was left open: {outcome}"
    elif case["status"]:
        assert outcome.probe == [404], f"the connection did not serve the next request: {outcome}"
    else:
        assert not outcome.closed, f"the server closed instead of waiting: {outcome}"
    rig.end(call, request_id, tag)
