# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Faults (issue 5, item 3): runtimes and callers that crash, hang, lie about lengths or go away, slow clients,
descriptor exhaustion, a broken bootstrap, SIGTERM mid-stream.

Every test ends with `assert_healthy`: the emulator is still running, the next invoke returns exactly its own
payload, and the emulator's open descriptors are back to what they were after a warm-up invoke (no margin; one
descriptor in the broken-bootstrap test, where the warm-up invoke fails too fast to be sure the Swift runtime's
timer descriptor exists). SIGTERM ends the emulator by design: there the check runs on a new emulator started on
the same ports.

The runtime is fixtures/faulty.py (one keep-alive connection, misbehaving as each event asks); order is proven
with its log lines and an acknowledgement fifo, never with sleeps."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time

import pytest

from harness import http
from harness.descriptors import FdBaseline, fd_count
from harness.emulator import FIXTURES, INVOKE_PATH, Emulator, base_env, pid_alive, pid_exists
from harness.faults import (
    FAULTY,
    assert_healthy,
    decoded_error,
    event,
    stderr_has,
    stream_until_first_chunk,
    warm_up,
)
from harness.fifo import ack
from harness.variants import LimitedEmulator, PinnedEmulator


@pytest.fixture
def faulty(start_emulator, tmp_path):
    """Factory: faulty(**env) -> (emulator running fixtures/faulty.py after a warm-up invoke, baseline, ack fifo)."""

    def start(**env: str):
        fifo = str(tmp_path / "ack.fifo")
        os.mkfifo(fifo)
        emu = start_emulator(FAULTY, env=base_env(FAULTY_ACK_FIFO=fifo, **env))
        return emu, warm_up(emu), fifo

    return start


@pytest.fixture
def variant(rie_binary, tmp_path, request):
    """Factory: variant(cls, argv, env, **kwargs) starts an Emulator subclass; all are stopped at teardown."""
    started: list[Emulator] = []

    def start(cls, argv, env=None, **kwargs) -> Emulator:
        emu = cls(rie_binary, argv, tmp_path, env=env, name=f"variant{len(started)}", **kwargs)
        started.append(emu)
        return emu.start()

    yield start
    for emu in started:
        emu.stop()
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        for emu in started:
            if emu.stdout_path.exists():
                print(f"----- {emu.name} stdout:\n{emu.stdout()[-4000:]}\n----- {emu.name} stderr:\n{emu.stderr()[-4000:]}")


# -- the runtime misbehaves ---------------------------------------------------------------------------


@pytest.mark.ours_only("Streaming responses")
def test_runtime_killed_mid_stream(faulty):
    """SIGKILL while the runtime is blocked between two chunks (the caller has the first, the ack never
    comes): the stream ends with Runtime.ExitError trailers."""
    emu, baseline, _ = faulty()
    conn, head, chunks = stream_until_first_chunk(emu, event("stream-hold"))
    with conn:
        (runtime,) = emu.children()
        emu.remember_process_groups()
        os.kill(runtime, signal.SIGKILL)
        assert b"".join(chunks) == b""
    kind, body = decoded_error(head.trailers)
    assert (kind, body["errorType"]) == ("Runtime.ExitError", "Runtime.ExitError"), body
    # The socket's end or the process's exit, whichever the emulator sees first, ends the invoke.
    assert "Runtime exited" in body["errorMessage"], body
    http.wait_until(lambda: not pid_exists(runtime), 10, "the emulator to reap the killed runtime")
    assert_healthy(emu, baseline)


def test_runtime_that_never_answers_times_out(faulty):
    emu, baseline, _ = faulty(AWS_LAMBDA_FUNCTION_TIMEOUT="3")  # also bounds the restart in assert_healthy
    (runtime,) = emu.children()
    r = emu.invoke(event("hang"))
    assert (r.status, r.body) == (200, b"Task timed out after 3.00 seconds")
    http.wait_until(lambda: not pid_exists(runtime), 10, "the emulator to kill and reap the hung runtime")
    assert_healthy(emu, baseline)


def test_runtime_that_answers_twice_gets_403_and_the_first_answer_wins(faulty):
    emu, baseline, _ = faulty()
    r = emu.invoke(event("twice"))
    assert (r.status, r.body) == (200, b"first")
    emu.wait_for_stdout(r"^faulty: twice first -> 202$")
    emu.wait_for_stdout(r"^faulty: twice second -> 403$")
    assert_healthy(emu, baseline)


@pytest.mark.parametrize("mode", ["wrong-id", "stale-id"])
def test_runtime_posting_to_a_wrong_or_stale_request_id_gets_400(faulty, mode):
    emu, baseline, _ = faulty()
    r = emu.invoke(event(mode))
    assert (r.status, r.body) == (200, event(mode))
    emu.wait_for_stdout(rf"^faulty: {mode} other -> 400$")
    emu.wait_for_stdout(rf"^faulty: {mode} response -> 202$")
    assert b"misdirected" not in r.body
    assert_healthy(emu, baseline)


def test_runtime_body_longer_than_its_content_length(faulty):
    """Content-Length: 5 followed by 'hello' and more bytes: the response is 'hello' (202); the surplus is read
    as the next request on that connection, which is malformed: 400 and the connection closes."""
    emu, baseline, _ = faulty()
    r = emu.invoke(event("overlong"))
    assert (r.status, r.body) == (200, b"hello")
    emu.wait_for_stdout(r"^faulty: overlong answers -> 202 400$")
    assert_healthy(emu, baseline)


@pytest.mark.ours_only("Faults")
def test_runtime_body_shorter_than_its_content_length(faulty):
    """Content-Length: 100, 10 bytes, then the connection closes: the invoke fails at once (502, truncated
    response), and the runtime's later retry for that request id is refused as a second response (403)."""
    emu, baseline, _ = faulty()
    r = emu.invoke(event("short-body"))
    assert r.status == 502, r
    assert json.loads(r.body)["errorType"] == "Runtime.ExitError"
    assert b"Runtime.TruncatedResponse" in r.body, r.body
    emu.wait_for_stdout(r"^faulty: short-body response -> 403$")
    assert_healthy(emu, baseline)


@pytest.mark.ours_only("Streaming responses")
def test_runtime_closing_its_connection_mid_chunk(faulty):
    """A 10-byte chunk cut after 3 bytes by the runtime closing its connection: the caller gets what arrived
    and Runtime.ExitError trailers; the runtime reconnects and serves the next invoke."""
    emu, baseline, _ = faulty()
    r = emu.invoke(event("cut-stream"))
    assert (r.status, r.framing) == (200, "chunked")
    assert r.body in (b"partial ", b"partial abc"), r.body
    kind, body = decoded_error(r.trailers)
    assert kind == "Runtime.ExitError", body
    emu.wait_for_stdout(r"^faulty: cut-stream closed mid-chunk$")
    assert_healthy(emu, baseline)


@pytest.mark.ours_only("Streaming responses")
def test_runtime_hanging_mid_chunk_times_out(faulty):
    emu, baseline, _ = faulty(AWS_LAMBDA_FUNCTION_TIMEOUT="3")  # also bounds the restart in assert_healthy
    (runtime,) = emu.children()
    r = emu.invoke(event("hang-mid-chunk"))
    assert (r.status, r.framing) == (200, "chunked")
    assert r.body in (b"partial ", b"partial abc"), r.body
    assert decoded_error(r.trailers) == (
        "Sandbox.Timedout",
        {"errorType": "Sandbox.Timedout", "errorMessage": "Task timed out after 3.00 seconds"},
    )
    http.wait_until(lambda: not pid_exists(runtime), 10, "the emulator to kill and reap the hung runtime")
    assert_healthy(emu, baseline)


# -- the caller goes away ---------------------------------------------------------------------------------


@pytest.mark.ours_only("Streaming responses")
def test_caller_disconnecting_mid_stream(faulty):
    """The caller closes after the first chunk; only then is the runtime let go: it sends the rest into a closed
    connection and still gets its 202."""
    emu, baseline, fifo = faulty()
    conn, _, _ = stream_until_first_chunk(emu, event("stream-hold"))
    conn.close()
    ack(fifo)
    emu.wait_for_stdout(r"^faulty: stream-hold response -> 202$")
    assert_healthy(emu, baseline)


@pytest.mark.parametrize(
    "partial",
    [
        b"POST /2015-03-31/functions/function/invoc",
        b"POST /2015-03-31/functions/function/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
        b'{"mode":"echo"',
        b"POST /2015-03-31/functions/function/invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'a\r\n{"mode":',
    ],
    ids=["mid-head", "mid-body", "mid-chunk"],
)
def test_caller_disconnecting_mid_request_reaches_no_runtime(faulty, partial):
    emu, baseline, _ = faulty()
    with socket.create_connection(("127.0.0.1", emu.invoke_port)) as s:
        s.sendall(partial)
        http.wait_until(lambda: fd_count(emu.pid) > baseline.count, 10, "the emulator to accept the connection")
    baseline.assert_no_leak()  # the emulator has seen the close and dropped the connection
    assert_healthy(emu, baseline)
    out = emu.stdout()
    assert out.count("faulty: event ") == 2, out  # the warm-up and the health check, nothing in between


def test_caller_disconnecting_while_its_invoke_runs(faulty):
    """The runtime has the event (it says so), the caller goes away, then the runtime answers: 202, and
    the emulator is not disturbed."""
    emu, baseline, fifo = faulty()
    conn = http.Connection("127.0.0.1", emu.invoke_port, timeout=20)
    conn.send_request("POST", INVOKE_PATH, {}, event("hold"))
    emu.wait_for_stdout(r"^faulty: hold holding ")
    conn.close()
    ack(fifo)
    emu.wait_for_stdout(r"^faulty: hold response -> 202$")
    assert_healthy(emu, baseline)


@pytest.mark.ours_only("Faults")
def test_runtime_abandoning_its_parked_next(manual_runtime):
    """A runtime whose HTTP client gives up on its long poll: it closes the connection of a parked /next, again
    and again. Each abandoned /next is withdrawn and its connection closed at once (not left in CLOSE_WAIT
    until the next invoke), and the next invoke still reaches the /next that remains."""
    rt = manual_runtime()
    warm = rt.invoke(b'{"warm":1}')
    assert warm.respond(b"warm").status == 202
    assert warm.finish().body == b"warm"  # leaves the runtime's next /next parked
    baseline = FdBaseline(rt.emu.pid)
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", rt.emu.rapi_port)) as s:
            s.sendall(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
            http.wait_until(lambda: fd_count(rt.emu.pid) > baseline.count, 10, "the emulator to accept the /next")
        baseline.assert_no_leak()  # before any invoke: the abandoned /next is gone
    payload = b'{"after":"abandoned nexts"}'
    inv = rt.invoke(payload)
    assert inv.event.body == payload
    assert inv.respond(payload).status == 202
    assert inv.finish().body == payload
    assert rt.emu.proc.poll() is None
    baseline.assert_no_leak()


# -- many slow clients ----------------------------------------------------------------------------------


@pytest.mark.ours_only("Faults")
def test_200_slow_clients_do_not_delay_an_invoke(faulty):
    """100 clients trickle an invoke and 100 a Runtime API /ping, one byte at a time. Once the emulator has
    accepted all 200, an ordinary invoke is answered within a second and before any trickled head is
    complete; then every trickled request is answered correctly."""
    emu, baseline, _ = faulty()
    requests = []
    for i in range(200):
        if i % 2 == 0:
            body = event("echo", slow=i)
            raw = (
                f"POST {INVOKE_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            requests.append((emu.invoke_port, raw, body))
        else:
            requests.append((emu.rapi_port, b"GET /2018-06-01/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"pong"))
    conns = [http.Connection("127.0.0.1", port, timeout=30) for port, _, _ in requests]
    try:
        for c, (_, raw, _) in zip(conns, requests):
            c.send(raw[:1])
        http.wait_until(lambda: fd_count(emu.pid) >= baseline.count + 200, 10, "the emulator to accept 200 clients")
        sent = [1] * len(conns)
        done = threading.Event()

        def trickle() -> None:
            while not done.is_set():
                progressed = False
                for i, (c, (_, raw, _)) in enumerate(zip(conns, requests)):
                    if sent[i] < len(raw):
                        c.send(raw[sent[i] : sent[i] + 1])
                        sent[i] += 1
                        progressed = True
                if not progressed:
                    return
                time.sleep(0.02)  # pacing only: the heads take a few seconds to arrive

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        payload = event("echo", fast=1)
        started = time.monotonic()
        r = emu.invoke(payload, timeout=10)
        elapsed = time.monotonic() - started
        most_sent = max(sent[1::2])  # the pings are the shortest trickled requests
        assert (r.status, r.body) == (200, payload)
        assert most_sent < len(requests[1][1]), "a trickled head completed before the invoke was answered"
        assert elapsed < 1.0, f"the invoke took {elapsed:.3f} s among 200 slow clients"
        trickler.join(60)
        assert not trickler.is_alive()
        for c, (_, _, want) in zip(conns, requests):
            resp = c.read_response()
            assert (resp.status, resp.body) == (200, want)
    finally:
        for c in conns:
            c.close()
    assert_healthy(emu, baseline)


# -- descriptor exhaustion ----------------------------------------------------------------------------------


@pytest.mark.ours_only("Faults")
def test_descriptor_exhaustion_then_recovery(variant, tmp_path):
    """Under `ulimit -n 40`, idle connections use up every descriptor: accept fails with EMFILE and the listener
    backs off (a warning). An invoke made then waits in the kernel's backlog; when the idle connections close,
    the listener accepts again (a notice), that invoke is answered, and the descriptors return to baseline."""
    limit = 40
    fifo = str(tmp_path / "ack.fifo")
    os.mkfifo(fifo)
    emu = variant(LimitedEmulator, FAULTY, env=base_env(FAULTY_ACK_FIFO=fifo), nofile=limit)
    assert emu.limits().split()[3:5] == [str(limit), str(limit)], emu.limits()
    baseline = warm_up(emu)
    assert baseline.count < limit - 10, baseline.targets
    hogs = []
    try:
        for _ in range(limit - baseline.count + 5):
            hogs.append(socket.create_connection(("127.0.0.1", emu.invoke_port), timeout=10))
        stderr_has(emu, "[WARNING] (rapid) Out of file descriptors")
        assert fd_count(emu.pid) == limit
        payload = event("echo", during="exhaustion")
        call = emu.invoke_async(payload, timeout=30)
        assert not call.done()  # nothing can accept it: every descriptor is held by an idle connection
    finally:
        for h in hogs:
            h.close()
    r = call.result(15)
    assert (r.status, r.body) == (200, payload)
    stderr_has(emu, "Accepting connections again")
    assert_healthy(emu, baseline)


@pytest.mark.ours_only("Faults")
def test_descriptor_exhaustion_when_the_runtime_must_be_started(variant, tmp_path):
    """The runtime crashed, then idle connections take every descriptor. An invoke on a connection opened before
    needs a new runtime: it is started without the descriptors it lacks, but its Runtime API connection waits in
    the backlog, so the invoke waits too (bounded by the function timeout), neither lost nor failed. When the idle
    connections close, the runtime connects and that very invoke is answered; nothing leaks."""
    limit = 40
    fifo = str(tmp_path / "ack.fifo")
    os.mkfifo(fifo)
    emu = variant(LimitedEmulator, FAULTY, env=base_env(FAULTY_ACK_FIFO=fifo), nofile=limit)
    baseline = warm_up(emu)
    hogs = []
    with http.Connection("127.0.0.1", emu.invoke_port, timeout=30) as keep:
        keep.send_request("POST", INVOKE_PATH, {}, event("crash"))
        crashed = keep.read_response()
        assert crashed.status == 502 and b"Runtime.ExitError" in crashed.body, crashed
        http.wait_until(lambda: emu.children() == [], 10, "the emulator to reap the crashed runtime")
        payload = event("echo", starved=1)
        try:
            for _ in range(limit):
                hogs.append(socket.create_connection(("127.0.0.1", emu.invoke_port), timeout=10))
            stderr_has(emu, "[WARNING] (rapid) Out of file descriptors")
            assert fd_count(emu.pid) == limit

            def starved_invoke() -> http.Response:
                keep.send_request("POST", INVOKE_PATH, {}, payload)
                return keep.read_response()

            call = http.Background(starved_invoke)
            emu.wait_for_runtime()  # started during the shortage
            assert not call.done()  # its /next cannot be accepted while every descriptor is held
            assert emu.proc.poll() is None
        finally:
            for h in hogs:
                h.close()
        r = call.result(20)
        assert (r.status, r.body) == (200, payload)
    stderr_has(emu, "Accepting connections again")
    assert_healthy(emu, baseline)


# -- the bootstrap ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["missing", "not-executable"])
def test_broken_bootstrap_is_502_and_recovers_once_fixed(start_emulator, tmp_path, fault):
    """Every invoke fails with 502 while the bootstrap is missing or not executable, without a descriptor per
    attempt; once the file is fixed, the next invoke starts it and succeeds."""
    bootstrap = tmp_path / "bootstrap"
    script = f"#!/bin/sh\nexec {sys.executable} {FIXTURES / 'faulty.py'}\n"
    if fault == "not-executable":
        bootstrap.write_text(script)
        bootstrap.chmod(0o644)
    emu = start_emulator([str(bootstrap)])
    first = emu.invoke(event("echo"))
    assert (first.status, first.body) == (502, b"")
    baseline = FdBaseline(emu.pid)
    for _ in range(5):
        r = emu.invoke(event("echo"))
        assert (r.status, r.body) == (502, b"")
    # Margin 1: the Swift runtime opens its timer descriptor (a timerfd, kept for good) the first time an invoke's
    # timer actually sleeps, which a fast-failing first invoke may not have done before the baseline. A descriptor
    # per failed start would still show: five of them.
    baseline.assert_no_leak(margin=1)
    # A failed exec's child may take a moment to be gone; it must not stay.
    http.wait_until(lambda: emu.children() == [], 10, "no runtime process to be left")
    bootstrap.write_text(script)
    bootstrap.chmod(0o755)
    payload = event("echo", fixed=1)
    r = emu.invoke(payload)
    assert (r.status, r.body) == (200, payload)
    assert_healthy(emu, FdBaseline(emu.pid))


# -- SIGTERM ----------------------------------------------------------------------------------------------


@pytest.mark.ours_only("Shutdown")
def test_sigterm_during_a_stream(faulty, variant):
    """SIGTERM while a stream is half sent: the emulator exits 0, the caller can tell the stream is cut short
    (error trailers, or the connection ends before the terminating chunk; never a clean end), the runtime is gone,
    and the ports are free: an emulator started on the same ports serves the next invoke."""
    emu, _, _ = faulty()
    conn, head, chunks = stream_until_first_chunk(emu, event("stream-hold"))
    runtime = emu.descendants()
    assert runtime
    emu.signal(signal.SIGTERM)
    assert emu.wait(10) == 0
    with conn:
        try:
            rest = b"".join(chunks)
        except http.HTTPError:
            pass  # the connection ended before the terminating chunk
        else:
            assert rest == b""
            assert decoded_error(head.trailers)[0] == "Runtime.ExitError", head.trailers
    http.wait_until(lambda: not any(pid_alive(p) for p in runtime), 5, "the runtime to end")
    again = variant(
        PinnedEmulator, FAULTY, env=base_env(), invoke_port=emu.invoke_port, rapi_port=emu.rapi_port
    )
    assert_healthy(again, warm_up(again))
