# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Streamed responses: issue checks (a) streaming, (c) chunk-by-chunk proven by handshake and
(d) a 1 GiB stream in bounded memory. AWS's emulator buffers streams, so most tests here are ours only."""

import re
import os
import sys
import time

import pytest

from harness import http
from harness.emulator import FIXTURES, INVOKE_PATH, base_env
from harness.fifo import ack


def expected_stream(n: int) -> bytes:
    return b"".join(b"chunk %d of %d\n" % (i, n) for i in range(1, n + 1))


def test_curl_runtime_streamed_response_reaches_the_caller_whole(curl_runtime):
    """(a) A shell+curl runtime streaming with `curl -T -`: the caller gets every byte, status 200."""
    emu = curl_runtime("stream", STREAM_CHUNKS="5")
    for _ in range(2):
        r = emu.invoke(b"{}")
        assert (r.status, r.body) == (200, expected_stream(5))
    emu.wait_for_stdout(r"^fixture: stream -> 202 ", count=2)


@pytest.mark.ours_only("Streaming responses")
def test_stream_is_forwarded_as_chunked_http_with_the_runtime_content_type(curl_runtime):
    emu = curl_runtime("stream", STREAM_CHUNKS="3", STREAM_CONTENT_TYPE="text/event-stream")
    r = emu.invoke(b"{}")
    assert r.status == 200
    assert r.framing == "chunked", r.headers
    assert r.header("Content-Length") is None
    assert r.header("Content-Type") == "text/event-stream"
    assert r.body == expected_stream(3)


def invoke_with_handshake(port: int, n: int, fifo: str) -> bytes:
    """Invokes, then for each chunk i: reads until chunk i has arrived and only then acks it.

    Acks only after receiving: the runtime writes chunk i+1 after it closed the fifo from ack i, so an
    ack can never land on a fifo that is about to be closed (and be lost)."""
    with http.Connection("127.0.0.1", port, timeout=15) as conn:
        conn.send_request("POST", INVOKE_PATH, {"Content-Type": "application/json"}, b"{}")
        head = conn.read_head()
        assert head.status == 200
        assert head.framing == "chunked", head.headers
        chunks = conn.iter_chunks(head)
        received = b""
        for i in range(1, n + 1):
            want = b"".join(b"chunk %d of %d\n" % (k, n) for k in range(1, i + 1))
            while len(received) < len(want):
                received += next(chunks)  # socket timeout here: the emulator held chunk i back
            assert received == want, f"after chunk {i}: {received!r}"
            ack(fifo)
        assert list(chunks) == []  # then only the terminating zero-length chunk
        return received


@pytest.mark.ours_only("Streaming responses")
def test_stream_is_forwarded_chunk_by_chunk_proven_by_handshake(curl_runtime, tmp_path):
    """(c) The runtime writes chunk i, then blocks until the test has received chunk i and acks it on a
    fifo. Chunk i+1 cannot exist before the ack, so receiving each chunk before acking proves that the
    emulator forwards as it receives. A buffering emulator makes this test time out at chunk 1."""
    n = 10
    fifo = str(tmp_path / "ack.fifo")
    os.mkfifo(fifo)
    emu = curl_runtime("stream", STREAM_CHUNKS=str(n), STREAM_ACK_FIFO=fifo)
    assert invoke_with_handshake(emu.invoke_port, n, fifo) == expected_stream(n)
    emu.wait_for_stdout(r"^fixture: stream -> 202 ")
    # And again on the same runtime.
    assert invoke_with_handshake(emu.invoke_port, n, fifo) == expected_stream(n)
    emu.wait_for_stdout(r"^fixture: stream -> 202 ", count=2)


@pytest.mark.ours_only("Streaming responses")
@pytest.mark.timeout(180)
def test_one_gibibyte_stream_in_bounded_memory(start_emulator):
    """(d) 1 GiB streamed by a raw-socket runtime: the caller counts exactly 2**30 payload bytes and the
    emulator's peak RSS (VmHWM) stays under 64 MiB. Ours caps streams at AWS_LAMBDA_RIE_MAX_STREAMED_BYTES
    (default 200 MiB, Lambda's limit), raised here."""
    size = 1 << 30
    emu = start_emulator(
        [sys.executable, str(FIXTURES / "bigstream.py")],
        env=base_env(
            BIGSTREAM_BYTES=str(size), BIGSTREAM_CHUNK=str(64 * 1024), AWS_LAMBDA_RIE_MAX_STREAMED_BYTES=str(2 << 30)
        ),
    )
    with http.Connection("127.0.0.1", emu.invoke_port, timeout=30) as conn:
        conn.send_request("POST", INVOKE_PATH, {}, b"{}")
        head = conn.read_head()
        assert head.status == 200
        assert head.framing == "chunked", head.headers
        total, count = conn.count_chunked_body(head)
    assert total == size
    assert count > 1
    emu.wait_for_stdout(r"^bigstream: response -> 202 ")
    hwm_kib = emu.vm_hwm_kib()
    assert hwm_kib < 64 * 1024, f"emulator peak RSS {hwm_kib} KiB"


@pytest.mark.ours_only("Streaming responses")
def test_a_caller_that_stops_reading_stops_the_runtime(start_emulator, tmp_path):
    """Backpressure: while the caller reads nothing, the runtime can get only socket buffers' worth ahead
    (a few MiB), not the whole 128 MiB; when the caller reads again, every byte arrives, and the emulator's
    memory stays small throughout."""
    size = 128 << 20
    progress = tmp_path / "sent"
    emu = start_emulator(
        [sys.executable, str(FIXTURES / "bigstream.py")],
        env=base_env(BIGSTREAM_BYTES=str(size), BIGSTREAM_CHUNK=str(64 * 1024), BIGSTREAM_PROGRESS=str(progress)),
    )

    def sent():
        try:
            return int(progress.read_text() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    with http.Connection("127.0.0.1", emu.invoke_port, timeout=60) as conn:
        conn.send_request("POST", INVOKE_PATH, {}, b"{}")
        head = conn.read_head()
        assert head.status == 200
        # Read nothing more. Wait until the runtime has stalled: its count has stopped growing for a while
        # (or, without backpressure, it has sent everything).
        last, steady, deadline = -1, 0, time.monotonic() + 30
        while steady < 20 and time.monotonic() < deadline:
            now = sent()
            steady = steady + 1 if now == last else 0
            last = now
            time.sleep(0.05)
        stalled_at = sent()
        assert stalled_at < 64 << 20, f"the runtime got {stalled_at} bytes ahead of a caller that read nothing"
        total, _ = conn.count_chunked_body(head)
    assert total == size
    emu.wait_for_stdout(r"^bigstream: response -> 202 ")
    assert emu.vm_hwm_kib() < 64 * 1024


@pytest.mark.ours_only("Streaming responses")
def test_stream_over_the_cap_ends_with_a_response_size_too_large_trailer(start_emulator):
    cap = 1 << 20
    emu = start_emulator(
        [sys.executable, str(FIXTURES / "bigstream.py")],
        env=base_env(BIGSTREAM_BYTES=str(3 * cap), AWS_LAMBDA_RIE_MAX_STREAMED_BYTES=str(cap)),
    )
    with http.Connection("127.0.0.1", emu.invoke_port, timeout=30) as conn:
        conn.send_request("POST", INVOKE_PATH, {}, b"{}")
        head = conn.read_head()
        assert (head.status, head.framing) == (200, "chunked")
        total, _ = conn.count_chunked_body(head)
    assert cap - 64 * 1024 < total <= cap
    assert ("Lambda-Runtime-Function-Error-Type", "Function.ResponseSizeTooLarge") in head.trailers, head.trailers
    emu.wait_for_stdout(r"^bigstream: response -> 202 ")  # the runtime is drained and stays healthy
    with http.Connection("127.0.0.1", emu.invoke_port, timeout=30) as conn:
        conn.send_request("POST", INVOKE_PATH, {}, b"{}")
        again = conn.read_head()
        assert again.status == 200
        conn.count_chunked_body(again)


@pytest.mark.ours_only("Streaming responses")
def test_runtime_error_trailers_reach_the_caller_as_trailers(manual_runtime):
    rt = manual_runtime()
    inv = rt.invoke()
    trailers = [
        ("Lambda-Runtime-Function-Error-Type", "Runtime.StreamError"),
        ("Lambda-Runtime-Function-Error-Body", "eyJlcnJvclR5cGUiOiJFIn0="),
    ]
    with http.Connection("127.0.0.1", rt.emu.rapi_port) as conn:
        conn.send_request(
            "POST",
            f"/2018-06-01/runtime/invocation/{inv.request_id}/response",
            {
                "Lambda-Runtime-Function-Response-Mode": "streaming",
                "Transfer-Encoding": "chunked",
                "Trailer": "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
            },
        )
        conn.send_chunk(b"partial ")
        conn.end_chunks(trailers)
        assert conn.read_response().status == 202
    out = inv.finish()
    assert (out.status, out.framing, out.body) == (200, "chunked", b"partial ")
    assert out.trailers == trailers


@pytest.mark.ours_only("Streaming responses")
def test_caller_disconnecting_mid_stream_still_gives_the_runtime_202(curl_runtime):
    """Like Lambda, a caller that goes away does not stop the function: the emulator drains the rest of
    the stream, answers the runtime 202 (the Swift runtime crashes on anything else) and serves the
    next invoke."""
    emu = curl_runtime("stream", STREAM_CHUNKS="5", STREAM_DELAY="0.1")
    with http.Connection("127.0.0.1", emu.invoke_port, timeout=15) as conn:
        conn.send_request("POST", INVOKE_PATH, {}, b"{}")
        head = conn.read_head()
        assert head.status == 200
        assert next(conn.iter_chunks(head)).startswith(b"chunk 1 of 5")
    emu.wait_for_stdout(r"^fixture: stream -> 202 ")
    r = emu.invoke(b"{}")
    assert (r.status, r.body) == (200, expected_stream(5))


EXAMPLE = FIXTURES.parent.parent.parent / "Examples" / "stream-sse" / "bootstrap"
SSE_FRAME = re.compile(rb'data: \{"frame":(\d+),"of":3,"requestId":"([0-9a-f-]{36})","time":"[0-9:.]+"\}\n\n')


def test_bundled_sse_example_sends_its_frames(start_emulator):
    emu = start_emulator([str(EXAMPLE)], env=base_env(SSE_FRAMES="3", SSE_INTERVAL="0"))
    r = emu.invoke(b"{}")
    assert r.status == 200
    frames = SSE_FRAME.findall(r.body)
    assert [int(n) for n, _ in frames] == [1, 2, 3], r.body
    assert b"".join(m.group(0) for m in SSE_FRAME.finditer(r.body)) == r.body
    assert len({rid for _, rid in frames}) == 1


@pytest.mark.ours_only("Streaming responses")
def test_bundled_sse_example_streams_text_event_stream(start_emulator):
    emu = start_emulator([str(EXAMPLE)], env=base_env(SSE_FRAMES="3", SSE_INTERVAL="0"))
    r = emu.invoke(b"{}")
    assert (r.status, r.framing, r.header("Content-Type")) == (200, "chunked", "text/event-stream")
    assert len(SSE_FRAME.findall(r.body)) == 3
