# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""Emulator variants for fault tests: a descriptor limit, and fixed ports.

LimitedEmulator runs the binary under `ulimit -n N` (soft and hard, so the emulator cannot raise it): the
shell execs the binary, so the pid is the emulator's. PinnedEmulator starts on ports chosen by the test
(to prove that a stopped emulator released them)."""

from __future__ import annotations


from .emulator import Emulator


class LimitedEmulator(Emulator):
    def __init__(self, *args, nofile: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.nofile = nofile

    def command(self) -> list[str]:
        return ["/bin/sh", "-c", f'ulimit -n {self.nofile} && exec "$0" "$@"', *super().command()]

    def limits(self) -> str:
        """The 'Max open files' line of the running emulator's /proc limits."""
        with open(f"/proc/{self.pid}/limits") as f:
            return next(line for line in f if line.startswith("Max open files"))


class PinnedEmulator(Emulator):
    def __init__(self, *args, invoke_port: int, rapi_port: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.pinned = (invoke_port, rapi_port)

    def start(self, ready_timeout: float = 15.0) -> "PinnedEmulator":
        self.invoke_port, self.rapi_port = self.pinned
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self._spawn_until_listening(ready_timeout):
            return self
        raise RuntimeError(f"emulator on pinned ports {self.pinned} did not start: {self.stderr()[-2000:]}")
