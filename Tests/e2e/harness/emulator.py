# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Starts an aws-lambda-rie binary on free loopback ports and cleans up everything it spawned.

Emulator owns one emulator process (in its own session), its stdout/stderr log files, and the
runtime processes it spawns: on stop() it sends SIGTERM, waits, and then SIGKILLs by pid any process
left in the emulator's or the runtime's process groups, or whose environment names this emulator's
Runtime API address (every runtime process and its children inherit AWS_LAMBDA_RUNTIME_API, so this
also finds runtimes orphaned by an emulator that crashed).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Optional, Sequence

from . import http

INVOKE_PATH = "/2015-03-31/functions/function/invocations"
RAPI = "/2018-06-01"
ARN_PREFIX = "arn:aws:lambda:us-east-1:012345678912:function:"
E2E_DIR = Path(__file__).resolve().parent.parent
FIXTURES = E2E_DIR / "fixtures"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(**overrides: str) -> dict[str, str]:
    """A small, predictable environment for the emulator (which passes all of it to the runtime).

    No AWS_* or LOG_LEVEL from the outer environment leaks in, so defaults can be asserted."""
    env = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")}
    for key in ("HOME", "TMPDIR", "LANG"):
        if key in os.environ:
            env[key] = os.environ[key]
    env.update(overrides)
    return env


def _proc_stat(pid: int) -> Optional[tuple[int, int, str]]:
    """(ppid, pgid, state) of pid, or None if it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = data[data.rindex(")") + 2 :].split()
    return int(rest[1]), int(rest[2]), rest[0]


def _all_pids() -> list[int]:
    return [int(n) for n in os.listdir("/proc") if n.isdigit()]


def pid_alive(pid: int) -> bool:
    """True while pid exists and is not a zombie."""
    st = _proc_stat(pid)
    return st is not None and st[2] != "Z"


def pid_exists(pid: int) -> bool:
    """True until pid has been reaped by its parent (zombies count as existing)."""
    return _proc_stat(pid) is not None


class Emulator:
    """One running aws-lambda-rie. argv is the bootstrap command (and its args)."""

    def __init__(
        self,
        binary: str,
        argv: Sequence[str],
        log_dir: Path,
        env: Optional[dict[str, str]] = None,
        cwd: Optional[Path] = None,
        flags: Sequence[str] = (),
        name: str = "rie",
        invoke_address_last: bool = False,
    ):
        self.binary = binary
        self.argv = list(argv)
        self.env = env if env is not None else base_env()
        self.cwd = str(cwd) if cwd else str(FIXTURES)
        self.flags = list(flags)
        self.log_dir = Path(log_dir)
        self.name = name
        self.invoke_address_last = invoke_address_last
        self.proc: Optional[subprocess.Popen] = None
        self.invoke_port = self.rapi_port = 0
        self.returncode: Optional[int] = None
        self._pgids: set[int] = set()

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def stdout_path(self) -> Path:
        return self.log_dir / f"{self.name}.stdout"

    @property
    def stderr_path(self) -> Path:
        return self.log_dir / f"{self.name}.stderr"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def command(self) -> list[str]:
        invoke = ["--runtime-interface-emulator-address", f"127.0.0.1:{self.invoke_port}"]
        return [
            self.binary,
            *self.flags,
            "--runtime-api-address",
            f"127.0.0.1:{self.rapi_port}",
            *([] if self.invoke_address_last else invoke),
            *self.argv,
            *(invoke if self.invoke_address_last else []),
        ]

    def start(self, ready_timeout: float = 15.0) -> "Emulator":
        self.log_dir.mkdir(parents=True, exist_ok=True)
        last_error = ""
        for _ in range(4):
            self.invoke_port, self.rapi_port = free_port(), free_port()
            if self.invoke_port == self.rapi_port:
                continue
            if self._spawn_until_listening(ready_timeout):
                return self
            if self.proc.poll() is None:
                self.stop()
                raise RuntimeError(f"emulator did not listen within {ready_timeout} s: {self.stderr()[-2000:]}")
            last_error = self.stderr()
            if "address already in use" not in last_error.lower():
                break
        raise RuntimeError(
            f"emulator exited with {self.proc.returncode if self.proc else '?'} at start-up: {last_error[-2000:]}"
        )

    def _spawn_until_listening(self, ready_timeout: float) -> bool:
        """Starts the process on `invoke_port`/`rapi_port`; true once both accept, false if it exits or times out."""
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,
            )
        self._pgids.add(self.proc.pid)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if self._listening(self.invoke_port) and self._listening(self.rapi_port):
                return True
            time.sleep(0.01)  # readiness poll with a deadline
        return False

    @staticmethod
    def _listening(port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    def descendants(self) -> list[int]:
        """Pids of every live process below the emulator (runtime, its children, ...)."""
        if self.proc is None:
            return []
        children: dict[int, list[int]] = {}
        for pid in _all_pids():
            st = _proc_stat(pid)
            if st:
                children.setdefault(st[0], []).append(pid)
        out, todo = [], [self.proc.pid]
        while todo:
            for c in children.get(todo.pop(), []):
                out.append(c)
                todo.append(c)
        return [p for p in out if pid_alive(p)]

    def children(self) -> list[int]:
        """Live direct children of the emulator (normally just the runtime)."""
        if self.proc is None:
            return []
        return [p for p in _all_pids() if (st := _proc_stat(p)) and st[0] == self.proc.pid and st[2] != "Z"]

    def wait_for_runtime(self, timeout: float = 10.0) -> int:
        """Polls until the emulator has spawned its runtime process; returns its pid.

        A test playing the runtime must call /next only after this: AWS's emulator dereferences a nil
        runtime (and drops the connection) if /next arrives before the init it starts on the first invoke."""
        found: list[int] = []

        def ready() -> bool:
            found[:] = self.children()
            return bool(found)

        http.wait_until(ready, timeout, f"the runtime process of {self.name}")
        return found[0]

    def remember_process_groups(self) -> None:
        for pid in self.descendants():
            st = _proc_stat(pid)
            if st:
                self._pgids.add(st[1])

    def vm_hwm_kib(self) -> int:
        """Peak resident set size of the emulator process, from /proc/<pid>/status."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("no VmHWM in /proc status")

    def signal(self, sig: int) -> None:
        self.remember_process_groups()
        assert self.proc is not None
        self.proc.send_signal(sig)

    def wait(self, timeout: float) -> int:
        assert self.proc is not None
        self.returncode = self.proc.wait(timeout)
        return self.returncode

    def stop(self, timeout: float = 1.5) -> Optional[int]:
        """SIGTERM, then SIGKILL after timeout; then SIGKILL leftovers of the recorded process groups."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.remember_process_groups()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.returncode = self.proc.returncode
        self._kill_leftovers()
        return self.returncode

    def _kill_leftovers(self) -> None:
        own = os.getpgrp()
        groups = self._pgids - {own}
        marker = f"\0AWS_LAMBDA_RUNTIME_API=127.0.0.1:{self.rapi_port}\0".encode()
        for pid in _all_pids():
            if pid == os.getpid():
                continue
            st = _proc_stat(pid)
            if st is None or st[2] == "Z":
                continue
            ours = st[1] in groups
            if not ours and self.rapi_port:
                try:
                    ours = marker in b"\0" + Path(f"/proc/{pid}/environ").read_bytes()
                except OSError:
                    ours = False
            if ours:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    # -- logs ------------------------------------------------------------------------------------

    def stdout(self) -> str:
        return self.stdout_path.read_bytes().decode("utf-8", "replace")

    def stderr(self) -> str:
        return self.stderr_path.read_bytes().decode("utf-8", "replace")

    def wait_for_stdout(self, pattern: str, timeout: float = 10.0, count: int = 1) -> list[re.Match]:
        """Polls stdout until the multiline regex pattern matches count times; returns the matches."""
        rx = re.compile(pattern, re.M)
        found: list[re.Match] = []

        def ready() -> bool:
            nonlocal found
            found = list(rx.finditer(self.stdout()))
            return len(found) >= count

        http.wait_until(ready, timeout, f"{count} x /{pattern}/ on stdout of {self.name}")
        return found

    # -- HTTP --------------------------------------------------------------------------------------

    def invoke(
        self,
        body: Optional[bytes] = b"{}",
        headers: Optional[list[tuple[str, str]] | dict[str, str]] = None,
        method: str = "POST",
        path: str = INVOKE_PATH,
        timeout: float = 30.0,
    ) -> http.Response:
        return http.request("127.0.0.1", self.invoke_port, method, path, headers, body, timeout)

    def invoke_async(self, *args, **kwargs) -> http.Background:
        return http.Background(self.invoke, *args, **kwargs)

    def rapi(
        self,
        method: str,
        path: str,
        headers: Optional[list[tuple[str, str]] | dict[str, str]] = None,
        body: Optional[bytes] = None,
        timeout: float = 30.0,
    ) -> http.Response:
        """A request to the Runtime API, as the runtime would make it.

        Paths starting with /runtime/ or equal to /ping get the /2018-06-01 prefix; others are sent as given."""
        full = RAPI + path if path.startswith("/runtime/") or path == "/ping" else path
        return http.request("127.0.0.1", self.rapi_port, method, full, headers, body, timeout)

    def rapi_async(self, *args, **kwargs) -> http.Background:
        return http.Background(self.rapi, *args, **kwargs)

    def next(self, timeout: float = 30.0) -> http.Response:
        return self.rapi("GET", "/runtime/invocation/next", timeout=timeout)
