# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Fixtures for the end-to-end suite: the binary under test (env RIE_BINARY) and emulator factories."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from harness.emulator import FIXTURES, Emulator, base_env
from harness.manual import ManualRuntime


@pytest.fixture(scope="session")
def rie_binary() -> str:
    binary = os.environ.get("RIE_BINARY", "")
    if not binary:
        pytest.exit("RIE_BINARY must name the aws-lambda-rie binary under test", returncode=2)
    path = Path(binary).resolve()
    if not os.access(path, os.X_OK):
        pytest.exit(f"RIE_BINARY={binary} is not an executable file", returncode=2)
    return str(path)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def start_emulator(rie_binary, tmp_path, request):
    """Factory: start_emulator(argv, env=None, cwd=None, flags=(), start=True, invoke_address_last=False)
    -> an Emulator (started unless start=False).

    Every emulator is stopped at teardown; on failure its stdout/stderr are printed."""
    started: list[Emulator] = []

    def start(argv, env=None, cwd=None, flags=(), start=True, invoke_address_last=False) -> Emulator:
        emu = Emulator(
            rie_binary,
            argv,
            tmp_path,
            env=env,
            cwd=cwd,
            flags=flags,
            name=f"rie{len(started)}",
            invoke_address_last=invoke_address_last,
        )
        started.append(emu)
        return emu.start() if start else emu

    yield start
    for emu in started:
        emu.stop()
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        for emu in started:
            if emu.stdout_path.exists():
                print(f"----- {emu.name} command: {emu.command()}")
                print(f"----- {emu.name} stdout (exit {emu.returncode}):\n{emu.stdout()[-6000:]}")
                print(f"----- {emu.name} stderr:\n{emu.stderr()[-6000:]}")


@pytest.fixture
def curl_runtime(start_emulator):
    """Factory: curl_runtime(mode, **env) starts the emulator with fixtures/curl-runtime <mode>."""

    def start(mode: str = "echo", flags=(), **env: str) -> Emulator:
        return start_emulator([str(FIXTURES / "curl-runtime"), mode], env=base_env(**env), flags=flags)

    return start


@pytest.fixture
def python_runtime(start_emulator):
    """Factory: python_runtime(handler, **env) runs `python -m awslambdaric <handler>` in fixtures/python."""

    def start(handler: str, **env: str) -> Emulator:
        argv = [sys.executable, "-m", "awslambdaric", handler]
        return start_emulator(argv, env=base_env(**env), cwd=FIXTURES / "python")

    return start


@pytest.fixture
def manual_runtime(start_emulator):
    """Factory: an emulator whose bootstrap only sleeps, so the test plays the runtime over HTTP."""

    def start(flags=(), **env: str) -> ManualRuntime:
        return ManualRuntime(start_emulator([str(FIXTURES / "sleeper")], env=base_env(**env), flags=flags))

    return start
