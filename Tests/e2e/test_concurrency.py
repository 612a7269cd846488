# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""--max-concurrency N: N execution environments, each its own runtime process and Runtime API listener."""

import json
import os
import re
import signal
import subprocess
import sys

import pytest

from barrier import Barrier
from harness import http
from harness.emulator import FIXTURES, base_env, pid_alive

pytestmark = pytest.mark.ours_only("Concurrent invokes")


@pytest.fixture
def barrier():
    b = Barrier()
    yield b
    b.close()


def start(start_emulator, flags=(), **env):
    argv = [sys.executable, "-m", "awslambdaric", "barrier.meet"]
    return start_emulator(argv, env=base_env(**env), cwd=FIXTURES / "python", flags=flags)


def test_eight_concurrent_invokes_run_in_eight_environments_at_once(start_emulator, barrier):
    emu = start(start_emulator, flags=["--max-concurrency", "8"])
    payload = json.dumps({"port": barrier.port}).encode()
    calls = [emu.invoke_async(payload, timeout=90) for _ in range(8)]
    # All eight are inside the handler together: none can return before the barrier lets them go.
    arrived = barrier.arrive(8)
    assert len(set(arrived)) == 8
    assert all(not call.done() for call in calls)
    barrier.release()
    results = [call.result(90) for call in calls]
    assert [r.status for r in results] == [200] * 8
    bodies = [json.loads(r.body) for r in results]
    assert sorted(b["request_id"] for b in bodies) == sorted(arrived)
    assert len({b["pid"] for b in bodies}) == 8, "eight runtime processes"
    apis = {b["runtime_api"] for b in bodies}
    # Environment 0 on --runtime-api-address, the others on their own listeners (ports the kernel picked).
    assert len(apis) == 8 and f"127.0.0.1:{emu.rapi_port}" in apis
    assert all(re.fullmatch(r"127\.0\.0\.1:\d+", a) for a in apis)
    assert f"Execution environments: 8, Runtime API at 127.0.0.1:{emu.rapi_port}, " in emu.stderr()
    for r, b in zip(results, bodies):
        assert r.header("X-Amzn-RequestId") == b["request_id"]
    # SIGTERM ends every environment's runtime, and the emulator exits 0.
    pids = [b["pid"] for b in bodies]
    emu.signal(signal.SIGTERM)
    assert emu.wait(10) == 0
    assert not [p for p in pids if pid_alive(p)]


def test_more_invokes_than_environments_queue_and_reuse_warm_runtimes(start_emulator, barrier):
    emu = start(start_emulator, AWS_LAMBDA_RIE_MAX_CONCURRENCY="2")
    payload = json.dumps({"port": barrier.port}).encode()
    calls = [emu.invoke_async(payload, timeout=90) for _ in range(3)]
    first = barrier.arrive(2)
    barrier.release()
    # The third gets an environment only when one of the first two is done.
    third = barrier.arrive(1)
    barrier.release()
    bodies = [json.loads(c.result(90).body) for c in calls]
    by_id = {b["request_id"]: b for b in bodies}
    assert set(by_id) == set(first) | set(third)
    assert len({b["pid"] for b in bodies}) == 2, "two runtimes served three invokes"
    assert by_id[third[0]]["pid"] in {by_id[i]["pid"] for i in first}
    assert len(emu.children()) == 2


def test_sequential_invokes_stay_in_environment_zero(start_emulator, barrier):
    emu = start(start_emulator, flags=["--max-concurrency", "4"])
    payload = json.dumps({"port": barrier.port}).encode()
    pids = []
    for _ in range(3):
        call = emu.invoke_async(payload, timeout=60)
        barrier.arrive(1)
        barrier.release()
        body = json.loads(call.result(60).body)
        assert body["runtime_api"] == f"127.0.0.1:{emu.rapi_port}"
        pids.append(body["pid"])
    assert len(set(pids)) == 1
    assert len(emu.children()) == 1, "the other environments start lazily, on demand"


def test_a_crash_in_one_environment_leaves_the_others_serving(start_emulator, barrier):
    emu = start(start_emulator, flags=["--max-concurrency", "2"])
    ok = emu.invoke_async(json.dumps({"port": barrier.port}).encode(), timeout=60)
    crash = emu.invoke_async(json.dumps({"port": barrier.port, "fail": True}).encode(), timeout=60)
    barrier.arrive(2)
    barrier.release()
    assert ok.result(60).status == 200
    failed = crash.result(60)
    assert failed.status == 200 and failed.header("X-Amz-Function-Error") == "Unhandled"
    # Kill one runtime between invokes: the next invokes still work (the dead one restarts on demand).
    victim = emu.children()[0]
    os.kill(victim, signal.SIGKILL)
    http.wait_until(lambda: "exited: signal: killed" in emu.stderr(), 10, "the emulator to see the runtime exit")
    calls = [emu.invoke_async(json.dumps({"port": barrier.port}).encode(), timeout=60) for _ in range(2)]
    barrier.arrive(2)
    barrier.release()
    bodies = [json.loads(c.result(60).body) for c in calls]
    assert victim not in {b["pid"] for b in bodies}


@pytest.mark.parametrize("value", ["0", "-1", "x", "257"])
def test_an_invalid_max_concurrency_is_a_fatal_error(start_emulator, value):
    emu = start_emulator([str(FIXTURES / "sleeper")], flags=["--max-concurrency", value], start=False)
    proc = subprocess.run(emu.command(), env=base_env(), capture_output=True, timeout=10)
    assert proc.returncode == 1
    assert b"--max-concurrency" in proc.stderr and value.encode() in proc.stderr

