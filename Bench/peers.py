# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The three emulators Scripts/bench compares (and the C floor, a reference), and how each is started with a
given runtime.

A Peer knows its command line, its invoke route and how its runtime is started: ours and AWS's emulator
spawn the runtime themselves (it is their bootstrap); cargo-lambda's `watch --only-lambda-apis` serves the
Runtime API under /.rt and starts nothing, so the bench starts the runtime beside it, at the same moment.
A Running instance owns the processes of one launch and kills every one of them (by pid) on stop().
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

BENCH_DIR = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_stat_cpu(pid: int) -> Optional[float]:
    """utime+stime of pid (all its threads, seconds), or None when it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = data[data.rindex(")") + 2:].split()
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def proc_status_kb(pid: int, key: str) -> Optional[int]:
    """A kB field of /proc/pid/status (VmRSS, VmHWM), or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def wait_listening(port: int, timeout: float = 30.0) -> Optional[int]:
    """Polls connect() to 127.0.0.1:port every 0.2 ms; the monotonic ns when it first succeeded, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            try:
                s.connect(("127.0.0.1", port))
                return time.monotonic_ns()
            except OSError:
                pass
        time.sleep(0.0002)
    return None


def pids_with_env(marker: str) -> list[int]:
    """Pids whose environment holds marker (every process a launch started inherits it)."""
    found = []
    needle = marker.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if needle in Path(f"/proc/{entry}/environ").read_bytes().split(b"\0"):
                found.append(int(entry))
        except OSError:
            continue
    return found


@dataclass
class Runtime:
    """A runtime: its argv, and the environment it needs beyond the Lambda variables."""
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    retries_connect: bool = False  # true for Bench/runtime.c; awslambdaric gives up at once


@dataclass
class Running:
    peer: "Peer"
    proc: subprocess.Popen
    port: int
    marker: str
    started_ns: int
    helpers: list[subprocess.Popen] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def path(self) -> str:
        return self.peer.invoke_path

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        for p in [self.proc, *self.helpers]:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 3
        for p in [self.proc, *self.helpers]:
            try:
                p.wait(max(0.05, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for pid in pids_with_env(self.marker):  # runtimes (and their children) left behind
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


class Peer:
    name = ""
    invoke_path = "/2015-03-31/functions/function/invocations"

    def __init__(self, binary: str, workdir: Path, logdir: Path):
        self.binary = binary
        self.workdir = workdir
        self.logdir = logdir

    def base_env(self, marker: str) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"), "BENCH_RUN": marker.split("=", 1)[1]}
        for key in ("HOME", "LANG", "TMPDIR", "CARGO_HOME", "RUSTUP_HOME"):
            if key in os.environ:
                env[key] = os.environ[key]
        return env

    def launch(self, runtime: Runtime) -> Running:
        raise NotImplementedError

    def _popen(self, argv: list[str], env: dict[str, str], cwd: Path, log: str) -> subprocess.Popen:
        out = open(self.logdir / log, "wb")
        try:
            return subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            out.close()


class RIEPeer(Peer):
    """Ours and AWS's (and the C floor's, Bench/floor.c, with its buffer size in extra_env): the same
    command line; the runtime is the bootstrap."""

    def __init__(self, name: str, binary: str, workdir: Path, logdir: Path,
                 extra_env: Optional[dict[str, str]] = None):
        super().__init__(binary, workdir, logdir)
        self.name = name
        self.extra_env = extra_env or {}

    def launch(self, runtime: Runtime) -> Running:
        port, rport = free_port(), free_port()
        marker = f"BENCH_RUN={uuid.uuid4().hex}"
        env = self.base_env(marker)
        env.update(runtime.env)
        env["AWS_LAMBDA_FUNCTION_TIMEOUT"] = "300"
        env.update(self.extra_env)
        argv = [self.binary, "--runtime-api-address", f"127.0.0.1:{rport}",
                "--runtime-interface-emulator-address", f"127.0.0.1:{port}", *runtime.argv]
        t0 = time.monotonic_ns()
        proc = self._popen(argv, env, BENCH_DIR, f"{self.name}.log")
        return Running(self, proc, port, marker, t0)


class CargoLambdaPeer(Peer):
    """`cargo lambda watch --only-lambda-apis`: it needs a Cargo project (it runs `cargo metadata` at start),
    so it runs in an empty one; the bench starts the runtime itself, pointed at /.rt."""

    name = "cargo-lambda"
    invoke_path = "/2015-03-31/functions/_/invocations"

    def project(self) -> Path:
        crate = self.workdir / "cargo-lambda-project"
        (crate / "src").mkdir(parents=True, exist_ok=True)
        (crate / "Cargo.toml").write_text('[package]\nname = "bench-fn"\nversion = "0.1.0"\nedition = "2021"\n')
        (crate / "src" / "main.rs").write_text("fn main() {}\n")
        return crate

    def launch(self, runtime: Runtime) -> Running:
        port = free_port()
        marker = f"BENCH_RUN={uuid.uuid4().hex}"
        env = self.base_env(marker)
        crate = self.project()
        argv = [self.binary, "lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1", "-P", str(port)]
        renv = dict(env)
        renv.update(runtime.env)
        renv.update({"AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}/.rt", "AWS_LAMBDA_FUNCTION_NAME": "_",
                     "AWS_LAMBDA_FUNCTION_VERSION": "1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "4096",
                     "BENCH_PRELUDE": "1"})  # its /invocations strips an HTTP-integration prelude from streams
        t0 = time.monotonic_ns()
        proc = self._popen(argv, env, crate, "cargo-lambda.log")
        if not runtime.retries_connect:
            wait_listening(port)
        rt = self._popen(runtime.argv, renv, BENCH_DIR, "cargo-lambda-runtime.log")
        return Running(self, proc, port, marker, t0, helpers=[rt])
