# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Process lifecycle and command line: START/END/REPORT lines, signals, restarts, concurrency (e),
flags."""

import math
import os
import re
import signal
import subprocess
import threading

import pytest

from harness import expected as X
from harness import http
from harness.emulator import FIXTURES, Emulator, base_env, free_port, pid_alive, pid_exists

CURL_RUNTIME = str(FIXTURES / "curl-runtime")


def runtime_request_id(headers_body: bytes) -> str:
    m = re.search(rb"(?im)^Lambda-Runtime-Aws-Request-Id: *(\S+)", headers_body)
    assert m, headers_body
    return m.group(1).decode()


def test_start_end_report_lines_use_the_runtime_request_id(curl_runtime):
    emu = curl_runtime("headers")
    ids = [runtime_request_id(emu.invoke(b"{}").body) for _ in range(2)]
    reports = emu.wait_for_stdout(X.REPORT_RX.pattern, count=2)
    out = emu.stdout()
    starts, ends = X.START_RX.findall(out), X.END_RX.findall(out)
    assert starts == ids and ends == ids and [m.group(1) for m in reports] == ids, out
    for i, m in enumerate(reports):
        init, duration, billed, memory, max_used = m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)
        assert (init is not None) == (i == 0), m.group(0)  # Init Duration on the first invoke only
        # Billed is Go's math.Ceil of the unrounded duration, which "%.2f" may round down (25.004 -> "25.00", 26).
        assert math.ceil(float(duration)) <= int(billed) <= math.ceil(float(duration) + 0.005), m.group(0)
        assert (memory, max_used) == ("3008", "3008")
    # Each invoke's lines in order: START, END, REPORT.
    for rid in ids:
        s, e, r = (out.index(f"{kind} RequestId: {rid}") for kind in ("START", "END", "REPORT"))
        assert s < e < r


def test_report_memory_follows_the_memory_size_variable(curl_runtime):
    emu = curl_runtime("echo", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512")
    emu.invoke(b"{}")
    (m,) = emu.wait_for_stdout(X.REPORT_RX.pattern)
    assert (m.group(5), m.group(6)) == ("512", "512")


def test_version_variable_appears_in_the_start_line(curl_runtime):
    emu = curl_runtime("echo", AWS_LAMBDA_FUNCTION_VERSION="7")
    emu.invoke(b"{}")
    emu.wait_for_stdout(rf"^START RequestId: {X.UUID} Version: 7$")


def test_timeout_report_duration_is_the_timeout(curl_runtime):
    emu = curl_runtime("sleep", AWS_LAMBDA_FUNCTION_TIMEOUT="1")
    assert emu.invoke(b"30").body == X.timed_out(1)
    (m,) = emu.wait_for_stdout(X.REPORT_RX.pattern)
    assert (m.group(3), m.group(4)) == ("1000.00", "1000")


@pytest.mark.ours_only("Log lines")
def test_report_init_duration_is_the_real_init_time(curl_runtime):
    emu = curl_runtime("echo", INIT_SLEEP="0.5")
    emu.invoke(b"{}")
    (m,) = emu.wait_for_stdout(X.REPORT_RX.pattern)
    assert m.group(2) is not None and float(m.group(2)) >= 450.0, m.group(0)


@pytest.mark.ours_only("Log lines")
def test_report_has_init_duration_again_after_a_timeout_restarts_the_runtime(curl_runtime):
    emu = curl_runtime("sleep", AWS_LAMBDA_FUNCTION_TIMEOUT="1", INIT_SLEEP="0.2")
    assert emu.invoke(b"30").body == X.timed_out(1)
    assert emu.invoke(b"0").body == b"0"
    first, second = emu.wait_for_stdout(X.REPORT_RX.pattern, count=2)
    assert first.group(2) is not None and second.group(2) is not None, (first.group(0), second.group(0))
    assert float(second.group(2)) >= 150.0, second.group(0)


def test_runtime_output_goes_to_the_emulator_stdout(curl_runtime):
    emu = curl_runtime("echo")  # the fixture logs its POST results to its stderr
    emu.invoke(b"{}")
    emu.wait_for_stdout(r"^fixture: response -> 202 ")
    assert "fixture:" not in emu.stderr()


def test_exec_log_line_names_bootstrap_cwd_and_handler(curl_runtime):
    emu = curl_runtime("echo")
    emu.invoke(b"{}")
    line = (
        r"^\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d,\d{3} \[INFO\] \(rapid\) "
        + re.escape(f"exec '{CURL_RUNTIME}' (cwd={FIXTURES}, handler=echo)")
        + "$"
    )
    assert re.search(line, emu.stderr(), re.M), emu.stderr()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_exits_0_and_takes_the_runtime_down(curl_runtime, sig):
    emu = curl_runtime("echo")
    assert emu.invoke(b"{}").status == 200
    runtime = emu.descendants()
    assert runtime
    emu.signal(sig)
    assert emu.wait(10) == 0
    http.wait_until(lambda: not any(pid_alive(p) for p in runtime), 5, "the runtime processes to end")


def test_sigterm_before_any_invoke_exits_0(curl_runtime):
    emu = curl_runtime("echo")
    emu.signal(signal.SIGTERM)
    assert emu.wait(10) == 0


def kill_runtime_between_invokes(emu: Emulator) -> None:
    """SIGKILLs the runtime's process group and waits until the emulator has reaped the runtime."""
    runtime = emu.children()
    assert len(runtime) == 1, runtime
    emu.remember_process_groups()
    os.killpg(os.getpgid(runtime[0]), signal.SIGKILL)
    http.wait_until(lambda: not pid_exists(runtime[0]), 10, "the emulator to reap the killed runtime")


@pytest.mark.ours_only("Runtime exit between invokes")
def test_runtime_that_died_between_invokes_is_restarted_on_the_next_invoke(curl_runtime):
    emu = curl_runtime("echo")
    assert emu.invoke(b'{"n":1}').body == b'{"n":1}'
    kill_runtime_between_invokes(emu)
    r = emu.invoke(b'{"n":2}')
    assert (r.status, r.body) == (200, b'{"n":2}')


@pytest.mark.ours_only("Runtime exit between invokes")
def test_response_then_exit_before_next_returns_the_response(curl_runtime):
    emu = curl_runtime("respond-exit")
    for i in range(3):
        r = emu.invoke(b'{"i":%d}' % i)
        assert (r.status, r.body) == (200, b'{"i":%d}' % i)


@pytest.mark.ours_only("Concurrent invokes")
def test_twenty_concurrent_invokes_are_all_answered_with_their_own_payload(curl_runtime):
    """(e) AWS's emulator crashes on the second concurrent invoke; ours queues them."""
    emu = curl_runtime("echo")
    n = 20
    barrier = threading.Barrier(n)
    results: dict[int, object] = {}

    def one(i: int) -> None:
        barrier.wait(10)
        try:
            results[i] = emu.invoke(b'{"caller":%d,"pad":"%s"}' % (i, b"p" * i), timeout=60)
        except Exception as e:  # noqa: BLE001 - reported below
            results[i] = e

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert len(results) == n
    for i in range(n):
        r = results[i]
        assert isinstance(r, http.Response), f"caller {i}: {r!r}"
        assert (r.status, r.body) == (200, b'{"caller":%d,"pad":"%s"}' % (i, b"p" * i)), f"caller {i}"
    emu.wait_for_stdout(r"^fixture: response -> 202 ", count=n)
    assert emu.proc.poll() is None


def run_cli(rie_binary: str, *args: str, timeout: float = 5) -> subprocess.CompletedProcess:
    """Runs the binary with free-port addresses first, so a binary that starts serving cannot collide."""
    addrs = [
        "--runtime-api-address",
        f"127.0.0.1:{free_port()}",
        "--runtime-interface-emulator-address",
        f"127.0.0.1:{free_port()}",
    ]
    return subprocess.run(
        [rie_binary, *addrs, *args],
        capture_output=True,
        timeout=timeout,
        env=base_env(),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.ours_only("--help and --version")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_prints_usage_and_exits_0(rie_binary, flag):
    p = run_cli(rie_binary, flag)
    assert p.returncode == 0, p
    out = p.stdout.decode()
    assert "aws-lambda-rie" in out
    for option in ("--log-level", "--runtime-api-address", "--runtime-interface-emulator-address"):
        assert option in out, out


@pytest.mark.ours_only("--help and --version")
def test_version_prints_a_version_and_exits_0(rie_binary):
    p = run_cli(rie_binary, "--version")
    assert p.returncode == 0, p
    assert re.search(rb"\d+\.\d+", p.stdout), p.stdout


def test_invalid_log_level_is_fatal(rie_binary):
    p = run_cli(rie_binary, "--log-level", "nope", str(FIXTURES / "sleeper"))
    assert p.returncode == 1
    assert b"Failed to set log level" in p.stderr + p.stdout


@pytest.mark.parametrize("flag", ["--runtime-api-address", "--runtime-interface-emulator-address"])
def test_invalid_address_is_fatal(rie_binary, flag):
    p = subprocess.run(
        [rie_binary, flag, "nonsense", str(FIXTURES / "sleeper")],
        capture_output=True,
        timeout=10,
        env=base_env(),
        start_new_session=True,
    )
    assert p.returncode == 1
    assert f'The command line value for "{flag}" is not a valid network address "nonsense"'.encode() in p.stderr


def test_flags_may_follow_the_bootstrap_and_handler(start_emulator):
    """AWS's integration test passes `--runtime-interface-emulator-address` after the handler; the
    handler is still the last positional argument."""
    emu = start_emulator([CURL_RUNTIME, "echo"], invoke_address_last=True)
    assert emu.command()[-2] == "--runtime-interface-emulator-address"
    r = emu.invoke(b'{"late":"flag"}')
    assert (r.status, r.body) == (200, b'{"late":"flag"}')
    assert f"exec '{CURL_RUNTIME}' (cwd={FIXTURES}, handler=echo)" in emu.stderr()


def test_bootstrap_without_a_slash_is_looked_up_on_path(start_emulator, tmp_path):
    emu = start_emulator(
        ["curl-runtime", "echo"], env=base_env(PATH=f"{FIXTURES}:{os.environ.get('PATH', '/usr/bin:/bin')}"), cwd=tmp_path
    )
    r = emu.invoke(b'{"lookup":1}')
    assert (r.status, r.body) == (200, b'{"lookup":1}')


def test_missing_bootstrap_is_502_with_an_empty_body(start_emulator):
    emu = start_emulator(["/nonexistent/bootstrap", "handler"])
    for _ in range(2):
        r = emu.invoke(b"{}")
        assert (r.status, r.body) == (502, b"")
