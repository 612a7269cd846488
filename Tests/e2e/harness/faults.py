# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Helpers of the fault tests (test_faults.py): the misbehaving runtime fixtures/faulty.py, its events, and the
check every fault test ends with (`assert_healthy`)."""

from __future__ import annotations

import base64
import json
import sys
import uuid

from . import http
from .descriptors import FdBaseline
from .emulator import FIXTURES, INVOKE_PATH, Emulator

FAULTY = [sys.executable, str(FIXTURES / "faulty.py")]
ERROR_TYPE = "Lambda-Runtime-Function-Error-Type"
ERROR_BODY = "Lambda-Runtime-Function-Error-Body"


def event(mode: str, **extra) -> bytes:
    return json.dumps({"mode": mode, **extra}).encode()


def warm_up(emu: Emulator) -> FdBaseline:
    """One invoke (which starts the runtime), then the emulator's idle descriptor count."""
    r = emu.invoke(event("echo", warm=1))
    assert (r.status, r.body) == (200, event("echo", warm=1))
    emu.wait_for_stdout(r"^faulty: echo response -> 202$")
    return FdBaseline(emu.pid)


def assert_healthy(emu: Emulator, baseline: FdBaseline, margin: int = 0) -> None:
    """The emulator runs, serves the next invoke correctly, and holds no more descriptors than at baseline."""
    assert emu.proc.poll() is None, f"the emulator exited with {emu.proc.returncode}"
    payload = event("echo", check=str(uuid.uuid4()))
    r = emu.invoke(payload, timeout=20)
    assert (r.status, r.body) == (200, payload), r
    baseline.assert_no_leak(margin)


def stderr_has(emu: Emulator, text: str, timeout: float = 10.0) -> None:
    http.wait_until(lambda: text in emu.stderr(), timeout, f"{text!r} on the emulator's stderr")


def decoded_error(trailers: list[tuple[str, str]]) -> tuple[str, dict]:
    t = dict(trailers)
    assert ERROR_TYPE in t and ERROR_BODY in t, trailers
    return t[ERROR_TYPE], json.loads(base64.b64decode(t[ERROR_BODY]))


def stream_until_first_chunk(emu: Emulator, body: bytes) -> tuple[http.Connection, http.Response, object]:
    """Invokes on a raw connection and reads up to the first chunk (b"partial "); returns (conn, head, chunks)."""
    conn = http.Connection("127.0.0.1", emu.invoke_port, timeout=20)
    conn.send_request("POST", INVOKE_PATH, {}, body)
    head = conn.read_head()
    assert (head.status, head.framing) == (200, "chunked"), head
    chunks = conn.iter_chunks(head)
    assert next(chunks) == b"partial "
    return conn, head, chunks
