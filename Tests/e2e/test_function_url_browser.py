# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""A real browser on a Function URL: headless Chromium loads a page and an EventSource, both served by the
function (fixtures/furl/runtime.py), and receives server-sent events one at a time, proven by handshake.

The function sends event n and then waits until the page has acknowledged it. The acknowledgement cannot be
another Function URL request (invokes queue behind the stream, with one runtime), so it goes out of band: the
page GETs http://127.0.0.1:ACKPORT/ack?n=N on a small server run by this test, which writes the file
ack-N that the function waits for. A buffering emulator would hold event 1 back forever: the page would never
ack it, the function would never send event 2, and the page would end with no events.

Chromium is Debian's `chromium` package, installed (Scripts/lib/common.sh, ensure_chromium) when missing.
The test skips only when it cannot be installed, and not in CI (env CI set), where it must run."""

import http.server
import os
import shutil
import subprocess
import sys
import threading

import pytest

from harness.emulator import E2E_DIR, FIXTURES, base_env, free_port

pytestmark = pytest.mark.ours_only("Function URLs")

EVENTS = 5


def find_chromium() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    common = E2E_DIR.parent.parent / "Scripts" / "lib" / "common.sh"
    p = subprocess.run(
        ["bash", "-c", f'source "{common}" && ensure_chromium'], capture_output=True, text=True, timeout=900
    )
    path = shutil.which("chromium")
    if path:
        return path
    reason = f"chromium is not installed and could not be installed (exit {p.returncode}): {p.stderr[-500:]}"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


class AckServer:
    """GET /ack?n=N writes the file ack-N into directory; runs in a thread until close()."""

    def __init__(self, directory):
        acks: list[int] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                n = int(self.path.rpartition("n=")[2])
                acks.append(n)
                (directory / f"ack-{n}").touch()
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.acks = acks
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.timeout(180)
def test_chromium_event_source_gets_events_one_at_a_time(start_emulator, tmp_path):
    chromium = find_chromium()
    ack_dir = tmp_path / "acks"
    ack_dir.mkdir()
    acks = AckServer(ack_dir)
    try:
        port = free_port()
        emu = start_emulator(
            [sys.executable, str(FIXTURES / "furl" / "runtime.py")],
            env=base_env(FURL_EVENTS=str(EVENTS), FURL_ACK_DIR=str(ack_dir), FURL_ACK_PORT=str(acks.port)),
            flags=("--function-url-address", f"127.0.0.1:{port}"),
        )
        browser = subprocess.run(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--virtual-time-budget=60000",
                "--timeout=90000",
                "--dump-dom",
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=150,
        )
    finally:
        acks.close()
    dom = browser.stdout
    expected = ["%d:event %d" % (i, i) for i in range(1, EVENTS + 1)]
    want = '<div id="result">DONE [' + ",".join(f'"{e}"' for e in expected) + "]</div>"
    assert want in dom, f"chromium exit {browser.returncode}; DOM: {dom[-2000:]}\nstderr: {browser.stderr[-2000:]}"
    assert acks.acks == list(range(1, EVENTS + 1))
    # The function's log: each event was acknowledged by the page before the next was sent, and the stream
    # ended (the runtime got its 202) after the last one.
    emu.wait_for_stdout(r"^fixture: stream -> 202")
    log = [line for line in emu.stdout().splitlines() if line.startswith("fixture: ")]
    events_at = log.index("fixture: invoke GET /events")
    assert log[events_at + 1 : events_at + 2 + 2 * EVENTS] == [
        x for i in range(1, EVENTS + 1) for x in (f"fixture: sent {i}", f"fixture: acked {i}")
    ] + ["fixture: stream -> 202"]
    assert log[0] == "fixture: invoke GET /"
