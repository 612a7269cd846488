# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
"""The emulator's open file descriptors, from /proc, for leak checks.

A connection the peer has closed is closed by the emulator a moment later (its task sees the end of input),
so a count taken right after a client closes can be one too high. The checks here therefore wait for the
emulator to be *settled*: none of its TCP sockets is in CLOSE_WAIT (the peer closed, we have not yet). A leaked
connection stays in CLOSE_WAIT (or keeps the count up) for ever, so `assert_no_leak` fails on it after its
timeout, and prints which descriptors are new.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import http

CLOSE_WAIT = "08"


def fd_targets(pid: int) -> dict[int, str]:
    """fd number -> what it points at (socket:[inode], pipe:[inode], anon_inode:[eventpoll], a path...)."""
    out: dict[int, str] = {}
    base = f"/proc/{pid}/fd"
    for name in os.listdir(base):
        try:
            out[int(name)] = os.readlink(f"{base}/{name}")
        except OSError:
            pass  # closed between listdir and readlink
    return out


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def _tcp_states(pid: int) -> dict[str, str]:
    """socket inode -> TCP state (hex, as in /proc/net/tcp) for every TCP socket of pid's namespace."""
    states: dict[str, str] = {}
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        try:
            lines = path.read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) > 9:
                states[cols[9]] = cols[3]
    return states


def close_wait_fds(pid: int) -> list[int]:
    """The emulator's fds that are TCP sockets whose peer has closed and that it has not closed yet."""
    states = _tcp_states(pid)
    out = []
    for fd, target in fd_targets(pid).items():
        if target.startswith("socket:["):
            if states.get(target[8:-1]) == CLOSE_WAIT:
                out.append(fd)
    return out


def settled_count(pid: int, timeout: float = 10.0) -> int:
    """The fd count once no socket of pid is in CLOSE_WAIT (raises TimeoutError if that never happens)."""
    http.wait_until(lambda: not close_wait_fds(pid), timeout, f"process {pid} to close the connections its peers closed")
    return fd_count(pid)


class FdBaseline:
    """The emulator's descriptors when it is idle after a warm-up invoke (runtime parked on /next)."""

    def __init__(self, pid: int, timeout: float = 10.0):
        self.pid = pid
        self.count = settled_count(pid, timeout)
        self.targets = fd_targets(pid)

    def assert_no_leak(self, margin: int = 0, timeout: float = 10.0) -> int:
        """Waits until the emulator is settled with at most count + margin descriptors; returns the count.

        Fails after timeout with the descriptors that are not in the baseline (by target)."""
        last: list[int] = []

        def back() -> bool:
            if close_wait_fds(self.pid):
                return False
            last[:] = [fd_count(self.pid)]
            return last[0] <= self.count + margin

        try:
            http.wait_until(back, timeout, "the emulator's descriptors to return to their baseline")
        except TimeoutError:
            now = fd_targets(self.pid)
            before = sorted(self.targets.values())
            extra = sorted(now.values())
            for t in before:
                if t in extra:
                    extra.remove(t)
            raise AssertionError(
                f"descriptor leak: {fd_count(self.pid)} open, baseline {self.count} (+{margin} allowed); "
                f"in CLOSE_WAIT: {close_wait_fds(self.pid)}; not in the baseline: {extra}"
            ) from None
        return last[0]
